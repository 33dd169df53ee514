import { defineLoadRule } from '../../engine/rule.js';

/** Reported by the engine (src/engine/suppress.ts) after every rule ran: metadata only. */
export default defineLoadRule({
  id: 'unused-suppression',
  meta: {
    severity: 'note',
    strictSeverity: 'warning',
    family: 'config',
    platforms: ['kubernetes', 'swarm'],
    description:
      'A suppression (comment, annotation or x-shipshape) silences nothing: no finding of that rule is where it points.',
    rationale:
      'A stale suppression outlives the problem it silenced and hides the next one: when the same rule fires there again for a new reason, nobody sees it.',
    remediation:
      'Remove the rule id from the `# shipshape-ignore` comment, the `shipshape.io/ignore` annotation or the `x-shipshape.ignore` list. An unknown id is usually a typo: the message names the closest rule.',
    tags: ['suppression'],
  },
});
