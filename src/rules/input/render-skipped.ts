import { defineLoadRule } from '../../engine/rule.js';

export default defineLoadRule({
  id: 'render-skipped',
  meta: {
    severity: 'note',
    family: 'input',
    description:
      'A Kustomize directory or Helm chart was not rendered because its tool is not installed, so it was not checked as rendered.',
    rationale:
      'Templates are not manifests until rendered: what is deployed is the output of kustomize or helm, so that is what must be checked.',
    remediation:
      'Install kubectl (or kustomize) for Kustomize directories, helm for charts, so that shipshape finds it on PATH; or render them yourself and check the output (`helm template NAME DIR | shipshape -`).',
    tags: ['input', 'render'],
    messages: {
      noKustomize: 'not rendered: neither kubectl nor kustomize is on PATH; checked as written',
      noHelm: 'Helm chart not checked: helm is not on PATH (install helm to render it)',
      outside: 'not built: it names a path outside the repository; checked as written',
      remote: 'not built: it names a remote base ({{url:80}}), never fetched; checked as written',
    },
  },
  applies: { platforms: ['kubernetes'] },
});
