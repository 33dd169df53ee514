import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { formatJson } from '../../src/report/json.js';
import { formatSarif } from '../../src/report/sarif.js';
import { formatText } from '../../src/report/text.js';
import { countFindings } from '../../src/report/types.js';
import { planAnnotations } from '../../src/action/annotations.js';
import { formatComment } from '../../src/action/comment.js';
import { formatSummary } from '../../src/action/summary.js';
import { ROOT } from '../helpers/fixtures.js';
import { runCli } from '../helpers/run-cli.js';
import {
  expectHealthyChecked,
  HEALTHY,
  HEALTHY_NAME,
  leakedPieces,
  lintIn,
  regionProblems,
  tempDir,
} from './helpers.js';

/**
 * The permanent fuzz test of issue 17, two seeded properties:
 * - mutated manifests never stop a run (lint resolves: exit 0 or 1, no stack trace), never make a rule throw,
 *   never keep the other file from being checked, and give identical output across runs and path orders;
 * - generated secrets planted wherever a value can sit never reach any output (no 8-character piece of one).
 * `npm test` runs a few hundred cases; `npm run fuzz` (SHIPSHAPE_FUZZ_RUNS) runs thousands. A failure prints the seed
 * and the shrunk counterexample, which reproduce it.
 */

const RUNS = Number(process.env.SHIPSHAPE_FUZZ_RUNS ?? 120);
const SEED = Number(process.env.SHIPSHAPE_FUZZ_SEED ?? 20_261_206);
const TIMEOUT = Math.max(120_000, RUNS * 2_000);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const fresh = (): string => {
  const d = tempDir('shipshape-fuzz-');
  dirs.push(d);
  return d;
};

/** A seeded sample of the repository's small manifests (the same on every machine). */
function manifestSample(n: number): string[] {
  const all: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      const p = path.join(d, e);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (/\.ya?ml$/i.test(e) && st.size < 16 * 1024) all.push(p);
    }
  };
  // Real manifests of the repository (fixtures and examples): the corpus in ../shared is for the e2e tier.
  walk(path.join(ROOT, 'test/fixtures'));
  walk(path.join(ROOT, 'examples'));
  const step = Math.max(1, Math.floor(all.length / n));
  return all
    .filter((_, i) => i % step === 0)
    .slice(0, n)
    .map((p) => readFileSync(p, 'utf8'));
}

type Mutation = (text: string) => string;
const at = (t: string, n: number): number => n % (t.length + 1);
const lineOp = (f: (lines: string[], i: number, j: number) => void): fc.Arbitrary<Mutation> =>
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => (text: string) => {
    const lines = text.split('\n');
    f(lines, a % lines.length, b % lines.length);
    return lines.join('\n');
  });
/** Where a node starts: after `: ` or `- ` on a line. */
const nodeStart = (prefix: string): fc.Arbitrary<Mutation> =>
  fc.nat().map((n) => (text: string) => {
    const starts: number[] = [];
    for (let i = text.indexOf(': '); i !== -1; i = text.indexOf(': ', i + 1)) starts.push(i + 2);
    for (let i = text.indexOf('- '); i !== -1; i = text.indexOf('- ', i + 1)) starts.push(i + 2);
    if (!starts.length) return prefix + text;
    const s = starts[n % starts.length]!;
    return text.slice(0, s) + prefix + text.slice(s);
  });

const MUTATIONS: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([n, x]) => (t: string) => {
    const i = n % Math.max(1, t.length);
    return t.slice(0, i) + String.fromCharCode(t.charCodeAt(i) ^ x) + t.slice(i + 1);
  }),
  lineOp((l, i, j) => l.splice(j, 0, ...l.splice(i, 1))),
  lineOp((l, i) => (l[i] = `  ${l[i] ?? ''}`)),
  lineOp((l, i) => (l[i] = (l[i] ?? '').replace(/^ {1,2}/, ''))),
  nodeStart('&a '),
  nodeStart('*a '),
  nodeStart('*a\n'),
  nodeStart('!!merge '),
  nodeStart('!!binary '),
  nodeStart('!custom '),
  nodeStart('{<<: *a} '),
  lineOp((l, i) => l.splice(i, 0, '<<: *a')),
  fc.constant((t: string) => `\ufeff${t}`),
  fc.nat().map((n) => (t: string) => t.slice(0, at(t, n)) + '\u0000' + t.slice(at(t, n))),
  fc.constant((t: string) => t.replace(/\n/g, '\r')),
  fc.constant((t: string) => t.replace(/\n/g, '\r\n')),
  fc
    .tuple(fc.nat(), fc.integer({ min: 100, max: 1200 }), fc.constantFrom('[', '{a: ', '- '))
    .map(([n, d, open]) => (t: string) => {
      const close = open === '[' ? ']' : open === '- ' ? '' : '}';
      return t.slice(0, at(t, n)) + open.repeat(d) + 'x' + close.repeat(d) + t.slice(at(t, n));
    }),
  nodeStart('{{ .Values.x }} '),
  nodeStart('{{ '),
);

