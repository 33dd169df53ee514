import { defineLoadRule } from '../../engine/rule.js';

/** Reported by the engine (src/engine/suppress.ts) after every rule ran: metadata only. */
export default defineLoadRule({
  id: 'unused-suppression',
  meta: {
    severity: 'note',
    strictSeverity: 'warning',
    family: 'config',
    description:
      'A suppression (comment, annotation or x-shipshape) silences nothing: no finding of that rule is where it points.',
    rationale:
      'A stale suppression outlives the problem it silenced and hides the next one: when the same rule fires there again for a new reason, nobody sees it.',
    remediation:
      'Remove the rule id from the `# shipshape-ignore` comment, the `shipshape.io/ignore` annotation or the `x-shipshape.ignore` list. An unknown id is usually a typo: the message names the closest rule.',
    tags: ['suppression'],
    messages: {
      misplaced: '# {{kind}} only works at the top of the file, before any content: here it silences nothing',
      noIds: '# {{kind}} names no rule id: write "# {{kind}} <rule-id> -- reason"',
      housekeeping:
        '{{id}} cannot be silenced in source (set its severity in .shipshape.yaml): remove it from {{what}}',
      unknownId: 'unknown rule id in {{what}}{{hint}}',
      unused: '{{what}} silences {{ids}}, but there is no such finding {{where}}: remove it',
    },
  },
  applies: { platforms: ['kubernetes', 'swarm'] },
});
