import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { runRules } from '../../src/engine/run.js';
import { defineWorkloadRule } from '../../src/engine/rule.js';
import { rules } from '../../src/index.js';
import { load } from '../../src/load/index.js';
import { formatJson } from '../../src/report/json.js';
import { formatSarif } from '../../src/report/sarif.js';
import { formatText } from '../../src/report/text.js';
import { countFindings } from '../../src/report/types.js';
import { runCli } from '../helpers/run-cli.js';
import { lintIn, tempDir, writeTree } from './helpers.js';

/**
 * Secret hygiene: for every rule tagged `secrets`, distinctive values are planted where that rule looks, and none of
 * them may appear in any output: text, JSON, SARIF, the GitHub Action's annotations, job summary and PR comment, nor
 * stderr (with --debug too), nor the messages of load problems and internal errors.
 */

const b64 = (s: string): string => Buffer.from(s).toString('base64');

interface Plant {
  files: Record<string, string>;
  /** The values that must never be printed (and, for encoded ones, their encoding too). */
  values: string[];
  /** How many findings of the rule the plant makes, when that is exact (one per planted value). */
  found?: number;
}

/** One planter per secret-detecting rule. A rule tagged `secrets` without one fails the test below: add it here. */
const PLANTERS: Record<string, () => Plant> = {
  'secret-in-env': () => {
    const v = {
      byName: 'PLANTEDbyName7f3a9c',
      aws: 'AKIAPLANTED7F3A9C12X',
      github: 'ghp_PLANTEDplantedPLANTEDplanted7f3a9cxy',
      url: 'PLANTEDurlpw7f3a9c',
      jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJQTEFOVEVEIn0.PLANTEDsig7f3a9c',
      pem: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7PLANTEDpem7f3a9c',
      flag: 'PLANTEDflag7f3a9c',
      mysql: 'PLANTEDmysql7f3a9c',
      swarmMap: 'PLANTEDswarmMap7f3a9c',
      swarmList: 'PLANTEDswarmList7f3a9c',
      envFile: 'PLANTEDenvFile7f3a9c',
      swarmCmd: 'PLANTEDswarmCmd7f3a9c',
      healthcheck: 'PLANTEDhealthcheck7f3a9c',
      interpolationDefault: 'PLANTEDinterpDefault7f3a9c',
      scrapeUrl: 'PLANTEDscrapeUrl7f3a9c',
      configMap: 'PLANTEDconfigMap7f3a9c',
      configMapUrl: 'PLANTEDconfigMapUrl7f3a9c',
      argUrl: 'PLANTEDargUrl7f3a9c',
    };
    const k8s = `apiVersion: apps/v1
kind: Deployment
metadata: {name: leaky}
spec:
  selector: {matchLabels: {app: leaky}}
  template:
    metadata: {labels: {app: leaky}}
    spec:
      initContainers:
        - name: migrate
          image: registry.example/migrate:1
          command: [mysql, -p${v.mysql}, -e, "select 1"]
      containers:
        - name: leaky
          image: registry.example/leaky:1
          args: [--password=${v.flag}]
          env:
            - {name: DB_PASSWORD, value: ${v.byName}}
            - {name: UPSTREAM, value: ${v.aws}}
            - {name: GH, value: ${v.github}}
            - {name: DATABASE_URL, value: "postgres://app:${v.url}@db/app"}
            - {name: SESSION, value: ${v.jwt}}
            - name: TLS_KEY
              value: |
                -----BEGIN PRIVATE KEY-----
                ${v.pem}
                -----END PRIVATE KEY-----
---
apiVersion: v1
kind: ConfigMap
metadata: {name: db}
data: {POSTGRES_PASSWORD: ${v.configMap}, DB_URI: "postgresql://u:${v.configMapUrl}@db/accounts"}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: app
      image: registry.example/app:1
      envFrom: [{configMapRef: {name: db}}]
      args: ["--scrape-uri=http://admin:${v.argUrl}@proxy/stats"]
`;
    const stack = `version: "3.8"
services:
  api:
    image: registry.example/api:1
    command: serve --password ${v.swarmCmd}
    env_file: [./api.env]
    environment:
      DB_PASSWORD: ${v.swarmMap}
    healthcheck:
      test: ["CMD", "mysqladmin", "ping", "-p${v.healthcheck}"]
  worker:
    image: registry.example/worker:1
    environment:
      - API_TOKEN=${v.swarmList}
  grafana:
    image: grafana/grafana:11.2.0
    environment:
      - GF_SECURITY_ADMIN_PASSWORD=\${PASS:-${v.interpolationDefault}}
    command: -haproxy.scrape-uri="http://admin:${v.scrapeUrl}@proxy/stats;csv"
`;
    return {
      files: { 'k8s.yaml': k8s, 'stack.yml': stack, 'api.env': `SECRET_KEY=${v.envFile}\n` },
      values: Object.values(v),
      found: Object.keys(v).length,
    };
  },
  'secret-manifest-plaintext': () => {
    const data = 'PLANTEDdata7f3a9c';
    const stringData = 'PLANTEDstringData7f3a9c';
    const secret = `apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\ntype: Opaque\ndata:\n  password: ${b64(data)}\nstringData:\n  token: ${stringData}\n`;
    return { files: { 'secret.yaml': secret }, values: [data, b64(data), stringData] };
  },
  'secret-file-in-repo': () => {
    const content = 'PLANTEDsecretFile7f3a9c';
    const stack = `version: "3.8"\nservices:\n  db:\n    image: postgres:16\n    secrets: [db_password]\nsecrets:\n  db_password:\n    file: ./db_password.txt\n`;
    return { files: { 'db-stack.yml': stack, 'db_password.txt': `${content}\n` }, values: [content] };
  },
};

