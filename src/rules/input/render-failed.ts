import { defineLoadRule } from '../../engine/rule.js';

export default defineLoadRule({
  id: 'render-failed',
  meta: {
    severity: 'error',
    family: 'input',
    description: 'A Kustomize directory or Helm chart could not be rendered (with --render or `render: auto`).',
    rationale:
      'ArgoCD, Flux and kubectl fail the same way on it: nothing of that application is deployed until the build error is fixed.',
    remediation:
      'Run the command in the message in the directory of the reported file (kubectl kustomize DIR, or helm template NAME DIR) and fix the error it prints.',
    tags: ['input', 'render'],
    messages: {
      failed: '{{tool}} {{dir}} failed: {{error:80}}',
    },
  },
  applies: { platforms: ['kubernetes'] },
});
