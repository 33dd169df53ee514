import { defineWorkloadRule } from '../../engine/rule.js';
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

export default defineWorkloadRule({
  id: 'insecure-admin-flag',
  meta: {
    severity: 'warning',
    family: 'security',
    platforms: ['kubernetes', 'swarm'],
    description:
      'Container arguments (Swarm: command or entrypoint) turn on an unauthenticated admin surface (`--api.insecure`, `--auth=false`, `--disable-auth`, CockroachDB `--insecure`, Prometheus `--web.enable-admin-api`…).',
    rationale:
      'These flags exist for a laptop demo. In a cluster, the dashboard, API or database they open answers anyone who can reach the port: another compromised pod, a misconfigured Ingress or a published Swarm port is enough to read data, change routing or run code. Nothing in the logs shows who did it.',
    remediation:
      'Remove the flag and put the admin surface behind authentication (Traefik: a router with an auth middleware instead of api.insecure; databases: users and TLS). If it must stay for a development stack, suppress the finding there with a reason. The flags are a data list (src/rules/security/lib/insecure-flags.ts), each with the program it applies to where the same flag means something harmless elsewhere (`--insecure` is CockroachDB\'s "no authentication", but kaniko\'s "plain-HTTP registry").',
    tags: ['security', 'exposure'],
    securitySeverity: 7.5,
  },
  check(w, ctx) {
    const sources: { owner: JsonObject; fields: string[]; base: Path; container: string; program: string }[] = [];
    if (w.platform === 'swarm') {
      const c = w.containers[0];
      if (w.service && c)
        sources.push({
          owner: w.service,
          fields: ['entrypoint', 'command'],
          base: w.path,
          container: w.name,
          program: [c.image ?? '', ...c.command, ...c.args].join(' '),
        });
    } else {
      for (const c of w.containers) {
        const raw = dig(w.resource.value, c.path);
        if (isObject(raw))
          sources.push({
            owner: raw,
            fields: ['command', 'args'],
            base: c.path,
            container: c.name,
            program: [c.image ?? '', ...c.command, ...c.args].join(' '),
          });
      }
    }
    for (const s of sources) {
      const flags = flagsFor(s.program);
      if (!flags.length) continue;
      for (const field of s.fields) {
        for (const { tokens, path, all } of argumentsOf(s.owner, field, s.base)) {
          // One finding per list item (or per command string), for its first insecure flag.
          for (let i = 0; i < (all ? tokens.length : 1); i++) {
            const hit = matchInsecureFlag(tokens[i]!, tokens[i + 1], flags);
            if (!hit) continue;
            const who =
              w.platform === 'swarm' ? `service "${w.name}"` : `container "${s.container}" of ${w.kind} "${w.name}"`;
            // The flag and a value from its own list (`=true`, `no`), never a free value (`--host tcp://user:password@…`).
            const value = typeof hit.flag.when === 'function' || hit.value === '' ? '' : hit.value;
            const written = value ? `${hit.flag.flag}${tokens[i]!.includes('=') ? '=' : ' '}${value}` : hit.flag.flag;
            ctx.report({
              path,
              container: s.container,
              message: `${who} runs with ${written}, which opens ${hit.flag.what}: anyone who can reach the port (another pod, a published port, a misrouted Ingress) gets in. Remove the flag and put the admin surface behind authentication.`,
            });
            break;
          }
        }
      }
    }
  },
});
