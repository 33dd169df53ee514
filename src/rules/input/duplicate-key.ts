import { defineLoadRule } from '../../engine/rule.js';

export default defineLoadRule({
  id: 'duplicate-key',
  meta: {
    severity: 'error',
    family: 'input',
    description: 'A mapping has the same key twice.',
    rationale:
      'kubectl apply and most YAML readers silently keep the last value, so what the author meant in the first one is lost without a warning.',
    remediation: 'Keep one of the two keys and merge what each meant.',
    tags: ['input'],
    messages: {
      duplicate: 'duplicate key {{key}}: kubectl apply keeps only the last value',
    },
  },
  applies: { platforms: ['kubernetes', 'swarm'] },
});
