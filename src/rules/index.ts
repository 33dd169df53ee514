import type { AnyRule } from '../engine/rule.js';
import suppressionReasonMissing from './config/suppression-reason-missing.js';
import unusedSuppression from './config/unused-suppression.js';
import duplicateKey from './input/duplicate-key.js';
import internalError from './input/internal-error.js';
import invalidYaml from './input/invalid-yaml.js';
import renderFailed from './input/render-failed.js';
import renderSkipped from './input/render-skipped.js';
import templateSyntax from './input/template-syntax.js';
import backendServiceMissing from './reliability/backend-service-missing.js';
import hpaMinReplicas from './reliability/hpa-min-replicas.js';
import hpaTargetMissing from './reliability/hpa-target-missing.js';
import hpaWithoutRequests from './reliability/hpa-without-requests.js';
import imageTagMutable from './reliability/image-tag-mutable.js';
import livenessEqualsReadiness from './reliability/liveness-equals-readiness.js';
import livenessProbeAggressive from './reliability/liveness-probe-aggressive.js';
import livenessProbeMissing from './reliability/liveness-probe-missing.js';
import pdbBlocksEviction from './reliability/pdb-blocks-eviction.js';
import pdbMissing from './reliability/pdb-missing.js';
import pdbSelectorUnmatched from './reliability/pdb-selector-unmatched.js';
import probePortUnknown from './reliability/probe-port-unknown.js';
import readinessProbeMissing from './reliability/readiness-probe-missing.js';
import referenceUnknown from './reliability/reference-unknown.js';
import replicasWithHpa from './reliability/replicas-with-hpa.js';
import resourcesMissing from './reliability/resources-missing.js';
import serviceSelectorUnmatched from './reliability/service-selector-unmatched.js';
import singleReplica from './reliability/single-replica.js';
import startupProbeMissing from './reliability/startup-probe-missing.js';
import topologySpreadMissing from './reliability/topology-spread-missing.js';
import topologySpreadUnsatisfiable from './reliability/topology-spread-unsatisfiable.js';
import deprecatedApiVersion from './schema/deprecated-api-version.js';
import schemaInvalid from './schema/schema-invalid.js';
import clusterAdminBinding from './security/cluster-admin-binding.js';
import dockerSocketMount from './security/docker-socket-mount.js';
import hostNamespace from './security/host-namespace.js';
import insecureAdminFlag from './security/insecure-admin-flag.js';
import podSecurityBaseline from './security/pod-security-baseline.js';
import podSecurityRestricted from './security/pod-security-restricted.js';
import privilegedContainer from './security/privileged-container.js';
import rbacWildcard from './security/rbac-wildcard.js';
import secretInEnv from './security/secret-in-env.js';
import secretManifestPlaintext from './security/secret-manifest-plaintext.js';
import serviceAccountTokenAutomount from './security/service-account-token-automount.js';
import healthcheckMissing from './swarm/healthcheck-missing.js';
import localVolumeReplicated from './swarm/local-volume-replicated.js';
import secretFileInRepo from './swarm/secret-file-in-repo.js';
import swarmIgnoredKey from './swarm/swarm-ignored-key.js';
import swarmInvalidValue from './swarm/swarm-invalid-value.js';
import swarmUnsupportedKey from './swarm/swarm-unsupported-key.js';
import updateRollbackMissing from './swarm/update-rollback-missing.js';

/** The registry: every built-in rule, by id, in the order docs and reports list them. */
export const rules: readonly AnyRule[] = [
  startupProbeMissing,
  livenessProbeAggressive,
  readinessProbeMissing,
  livenessProbeMissing,
  livenessEqualsReadiness,
  probePortUnknown,
  hpaMinReplicas,
  singleReplica,
  pdbMissing,
  pdbBlocksEviction,
  pdbSelectorUnmatched,
  serviceSelectorUnmatched,
  backendServiceMissing,
  referenceUnknown,
  hpaTargetMissing,
  hpaWithoutRequests,
  replicasWithHpa,
  topologySpreadMissing,
  topologySpreadUnsatisfiable,
  resourcesMissing,
  imageTagMutable,
  secretInEnv,
  secretManifestPlaintext,
  privilegedContainer,
  hostNamespace,
  insecureAdminFlag,
  dockerSocketMount,
  podSecurityBaseline,
  podSecurityRestricted,
  serviceAccountTokenAutomount,
  rbacWildcard,
  clusterAdminBinding,
  healthcheckMissing,
  updateRollbackMissing,
  localVolumeReplicated,
  secretFileInRepo,
  swarmIgnoredKey,
  swarmUnsupportedKey,
  swarmInvalidValue,
  schemaInvalid,
  deprecatedApiVersion,
  invalidYaml,
  duplicateKey,
  templateSyntax,
  renderFailed,
  renderSkipped,
  internalError,
  unusedSuppression,
  suppressionReasonMissing,
];

export const rulesById: ReadonlyMap<string, AnyRule> = new Map(rules.map((r) => [r.id, r]));
