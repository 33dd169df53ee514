import { selectorMatches, type Selector } from '../model/selector.js';
import type { Workload } from '../model/types.js';

/**
 * Label-pair buckets over the lists of a ResourceIndex, so that matching selectors against labels tests only the
 * candidates that share a `key=value` pair instead of every object of the namespace (which made pdb-missing,
 * readiness-probe-missing and pdb-selector-unmatched quadratic in the size of the input). Buckets are built on the
 * first lookup of a list and cached; the lists are complete once the index is built. Results keep list order.
 */

interface SelectorBuckets<T> {
  /** By the first matchLabels pair (key, then value): a selector can only match labels that hold that pair. */
  byPair: PairMap<T>;
  /** Selectors without matchLabels (expressions only, or empty): tested every time. */
  rest: T[];
  order: Map<T, number>;
}

const selectorCache = new WeakMap<readonly object[], SelectorBuckets<object>>();

/** The items of `list` whose selector matches `labels`, in list order: the same as `list.filter(selectorMatches)`. */
export function selectingMatches<T extends { selector: Selector }>(
  list: readonly T[],
  labels: Readonly<Record<string, string>>,
): T[] {
  let b = selectorCache.get(list) as SelectorBuckets<T> | undefined;
  if (!b) {
    b = { byPair: new Map(), rest: [], order: new Map() };
    list.forEach((item, i) => {
      b!.order.set(item, i);
      const first = Object.entries(item.selector.matchLabels)[0];
      if (first) pushTo(b!.byPair, first[0], first[1], item);
      else b!.rest.push(item);
    });
    selectorCache.set(list, b as SelectorBuckets<object>);
  }
  const out: T[] = [];
  for (const item of b.rest) if (selectorMatches(item.selector, labels)) out.push(item);
  for (const k in labels) {
    const bucket = b.byPair.get(k)?.get(labels[k]!);
    if (bucket) for (const item of bucket) if (selectorMatches(item.selector, labels)) out.push(item);
  }
  if (out.length > 1) out.sort((x, y) => b!.order.get(x)! - b!.order.get(y)!);
  return out;
}

const workloadCache = new WeakMap<readonly Workload[], PairMap<Workload>>();

/** The Kubernetes workloads of `list` whose pod labels `selector` matches, in list order. */
export function workloadsMatching(list: readonly Workload[], selector: Selector): Workload[] {
  const first = Object.entries(selector.matchLabels)[0];
  let candidates: readonly Workload[] = list;
  if (first) {
    let byPair = workloadCache.get(list);
    if (!byPair) {
      byPair = new Map();
      for (const w of list) for (const k in w.podLabels) pushTo(byPair, k, w.podLabels[k]!, w);
      workloadCache.set(list, byPair);
    }
    candidates = byPair.get(first[0])?.get(first[1]) ?? [];
  }
  return candidates.filter((w) => w.platform === 'kubernetes' && selectorMatches(selector, w.podLabels));
}

type PairMap<V> = Map<string, Map<string, V[]>>;

function pushTo<V>(map: PairMap<V>, key: string, value: string, item: V): void {
  let byValue = map.get(key);
  if (!byValue) map.set(key, (byValue = new Map()));
  const list = byValue.get(value);
  if (list) list.push(item);
  else byValue.set(value, [item]);
}