const SAMPLE = manifestSample(60);

async function runOnce(dir: string, paths: string[]): Promise<string> {
  const result = await lintIn(dir, paths);
  return formatJson(result);
}

describe('fuzz: mutated manifests', () => {
  it(
    `${RUNS} seeded cases: exit 0/1, no internal-error, the other file checked, output identical across runs and path orders`,
    async () => {
      expect(SAMPLE.length).toBe(60);
      const dir = fresh();
      writeFileSync(path.join(dir, HEALTHY_NAME), HEALTHY);
      // Every 8th mutated text is kept for one run of the built CLI below (a process per case would cost too much).
      const kept = fresh();
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: SAMPLE.length - 1 }),
          fc.array(MUTATIONS, { minLength: 1, maxLength: 4 }),
          async (i, mutations) => {
            const text = mutations.reduce((t, m) => m(t), SAMPLE[i]!);
            writeFileSync(path.join(dir, 'm.yaml'), text);
            if (n++ % 8 === 0) writeFileSync(path.join(kept, `m${n}.yaml`), text);
            const result = await lintIn(dir, ['m.yaml', HEALTHY_NAME]);
            expect(result.findings.filter((f) => f.ruleId === 'internal-error').map((f) => f.message)).toEqual([]);
            expectHealthyChecked(result.findings);
            expect(
              regionProblems(result.findings, (f) =>
                f === 'm.yaml' ? text : f === HEALTHY_NAME ? HEALTHY : undefined,
              ),
            ).toEqual([]);
            const first = formatJson(result);
            expect(await runOnce(dir, ['m.yaml', HEALTHY_NAME])).toBe(first);
            expect(await runOnce(dir, [HEALTHY_NAME, 'm.yaml'])).toBe(first);
          },
        ),
        { seed: SEED, numRuns: RUNS },
      );
      // The CLI as a process over all of them at once: exit 0 or 1, nothing on stderr but warnings (no stack trace).
      writeFileSync(path.join(kept, HEALTHY_NAME), HEALTHY);
      const r = await runCli(['.', '--format', 'json'], { cwd: kept, timeoutMs: 120_000 });
      expect(r.killed).toBe(false);
      expect([0, 1]).toContain(r.code);
      expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
      const found = (JSON.parse(r.stdout) as { findings: { ruleId: string; file: string }[] }).findings;
      expect(found.filter((f) => f.ruleId === 'internal-error')).toEqual([]);
      expect(found.some((f) => f.file === HEALTHY_NAME && f.ruleId === 'single-replica')).toBe(true);
    },
    TIMEOUT,
  );
});

// --- planted secrets ---

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const chars = (set: string, min: number, max = min): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...set), { minLength: min, maxLength: max }).map((a) => a.join(''));

/** A secret as a detector (or a person) would recognise it: [what is planted, the part that must never be printed]. */
const SECRET: fc.Arbitrary<{ text: string; secret: string }> = fc.oneof(
  chars(UPPER, 16).map((s) => ({ text: `AKIA${s}`, secret: `AKIA${s}` })),
  chars(ALNUM, 36).map((s) => ({ text: `ghp_${s}`, secret: `ghp_${s}` })),
  chars(ALNUM, 24).map((s) => ({ text: `xoxb-${s}`, secret: `xoxb-${s}` })),
  chars(ALNUM, 24).map((s) => ({ text: `sk_live_${s}`, secret: `sk_live_${s}` })),
  chars(ALNUM, 40).map((s) => ({ text: `-----BEGIN PRIVATE KEY-----\\n${s}\\n-----END PRIVATE KEY-----`, secret: s })),
  chars(ALNUM, 40).map((s) => ({ text: `{"type": "service_account", "private_key": "${s}"}`, secret: s })),
  fc
    .tuple(chars(ALNUM, 12), chars(ALNUM, 12), chars(ALNUM, 12))
    .map(([a, b, c]) => ({ text: `eyJ${a}.eyJ${b}.${c}`, secret: `eyJ${a}.eyJ${b}.${c}` })),
  chars(ALNUM, 16, 24).map((s) => ({ text: `postgres://app:${s}@db:5432/app`, secret: s })),
  chars(ALNUM, 12, 24).map((s) => ({ text: `Pw${s}`, secret: `Pw${s}` })),
);