/** Secrets where other rules and the loader look: wrong types, duplicate keys, a broken block scalar header. */
function plantedInErrors(): Plant {
  const v = {
    wrongType: 'PLANTEDwrongType7f3a9c',
    notBase64: 'PLANTED not base64 7f3a9c!',
    dupFirst: 'PLANTEDdupFirst7f3a9c',
    dupSecond: 'PLANTEDdupSecond7f3a9c',
    header: 'PLANTEDheader7f3a9c',
  };
  return {
    files: {
      'wrong-type.yaml': `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      image: registry.example/c:1\n      env:\n        - {name: DB_PASSWORD, value: [${v.wrongType}]}\n`,
      'bad-data.yaml': `apiVersion: v1\nkind: Secret\nmetadata: {name: bad}\ndata:\n  password: "${v.notBase64}"\n`,
      'dup.json': `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"d"},"stringData":{"password":"${v.dupFirst}","password":"${v.dupSecond}"}}`,
      'header.yaml': `apiVersion: v1\nkind: Secret\nmetadata: {name: h}\nstringData:\n  password: |${v.header}\n    more\n`,
    },
    values: Object.values(v),
  };
}

const SECRET_RULES = rules.filter((r) => r.meta.tags?.includes('secrets')).map((r) => r.id);

function plantAll(): { dir: string; values: string[] } {
  const dir = tempDir();
  const values: string[] = [];
  for (const id of SECRET_RULES) {
    const p = PLANTERS[id]!();
    writeTree(dir, p.files);
    values.push(...p.values);
  }
  const e = plantedInErrors();
  writeTree(dir, e.files);
  values.push(...e.values);
  return { dir, values };
}

const leaks = (out: string, values: readonly string[]): string[] => values.filter((v) => out.includes(v));

