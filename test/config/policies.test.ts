import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/index.js';
import { loadConfig } from '../../src/load/config-file.js';
import { formatSarif } from '../../src/report/sarif.js';
import { rules as builtin } from '../../src/rules/index.js';
import { ROOT } from '../helpers/fixtures.js';
import { validateSarif } from '../helpers/sarif.js';
import { brief, errorOf, pick, project } from './helpers.js';

const rules = pick('single-replica', 'unused-suppression');
/** The example policies, copied into a repository as a team would (extends never reads outside the repository). */
const EXAMPLES = Object.fromEntries(
  ['team-label', 'image-registry', 'memory-limit'].map((e) => [
    `policies/${e}.yaml`,
    readFileSync(path.join(ROOT, 'rules-config/examples', `${e}.yaml`), 'utf8'),
  ]),
);

const MANIFESTS = {
  'k8s/api.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels:
    app: api
spec:
  replicas: 2
  template:
    spec:
      initContainers:
        - name: migrate
          image: registry.acme.io/migrate:3
          resources: {limits: {memory: 128Mi}}
      containers:
        - name: api
          image: docker.io/library/nginx:1.27
          resources:
            requests: {memory: 256Mi}
`,
  'k8s/db.yaml': `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: db
          image: ghcr.io/acme/postgres:16
          resources:
            limits: {memory: 2Gi}
`,
  'k8s/team-ok.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {team: storefront}
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: registry.acme.io/web:2
          resources:
            limits: {memory: 1Gi}
`,
  'stack.yml': `services:
  web:
    image: registry.acme.io/web:2
    deploy:
      replicas: 2
      resources:
        limits: {cpus: "0.5"}
`,
};

