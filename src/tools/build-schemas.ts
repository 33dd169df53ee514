/**
 * Builds the schema bundles shipped in schemas/ (run by maintainers with `npm run schemas`, output committed):
 *
 * - schemas/kubernetes/<minor>.json.gz: a compact description of every built-in kind of one Kubernetes version,
 *   extracted from the official JavaScript client (@kubernetes/client-node), which is generated from the
 *   Kubernetes OpenAPI spec of that release: each model's fields and types (`attributeTypeMap`), required
 *   fields (the non-optional properties of its declaration) and the apiVersion/kind each create endpoint takes.
 *   The client drops two facts of the spec, added back here from KNOWN tables: which string fields are
 *   resource quantities (they also accept numbers), and the closed enums the API server enforces.
 * - schemas/compose-spec.json: the Compose Specification schema as shipped by the `dclint` devDependency, and
 *   schemas/compose-spec.validate.js, its ajv validator compiled ahead of time (compiling it takes longer than a run).
 *
 * Nothing is fetched at run time; this script downloads the pinned client versions with `npm pack`.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { BUNDLED_KUBE_VERSIONS, type CompactModel, type KubeBundle } from '../schema/kubernetes.js';
import { AJV_OPTIONS } from '../schema/validate.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Kubernetes minor → the @kubernetes/client-node release generated from its OpenAPI spec (one per BUNDLED_KUBE_VERSIONS). */
export const CLIENT_VERSIONS: Record<(typeof BUNDLED_KUBE_VERSIONS)[number], string> = {
  '1.32': '1.1.2',
  '1.33': '1.3.0',
  '1.34': '1.4.0',
  '1.36': '2.0.1',
};

/** Fields typed `resource.Quantity` in the OpenAPI spec (the client turns them into plain strings): model suffix → fields. */
const QUANTITY_FIELDS: Record<string, readonly string[]> = {
  ResourceRequirements: ['limits', 'requests'],
  VolumeResourceRequirements: ['limits', 'requests'],
  EmptyDirVolumeSource: ['sizeLimit'],
  ResourceFieldSelector: ['divisor'],
  LimitRangeItem: ['default', 'defaultRequest', 'max', 'maxLimitRequestRatio', 'min'],
  ResourceQuotaSpec: ['hard'],
  ResourceQuotaStatus: ['hard', 'used'],
  PersistentVolumeSpec: ['capacity'],
  PersistentVolumeClaimStatus: ['capacity', 'allocatedResources'],
  NodeStatus: ['allocatable', 'capacity'],
  ContainerStatus: ['allocatedResources'],
  PodStatus: ['allocatedResources'],
  PodSpec: ['overhead'],
  Overhead: ['podFixed'],
  MetricTarget: ['averageValue', 'value'],
  MetricValueStatus: ['averageValue', 'value'],
  HPAScalingRules: ['tolerance'],
  ContainerResourceMetricSource: ['targetAverageValue'],
  ContainerResourceMetricStatus: ['currentAverageValue'],
  ExternalMetricSource: ['targetAverageValue', 'targetValue'],
  ExternalMetricStatus: ['currentAverageValue', 'currentValue'],
  ObjectMetricSource: ['averageValue', 'targetValue'],
  ObjectMetricStatus: ['averageValue', 'currentValue'],
  PodsMetricSource: ['targetAverageValue'],
  PodsMetricStatus: ['currentAverageValue'],
  ResourceMetricSource: ['targetAverageValue'],
  ResourceMetricStatus: ['currentAverageValue'],
  CSIStorageCapacity: ['capacity', 'maximumVolumeSize'],
  CapacityRequestPolicy: ['default', 'validValues'],
  CapacityRequestPolicyRange: ['max', 'min', 'step'],
  CapacityRequirements: ['requests'],
  Counter: ['value'],
  DeviceCapacity: ['value'],
  DeviceRequestAllocationResult: ['consumedCapacity'],
  NodeAllocatableResourceMapping: ['allocationMultiplier'],
  NodeAllocatableResourceClaimStatus: ['resources'],
};

/**
 * Closed enums the API server enforces (the "Possible enum values" of the API reference,
 * https://kubernetes.io/docs/reference/kubernetes-api/): model suffix → field → values.
 */
