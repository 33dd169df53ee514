/** A path inside a resource: map keys and sequence indexes, as in a JSON path. */
export type Path = readonly (string | number)[];

/** 1-based lines and columns; `endColumn` is exclusive (the column after the last character), as in SARIF. */
export interface Range {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export type Severity = 'error' | 'warning' | 'note';
export type Platform = 'kubernetes' | 'swarm';

/** Anything that can turn a path into a source range. */
export interface Locator {
  /** The range of the node at `path`, or of its closest existing ancestor. `exact` is false for the fallback. */
  locate(path: Path): Location;
}

/** Where a path is: its range, and the file when that is not the resource's own (a kustomize patch that sets the value). */
export interface Location {
  range: Range;
  exact: boolean;
  note?: string;
  file?: SourceFile;
}

export interface SourceFile {
  /** Path as shown to users: relative to the working directory, with forward slashes. */
  path: string;
  /** Absolute path on disk ('' for stdin). */
  absPath: string;
}

export type JsonObject = Record<string, unknown>;

/**
 * One object from the input: a Kubernetes object (a YAML document, or one item of a `kind: List`),
 * or a whole Swarm stack file (kind `Stack`), or an env file referenced by a stack (kind `EnvFile`).
 */
export interface Resource {
  /** Stable across runs: `file#doc[/items/i]`. */
  readonly key: string;
  readonly file: SourceFile;
  readonly docIndex: number;
  readonly platform: Platform;
  readonly apiVersion: string | undefined;
  readonly kind: string;
  readonly name: string | undefined;
  readonly namespace: string | undefined;
  /** The parsed value, plain JSON. Rules must not mutate it. */
  readonly value: JsonObject;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** Source positions for paths relative to `value`. */
  readonly locator: Locator;
  /** Set for objects read from a live cluster (the kubeconfig context): `file.path` is then `kind/namespace/name`. */
  readonly cluster?: string;
  /** Stack only: each `env_file` entry as written, and what the loader found there. */
  readonly envFiles?: ReadonlyMap<string, EnvFileRef>;
  /** Stack only: each top-level `secrets.*.file` as written, and whether the loader found that file in the repository. */
  readonly secretFiles?: ReadonlyMap<string, 'present' | 'missing'>;
}

/** An env file named by a stack: the EnvFile resource read from it, or why it could not be read. */
export interface EnvFileRef {
  resource?: Resource;
  /** Why it was not read: `missing` (docker stack deploy fails), `outside` the repository, or `unreadable`. */
  problem?: { kind: 'missing' | 'outside' | 'unreadable' | 'interpolated'; message: string };
}

/** A Swarm (Compose) healthcheck, durations in seconds, Compose defaults applied where absent. */
export interface Healthcheck {
  path: Path;
  /** Defaults: interval 30s, timeout 30s, retries 3, start_period 0s, start_interval 5s. */
  interval: number;
  timeout: number;
  retries: number;
  startPeriod: number;
  startInterval: number;
  /** `disable: true`, or a test of `["NONE"]`. */
  disabled: boolean;
  /** The test as written (`CMD-SHELL` added for the string form); empty when absent, so the image's HEALTHCHECK runs. */
  test: string[];
  /** Which keys were written with a value that could be read (`interval`, `timeout`, `retries`, `start_period`…). */
  explicit: ReadonlySet<string>;
}

export interface ProbeHandler {
  /** httpGet | tcpSocket | grpc | exec | test (Swarm) */
  type: string;
  /** A canonical string of what is checked, to compare two probes. */
  signature: string;
  port?: string | number;
  portPath?: Path;
}

export interface Probe {
  path: Path;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
  successThreshold: number;
  initialDelaySeconds: number;
  /** Which of the numbers above were written (the others are Kubernetes defaults). */
  explicit: ReadonlySet<string>;
  handler: ProbeHandler | undefined;
}

export interface EnvVar {
  name: string;
  /** The literal value; undefined when it comes from valueFrom/secretRef, or is absent. */
  value: string | undefined;
  fromRef: boolean;
  /** Path of the entry (the `- name:` item, or the map key for Swarm). */
  path: Path;
  /** Path of the literal value node. */
  valuePath: Path;
  /** When the variable is defined in another resource (Swarm env_file). */
  resource?: Resource;
}

export interface ContainerPort {
  name: string | undefined;
  containerPort: number | undefined;
}

export interface Container {
  name: string;
  path: Path;
  image: string | undefined;
  imagePath: Path;
  init: boolean;
  env: EnvVar[];
  ports: ContainerPort[];
  command: string[];
  args: string[];
  resources: JsonObject | undefined;
  liveness: Probe | undefined;
  readiness: Probe | undefined;
  startup: Probe | undefined;
  /** Swarm only: the service healthcheck (Swarm has no separate liveness, readiness and startup probes). */
  healthcheck?: Healthcheck;
}

/**
 * The normalized view of everything that runs pods (Deployment, StatefulSet, DaemonSet, ReplicaSet,
 * ReplicationController, Job, CronJob, Pod, argoproj Rollout) or Swarm tasks (a stack service).
 */
interface WorkloadBase {
  readonly resource: Resource;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | undefined;
  /** Path of the workload inside its resource: [] for Kubernetes, ['services', name] for Swarm. */
  readonly path: Path;
  /** Effective replicas (defaults applied), undefined for kinds without replicas (DaemonSet, Job, Pod, global). */
  readonly replicas: number | undefined;
  readonly replicasExplicit: boolean;
  readonly replicasPath: Path;
  readonly podTemplatePath: Path;
  readonly podSpecPath: Path;
  readonly podSpec: JsonObject | undefined;
  readonly podLabels: Readonly<Record<string, string>>;
  /** Resource and pod template annotations, pod template winning. */
  readonly annotations: Readonly<Record<string, string>>;
  readonly containers: readonly Container[];
  /** False for run-to-completion kinds (Job, CronJob, Swarm jobs). */
  readonly longRunning: boolean;
  /**
   * Swarm only: the service has neither image nor build, so it is a fragment of a multi-file deploy
   * (`docker stack deploy -c base.yml -c this.yml`): what it does not say may come from the other file.
   */
  readonly partial?: boolean;
  /**
   * Swarm only: the file shows no sign of being deployed to Swarm (no service has `deploy:`, and the file name does
   * not say "stack"): a `docker compose` file for local development. Rules about Swarm deployment skip it; rules about
   * secrets and exposure do not.
   */
  readonly composeOnly?: boolean;
}

/** A pod-bearing Kubernetes object. */
export interface KubernetesWorkload extends WorkloadBase {
  readonly platform: 'kubernetes';
  readonly service?: undefined;
  readonly partial?: undefined;
  readonly composeOnly?: undefined;
}

/** A service of a Swarm stack file: one container (`container`, also `containers[0]`), no pod template. */
export interface SwarmService extends WorkloadBase {
  readonly platform: 'swarm';
  /** The raw service definition (merge keys resolved). */
  readonly service: JsonObject;
  readonly container: Container;
}

/** What rules check: a Kubernetes workload or a Swarm service, told apart by `platform`. */
export type Workload = KubernetesWorkload | SwarmService;

export interface ResourceRef {
  kind: string;
  namespace?: string;
  name?: string;
}

/** A value a fix writes: a scalar, or a mapping or sequence written out as block YAML. */
export type FixValue = string | number | boolean | null | FixValue[] | { [key: string]: FixValue };

/**
 * One edit of a fix. Paths start at the root of the YAML document (`fix.doc` of the finding's file).
 * - `set`: replace the scalar at `path`, or add the missing last key under the existing mapping at `path[:-1]`, or
 *   replace the sequence item at a numeric last index. `value` may be a mapping or a sequence (written as block YAML).
 * - `delete`: remove the mapping entry (or sequence item) at `path`.
 * - `append`: add `value` as the last item of the sequence at `path`.
 * - `document`: a new YAML document `value` after document `fix.doc`; in a kustomize directory whose kustomization
 *   lists the file, a new file `<name>.yaml` beside it instead, added to the kustomization's `resources:`.
 */
export type FixEdit =
  | { op: 'set'; path: Path; value: FixValue }
  | { op: 'delete'; path: Path }
  | { op: 'append'; path: Path; value: FixValue }
  | { op: 'document'; value: { [key: string]: FixValue }; name: string };

/**
 * One text replacement of a fix, against the file as it was read: the bytes in `range` (1-based lines and columns,
 * the end column exclusive, as in SARIF) become `text`. `create`: the file does not exist yet (the range is 1:1–1:1).
 */
export interface FixChange {
  file: string;
  range: Range;
  text: string;
  create?: boolean;
}

/** A fix, as data: the edits, and the document of the file they apply to (src/fix/apply.ts applies them). */
export interface Fix {
  /** The index of the YAML document in `Finding.file`. */
  doc: number;
  edits: FixEdit[];
  /** The edits as text replacements (filled in by src/fix for the JSON and SARIF reports and review suggestions). */
  changes?: FixChange[];
  /**
   * What to run once the fix is in, never with a secret value in it: e.g. the `kubectl create secret generic …` that
   * creates the Secret a `secretKeyRef` now names, reading the value from a file or the terminal.
   */
  command?: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** The id of the message template in the rule's `meta.messages` (absent for loader problems that have none). */
  messageId?: string;
  file: string;
  range: Range;
  /** False when the range is the closest ancestor of a field that is missing. */
  exact: boolean;
  resource?: ResourceRef;
  container?: string;
  /** The path that was reported, as a JSON pointer-ish string: `spec.template.spec.containers[0].livenessProbe`. */
  path?: string;
  /** Stable identity of the finding, independent of line numbers. */
  fingerprint: string;
  suppressed?: { kind: 'inSource' | 'external'; justification?: string };
  /** The context of a live cluster the object was read from: `file` is then `kind/namespace/name` and the range is meaningless. */
  cluster?: string;
  /** The deployment units whose check gave this finding (load/units.ts), when its object belongs to more than one. */
  units?: string[];
  /** Set when a baseline was given: `unchanged` findings are in it and do not count, `new` ones are not. */
  baselineState?: 'new' | 'unchanged' | 'absent';
  /** The edits `--fix` makes (only for an object written in `file` as it is checked). */
  fix?: Fix;
  /** Why a fix the rule has is not offered here (a rendered or patched object, a list item, a live object). */
  fixSkipped?: string;
}

export type UnitKind =
  | 'Application'
  | 'ApplicationSet'
  | 'Flux Kustomization'
  | 'kustomization'
  | 'chart'
  | 'config'
  | 'directory'
  | 'stdin'
  | 'cluster';

/**
 * A deployment unit: what one application deploys (an ArgoCD Application, a Flux Kustomization, a kustomization root,
 * a Helm chart, a directory). Cross-resource rules resolve within a unit (load/units.ts).
 */
export interface Unit {
  /** Unique in a run, shown to users: the root directory, or `Application shop`. */
  readonly id: string;
  readonly kind: UnitKind;
  /** Root directory as shown (relative to the working directory). */
  readonly root: string;
  readonly absRoot: string;
  /** Absolute paths of its files, sorted ('' for stdin). */
  readonly files: readonly string[];
  /** How it was found, in words. */
  readonly via: string;
  /** The namespace its objects without one are deployed to (kustomize `namespace:`, ArgoCD destination, Flux target). */
  readonly namespace?: string;
  /** True when that namespace replaces the objects' own (kustomize `namespace:`, Flux `targetNamespace`). */
  readonly namespaceForced?: boolean;
  /** Units that are built before they are applied. */
  readonly build?: {
    tool: 'kustomize' | 'helm';
    dir: string;
    file: string;
    /** Remote bases (URLs) it names. */ remote?: readonly string[];
    /** Paths outside the repository it names. */ outside?: readonly string[];
  };
  /** Kustomize: absolute paths of the files applied as patches. */
  readonly patches: readonly string[];
}

/** A problem found while reading a file, before any rule runs (reported under a pseudo-rule id). */
export interface LoadProblem {
  ruleId: 'invalid-yaml' | 'duplicate-key' | 'template-syntax' | 'render-failed' | 'render-skipped';
  /**
   * The full description: what identifies the problem apart from its line (its fingerprint hashes it, so it stays
   * the same for existing baselines), shown as is when there is no `messageId`.
   */
  message: string;
  /** A message of the rule's `meta.messages`, what is shown, with its `data`. */
  messageId?: string;
  data?: Readonly<Record<string, string | number>>;
  file: string;
  range: Range;
}

/**
 * A suppression written as a YAML comment:
 *   `# shipshape-ignore rule-a,rule-b -- reason`  on the line of the finding, or alone on the line above it;
 *   `# shipshape-ignore-file rule-a -- reason`    at the top of the file, before any content.
 */
export interface SuppressionComment {
  file: string;
  scope: 'line' | 'file';
  /** Line scope: the line whose findings it silences (its own line, or the next content line for a comment alone on its line). */
  line: number;
  /** Each rule id as written, with its own range inside the comment. */
  ids: { id: string; range: Range }[];
  /** The text after ` -- `, when there is one. */
  reason?: string;
  /** The whole comment. */
  range: Range;
  /** A `shipshape-ignore-file` written after the first content line: it silences nothing. */
  misplaced?: boolean;
}