describe('custom policies', () => {
  it('the three examples: each failing schema path is a finding at the value, or at its closest parent when missing', async () => {
    const cwd = project({
      ...MANIFESTS,
      ...EXAMPLES,
      '.shipshape.yaml':
        'extends:\n  - ./policies/team-label.yaml\n  - ./policies/image-registry.yaml\n  - ./policies/memory-limit.yaml\n',
    });
    const r = await lint({ paths: Object.keys(MANIFESTS), cwd, rules });
    expect(brief(r.findings)).toEqual([
      // metadata.labels exists but has no team: the finding is on `labels:`.
      'k8s/api.yaml 5:3 acme-team-label error',
      'k8s/api.yaml 17:11 acme-image-registry error',
      'k8s/api.yaml 18:11 acme-memory-limit warning',
      // no labels at all: on `metadata:`.
      'k8s/db.yaml 3:1 acme-team-label error',
      // image allowed, limits there, but no memory limit: on `limits:`.
      'stack.yml 7:9 acme-swarm-memory-limit warning',
    ]);
    const byId = (id: string) => r.findings.find((f) => f.ruleId === id)!;
    expect(byId('acme-team-label')).toMatchObject({
      message: 'Every workload carries the label of the team that owns it: metadata.labels.team is missing',
      path: 'metadata.labels.team',
      exact: false,
      resource: { kind: 'Deployment', name: 'api' },
    });
    expect(byId('acme-image-registry')).toMatchObject({
      // The policy's message, shortened in the middle to keep the finding on one line; then what the schema found.
      message:
        'Container images come from the compa… GitHub organization (ghcr.io/acme): image must match pattern "^(registry\\.acme\\.io|ghcr\\.io/acme)/"',
      path: 'spec.template.spec.containers[0].image',
      exact: true,
      container: 'api',
      range: { startLine: 17, startColumn: 11, endLine: 17, endColumn: 46 },
    });
    expect(byId('acme-memory-limit')).toMatchObject({
      message: 'Every container sets resources.limits.memory: resources.limits is missing',
      exact: false,
    });
    expect(byId('acme-swarm-memory-limit')).toMatchObject({
      message: 'Every Swarm service sets deploy.resources.limits.memory: deploy.resources.limits.memory is missing',
      path: 'services.web.deploy.resources.limits.memory',
    });
  });

  it('share severities, overrides, --rule, suppressions and SARIF metadata with built-in rules', async () => {
    const cwd = project({
      ...MANIFESTS,
      'k8s/db.yaml': MANIFESTS['k8s/db.yaml'].replace(
        'metadata:\n',
        'metadata: # shipshape-ignore acme-team-label -- shared database, owned by all\n',
      ),
      ...EXAMPLES,
      '.shipshape.yaml': `extends: ./policies/team-label.yaml
rules:
  acme-team-label: warning
overrides:
  - files: ["k8s/team-*.yaml"]
    rules: {acme-team-label: off}
policies:
  - id: acme-no-loadbalancer
    target: resource
    kinds: [Service]
    description: Services are not exposed through their own cloud load balancer.
    url: https://wiki.acme.io/policies/ingress
    schema:
      properties:
        spec: {properties: {type: {not: {const: LoadBalancer}}}}
`,
      'k8s/svc.yaml':
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  type: LoadBalancer\n  ports: [{port: 80}]\n',
    });
    const r = await lint({ paths: ['k8s'], cwd, rules });
    expect(brief(r.findings)).toEqual([
      'k8s/api.yaml 5:3 acme-team-label warning',
      'k8s/db.yaml 3:1 acme-team-label warning suppressed',
      'k8s/svc.yaml 6:3 acme-no-loadbalancer warning',
    ]);
    expect(r.findings[2]!.message).toBe(
      'Services are not exposed through their own cloud load balancer: spec.type must NOT be valid',
    );
    const flagged = await lint({
      paths: ['k8s'],
      cwd,
      rules,
      ruleFlags: ['acme-no-loadbalancer=error', 'acme-team-label=off'],
    });
    expect(brief(flagged.findings)).toEqual(['k8s/svc.yaml 6:3 acme-no-loadbalancer error']);

    const sarif = JSON.parse(formatSarif(r)) as { runs: { tool: { driver: { rules: Record<string, unknown>[] } } }[] };
    const meta = sarif.runs[0]!.tool.driver.rules.find((x) => x.id === 'acme-no-loadbalancer');
    expect(meta).toMatchObject({
      name: 'AcmeNoLoadbalancer',
      shortDescription: { text: 'Services are not exposed through their own cloud load balancer.' },
      helpUri: 'https://wiki.acme.io/policies/ingress',
      defaultConfiguration: { level: 'warning' },
    });
    expect(validateSarif(sarif)).toEqual([]);
  });

  it('podSpec targets, composite schemas reported once, and kinds filters', async () => {
    const cwd = project({
      ...MANIFESTS,
      '.shipshape.yaml': `policies:
  - id: acme-non-root
    target: podSpec
    kinds: [Deployment]
    description: Pods run as a non-root user.
    schema:
      required: [securityContext]
      properties:
        securityContext:
          anyOf:
            - {required: [runAsNonRoot], properties: {runAsNonRoot: {const: true}}}
            - {required: [runAsUser], properties: {runAsUser: {minimum: 1}}}
`,
      'k8s/root.yaml': MANIFESTS['k8s/team-ok.yaml']
        .replace('name: web', 'name: root')
        .replace('    spec:\n      containers', '    spec:\n      securityContext: {runAsUser: 0}\n      containers'),
    });
    const r = await lint({ paths: ['k8s'], cwd, rules });
    expect(brief(r.findings)).toEqual([
      'k8s/api.yaml 10:5 acme-non-root warning',
      'k8s/root.yaml 10:7 acme-non-root warning',
      'k8s/team-ok.yaml 9:5 acme-non-root warning',
    ]);
    expect(r.findings[1]!.message).toBe('Pods run as a non-root user: securityContext must match a schema in anyOf');
  });
});

