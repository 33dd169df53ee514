import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lint } from '../src/index.js';
import { formatText } from '../src/report/text.js';
import { rules } from '../src/rules/index.js';
import { exampleOutputs, generatedFiles, isStackText } from '../src/tools/generate.js';
import { isMarker } from '../src/tools/expectations.js';
import { expectationsIn, fixtureCases, ROOT } from './helpers/fixtures.js';

/**
 * Every rule is documented, tested and honest about its platforms:
 * - a should-fire and a dont-fire fixture case (pseudo-rules reported by the loader or the engine may be exempt,
 *   each with the reason below);
 * - a rule that claims Docker Swarm has a stack file (top-level `services:`) among both its should-fire and its
 *   dont-fire cases, not only Kubernetes manifests;
 * - docs/rules/<id>.md and every other generated file equal what `npm run generate` writes now.
 */
const NO_FIXTURE_REASON: Record<string, string> = {
  'internal-error':
    'reported only when a rule throws on a resource (a bug in shipshape): no valid or invalid input is meant to trigger it',
  'render-failed':
    'needs --render (or render: auto in the config) and kubectl/helm on PATH, which the fixture runner does not use',
  'render-skipped':
    'needs --render (or render: auto in the config) and a missing kubectl/helm, which the fixture runner does not use',
  'suppression-reason-missing':
    'off unless the strict preset is configured; the fixture runner uses the default preset',
};

const cases = fixtureCases();

