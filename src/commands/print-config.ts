import path from 'node:path';
import picomatch from 'picomatch';
import { applyRuleFlags } from '../config/config.js';
import { EffectiveSettings } from '../engine/settings.js';
import { loadConfig } from '../load/config-file.js';
import { displayPath } from '../load/discover.js';
import { rules as builtinRules } from '../rules/index.js';
import { DEFAULT_KUBE_VERSION } from '../schema/kubernetes.js';

export interface PrintConfigOptions {
  config?: string;
  rule?: string[];
  kubeVersion?: string;
  cwd: string;
}

/**
 * `--print-config <file>` (as ESLint's): the settings in effect for one file, after the config, its `extends`, the
 * `overrides` that match the file and `--rule`: each rule's severity and options (defaults filled in), as JSON.
 */
export async function printConfig(file: string, opts: PrintConfigOptions): Promise<number> {
  const config = applyRuleFlags(await loadConfig(opts.config, opts.cwd, builtinRules), opts.rule ?? []);
  const shown = displayPath(path.resolve(opts.cwd, file), opts.cwd);
  const all = config.rules ?? builtinRules;
  const settings = new EffectiveSettings(all, config.settings, config.overrides ?? []);
  const rules: Record<string, { severity: string; options?: Record<string, unknown> }> = {};
  for (const r of all) {
    const s = settings.for(r.id, shown);
    const options = { ...(r.options?.defaults ?? {}), ...s.options };
    rules[r.id] = { severity: s.severity, ...(Object.keys(options).length ? { options } : {}) };
  }
  const doc = {
    file: shown,
    config: config.files ?? [],
    ignored: config.ignore.length > 0 && picomatch(config.ignore, { dot: true })(shown),
    overrides: (config.overrides ?? [])
      .filter((o) => (o.matches ?? picomatch([...o.files], { dot: true }))(shown))
      .map((o) => [...o.files]),
    kubeVersion: opts.kubeVersion ?? config.kubeVersion ?? DEFAULT_KUBE_VERSION,
    render: config.render ?? 'never',
    rules,
  };
  process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  return 0;
}
