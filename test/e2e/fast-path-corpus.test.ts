import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareAll, filesUnder } from '../helpers/fast-path-compare.js';
import { requireShared } from './require.js';

const SHARED = requireShared();

describe('the fast path gives what the full yaml parse gives', () => {
  it('on every file of the corpus: same values, same ranges', () => {
    const t = compareAll(filesUnder(path.join(SHARED, 'corpus')));
    expect(t.mismatches).toEqual([]);
    // The one file `yaml` rejects and js-yaml reads: the closing line of a multi-line single-quoted scalar is indented
    // less than the scalar. PyYAML and kubectl's go-yaml read it too, so the fast path's reading is the one kept.
    expect(t.lenient.map((f) => path.relative(SHARED, f))).toEqual([
      'corpus/k8s/microservices-demo__microservices-demo/deploy/kubernetes/manifests-monitoring/23-grafana-import-dash-batch.yaml',
    ]);
    // Most real files take the fast path, and the event locator answers nearly every path in them.
    expect(t.fast).toBeGreaterThan(1400);
    expect(t.answered / (t.answered + t.declined)).toBeGreaterThan(0.9);
  }, 300_000);
});
