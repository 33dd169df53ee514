import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/fixtures.js';

/**
 * What the e2e tier needs beyond Node and the repository. A missing tool or ../shared fails the test file with the
 * command that installs it: an e2e test never skips itself.
 */

/** The directory beside the repository that holds the real-world corpus (CI checks it out there). */
export const SHARED = path.resolve(ROOT, '../shared');

/** The absolute path of `name` on PATH; throws, naming the install command, when it is not there. */
export function requireTool(name: string, install: string): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this directory
    }
  }
  throw new Error(`${name} is not on PATH, and this e2e test needs it: ${install}`);
}

/** ../shared, with its corpus; throws saying where it is expected when it is missing. */
export function requireShared(): string {
  if (!existsSync(path.join(SHARED, 'corpus')))
    throw new Error(
      `${path.join(SHARED, 'corpus')} is missing, and this e2e test reads it: check ../shared out beside the repository`,
    );
  return SHARED;
}
