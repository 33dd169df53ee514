import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli.js';

/** Distinctive values planted in manifests: none may appear in any output, whatever the format. */
export const PLANTED = {
  byName: 'PLANTED-pw-7f3a9c',
  aws: 'AKIAPLANTED7F3A9C12X',
  github: 'ghp_PLANTEDplantedPLANTEDplanted7f3a9cxy',
  url: 'PLANTEDurlpw7f3a9c',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJQTEFOVEVEIn0.PLANTEDsig7f3a9c',
  pem: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7PLANTED7f3a9c',
};

export const PLANTED_MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata: {name: leaky}
spec:
  selector: {matchLabels: {app: leaky}}
  template:
    metadata: {labels: {app: leaky}}
    spec:
      containers:
        - name: leaky
          image: ghcr.io/acme/leaky:1
          env:
            - {name: DB_PASSWORD, value: ${PLANTED.byName}}
            - {name: UPSTREAM, value: ${PLANTED.aws}}
            - {name: GH, value: ${PLANTED.github}}
            - {name: DATABASE_URL, value: "postgres://app:${PLANTED.url}@db/app"}
            - {name: SESSION, value: ${PLANTED.jwt}}
            - name: TLS_KEY
              value: |
                -----BEGIN PRIVATE KEY-----
                ${PLANTED.pem}
                -----END PRIVATE KEY-----
`;

describe('secret values never reach any output', () => {
  it.each(['text', 'json', 'sarif'])('%s', async (format) => {
    const r = await runCli(['-', '--format', format], { input: PLANTED_MANIFEST });
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toContain('secret-in-env');
    for (const [kind, value] of Object.entries(PLANTED))
      expect(out.includes(value), `${kind} leaked in ${format}`).toBe(false);
    // all six are found
    const count =
      format === 'json'
        ? JSON.parse(r.stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'secret-in-env').length
        : 6;
    expect(count).toBe(6);
  });
});

describe('secrets found in interpolation defaults, ConfigMaps and flag URLs are never shown', () => {
  const stack = `services:
  grafana:
    image: grafana/grafana:11.2.0
    environment:
      - GF_SECURITY_ADMIN_PASSWORD=\${PASS:-${PLANTED.byName}}
    command: -haproxy.scrape-uri="http://admin:${PLANTED.url}@proxy/stats;csv"
    deploy: {replicas: 2}
`;
  const k8s = `apiVersion: v1
kind: ConfigMap
metadata: {name: db}
data: {POSTGRES_PASSWORD: ${PLANTED.byName}, DB_URI: "postgresql://u:${PLANTED.url}@db/accounts"}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: app
      image: ghcr.io/acme/app:1
      envFrom: [{configMapRef: {name: db}}]
      args: ["--scrape-uri=http://admin:${PLANTED.url}@proxy/stats"]
`;
  it.each([
    ['stack', stack, 2],
    ['kubernetes', k8s, 3],
  ])('%s', async (_name, input, n) => {
    const r = await runCli(['-', '--format', 'json'], { input });
    const found = JSON.parse(r.stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'secret-in-env');
    expect(found).toHaveLength(n);
    for (const value of Object.values(PLANTED)) expect(r.stdout + r.stderr).not.toContain(value);
  });
});
