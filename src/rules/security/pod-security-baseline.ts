import { podSecurityRule } from './lib/pod-security-rule.js';

export default podSecurityRule('pod-security-baseline', 'baseline', ['kubernetes', 'swarm'], {
  severity: 'warning',
  description:
    'A pod breaks a control of the Pod Security Standards baseline level (host access, capabilities, sysctls, SELinux, AppArmor, seccomp, /proc).',
  rationale:
    'Baseline is the level that prevents known privilege escalations, and the one most clusters enforce through Pod Security Admission. Where a namespace enforces it (label pod-security.kubernetes.io/enforce), the API server accepts the Deployment but rejects every pod its ReplicaSet creates: the rollout never becomes available and the old pods are all that serve. Elsewhere it is a way out of the container onto the node. Swarm services are held to the controls that carry over: cap_add, unsafe sysctls, ports published in host mode.',
  remediation:
    'Remove the field the finding points at, or set it to a value the standard allows (capabilities from the default set, safe sysctls, seccomp RuntimeDefault…). A workload that needs host access belongs in a namespace labelled pod-security.kubernetes.io/enforce: privileged, or in ignoreNamespaces.',
  tags: ['security', 'pod-security'],
  securitySeverity: 6.5,
});
