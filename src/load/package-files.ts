import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed package (src/load → ../.. in the sources, dist/load → ../.. once built): presets and rule docs live there. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The file of a built-in preset (`extends: recommended`), generated from rule metadata. */
export function presetFile(name: string): string {
  return path.join(PACKAGE_ROOT, 'rules-config', `${name}.yaml`);
}

/** The documentation page of a built-in rule. */
export function ruleDocFile(id: string): string {
  return path.join(PACKAGE_ROOT, 'docs', 'rules', `${id}.md`);
}