describe('secret hygiene: planted values appear in no output', () => {
  it('every rule tagged "secrets" has a planter', () => {
    expect(SECRET_RULES.length).toBeGreaterThanOrEqual(3);
    expect(SECRET_RULES.filter((id) => !PLANTERS[id])).toEqual([]);
  });

  it.each(SECRET_RULES.map((id) => [id] as const))('%s finds what was planted for it', async (id) => {
    const p = PLANTERS[id]!();
    const dir = writeTree(tempDir(), p.files);
    const result = await lintIn(dir, ['.']);
    const found = result.findings.filter((f) => f.ruleId === id);
    if (p.found === undefined) expect(found.length).toBeGreaterThan(0);
    else expect(found.map((f) => `${f.file}:${f.range.startLine}`)).toHaveLength(p.found);
    const all = formatText(result) + formatJson(result) + formatSarif(result);
    expect(leaks(all, p.values)).toEqual([]);
  });

  it.each([['text'], ['json'], ['sarif']])('CLI --format %s, with --debug, stdout and stderr', async (format) => {
    const { dir, values } = plantAll();
    const r = await runCli(['.', '--format', format, '--debug', '--fail-on', 'none'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(1000);
    for (const id of SECRET_RULES) expect(r.stdout).toContain(id);
    expect(r.stdout).toContain('duplicate-key');
    expect(r.stdout).toContain('schema-invalid');
    expect(leaks(r.stdout + r.stderr, values)).toEqual([]);
  });

  it('GitHub Action: annotations, job summary and pull request comment', async () => {
    const { planAnnotations } = await import('../../src/action/annotations.js');
    const { formatSummary } = await import('../../src/action/summary.js');
    const { formatComment } = await import('../../src/action/comment.js');
    const { dir, values } = plantAll();
    const result = await lintIn(dir, ['.']);
    const reported = result.findings.filter((f) => !f.suppressed);
    const view = {
      reported,
      all: countFindings(result.findings),
      files: result.files,
      resources: result.resources,
      scope: 'all' as const,
      sarifFile: 'shipshape.sarif',
      links: {
        run: 'https://github.com/acme/gitops/actions/runs/1',
        blobBase: 'https://github.com/acme/gitops/blob/abc',
      },
      ruleDocs: new Map<string, string>(),
    };
    const plan = planAnnotations(reported, { error: 1000, warning: 1000, notice: 1000 });
    expect(plan.annotations.length).toBe(reported.length);
    const summary = formatSummary(view, plan.omitted).markdown;
    const printed = [JSON.stringify(plan), summary, formatComment(view, { listed: reported.length })].join('\n');
    for (const id of SECRET_RULES) expect(printed).toContain(id);
    expect(leaks(printed, values)).toEqual([]);
    // The markdown escapes must not hide a value from that search: the same text without them.
    expect(leaks(printed.replace(/<!-- -->/g, '').replace(/\\(.)/g, '$1'), values)).toEqual([]);
  });

  it('load problems and internal errors do not quote values', async () => {
    const { dir, values } = plantAll();
    const input = await load({ paths: ['.'], cwd: dir });
    expect(input.problems.map((p) => p.ruleId).sort()).toEqual(['duplicate-key', 'invalid-yaml']);
    expect(leaks(JSON.stringify(input.problems), values)).toEqual([]);
    // A rule that fails on a value (here: parsing it as JSON, whose error message quotes the start of the text).
    const fragile = defineWorkloadRule({
      id: 'fragile',
      meta: {
        severity: 'error',
        family: 'reliability',
        description: 'd',
        rationale: 'r',
        remediation: 'm',
        messages: {},
      },
      applies: { platforms: ['kubernetes'] },
      kubernetes(w) {
        for (const c of w.containers) for (const e of c.env) if (e.value) JSON.parse(e.value);
      },
    });
    const all = [...rules, fragile];
    const findings = runRules({
      resources: input.resources,
      problems: input.problems,
      rules: all,
      settings: defaultConfig(all).settings,
    });
    const internal = findings.filter((f) => f.ruleId === 'internal-error');
    expect(internal.length).toBeGreaterThan(0);
    expect(internal[0]!.message).toMatch(/^rule fragile failed on this resource and was skipped: SyntaxError: /);
    expect(leaks(JSON.stringify(findings), values)).toEqual([]);
    // What V8 would have said, for comparison: the value's start is in it.
    expect(() => JSON.parse('PLANTEDbyName7f3a9c')).toThrow(/PLANTED/);
    expect(readFileSync(path.join(dir, 'k8s.yaml'), 'utf8')).toContain('PLANTEDbyName7f3a9c');
  });
});
