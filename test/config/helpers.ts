import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AnyRule } from '../../src/engine/rule.js';
import type { Finding } from '../../src/model/types.js';
import { rulesById } from '../../src/rules/index.js';
import { tempDir } from '../helpers/temp.js';

/** A throw-away repository: path → content, directories created as needed. */
export function project(files: Record<string, string>): string {
  const dir = tempDir('shipshape-config-');
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
  return dir;
}

/** Built-in rules by id: tests run a few, so that other rules cannot change their exact expectations. */
export function pick(...ids: string[]): AnyRule[] {
  return ids.map((id) => {
    const r = rulesById.get(id);
    if (!r) throw new Error(`no rule ${id}`);
    return r;
  });
}

/** `file line:col rule severity`, plus ` suppressed` / ` unchanged`, in report order. */
export function brief(findings: readonly Finding[]): string[] {
  return findings.map(
    (f) =>
      `${f.file} ${f.range.startLine}:${f.range.startColumn} ${f.ruleId} ${f.severity}${f.suppressed ? ' suppressed' : ''}${f.baselineState === 'unchanged' ? ' unchanged' : ''}`,
  );
}

/** A Deployment with one replica (single-replica fires at `spec:` on line 6, replicas being absent). */
export const ONE_REPLICA = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: registry.acme.io/api:1.4.2
`;

/** The message of the error a promise rejects with (the test fails when it resolves). */
export async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error');
}
