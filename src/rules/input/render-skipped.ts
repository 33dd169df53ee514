import { defineLoadRule } from '../../engine/rule.js';

export default defineLoadRule({
  id: 'render-skipped',
  meta: {
    severity: 'note',
    family: 'input',
    platforms: ['kubernetes'],
    description:
      'A Kustomize directory or Helm chart was not rendered because its tool is not installed, so it was not checked as rendered.',
    rationale:
      'Templates are not manifests until rendered: what is deployed is the output of kustomize or helm, so that is what must be checked.',
    remediation:
      'Install kubectl (or kustomize) for Kustomize directories, helm for charts, so that shipshape finds it on PATH; or render them yourself and check the output (`helm template NAME DIR | shipshape -`).',
    tags: ['input', 'render'],
  },
});
