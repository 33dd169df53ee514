import { defineWorkloadRule, type Report } from '../../engine/rule.js';
import { isObject } from '../../model/json.js';
import { shellSplit } from '../../model/compose-values.js';
import type { JsonObject, Path } from '../../model/types.js';
import { valueAt as dig } from '../../model/path.js';
import { flagsFor, matchInsecureFlag } from './lib/insecure-flags.js';

/** Each argument of a command field with its path; a list item that is a whole shell line (`sh -c "…"`) is split too. */
function argumentsOf(owner: JsonObject, field: string, base: Path): { tokens: string[]; path: Path; all: boolean }[] {
  const raw = owner[field];
  if (typeof raw === 'string') return [{ tokens: shellSplit(raw), path: [...base, field], all: true }];
  if (!Array.isArray(raw)) return [];
  const items = raw.map((x) => (typeof x === 'string' || typeof x === 'number' ? String(x) : ''));
  return items.map((item, i) => {
    const line = /\s/.test(item.trim());
    // Otherwise the next list item is the value of a `--flag value` pair, and only this item's own flag is checked.
    return {
      tokens: line ? shellSplit(item) : [item, ...(items[i + 1] !== undefined ? [items[i + 1]!] : [])],
      path: [...base, field, i],
      all: line,
    };
  });
}

interface FlagSource {
  owner: JsonObject;
  fields: string[];
  base: Path;
  container: string;
  program: string;
}

export default defineWorkloadRule({
  id: 'insecure-admin-flag',
  meta: {
    severity: 'warning',
    family: 'security',
    description:
      'Container arguments (Swarm: command or entrypoint) turn on an unauthenticated admin surface (`--api.insecure`, `--auth=false`, `--disable-auth`, CockroachDB `--insecure`, Prometheus `--web.enable-admin-api`…).',
    rationale:
      'These flags exist for a laptop demo. In a cluster, the dashboard, API or database they open answers anyone who can reach the port: another compromised pod, a misconfigured Ingress or a published Swarm port is enough to read data, change routing or run code. Nothing in the logs shows who did it.',
    remediation:
      'Remove the flag and put the admin surface behind authentication (Traefik: a router with an auth middleware instead of api.insecure; databases: users and TLS). If it must stay for a development stack, suppress the finding there with a reason. The flags are a data list (src/rules/security/lib/insecure-flags.ts), each with the program it applies to where the same flag means something harmless elsewhere (`--insecure` is CockroachDB\'s "no authentication", but kaniko\'s "plain-HTTP registry").',
    tags: ['security', 'exposure'],
    securitySeverity: 7.5,
    messages: {
      insecureFlag: '{{subject}} runs with {{flag}}, which opens {{what}} to anyone who can reach it',
    },
  },
  applies: { platforms: ['kubernetes', 'swarm'] },
  kubernetes(w, ctx) {
    for (const c of w.containers) {
      const raw = dig(w.resource.value, c.path);
      if (isObject(raw))
        check(
          {
            owner: raw,
            fields: ['command', 'args'],
            base: c.path,
            container: c.name,
            program: [c.image ?? '', ...c.command, ...c.args].join(' '),
          },
          ctx.report,
        );
    }
  },
  swarm(s, ctx) {
    const c = s.container;
    check(
      {
        owner: s.service,
        fields: ['entrypoint', 'command'],
        base: s.path,
        container: s.name,
        program: [c.image ?? '', ...c.command, ...c.args].join(' '),
      },
      ctx.report,
    );
  },
});

function check(s: FlagSource, report: (r: Report) => void): void {
  const flags = flagsFor(s.program);
  if (!flags.length) return;
  for (const field of s.fields) {
    for (const { tokens, path, all } of argumentsOf(s.owner, field, s.base)) {
      // One finding per list item (or per command string), for its first insecure flag.
      for (let i = 0; i < (all ? tokens.length : 1); i++) {
        const hit = matchInsecureFlag(tokens[i]!, tokens[i + 1], flags);
        if (!hit) continue;
        // The flag and a value from its own list (`=true`, `no`), never a free value (`--host tcp://user:password@…`).
        const value = typeof hit.flag.when === 'function' || hit.value === '' ? '' : hit.value;
        const flag = value ? `${hit.flag.flag}${tokens[i]!.includes('=') ? '=' : ' '}${value}` : hit.flag.flag;
        report({ path, container: s.container, messageId: 'insecureFlag', data: { flag, what: hit.flag.what } });
        break;
      }
    }
  }
}
