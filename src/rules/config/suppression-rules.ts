import { defineLoadRule } from '../../engine/rule.js';

/** Reported by the engine (src/engine/suppress.ts) after every rule ran: metadata only. */
export const unusedSuppression = defineLoadRule({
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

export const suppressionReasonMissing = defineLoadRule({
  id: 'suppression-reason-missing',
  meta: {
    severity: 'error',
    offByDefault: true,
    family: 'config',
    description:
      'A `# shipshape-ignore` comment or an `x-shipshape` suppression gives no reason (the `strict` preset requires one).',
    rationale:
      'A suppression without a reason cannot be reviewed: a year later nobody knows whether the risk was accepted on purpose or silenced to make CI pass.',
    remediation:
      'Say why after ` -- `: `# shipshape-ignore single-replica -- batch consumer, one replica by design`; for Swarm, add `reason:` next to `ignore:` in `x-shipshape`.',
    tags: ['suppression'],
    messages: {
      noReason: '# {{kind}} {{ids}} gives no reason: add " -- why this is acceptable"',
      noServiceReason: 'x-shipshape of service {{name}} ignores {{ids}} without a reason: add "reason:"',
    },
  },
  applies: { platforms: ['kubernetes', 'swarm'] },
});
