import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { validateXML } from 'xmllint-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/fixtures.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp.js';

/**
 * Every machine format, checked as its consumer reads it: JUnit and Checkstyle XML against an XSD by libxml2
 * (xmllint-wasm: the validator of xmllint, compiled to WebAssembly), GitLab Code Quality JSON against a JSON Schema by
 * ajv, compact against the line shape editors and `reviewdog -efm` parse; each finding's position is the one the JSON
 * report gives, in every format. The input has a file name that is hostile to XML and a message with quotes.
 */
const SCHEMAS = path.join(ROOT, 'test/helpers/schemas');
// Errors, warnings and notes, and a file name with every character XML escapes.
const HOSTILE = `odd <name> & "quotes" 'too'.yaml`;
let dir: string;

interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fingerprint: string;
}

let json: JsonFinding[];

beforeAll(async () => {
  dir = tempDir('shipshape-formats-');
  mkdirSync(path.join(dir, 'deploy'));
  writeFileSync(
    path.join(dir, 'deploy', HOSTILE),
    readFileSync(path.join(ROOT, 'test/fixtures/secret-in-env/should-fire/literals.yaml')),
  );
  writeFileSync(
    path.join(dir, 'deploy/hpa.yaml'),
    readFileSync(path.join(ROOT, 'test/fixtures/hpa-min-replicas/should-fire/hpa-versions.yaml')),
  );
  const r = await runCli(['deploy', '--format', 'json'], { cwd: dir });
  json = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
  expect(new Set(json.map((f) => f.severity))).toEqual(new Set(['error', 'warning', 'note']));
  expect(new Set(json.map((f) => f.file))).toEqual(new Set([`deploy/${HOSTILE}`, 'deploy/hpa.yaml']));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function report(format: string, extra: string[] = []): Promise<string> {
  const r = await runCli(['deploy', '--format', format, ...extra], { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(1); // the secret-in-env errors fail the run, whatever the format
  return r.stdout;
}

async function xsdErrors(xml: string, xsd: string): Promise<string[]> {
  const res = await validateXML({
    xml: [{ fileName: 'report.xml', contents: xml }],
    schema: [{ fileName: xsd, contents: readFileSync(path.join(SCHEMAS, xsd), 'utf8') }],
  });
  return res.errors.map((e) => e.rawMessage);
}

function unescapeXml(s: string): string {
  return s.replace(
    /&(lt|gt|quot|apos|amp|#10|#13|#9);/g,
    (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&', '#10': '\n', '#13': '\r', '#9': '\t' })[e]!,
  );
}

function attrs(tag: string): Record<string, string> {
  return Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1]!, unescapeXml(m[2]!)]));
}

describe('the validators', () => {
  it('reject what their consumers would (so a pass means something)', async () => {
    expect(
      await xsdErrors(
        '<checkstyle version="4.3"><file name="a"><error line="1" severity="note" message="m" source="s"/></file></checkstyle>',
        'checkstyle.xsd',
      ),
    ).not.toEqual([]);
    expect(
      await xsdErrors(
        '<testsuites><testsuite name="a" tests="one"><testcase name="x"/></testsuite></testsuites>',
        'junit.xsd',
      ),
    ).not.toEqual([]);
    const validate = new Ajv.default({ strict: false }).compile(
      JSON.parse(readFileSync(path.join(SCHEMAS, 'gitlab-codequality.schema.json'), 'utf8')),
    );
    expect(
      validate([
        {
          description: 'd',
          check_name: 'c',
          fingerprint: 'f',
          severity: 'warning',
          location: { path: 'a', lines: { begin: 1 } },
        },
      ]),
    ).toBe(false);
  });
});

describe('compact', () => {
  it('one `path:line:col: severity: message [rule-id]` line per finding, as reviewdog -efm reads it', async () => {
    const out = await report('compact');
    const lines = out.trimEnd().split('\n');
    // reviewdog -efm="%f:%l:%c: %t%*[^:]: %m": file up to the first `:<digits>:<digits>: `.
    const parsed = lines.map((l) => {
      const m = /^(.+?):(\d+):(\d+): (error|warning|note): (.*) \[([a-z0-9-]+)\]$/.exec(l);
      expect(m, l).not.toBeNull();
      return {
        file: m![1],
        line: Number(m![2]),
        column: Number(m![3]),
        severity: m![4],
        message: m![5],
        ruleId: m![6],
      };
    });
    expect(parsed).toEqual(
      json.map((f) => ({
        file: f.file,
        line: f.line,
        column: f.column,
        severity: f.severity,
        message: f.message,
        ruleId: f.ruleId,
      })),
    );
  });
});

describe('checkstyle', () => {
  it('validates against the Checkstyle XSD, one <error> per finding at its line and column', async () => {
    const out = await report('checkstyle');
    expect(await xsdErrors(out, 'checkstyle.xsd')).toEqual([]);
    const got: object[] = [];
    for (const file of out.matchAll(/<file name="([^"]*)">([\s\S]*?)<\/file>/g)) {
      for (const e of file[2]!.matchAll(/<error [^>]*\/>/g)) {
        const a = attrs(e[0]);
        got.push({
          file: unescapeXml(file[1]!),
          line: Number(a.line),
          column: Number(a.column),
          severity: a.severity,
          message: a.message,
          ruleId: a.source!.replace(/^shipshape\./, ''),
        });
      }
    }
    const level: Record<string, string> = { error: 'error', warning: 'warning', note: 'info' };
    expect(got).toEqual(
      json.map((f) => ({
        file: f.file,
        line: f.line,
        column: f.column,
        severity: level[f.severity],
        message: f.message,
        ruleId: f.ruleId,
      })),
    );
  });
});

describe('junit', () => {
  it('validates against the JUnit XSD: a test case per finding, a failure per error', async () => {
    const out = await report('junit');
    expect(await xsdErrors(out, 'junit.xsd')).toEqual([]);
    const cases = [...out.matchAll(/<testcase ([^>]*)>([\s\S]*?)<\/testcase>/g)].map((m) => ({
      ...attrs(m[1]!),
      failed: m[2]!.includes('<failure '),
    }));
    expect(cases).toEqual(
      json.map((f) => ({
        classname: f.file,
        file: f.file,
        name: `${f.ruleId} ${f.line}:${f.column}`,
        time: '0',
        failed: f.severity === 'error',
      })),
    );
    const root = attrs(/<testsuites [^>]*>/.exec(out)![0]);
    expect(root).toMatchObject({
      tests: String(json.length),
      failures: String(json.filter((f) => f.severity === 'error').length),
    });
  });

  it('a clean run is one passing test case, still valid', async () => {
    const r = await runCli([
      path.join(ROOT, 'examples/k8s/shop/frontend.yaml'),
      '--format',
      'junit',
      '--rule',
      'liveness-probe-missing=off',
    ]);
    expect(r.code).toBe(0);
    expect(await xsdErrors(r.stdout, 'junit.xsd')).toEqual([]);
    expect([...r.stdout.matchAll(/<testcase /g)]).toHaveLength(1);
    expect(r.stdout).not.toContain('<failure');
  });
});

describe('gitlab', () => {
  it("validates against the Code Quality schema, with unique fingerprints and each finding's range", async () => {
    const out = JSON.parse(await report('gitlab')) as {
      check_name: string;
      fingerprint: string;
      severity: string;
      location: {
        path: string;
        lines: { begin: number; end: number };
        positions: { begin: { line: number; column: number }; end: { line: number; column: number } };
      };
    }[];
    const validate = new Ajv.default({ allErrors: true, strict: false }).compile(
      JSON.parse(readFileSync(path.join(SCHEMAS, 'gitlab-codequality.schema.json'), 'utf8')),
    );
    expect(validate(out), JSON.stringify(validate.errors)).toBe(true);
    expect(new Set(out.map((i) => i.fingerprint)).size).toBe(out.length);
    const level: Record<string, string> = { error: 'major', warning: 'minor', note: 'info' };
    expect(out.map((i) => ({ check_name: i.check_name, severity: i.severity, location: i.location }))).toEqual(
      json.map((f) => ({
        check_name: f.ruleId,
        severity: level[f.severity],
        location: {
          path: f.file,
          lines: { begin: f.line, end: f.endLine },
          positions: { begin: { line: f.line, column: f.column }, end: { line: f.endLine, column: f.endColumn } },
        },
      })),
    );
  });
});

describe('suppressed findings', () => {
  it('are left out of compact, checkstyle, junit and gitlab alike', async () => {
    const sub = path.join(dir, 'suppressed');
    mkdirSync(sub);
    const text = readFileSync(path.join(ROOT, 'test/fixtures/hpa-min-replicas/should-fire/hpa-versions.yaml'), 'utf8');
    writeFileSync(
      path.join(sub, 'hpa.yaml'),
      `# shipshape-ignore-file hpa-min-replicas -- fixed-size staging\n${text}`,
    );
    writeFileSync(
      path.join(sub, 'api.yaml'),
      readFileSync(path.join(ROOT, 'test/fixtures/secret-in-env/should-fire/literals.yaml')),
    );
    for (const format of ['compact', 'checkstyle', 'junit', 'gitlab']) {
      const r = await runCli(['suppressed', '--format', format], { cwd: dir });
      expect(r.stdout, format).not.toContain('hpa-min-replicas');
      expect(r.stdout, format).toContain('secret-in-env');
    }
  });
});
