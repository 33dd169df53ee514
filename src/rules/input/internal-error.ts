import { defineLoadRule } from '../../engine/rule.js';

export default defineLoadRule({
  id: 'internal-error',
  meta: {
    severity: 'error',
    family: 'input',
    description: 'A rule failed on a resource; that rule was skipped for it and every other check still ran.',
    rationale: 'A bug in a rule must never hide the findings of the others, nor pass silently.',
    remediation: 'Report the message to the shipshape maintainers, with the resource if you can share it.',
    tags: ['input'],
    messages: {
      ruleFailed: 'rule {{rule}} failed on this resource and was skipped: {{error:100}}',
    },
  },
  applies: { platforms: ['kubernetes', 'swarm'] },
});