/** Where a value can sit; each returns the files of one run. `v` is the planted text, already safe inside double quotes. */
const PLACES: Record<string, (v: string, plain: string) => Record<string, string>> = {
  envValue: (v) => ({ 'p.yaml': pod(`    env:\n    - name: DB_PASSWORD\n      value: "${v}"\n`) }),
  brokenAround: (v) => ({ 'p.yaml': pod(`    env:\n    - name: API_TOKEN\n      value: "${v}\n    - [\n`) }),
  alias: (_v, p) => ({ 'p.yaml': pod(`    env:\n    - name: DB_PASSWORD\n      value: *${p}\n`) }),
  tag: (_v, p) => ({ 'p.yaml': pod(`    env:\n    - name: API_TOKEN\n      value: !${p} x\n`) }),
  schemaArgs: (v) => ({ 'p.yaml': pod(`    args: "--password=${v}"\n`) }),
  schemaPort: (v) => ({ 'p.yaml': pod(`    ports:\n    - containerPort: "${v}"\n`) }),
  schemaEnum: (v) => ({ 'p.yaml': pod(`    imagePullPolicy: "${v}"\n`) }),
  flag: (_v, p) => ({ 'p.yaml': pod(`    command: ["dockerd", "--host=tcp://admin:${p}@0.0.0.0:2375"]\n`) }),
  swarmEnum: (v) => ({
    's.yml': `services:\n  web:\n    image: nginx:1.27\n    deploy:\n      mode: "${v}"\n      restart_policy: {condition: "${v}"}\n`,
  }),
  swarmDuration: (v) => ({
    's.yml': `services:\n  web:\n    image: nginx:1.27\n    healthcheck: {test: [CMD, "true"], interval: "${v}"}\n    stop_grace_period: "${v}"\n`,
  }),
  swarmCommand: (_v, p) => ({
    's.yml': `services:\n  web:\n    image: docker:27-dind\n    command: "dockerd --host tcp://admin:${p}@0.0.0.0:2375"\n`,
  }),
  suppression: (_v, p) => ({ 'p.yaml': `# shipshape-ignore-file ${p} -- r\n${pod('')}` }),
  crdEnum: (v) => ({
    'c.yaml': `${CRD}---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {level: "${v}", size: "${v}"}\n`,
  }),
};

const pod = (container: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: registry.example/c:1.0.0\n${container}`;
const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, properties: {level: {type: string, enum: [low, high]}, size: {type: integer}}}
`;

describe('fuzz: planted secrets', () => {
  it(
    `${RUNS} seeded cases: no output, warning or error line contains an 8-character piece of a planted secret`,
    async () => {
      const dir = fresh();
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...Object.keys(PLACES)), SECRET, async (place, { text, secret }) => {
          // A plain token (an alias name, a tag, an id) cannot hold every character: its letters and digits are planted.
          const plain = secret.replace(/[^A-Za-z0-9]/g, '');
          const files = PLACES[place]!(text.replace(/"/g, '\\"'), plain);
          for (const f of readdirSync(dir)) rmSync(path.join(dir, f), { force: true });
          for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
          const result = await lintIn(dir, ['.']);
          // Not vacuous: each place is a mistake that is reported.
          expect(
            result.findings.filter((f) => f.file in files && f.ruleId !== 'internal-error').length,
            place,
          ).toBeGreaterThan(0);
          const reported = result.findings.filter((f) => !f.suppressed);
          const view = {
            reported,
            all: countFindings(result.findings),
            files: result.files,
            resources: result.resources,
            scope: 'all' as const,
            sarifFile: 'shipshape.sarif',
            links: { run: 'https://github.invalid/run/1', blobBase: 'https://github.invalid/blob/abc' },
            ruleDocs: new Map<string, string>(),
          };
          const plan = planAnnotations(reported, { error: 1000, warning: 1000, notice: 1000 });
          // Every output: text, JSON, SARIF, warnings, and the Action's annotations, job summary and pull request comment.
          const out = [
            formatText(result, { color: false }),
            formatJson(result),
            formatSarif(result),
            ...result.warnings,
            JSON.stringify(plan),
            (() => {
              const summary = formatSummary(view, plan.omitted);
              return `${summary.markdown}\n${formatComment(view, { listed: summary.shown })}`;
            })(),
          ].join('\n');
          const pieces = [
            ...leakedPieces(out, secret),
            ...(['alias', 'tag', 'suppression', 'flag', 'swarmCommand'].includes(place)
              ? leakedPieces(out, plain)
              : []),
          ];
          expect(pieces, `${place}: ${out.slice(0, 2000)}`).toEqual([]);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});