function filesOf(target: string): string[] {
  if (!statSync(target).isDirectory()) return [target];
  return readdirSync(target, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

function hasStack(rule: string, intent: 'should-fire' | 'dont-fire'): boolean {
  return cases
    .filter((c) => c.rule === rule && c.intent === intent)
    .some((c) => filesOf(c.target).some((f) => isStackText(readFileSync(f, 'utf8'))));
}

let generated: Map<string, string>;
beforeAll(async () => {
  generated = await generatedFiles();
});

describe('rule documentation and fixtures', () => {
  it.each(rules.map((r) => [r.id, r] as const))(
    '%s has fixtures, a current doc, and Swarm fixtures if it claims Swarm',
    (id, rule) => {
      const exempt = NO_FIXTURE_REASON[id];
      if (exempt) {
        expect(rule.target, `${id} is exempt from fixtures, which only pseudo-rules (target 'load') may be`).toBe(
          'load',
        );
      } else {
        for (const intent of ['should-fire', 'dont-fire'] as const) {
          expect(
            cases.some((c) => c.rule === id && c.intent === intent),
            `test/fixtures/${id}/${intent}/ has no case`,
          ).toBe(true);
        }
        if (rule.meta.platforms.includes('swarm')) {
          for (const intent of ['should-fire', 'dont-fire'] as const) {
            expect(
              hasStack(id, intent),
              `${id} claims swarm, but test/fixtures/${id}/${intent}/ has no stack file (top-level services:)`,
            ).toBe(true);
          }
        }
      }
      const doc = `docs/rules/${id}.md`;
      expect(existsSync(path.join(ROOT, doc)), `${doc} is missing: run npm run build && npm run generate`).toBe(true);
      expect(readFileSync(path.join(ROOT, doc), 'utf8'), `${doc} is stale: run npm run build && npm run generate`).toBe(
        generated.get(doc),
      );
    },
  );

  it('exempts only registered rules', () => {
    const ids = new Set(rules.map((r) => r.id));
    expect(Object.keys(NO_FIXTURE_REASON).filter((id) => !ids.has(id))).toEqual([]);
  });

  it('every generated file (index, presets, config schema) is current, and no doc is left for a removed rule', () => {
    for (const [rel, content] of generated) {
      expect(existsSync(path.join(ROOT, rel)), `${rel} is missing: run npm run build && npm run generate`).toBe(true);
      expect(readFileSync(path.join(ROOT, rel), 'utf8'), `${rel} is stale: run npm run build && npm run generate`).toBe(
        content,
      );
    }
    const orphans = readdirSync(path.join(ROOT, 'docs/rules')).filter(
      (f) => f.endsWith('.md') && !generated.has(`docs/rules/${f}`),
    );
    expect(orphans, 'docs/rules/ has pages for rules that no longer exist').toEqual([]);
  });

  it('every fixture folder names a registered rule', () => {
    const ids = new Set(rules.map((r) => r.id));
    const folders = readdirSync(path.join(ROOT, 'test/fixtures')).filter(
      (f) =>
        existsSync(path.join(ROOT, 'test/fixtures', f, 'should-fire')) ||
        existsSync(path.join(ROOT, 'test/fixtures', f, 'dont-fire')),
    );
    expect(folders.filter((f) => !ids.has(f))).toEqual([]);
  });
});

describe('rule pages show the real output of their reported examples', () => {
  it('no page shows an expectation marker', () => {
    for (const [rel, content] of generated)
      if (rel.startsWith('docs/rules/')) expect(content.split('\n').filter(isMarker), rel).toEqual([]);
  });

  it("each output lists its example's expected findings, at their lines once the markers are removed", async () => {
    const outputs = await exampleOutputs();
    expect(outputs.size).toBeGreaterThan(rules.length - Object.keys(NO_FIXTURE_REASON).length - 1);
    for (const [rel, output] of outputs) {
      const rule = rel.split('/')[2]!;
      const lines = readFileSync(path.join(ROOT, rel), 'utf8').split('\n');
      // A marker line removed above a line moves it up by one.
      const shift = (line: number): number => line - lines.slice(0, line - 1).filter(isMarker).length;
      const expected = expectationsIn(path.join(ROOT, rel))
        .filter((e) => e.ruleId === rule && e.file === rel)
        .map((e) => `${shift(e.line)}:${e.column}`);
      const shown = [...output.matchAll(/^ {2}(\d+:\d+) +(?:error|warning|note) .* ([a-z0-9-]+)$/gm)]
        .filter((m) => m[2] === rule)
        .map((m) => m[1]!);
      const fileBlock = output.split('\n\n').find((b) => b.startsWith(`${rel}\n`)) ?? '';
      const inFile = [...fileBlock.matchAll(/^ {2}(\d+:\d+) /gm)].map((m) => m[1]!);
      expect(shown.length, rel).toBeGreaterThan(0);
      expect(inFile.sort(), rel).toEqual(expected.sort());
      expect(generated.get(`docs/rules/${rule}.md`), rel).toContain(output.trimEnd());
    }
  });
});

describe('README and docs/', () => {
  const pages = [
    'README.md',
    ...readdirSync(path.join(ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
    ...readdirSync(path.join(ROOT, 'docs/rules')).map((f) => `docs/rules/${f}`),
  ];

  it('the README stays a short page (details live in docs/)', () => {
    expect(readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n').length).toBeLessThanOrEqual(150);
  });

  it('every relative link of the README and docs/ leads to a file that exists', () => {
    const broken: string[] = [];
    let links = 0;
    for (const page of pages) {
      const text = readFileSync(path.join(ROOT, page), 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!.split('#')[0]!;
        if (!target || /^[a-z]+:/.test(target)) continue;
        links++;
        if (!existsSync(path.join(ROOT, path.dirname(page), target))) broken.push(`${page} → ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
    expect(links).toBeGreaterThan(100);
  });

  it("the README's sample output is what shipshape prints for it", async () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const m = /In a terminal (\d+) columns wide, `npx shipshape ([^`]+)` prints:\n\n```text\n([\s\S]*?)```/.exec(
      readme,
    );
    expect(m).not.toBeNull();
    const result = await lint({ paths: [m![2]!], cwd: ROOT });
    expect(m![3]).toBe(formatText(result, { color: false, width: Number(m![1]) }));
  });
});
