import { defineLoadRule } from '../../engine/rule.js';

export default defineLoadRule({
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
