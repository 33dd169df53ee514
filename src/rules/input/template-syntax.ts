import { defineLoadRule } from '../../engine/rule.js';

export default defineLoadRule({
  id: 'template-syntax',
  meta: {
    severity: 'error',
    family: 'input',
    description: 'A file contains template syntax ({{ … }}) and cannot be read as YAML.',
    rationale:
      'Helm and other templates are not manifests until rendered; checking them as YAML gives meaningless results.',
    remediation:
      'Render the templates (helm template, or shipshape --render) and check the output, or exclude the directory with `ignore:`.',
    tags: ['input'],
    messages: {
      template: 'this looks like a template ({{ … }} is template syntax, not YAML): render it first',
    },
  },
  applies: { platforms: ['kubernetes', 'swarm'] },
});
