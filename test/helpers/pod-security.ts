/** Inputs shared by the Pod Security tests of both tiers (test/pod-security.test.ts, test/e2e/pod-security-cluster.test.ts). */
/** A Deployment in `namespace` whose container adds SYS_ADMIN (baseline) and sets nothing restricted asks for. */
export const deployment = (namespace: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: ${namespace}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/api:1.0.0
          securityContext:
            capabilities: {add: [SYS_ADMIN]}
`;
