import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** CLI tests run the built binary: make sure dist/ exists (CI builds first; a bare `npm test` builds here). */
export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '../..');
  if (!existsSync(path.join(root, 'dist/cli.js')))
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
}