const ENUMS: Record<string, Record<string, readonly string[]>> = {
  Container: {
    imagePullPolicy: ['Always', 'IfNotPresent', 'Never'],
    terminationMessagePolicy: ['File', 'FallbackToLogsOnError'],
  },
  EphemeralContainer: {
    imagePullPolicy: ['Always', 'IfNotPresent', 'Never'],
    terminationMessagePolicy: ['File', 'FallbackToLogsOnError'],
  },
  PodSpec: {
    restartPolicy: ['Always', 'OnFailure', 'Never'],
    dnsPolicy: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
    preemptionPolicy: ['PreemptLowerPriority', 'Never'],
  },
  ContainerPort: { protocol: ['TCP', 'UDP', 'SCTP'] },
  ServicePort: { protocol: ['TCP', 'UDP', 'SCTP'] },
  EndpointPort: { protocol: ['TCP', 'UDP', 'SCTP'] },
  NetworkPolicyPort: { protocol: ['TCP', 'UDP', 'SCTP'] },
  ServiceSpec: {
    type: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
    sessionAffinity: ['ClientIP', 'None'],
    externalTrafficPolicy: ['Cluster', 'Local'],
    internalTrafficPolicy: ['Cluster', 'Local'],
    ipFamilyPolicy: ['SingleStack', 'PreferDualStack', 'RequireDualStack'],
  },
  DeploymentStrategy: { type: ['Recreate', 'RollingUpdate'] },
  StatefulSetSpec: { podManagementPolicy: ['OrderedReady', 'Parallel'] },
  StatefulSetUpdateStrategy: { type: ['RollingUpdate', 'OnDelete'] },
  DaemonSetUpdateStrategy: { type: ['RollingUpdate', 'OnDelete'] },
  CronJobSpec: { concurrencyPolicy: ['Allow', 'Forbid', 'Replace'] },
  HTTPIngressPath: { pathType: ['Exact', 'Prefix', 'ImplementationSpecific'] },
  Toleration: { operator: ['Exists', 'Equal'], effect: ['NoSchedule', 'PreferNoSchedule', 'NoExecute', ''] },
  Taint: { effect: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
  LabelSelectorRequirement: { operator: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
  NodeSelectorRequirement: { operator: ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] },
  PersistentVolumeClaimSpec: { volumeMode: ['Filesystem', 'Block'] },
  PersistentVolumeSpec: {
    volumeMode: ['Filesystem', 'Block'],
    persistentVolumeReclaimPolicy: ['Retain', 'Delete', 'Recycle'],
  },
  PodDisruptionBudgetSpec: { unhealthyPodEvictionPolicy: ['IfHealthyBudget', 'AlwaysAllow'] },
  MetricSpec: { type: ['Object', 'Pods', 'Resource', 'ContainerResource', 'External'] },
  MetricTarget: { type: ['Utilization', 'Value', 'AverageValue'] },
  HPAScalingPolicy: { type: ['Pods', 'Percent'] },
  HPAScalingRules: { selectPolicy: ['Max', 'Min', 'Disabled'] },
  StorageClass: {
    reclaimPolicy: ['Retain', 'Delete', 'Recycle'],
    volumeBindingMode: ['Immediate', 'WaitForFirstConsumer'],
  },
};

/** Array fields whose items form a closed enum. */
const ITEM_ENUMS: Record<string, Record<string, readonly string[]>> = {
  PersistentVolumeClaimSpec: { accessModes: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'] },
  PersistentVolumeSpec: { accessModes: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'] },
  NetworkPolicySpec: { policyTypes: ['Ingress', 'Egress'] },
};

interface Attribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}

/** The model suffix after the group/version prefix: V1DeploymentSpec → DeploymentSpec, EventsV1Event → Event. */
function suffix(model: string): string {
  return model.replace(/^[A-Za-z]*?V\d+(?:alpha\d+|beta\d+)?(?=[A-Z])/, '');
}

function typeCode(type: string, format: string, models: ReadonlySet<string>, quantity: boolean): string {
  const arr = /^Array<(.+)>$/.exec(type);
  if (arr) return `[]${typeCode(arr[1]!, format, models, quantity)}`;
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return `{}${typeCode(map[1]!, format, models, quantity)}`;
  if (quantity && type === 'string') return 'quantity';
  switch (type) {
    case 'string':
      return format === 'byte' ? 'byte' : 'string';
    case 'Date':
    case 'V1MicroTime':
      return 'string';
    case 'number':
      return format === 'int32' || format === 'int64' ? 'integer' : 'number';
    case 'boolean':
      return 'boolean';
    case 'IntOrString':
      return 'int-or-string';
    case 'any':
    case 'object':
      return 'any';
    default:
      if (models.has(type)) return `@${type}`;
      throw new Error(`unknown client type ${type}`);
  }
}

function readAttributes(js: string, model: string): Attribute[] {
  const m = new RegExp(`${model}\\.attributeTypeMap = (\\[[\\s\\S]*?\\]);`).exec(js);
  if (!m) return [];
  return JSON.parse(m[1]!) as Attribute[];
}

function readOptional(dts: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const m of dts.matchAll(/^\s+'([^']+)'(\?)?: /gm)) out.set(m[1]!, m[2] === '?');
  return out;
}

/** Every apiVersion/kind that a collection create endpoint accepts, from the generated API classes. */
function readKinds(genDir: string, models: Map<string, Attribute[]>): Record<string, string> {
  const kinds: Record<string, string> = {};
  for (const file of readdirSync(path.join(genDir, 'apis')).filter((f) => f.endsWith('Api.js'))) {
    const js = readFileSync(path.join(genDir, 'apis', file), 'utf8');
    const blocks = js.split(/const localVarPath = /).slice(1);
    for (const block of blocks) {
      const p = /^'([^']+)'/.exec(block)?.[1];
      const body = /serialize\(body, "([A-Za-z0-9]+)"/.exec(block)?.[1];
      if (!p || !body || !/HttpMethod\.POST\)/.test(block)) continue;
      const gv =
        /^\/api\/(v1)\/(?:namespaces\/\{namespace\}\/)?[a-z]+$/.exec(p) ??
        /^\/apis\/([^/]+\/[^/]+)\/(?:namespaces\/\{namespace\}\/)?[a-z]+$/.exec(p);
      if (!gv) continue;
      const attrs = models.get(body);
      if (!attrs || !attrs.some((a) => a.baseName === 'kind') || !attrs.some((a) => a.baseName === 'apiVersion'))
        continue;
      kinds[`${gv[1]}/${suffix(body)}`] = body;
    }
  }
  return kinds;
}

