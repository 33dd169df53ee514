import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PRESETS } from '../config/config-schema.js';
import { CONFIG_NAMES } from '../load/config-file.js';

export interface InitCommandOptions {
  preset?: string;
  cwd: string;
}

/** Editors with the YAML language server (VS Code's YAML extension, JetBrains, Neovim) complete and check the config. */
export const CONFIG_SCHEMA_URL =
  'https://raw.githubusercontent.com/shipshape-dev/shipshape/main/rules-config/config.schema.json';

/**
 * The commented `.shipshape.yaml` that `shipshape init` writes: valid as is, and every example line (a comment
 * indented under its key) valid once uncommented alone, as an editor's "toggle comment" does it.
 */
export function initTemplate(preset: string): string {
  return `# yaml-language-server: $schema=${CONFIG_SCHEMA_URL}
# shipshape configuration: https://github.com/shipshape-dev/shipshape/blob/main/docs/configuration.md
# \`shipshape rules\` lists every rule with its severity here; \`shipshape explain <rule-id>\` documents one;
# \`shipshape --print-config <file>\` shows the settings in effect for one file.
# The indented comments are examples: uncomment any of them as is.

# Start from a preset: recommended, or strict (stricter severities, suppressions must give a reason).
# A path to another config file works too (./platform/shipshape-base.yaml), or a list of them.
extends: ${preset}

# Severity per rule id (off | note | warning | error), or {severity, options}.
rules:
  # single-replica: note
  # liveness-probe-aggressive: {severity: error, options: {minRestartWindowSeconds: 20}}

# Files never checked (globs, relative to the working directory).
ignore:
  # - "charts/**"

# Other settings for some files, applied in order after \`rules\` (the last match wins).
overrides:
  # - {files: ["environments/dev/**"], rules: {single-replica: off, pdb-missing: off}}

# House rules as JSON Schema (no code runs); examples in rules-config/examples/.
policies:
  # - {id: acme-team-label, severity: error, target: workload, kinds: [Deployment, StatefulSet], description: Every workload carries the owning team label., schema: {required: [metadata], properties: {metadata: {required: [labels], properties: {labels: {required: [team]}}}}}}

# Also available: kubeVersion and render (docs/configuration.md).

# In a manifest, silence one finding with a comment on its line (or alone on the line above):
#   # shipshape-ignore single-replica -- batch consumer, one replica by design
# or every finding of a rule in a file, at its top:
#   # shipshape-ignore-file pdb-missing -- dev cluster, no disruption budget
`;
}

/** `shipshape init`: write .shipshape.yaml in the working directory, never over an existing config. */
export async function initCommand(opts: InitCommandOptions): Promise<number> {
  const preset = opts.preset ?? 'recommended';
  if (!(PRESETS as readonly string[]).includes(preset)) {
    process.stderr.write(`shipshape: init: --preset must be one of ${PRESETS.join(', ')}\n`);
    return 2;
  }
  for (const name of CONFIG_NAMES) {
    const existing = path.join(opts.cwd, name);
    try {
      await fs.stat(existing);
      process.stderr.write(`shipshape: init: ${name} already exists: not overwritten (edit it, or remove it first)\n`);
      return 2;
    } catch {
      // absent: good
    }
  }
  const file = path.join(opts.cwd, CONFIG_NAMES[0]!);
  try {
    await fs.writeFile(file, initTemplate(preset), { flag: 'wx' });
  } catch (err) {
    process.stderr.write(
      `shipshape: init: cannot write ${CONFIG_NAMES[0]}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`,
    );
    return 2;
  }
  process.stdout.write(
    `wrote ${CONFIG_NAMES[0]} (extends ${preset}); run shipshape to check this repository with it\n`,
  );
  return 0;
}
