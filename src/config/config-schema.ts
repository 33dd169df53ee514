import type { AnyRule } from '../engine/rule.js';

export const LEVELS = ['off', 'note', 'warning', 'error'] as const;
export const PRESETS = ['recommended', 'strict'] as const;
export const POLICY_TARGETS = ['resource', 'workload', 'container', 'podSpec', 'service'] as const;
export const PSS_LEVELS = ['privileged', 'baseline', 'restricted'] as const;
/** The rules `podSecurity:` sets the options of. */
export const POD_SECURITY_RULES = ['pod-security-baseline', 'pod-security-restricted'] as const;
export const RULE_ID_PATTERN = '^[a-z0-9]+(-[a-z0-9]+)*$';

const stringOrList = (what: string): Record<string, unknown> => ({
  type: ['string', 'array'],
  items: { type: 'string' },
  description: what,
});

/** One custom policy: a JSON Schema that every target of a kind must satisfy. */
const policySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'description', 'schema'],
  properties: {
    id: {
      type: 'string',
      pattern: RULE_ID_PATTERN,
      description:
        'Rule id (kebab-case), shared with the built-in rules: usable in rules, overrides, --rule and suppressions.',
    },
    severity: { enum: ['note', 'warning', 'error'], description: 'Default severity (warning when absent).' },
    target: {
      enum: [...POLICY_TARGETS],
      description:
        'What the schema validates: the whole object, each workload, each container, each pod spec, or each Swarm service.',
    },
    kinds: {
      type: 'array',
      items: { type: 'string' },
      description: 'Only these kinds (workload kinds for workload, container and podSpec targets).',
    },
    platforms: { type: 'array', items: { enum: ['kubernetes', 'swarm'] }, description: 'Only these platforms.' },
    description: {
      type: 'string',
      minLength: 1,
      description: 'One sentence: what the policy requires (shown with every finding).',
    },
    message: { type: 'string', description: 'Text of the findings, instead of the description.' },
    rationale: { type: 'string', description: 'Why it matters (rule help in SARIF, `shipshape explain`).' },
    remediation: { type: 'string', description: 'What to change.' },
    url: { type: 'string', description: 'Link to the policy documentation.' },
    schema: {
      type: ['object', 'boolean'],
      description: 'JSON Schema (draft-07) the target must satisfy. Only local $ref (#/…); nothing is fetched.',
    },
  },
};

/** The JSON Schema of `.shipshape.yaml`, generated from rule metadata (written to rules-config/config.schema.json). */
export function configSchema(rules: readonly AnyRule[]): Record<string, unknown> {
  const ruleProps: Record<string, unknown> = {};
  for (const r of rules) {
    const setting: Record<string, unknown> = {
      type: 'object',
      additionalProperties: false,
      properties: {
        severity: { $ref: '#/definitions/level' },
        ...(r.options ? { options: r.options.schema } : {}),
      },
    };
    ruleProps[r.id] = { description: r.meta.description, anyOf: [{ $ref: '#/definitions/level' }, setting] };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/shipshape-dev/shipshape/blob/main/rules-config/config.schema.json',
    title: 'shipshape configuration (.shipshape.yaml)',
    type: 'object',
    additionalProperties: false,
    properties: {
      extends: stringOrList(
        'Presets (recommended, strict) or config files (relative to this one) to start from, in order.',
      ),
      // A key left empty (every example under it commented out, as `shipshape init` writes them) is an empty section.
      rules: { anyOf: [{ $ref: '#/definitions/rules' }, { type: 'null' }] },
      ignore: {
        type: ['array', 'null'],
        description: 'Glob patterns (relative to the working directory) of files not to check.',
        items: { type: 'string' },
      },
      kubeVersion: {
        type: 'string',
        pattern: '^v?1\\.\\d+(\\.\\d+)?$',
        description:
          'Kubernetes version whose schemas and API removals apply (such as "1.31"; the default is a recent version). --kube-version overrides it.',
      },
      podSecurity: {
        description:
          'The Pod Security Standard checked where a namespace has no pod-security.kubernetes.io labels (pod-security-baseline and pod-security-restricted): a level, or a mapping with level, version and ignoreNamespaces.',
        anyOf: [
          { enum: [...PSS_LEVELS] },
          {
            type: 'object',
            additionalProperties: false,
            properties: {
              level: {
                type: 'string',
                enum: [...PSS_LEVELS],
                description: 'privileged (nothing), baseline (default) or restricted.',
              },
              version: {
                type: 'string',
                pattern: '^(latest|v?1\\.\\d+(\\.\\d+)?)$',
                description: 'Version of the standard, such as "1.29" (default: the Kubernetes version of the run).',
              },
              ignoreNamespaces: {
                type: 'array',
                items: { type: 'string' },
                description:
                  'Namespaces not checked (default kube-system): node agents and controllers that need host access by design.',
              },
            },
          },
        ],
      },
      render: {
        enum: ['auto', 'never'],
        description:
          'auto (default): build kustomize units (kubectl kustomize) and Helm charts (helm template) when the tool is on PATH, ' +
          'and check the output at the source lines; never: read files as they are written. --render / --no-render override it.',
      },
      allowEmpty: {
        type: 'boolean',
        description:
          'true: paths that hold no Kubernetes or Swarm object pass (default: exit 2, ' +
          'since a mistyped path or an empty render is usually a mistake). --allow-empty sets it too.',
      },
      units: {
        type: 'array',
        description:
          'Glob patterns (relative to this file) of directories that are each one deployment unit, with everything below them. ' +
          'For plain directories only: ArgoCD Applications, ' +
          'Flux Kustomizations, kustomization roots and Helm charts are found on their own. The default is one unit per directory.',
        items: { type: 'string', minLength: 1 },
      },
      overrides: {
        type: ['array', 'null'],
        description: 'Rule settings for some files, applied in order after `rules` (the last match wins).',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['files', 'rules'],
          properties: {
            files: stringOrList('Glob patterns (relative to the working directory) of the files it applies to.'),
            rules: { $ref: '#/definitions/rules' },
          },
        },
      },
      policies: {
        type: ['array', 'null'],
        description: 'Custom rules written as JSON Schema: no code runs.',
        items: policySchema,
      },
    },
    definitions: {
      level: { enum: [...LEVELS] },
      rules: {
        type: 'object',
        description: 'Severity (off|note|warning|error) and options per rule id.',
        additionalProperties: false,
        properties: ruleProps,
      },
    },
  };
}