export function buildKubeBundle(minor: string, clientVersion: string, genDir: string): KubeBundle {
  const modelsDir = path.join(genDir, 'models');
  const names = readdirSync(modelsDir)
    .filter((f) => f.endsWith('.js') && !['ObjectSerializer.js', 'all.js'].includes(f))
    .map((f) => f.slice(0, -3));
  const nameSet = new Set(names);
  const attributes = new Map<string, Attribute[]>();
  for (const n of names) attributes.set(n, readAttributes(readFileSync(path.join(modelsDir, `${n}.js`), 'utf8'), n));
  const kinds = readKinds(genDir, attributes);

  const all: Record<string, CompactModel> = {};
  for (const n of names) {
    const attrs = attributes.get(n) ?? [];
    const optional = readOptional(readFileSync(path.join(modelsDir, `${n}.d.ts`), 'utf8'));
    const sfx = suffix(n);
    const quantities = new Set(QUANTITY_FIELDS[sfx] ?? []);
    const model: CompactModel = { p: {} };
    const required: string[] = [];
    for (const a of attrs) {
      model.p[a.baseName] = typeCode(a.type, a.format, nameSet, quantities.has(a.baseName));
      if (optional.get(a.name) === false) required.push(a.baseName);
    }
    if (required.length) model.r = required;
    const enums: Record<string, readonly string[]> = {};
    for (const [field, values] of Object.entries(ENUMS[sfx] ?? {}))
      if (model.p[field] === 'string') enums[field] = values;
    for (const [field, values] of Object.entries(ITEM_ENUMS[sfx] ?? {}))
      if (model.p[field] === '[]string') enums[field] = values;
    if (Object.keys(enums).length) model.e = enums;
    all[n] = model;
  }

  // Keep only the models reachable from a kind.
  const keep = new Set<string>();
  const visit = (n: string): void => {
    if (keep.has(n)) return;
    keep.add(n);
    for (const t of Object.values(all[n]?.p ?? {})) {
      const ref = /@(\w+)$/.exec(t)?.[1];
      if (ref) visit(ref);
    }
  };
  for (const m of Object.values(kinds)) visit(m);
  const models: Record<string, CompactModel> = {};
  for (const n of [...keep].sort()) models[n] = all[n]!;
  const sortedKinds: Record<string, string> = {};
  for (const k of Object.keys(kinds).sort()) sortedKinds[k] = kinds[k]!;
  return { kubernetes: minor, source: `@kubernetes/client-node@${clientVersion}`, kinds: sortedKinds, models };
}

