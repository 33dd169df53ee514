import picomatch from 'picomatch';
import type { AnyRule } from './rule.js';
import type { RuleSetting } from './run.js';

/** Settings for the files matching `files`, as in ESLint's `overrides`: applied in order, the last match wins. */
export interface RuleOverride {
  /** Globs relative to the working directory, matched against each finding's file as shown in reports. */
  files: readonly string[];
  /** Per rule id: a severity, options (merged over the options in effect), or both. */
  rules: ReadonlyMap<string, Partial<RuleSetting>>;
  /** `files` compiled (the config does it once); computed here when absent. */
  matches?: (file: string) => boolean;
}

/** The severity and options of each rule for each file: base settings, then every matching override in order. */
export class EffectiveSettings {
  private readonly cache = new Map<string, RuleSetting>();
  private readonly matchers: ((file: string) => boolean)[];
  private readonly defaults = new Map<string, RuleSetting>();

  constructor(
    rules: readonly AnyRule[],
    private readonly base: ReadonlyMap<string, RuleSetting>,
    private readonly overrides: readonly RuleOverride[] = [],
    /** The path override globs are matched against (relative to the config file), from a file's display path. */
    private readonly relative: (file: string) => string = (f) => f,
  ) {
    for (const r of rules)
      this.defaults.set(r.id, { severity: r.meta.offByDefault ? 'off' : r.meta.severity, options: {} });
    this.matchers = overrides.map((o) => o.matches ?? picomatch([...o.files], { dot: true }));
  }

  /** The setting of a rule in the absence of any override. */
  baseFor(ruleId: string): RuleSetting {
    return this.base.get(ruleId) ?? this.defaults.get(ruleId) ?? { severity: 'error', options: {} };
  }

  for(ruleId: string, file: string): RuleSetting {
    if (this.overrides.length === 0) return this.baseFor(ruleId);
    const key = `${ruleId}\u0000${file}`;
    let s = this.cache.get(key);
    if (!s) {
      s = this.baseFor(ruleId);
      this.overrides.forEach((o, i) => {
        const change = o.rules.get(ruleId);
        if (change && this.matchers[i]!(this.relative(file))) s = merge(s!, change);
      });
      this.cache.set(key, s);
    }
    return s;
  }

  /** False only when the rule is off everywhere, whatever the file. */
  enabledAnywhere(ruleId: string): boolean {
    if (this.baseFor(ruleId).severity !== 'off') return true;
    return this.overrides.some((o) => {
      const sev = o.rules.get(ruleId)?.severity;
      return sev !== undefined && sev !== 'off';
    });
  }
}

/** A severity replaces the one in effect; options are merged key by key over those in effect. */
export function merge(current: RuleSetting, change: Partial<RuleSetting>): RuleSetting {
  return {
    severity: change.severity ?? current.severity,
    options: change.options ? { ...current.options, ...change.options } : current.options,
  };
}
