import type { AnyRule } from '../engine/rule.js';
import { duplicateKey, internalError, invalidYaml, templateSyntax } from './input/load-rules.js';
import hpaMinReplicas from './reliability/hpa-min-replicas.js';
import livenessProbeAggressive from './reliability/liveness-probe-aggressive.js';
import pdbMissing from './reliability/pdb-missing.js';
import singleReplica from './reliability/single-replica.js';
import startupProbeMissing from './reliability/startup-probe-missing.js';
import secretInEnv from './security/secret-in-env.js';

/** The registry: every built-in rule, by id, in the order docs and reports list them. */
export const rules: readonly AnyRule[] = [
  startupProbeMissing,
  livenessProbeAggressive,
  hpaMinReplicas,
  singleReplica,
  pdbMissing,
  secretInEnv,
  invalidYaml,
  duplicateKey,
  templateSyntax,
  internalError,
];

export const rulesById: ReadonlyMap<string, AnyRule> = new Map(rules.map((r) => [r.id, r]));
