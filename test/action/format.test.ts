import { describe, expect, it } from 'vitest';
import { planAnnotations } from '../../src/action/annotations.js';
import { COMMENT_MARKER, COMMENT_MAX_CHARS, formatComment } from '../../src/action/comment.js';
import { text, type ReportView } from '../../src/action/markdown.js';
import { formatSummary, SUMMARY_MAX_BYTES } from '../../src/action/summary.js';
import type { Finding, Severity } from '../../src/model/types.js';

/** The pure halves of the action: what it would print, summarize and comment, without any I/O. */

function finding(i: number, severity: Severity, message = `message ${i}`): Finding {
  return {
    ruleId: severity === 'error' ? 'secret-in-env' : 'pdb-missing',
    severity,
    message,
    file: `k8s/svc-${Math.floor(i / 10)}.yaml`,
    range: { startLine: i + 1, startColumn: 3, endLine: i + 1, endColumn: 12 },
    exact: true,
    fingerprint: String(i),
  };
}

function view(reported: Finding[], run: string | null = 'https://github.com/acme/gitops/actions/runs/1'): ReportView {
  const all = { error: 0, warning: 0, note: 0, suppressed: 0 };
  for (const f of reported) all[f.severity]++;
  const ruleDocs = new Map(
    ['secret-in-env', 'pdb-missing'].map((id) => [
      id,
      `https://github.com/shipshape-dev/shipshape/blob/main/docs/rules/${id}.md`,
    ]),
  );
  return {
    reported,
    all,
    files: 3,
    resources: 9,
    scope: 'changed',
    sarifFile: 'shipshape.sarif',
    links: run ? { run, blobBase: 'https://github.com/acme/gitops/blob/abc' } : {},
    ruleDocs,
  };
}