async function main(): Promise<void> {
  const outDir = path.join(ROOT, 'schemas/kubernetes');
  mkdirSync(outDir, { recursive: true });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'shipshape-schemas-'));
  try {
    for (const [minor, version] of Object.entries(CLIENT_VERSIONS)) {
      const dir = path.join(tmp, version);
      mkdirSync(dir);
      execFileSync('npm', ['pack', `@kubernetes/client-node@${version}`, '--pack-destination', dir], {
        stdio: 'ignore',
      });
      const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
      execFileSync('tar', ['xzf', tgz, 'package/dist/gen'], { cwd: dir });
      const bundle = buildKubeBundle(minor, version, path.join(dir, 'package/dist/gen'));
      const file = path.join(outDir, `${minor}.json.gz`);
      writeFileSync(file, gzipSync(JSON.stringify(bundle), { level: 9 }));
      process.stdout.write(
        `${path.relative(ROOT, file)}: ${Object.keys(bundle.kinds).length} kinds, ${Object.keys(bundle.models).length} models\n`,
      );
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const dclint = path.join(ROOT, 'node_modules/dclint');
  const version = (JSON.parse(readFileSync(path.join(dclint, 'package.json'), 'utf8')) as { version: string }).version;
  const composeFile = path.join(ROOT, 'schemas/compose-spec.json');
  copyFileSync(path.join(dclint, 'schemas/compose.schema.json'), composeFile);
  writeFileSync(
    path.join(ROOT, 'schemas/compose-spec.validate.js'),
    await composeValidator(composeFile, `dclint@${version}`),
  );
  process.stdout.write(`schemas/compose-spec.json, schemas/compose-spec.validate.js: from dclint@${version}\n`);
}

/** The Compose Specification compiled to an ES module with ajv standalone (same options as at run time), minified. */
async function composeValidator(file: string, source: string): Promise<string> {
  const require = createRequire(import.meta.url);
  const { default: Ajv } = require('ajv') as { default: new (o: object) => import('ajv').Ajv };
  const { default: standaloneCode } = require('ajv/dist/standalone') as {
    default: (ajv: import('ajv').Ajv, fn: import('ajv').ValidateFunction) => string;
  };
  const { transformSync } = (await import('esbuild')) as typeof import('esbuild');
  const { $schema: _unused, ...schema } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: true } });
  const code = standaloneCode(ajv, ajv.compile(schema));
  // Self-contained (the GitHub Action runs without node_modules): ajv's one runtime helper, deep equality for
  // uniqueItems and enum, is written out here.
  const header = [
    `// Generated by src/tools/build-schemas.ts (npm run schemas) from compose-spec.json (${source}). Do not edit.`,
    'const equal = (a, b) => {',
    '  if (a === b) return true;',
    "  if (!a || !b || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) return a !== a && b !== b;",
    '  const ka = Object.keys(a);',
    '  return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && equal(a[k], b[k]));',
    '};',
  ].join('\n');
  const body = code.replace(/^"use strict";/, '').replace(/require\("ajv\/dist\/runtime\/equal"\)\.default/g, 'equal');
  if (/require\(/.test(body))
    throw new Error('the compiled Compose validator needs another ajv runtime helper: inline it too');
  return `${header}\n${transformSync(body, { minify: true, format: 'esm' }).code}`;
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) await main();
