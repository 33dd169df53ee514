/**
 * The bundled Kubernetes schemas: schemas/kubernetes/<minor>.json.gz, built by src/tools/build-schemas.ts from the
 * OpenAPI-generated models of the official client, checked by src/schema/kube-validate.ts.
 */

/** Kubernetes minors whose schemas ship with shipshape, oldest first. */
export const BUNDLED_KUBE_VERSIONS = ['1.32', '1.33', '1.34', '1.36'] as const;
/** The newest bundled version: the one a cluster being set up or upgraded today runs. */
export const DEFAULT_KUBE_VERSION: string = BUNDLED_KUBE_VERSIONS[BUNDLED_KUBE_VERSIONS.length - 1]!;

/**
 * One model: `p` field → type code, `r` required fields, `e` closed enums (for a `[]string` field: of its items).
 * Type codes: string, byte (base64), integer, number, boolean, int-or-string, quantity, any,
 * `[]<code>` (array), `{}<code>` (map), `@<Model>` (another model).
 */
export interface CompactModel {
  p: Record<string, string>;
  r?: string[];
  e?: Record<string, readonly string[]>;
}

export interface KubeBundle {
  /** The Kubernetes minor these schemas describe. */
  kubernetes: string;
  /** Where they were extracted from. */
  source: string;
  /** `apiVersion/kind` (core group: `v1/Kind`) → model name. */
  kinds: Record<string, string>;
  models: Record<string, CompactModel>;
}

export type JsonSchema = Record<string, unknown>;

/** `1.31`, `v1.31`, `1.31.4` → [1, 31]; undefined when it is not a Kubernetes version. */
export function parseKubeVersion(v: string): [number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** The bundled schema set for a requested version: the same minor, else the closest older one, else the oldest. */
export function bundledVersionFor(requested: string): string {
  const want = parseKubeVersion(requested);
  if (!want) return DEFAULT_KUBE_VERSION;
  let pick: string = BUNDLED_KUBE_VERSIONS[0];
  for (const v of BUNDLED_KUBE_VERSIONS) if (compareKubeVersions(v, requested) <= 0) pick = v;
  return pick;
}

export function compareKubeVersions(a: string, b: string): number {
  const [am = 0, an = 0] = parseKubeVersion(a) ?? [];
  const [bm = 0, bn = 0] = parseKubeVersion(b) ?? [];
  return am - bm || an - bn;
}

/** The model of `apiVersion` + `kind`, when the bundle knows it. */
export function modelFor(bundle: KubeBundle, apiVersion: string, kind: string): string | undefined {
  return bundle.kinds[`${apiVersion}/${kind}`];
}