describe('the pull request comment', () => {
  it('stays within 65,536 characters and says where the rest is', () => {
    const findings = Array.from({ length: 2000 }, (_, i) =>
      finding(i, i % 3 ? 'warning' : 'error', `${'a long message '.repeat(30)}#${i}`),
    );
    const body = formatComment(view(findings), { listed: 2000 });
    expect(body.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
    expect(body.length).toBeGreaterThan(COMMENT_MAX_CHARS - 2000); // filled, not cut short
    expect(
      body.startsWith(
        `${COMMENT_MARKER}\n### ✖ shipshape: 667 errors and 1333 warnings that this pull request introduces`,
      ),
    ).toBe(true);
    const items = body.split('\n').filter((l) => l.startsWith('- '));
    // Most severe first: every error before any warning, so a cut drops warnings before errors.
    expect(items.length).toBeLessThan(667);
    expect(items.every((l) => l.startsWith('- 🔴 error'))).toBe(true);
    expect(body).toContain(
      `…and **${2000 - items.length} more findings** not shown here (${667 - items.length} errors and 1333 warnings): the [job summary](https://github.com/acme/gitops/actions/runs/1) lists them all.`,
    );
    expect(body.trimEnd().endsWith('[job summary](https://github.com/acme/gitops/actions/runs/1)</sub>')).toBe(true);
  });

  it('is complete when it fits, and names the job summary plainly without a run link', () => {
    const small = formatComment(view([finding(1, 'error')]), { listed: 1 });
    expect(small).not.toContain('not shown here');
    expect(small).toContain('**` k8s/svc-0.yaml `**');
    expect(small).toContain(
      '- 🔴 error [line 2](https://github.com/acme/gitops/blob/abc/k8s/svc-0.yaml#L2) [` secret-in-env `](https://github.com/shipshape-dev/shipshape/blob/main/docs/rules/secret-in-env.md)',
    );
    const cut = formatComment(
      view(
        Array.from({ length: 50 }, (_, i) => finding(i, 'warning')),
        null,
      ),
      { listed: 50 },
      2000,
    );
    expect(cut.length).toBeLessThanOrEqual(2000);
    expect(cut).toMatch(
      /…and \*\*\d+ more findings\*\* not shown here \(\d+ warnings\): the job summary of this run lists them all\./,
    );
  });

  it('does not send readers to a summary that was itself cut', () => {
    const findings = Array.from({ length: 400 }, (_, i) =>
      finding(i, 'warning', `${'a long message '.repeat(30)}#${i}`),
    );
    const partly = formatComment(view(findings), { listed: 300 });
    expect(partly).toMatch(
      /not shown here \(\d+ warnings\): the \[job summary\]\(https:\/\/github.com\/acme\/gitops\/actions\/runs\/1\) lists the first 300 of 400; the SARIF report \(` shipshape.sarif `\) has every one\./,
    );
    const none = formatComment(view(findings), { listed: 0 });
    expect(none).toMatch(/not shown here \(\d+ warnings\): the SARIF report \(` shipshape.sarif `\) has every one\./);
  });

  it('says the pull request is clean when an earlier comment is updated', () => {
    expect(formatComment(view([]), { listed: 0 })).toBe(
      `${COMMENT_MARKER}\n### ✔ shipshape: no problems that this pull request introduces\n\n<sub>3 files, 9 resources checked · [job summary](https://github.com/acme/gitops/actions/runs/1)</sub>\n`,
    );
  });
});

describe('markdown from repository content', () => {
  it.each([
    ['a table cell stays one cell', 'a | b', 'a \\| b'],
    ['no markup', '<img src=x onerror=alert(1)>', '\\<img src=x onerror=alert\\(1\\)\\>'],
    ['no mention', 'owner @acme/platform', 'owner @<!-- -->acme/platform'],
    ['no reference', 'owner/repo#1', 'owner/repo\\#<!-- -->1'],
    ['no link', '[a](https://e.example)', '\\[a\\]\\(https:/<!-- -->/e.example\\)'],
    ['one line', 'a\r\nb\nc', 'a b c'],
  ])('%s', (_name, input, want) => {
    expect(text(input)).toBe(want);
  });
});

describe('the job summary', () => {
  it('stays under 1 MiB in bytes with non-ASCII messages, most severe first, and says what it left out', () => {
    // 3 bytes per character: 800,000 characters would be 2.4 MB.
    const findings = Array.from({ length: 990 }, (_, i) =>
      finding(i, i % 2 ? 'warning' : 'error', `${'名前'.repeat(600)} #${i}`),
    );
    const { markdown, shown } = formatSummary(view(findings), { error: 0, warning: 0, note: 0 });
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    expect(Buffer.byteLength(markdown)).toBeGreaterThan(SUMMARY_MAX_BYTES - 10_000);
    expect(shown).toBeLessThan(495);
    const rows = markdown.split('\n').filter((l) => l.startsWith('| 🔴') || l.startsWith('| 🟡'));
    expect(rows).toHaveLength(shown);
    expect(rows.every((r) => r.startsWith('| 🔴 error'))).toBe(true);
    // The comment is written before the annotations: what the summary lists must not depend on them.
    const withDropped = formatSummary(view(findings), { error: 480, warning: 485, note: 0 });
    expect(withDropped.shown).toBe(shown);
    expect(Buffer.byteLength(withDropped.markdown)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    expect(withDropped.markdown).toContain('965 more findings (480 errors and 485 warnings) have no annotation');
    expect(markdown).toContain(
      `> **${990 - shown} more findings not listed** (${495 - shown} errors and 495 warnings): this summary lists at most 1000 findings and stays under GitHub's 1 MiB limit. The SARIF report (\` shipshape.sarif \`) has every finding.`,
    );
  });

  it('lists at most 1000 findings', () => {
    const { markdown, shown } = formatSummary(view(Array.from({ length: 1003 }, (_, i) => finding(i, 'note'))), {
      error: 0,
      warning: 0,
      note: 0,
    });
    expect(shown).toBe(1000);
    expect(markdown).toContain('> **3 more findings not listed** (3 notes)');
  });
});

describe('annotations', () => {
  it('fill each level up to its budget, errors first, and count the rest', () => {
    const findings = [
      ...Array.from({ length: 4 }, (_, i) => finding(i, 'note')),
      ...Array.from({ length: 12 }, (_, i) => finding(i, 'warning')),
      ...Array.from({ length: 3 }, (_, i) => finding(i, 'error')),
    ];
    findings.push({ ...finding(99, 'error'), suppressed: { kind: 'inSource' } });
    const plan = planAnnotations(findings, { error: 2, warning: 10, notice: 10 });
    expect(plan.annotations.map((a) => a.level)).toEqual([
      ...Array(2).fill('error'),
      ...Array(10).fill('warning'),
      ...Array(4).fill('notice'),
    ]);
    expect(plan.omitted).toEqual({ error: 1, warning: 2, note: 0 });
    expect(plan.annotations[0]).toEqual({
      level: 'error',
      message: 'message 0',
      properties: {
        title: 'secret-in-env',
        file: 'k8s/svc-0.yaml',
        startLine: 1,
        endLine: 1,
        startColumn: 3,
        endColumn: 12,
      },
    });
  });

  it('are counted in the summary when GitHub would drop them', () => {
    const md = formatSummary(view([finding(1, 'error')]), { error: 3, warning: 1, note: 0 }).markdown;
    expect(md).toContain(
      '> GitHub shows only the first 10 annotations of each level in a step: 4 more findings (3 errors and 1 warning) have no annotation and are listed below.',
    );
  });
});
