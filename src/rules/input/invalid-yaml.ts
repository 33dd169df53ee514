import { defineLoadRule } from '../../engine/rule.js';

export default defineLoadRule({
  id: 'invalid-yaml',
  meta: {
    severity: 'error',
    family: 'input',
    platforms: ['kubernetes', 'swarm'],
    description:
      'A file is not valid YAML (or JSON), or cannot be read as manifests: binary or Latin-1 bytes, an alias bomb, absurd nesting, a document that is not an object among Kubernetes objects.',
    rationale:
      'kubectl, ArgoCD and docker stack deploy refuse the whole file: nothing in it is deployed, and a sync that includes it fails.',
    remediation:
      'Fix the syntax at the reported line and column; re-save Latin-1 or Windows-1252 text as UTF-8; write repeated values out instead of expanding aliases; give back the apiVersion and kind that a stray `---` or `...` cut off. Every other file is still checked.',
    tags: ['input'],
  },
});
