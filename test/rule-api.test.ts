import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillMessage } from '../src/engine/run.js';
import { rules } from '../src/rules/index.js';
import { hpaView } from '../src/model/hpa.js';
import { subjectOf } from '../src/model/subject.js';
import { ROOT } from './helpers/fixtures.js';

const RULES_DIR = path.join(ROOT, 'src/rules');
const files = (p: string): string[] =>
  statSync(p).isDirectory()
    ? readdirSync(p)
        .sort()
        .flatMap((e) => files(path.join(p, e)))
    : [p];
const ruleFiles = files(RULES_DIR).filter((f) => f.endsWith('.ts'));

describe('rule API: scope is declared, messages are by id', () => {
  it('no rule file tests the platform itself: applies.platforms and one check per platform say it', () => {
    const offenders = ruleFiles.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${path.relative(ROOT, f)}:${i + 1}` }))
        .filter(({ line }) => /\.platform\s*[!=]==?|[!=]==?\s*'(kubernetes|swarm)'/.test(line))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
  });

  it('every rule declares its scope and messages, and every messageId a rule file reports is one of its messages', () => {
    for (const r of rules) {
      expect(r.applies.platforms.length, r.id).toBeGreaterThan(0);
      expect(r.meta.platforms, r.id).toEqual(r.applies.platforms);
      expect(Object.keys(r.meta.messages).length, `${r.id} has messages`).toBeGreaterThan(0);
    }
    const known = new Set(rules.flatMap((r) => Object.keys(r.meta.messages)));
    const used = ruleFiles.flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/messageId: '([A-Za-z]+)'/g)].map((m) => `${path.basename(f)} ${m[1]}`),
    );
    expect(used.length).toBeGreaterThan(40);
    expect(used.filter((u) => !known.has(u.split(' ')[1]!))).toEqual([]);
  });

  it('a template says what is wrong in about a line: no template is longer than 110 characters', () => {
    const long = rules.flatMap((r) =>
      Object.entries(r.meta.messages)
        .filter(([, t]) => t.length > 110)
        .map(([id, t]) => `${r.id}.${id}: ${t.length}`),
    );
    expect(long).toEqual([]);
  });

  it('fills placeholders with redacted, shortened input text; a missing placeholder is an error', () => {
    const rule = { id: 'x', meta: { messages: { m: '{{subject}}: {{name}} is {{n}}, {{long:20}}' } } } as never;
    const token = `ghp_${'a'.repeat(36)}`;
    const out = fillMessage(rule, 'm', { name: `KEY ${token}`, n: 3, long: 'x'.repeat(30) }, 'Deployment shop/api');
    expect(out).toBe(`Deployment shop/api: KEY [redacted] is 3, ${'x'.repeat(10)}…${'x'.repeat(9)}`);
    expect(() => fillMessage(rule, 'm', { name: 'a' }, 's')).toThrow(/no value for \{\{n\}\}/);
    expect(() => fillMessage(rule, 'nope', {}, 's')).toThrow(/has no message "nope"/);
  });

  it('one subject wording: kind namespace/name, the container when it is not named like its workload; service for Swarm', () => {
    const k8s = { resource: {}, platform: 'kubernetes', kind: 'Deployment', namespace: 'shop', name: 'api' } as never;
    expect(subjectOf(k8s, 'api')).toBe('Deployment shop/api');
    expect(subjectOf(k8s, 'proxy')).toBe('Deployment shop/api, container proxy');
    const swarm = { resource: {}, platform: 'swarm', kind: 'Service', name: 'web' } as never;
    expect(subjectOf(swarm, 'web')).toBe('service web');
  });
});

describe('one HPA view', () => {
  const hpa = (spec: Record<string, unknown>) =>
    ({ name: 'web', value: { spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, ...spec } } }) as never;

  it('minReplicas is 1 when absent (the API default), and says whether it was written', () => {
    expect(hpaView(hpa({ maxReplicas: 5 }))).toMatchObject({
      minReplicas: 1,
      minReplicasExplicit: false,
      maxReplicas: 5,
      target: { kind: 'Deployment', name: 'web' },
    });
    expect(hpaView(hpa({ minReplicas: 3 }))).toMatchObject({ minReplicas: 3, minReplicasExplicit: true });
  });

  it('a scaleTargetRef without a kind or a name targets nothing', () => {
    expect(hpaView({ name: 'x', value: { spec: { scaleTargetRef: { kind: 'Deployment' } } } } as never).target).toBe(
      undefined,
    );
  });
});
