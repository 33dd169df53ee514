import { defineWorkloadRule } from '../../engine/rule.js';
import { closest } from '../../model/suggest.js';
import { isObject } from '../../model/json.js';
import type { KubernetesWorkload, Path } from '../../model/types.js';

type RefKind = 'ConfigMap' | 'Secret' | 'ServiceAccount';

interface Ref {
  kind: RefKind;
  name: string;
  path: Path;
  container?: string;
}

/** Every ConfigMap, Secret and ServiceAccount a pod names, with the path of the name; optional references left out. */
function references(w: KubernetesWorkload): Ref[] {
  const spec = w.podSpec;
  if (!spec) return [];
  const out: Ref[] = [];
  const add = (kind: RefKind, holder: unknown, key: string, path: Path, container?: string): void => {
    if (!isObject(holder) || typeof holder[key] !== 'string' || holder.optional === true) return;
    out.push({ kind, name: holder[key] as string, path: [...path, key], ...(container ? { container } : {}) });
  };
  for (const field of ['containers', 'initContainers', 'ephemeralContainers']) {
    const list = spec[field];
    (Array.isArray(list) ? list : []).forEach((c, i) => {
      if (!isObject(c)) return;
      const at: Path = [...w.podSpecPath, field, i];
      const name = typeof c.name === 'string' ? c.name : undefined;
      (Array.isArray(c.env) ? c.env : []).forEach((e, j) => {
        const from = isObject(e) && isObject(e.valueFrom) ? e.valueFrom : undefined;
        add('ConfigMap', from?.configMapKeyRef, 'name', [...at, 'env', j, 'valueFrom', 'configMapKeyRef'], name);
        add('Secret', from?.secretKeyRef, 'name', [...at, 'env', j, 'valueFrom', 'secretKeyRef'], name);
      });
      (Array.isArray(c.envFrom) ? c.envFrom : []).forEach((e, j) => {
        if (!isObject(e)) return;
        add('ConfigMap', e.configMapRef, 'name', [...at, 'envFrom', j, 'configMapRef'], name);
        add('Secret', e.secretRef, 'name', [...at, 'envFrom', j, 'secretRef'], name);
      });
    });
  }
  (Array.isArray(spec.volumes) ? spec.volumes : []).forEach((v, i) => {
    if (!isObject(v)) return;
    const at: Path = [...w.podSpecPath, 'volumes', i];
    add('ConfigMap', v.configMap, 'name', [...at, 'configMap']);
    add('Secret', v.secret, 'secretName', [...at, 'secret']);
    const sources = isObject(v.projected) && Array.isArray(v.projected.sources) ? v.projected.sources : [];
    sources.forEach((s: unknown, j: number) => {
      if (!isObject(s)) return;
      add('ConfigMap', s.configMap, 'name', [...at, 'projected', 'sources', j, 'configMap']);
      add('Secret', s.secret, 'name', [...at, 'projected', 'sources', j, 'secret']);
    });
  });
  for (const key of ['serviceAccountName', 'serviceAccount'])
    if (typeof spec[key] === 'string' && spec[key] !== 'default') {
      out.push({ kind: 'ServiceAccount', name: spec[key] as string, path: [...w.podSpecPath, key] });
      break;
    }
  return out;
}

export default defineWorkloadRule<Record<string, never>, undefined>({
  id: 'reference-unknown',
  meta: {
    severity: 'warning',
    family: 'reliability',
    description:
      'A pod names a ConfigMap, Secret or ServiceAccount that its unit does not define, while the unit defines others of that kind in the namespace.',
    rationale:
      'A pod that names a ConfigMap or Secret that does not exist never starts (CreateContainerConfigError, or ContainerCreating for a volume), and a ServiceAccount that does not exist stops its ReplicaSet from creating any pod: the rollout hangs with the old pods serving. When the unit defines other objects of that kind, a missing one is usually a typo or a rename on one side.',
    remediation:
      'Fix the name (the message suggests the closest one), add the object to the unit, or mark an optional reference `optional: true`. Quiet when the unit defines none of that kind in the namespace, or when an operator of the namespace (cert-manager, External Secrets…) may create it.',
    tags: ['availability', 'references'],
    messages: {
      unknown: '{{subject}} names {{kind}} {{name}}, which its unit does not define',
      didYouMean: '{{subject}} names {{kind}} {{name}}, which its unit does not define: did you mean {{near}}?',
    },
  },
  applies: { platforms: ['kubernetes'], skip: ['kustomize-patch'] },
  kubernetes(w, ctx) {
    const refs = references(w);
    if (!refs.length) return;
    // Operators' custom resources (Certificates, ExternalSecrets, SealedSecrets…) create Secrets and ConfigMaps.
    const operators = ctx.index.customResourcesIn(w.namespace).length > 0;
    const known = new Map<RefKind, string[]>();
    for (const ref of refs) {
      if (ref.kind !== 'ServiceAccount' && operators) continue;
      let names = known.get(ref.kind);
      if (!names) known.set(ref.kind, (names = ctx.index.namesOf(ref.kind, w.namespace)));
      if (!names.length || names.includes(ref.name)) continue;
      if (ctx.index.run().objectsNamed(ref.kind, ref.name, w.namespace).length) continue;
      if (ctx.index.kustomizeGenerates(ref.kind, ref.name)) continue;
      const near = closest(ref.name, names);
      ctx.report({
        path: ref.path,
        ...(ref.container ? { container: ref.container } : {}),
        messageId: near ? 'didYouMean' : 'unknown',
        data: { kind: ref.kind, name: ref.name, ...(near ? { near } : {}) },
      });
    }
  },
});