describe('custom policy mistakes are config errors at the exact key', () => {
  const policy = (schema: string, extra = ''): string =>
    `policies:\n  - id: acme-x\n    description: X.${extra}\n    schema:\n${schema}`;
  it.each([
    [
      'an unknown keyword',
      policy('      type: object\n      requird: [metadata]\n'),
      '.shipshape.yaml:6:7: policies[0].schema.requird: unknown JSON Schema keyword "requird" — did you mean "required"?',
    ],
    [
      'a $ref to the network',
      policy('      properties:\n        metadata: {$ref: "https://example.com/meta.json"}\n'),
      '.shipshape.yaml:6:20: policies[0].schema.properties.metadata.$ref: only local references (#/definitions/…) are allowed: shipshape never fetches schemas from the network or the disk',
    ],
    [
      'a $ref to a file',
      policy('      $ref: ./meta.json\n'),
      '.shipshape.yaml:5:7: policies[0].schema.$ref: only local references (#/definitions/…) are allowed: shipshape never fetches schemas from the network or the disk',
    ],
    [
      'another draft',
      policy('      $schema: https://json-schema.org/draft/2020-12/schema\n'),
      '.shipshape.yaml:5:7: policies[0].schema.$schema: policies use JSON Schema draft-07: remove $schema or set it to http://json-schema.org/draft-07/schema#',
    ],
    [
      'a format',
      policy('      properties: {image: {format: uri}}\n'),
      '.shipshape.yaml:5:28: policies[0].schema.properties.image.format: "format" is not supported (no format is built in): use "pattern"',
    ],
    [
      'a wrong type name',
      policy('      properties:\n        image: {type: strin}\n'),
      '.shipshape.yaml:6:17: policies[0].schema.properties.image.type: invalid JSON Schema: must be one of string, number, integer, boolean, object, array, null',
    ],
    [
      'a broken pattern',
      policy('      properties:\n        image: {pattern: "(unclosed"}\n'),
      '.shipshape.yaml:4:5: policies[0].schema: invalid JSON Schema: the pattern cannot be used (shipshape runs patterns in a linear-time engine without lookaround or backreferences): error parsing regexp: missing closing ): `(unclosed`',
    ],
    [
      'a local $ref that points nowhere',
      policy('      $ref: "#/definitions/nothing"\n'),
      ".shipshape.yaml:4:5: policies[0].schema: invalid JSON Schema: can't resolve reference #/definitions/nothing from id #",
    ],
    [
      'a built-in id',
      'policies:\n  - id: pdb-missing\n    description: X.\n    schema: {}\n',
      '.shipshape.yaml:2:5: policies[0].id: "pdb-missing" is a built-in rule id: choose another (a prefix such as "acme-" keeps them apart)',
    ],
    [
      'an id twice',
      'policies:\n  - {id: acme-x, description: X., schema: {}}\n  - {id: acme-x, description: Y., schema: {}}\n',
      '.shipshape.yaml:3:6: policies[1].id: "acme-x" is defined twice in this file',
    ],
    [
      'an id that is not kebab-case',
      'policies:\n  - {id: AcmeX, description: X., schema: {}}\n',
      '.shipshape.yaml:2:6: policies[0].id: "AcmeX" is not a kebab-case id (lowercase letters, digits and dashes, such as acme-team-label)',
    ],
    [
      'a missing schema',
      'policies:\n  - id: acme-x\n    description: X.\n',
      '.shipshape.yaml:2:5: policies[0]: missing key "schema"',
    ],
    [
      'an unknown target',
      policy('      type: object\n', '\n    target: workloads'),
      '.shipshape.yaml:4:5: policies[0].target: must be one of resource, workload, container, podSpec, service — did you mean "workload"?',
    ],
    [
      'a misspelled policy key',
      policy('      type: object\n', '\n    kind: [Deployment]'),
      '.shipshape.yaml:4:5: unknown key "policies[0].kind" — did you mean "kinds"?',
    ],
  ])('%s', async (_name, config, message) => {
    expect(await errorOf(loadConfig(undefined, project({ '.shipshape.yaml': config }), builtin))).toBe(message);
  });
});
