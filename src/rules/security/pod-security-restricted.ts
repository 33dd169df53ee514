import { podSecurityRule } from './lib/pod-security-rule.js';

export default podSecurityRule('pod-security-restricted', 'restricted', ['kubernetes'], {
  severity: 'warning',
  description:
    'A pod breaks a control the Pod Security Standards restricted level adds to baseline (non-root, no privilege escalation, seccomp, drop ALL capabilities, volume types).',
  rationale:
    'Restricted is the hardened level: containers run as non-root, cannot gain privileges, drop every capability and run under a seccomp profile. It is checked where the config asks for it (podSecurity: restricted, the strict preset) or a namespace label applies it; where a namespace enforces it, every pod that breaks it is rejected by admission and the rollout hangs.',
  remediation:
    'Set securityContext on the pod (runAsNonRoot: true, seccompProfile.type: RuntimeDefault) and on each container (allowPrivilegeEscalation: false, capabilities.drop: [ALL]); use only configMap, secret, emptyDir, projected, downwardAPI, persistentVolumeClaim, ephemeral and csi volumes.',
  tags: ['security', 'pod-security'],
  securitySeverity: 5.0,
});
