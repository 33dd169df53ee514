import { describe, expect, it } from 'vitest';
import { planAnnotations } from '../../src/action/annotations.js';
import { COMMENT_MARKER, COMMENT_MAX_CHARS, formatComment } from '../../src/action/comment.js';
import { inline, type ReportView } from '../../src/action/markdown.js';
import { formatSummary } from '../../src/action/summary.js';
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
  return { reported, all, files: 3, resources: 9, scope: 'changed', sarifFile: 'shipshape.sarif', links: run ? { run, blobBase: 'https://github.com/acme/gitops/blob/abc' } : {} };
}

describe('the pull request comment', () => {
  it('stays within 65,536 characters and says where the rest is', () => {
    const findings = Array.from({ length: 2000 }, (_, i) => finding(i, i % 3 ? 'warning' : 'error', `${'a long message '.repeat(30)}#${i}`));
    const body = formatComment(view(findings));
    expect(body.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
    expect(body.length).toBeGreaterThan(COMMENT_MAX_CHARS - 2000); // filled, not cut short
    expect(body.startsWith(`${COMMENT_MARKER}\n### ✖ shipshape: 667 errors and 1333 warnings in the files this pull request changes`)).toBe(true);
    const shown = body.split('\n').filter((l) => l.startsWith('- ')).length;
    expect(body).toContain(`…and ${2000 - shown} more findings not shown here: see the [job summary](https://github.com/acme/gitops/actions/runs/1).`);
    expect(body.trimEnd().endsWith('[job summary](https://github.com/acme/gitops/actions/runs/1)</sub>')).toBe(true);
  });

  it('is complete when it fits, and names the job summary plainly without a run link', () => {
    const small = formatComment(view([finding(1, 'error')]));
    expect(small).not.toContain('not shown here');
    expect(small).toContain('- 🔴 error [line 2](https://github.com/acme/gitops/blob/abc/k8s/svc-0.yaml#L2) [`secret-in-env`]');
    const cut = formatComment(view(Array.from({ length: 50 }, (_, i) => finding(i, 'warning')), null), 2000);
    expect(cut.length).toBeLessThanOrEqual(2000);
    expect(cut).toMatch(/…and \d+ more findings not shown here: see the job summary of this run\./);
  });

  it('says the pull request is clean when an earlier comment is updated', () => {
    expect(formatComment(view([]))).toBe(
      `${COMMENT_MARKER}\n### ✔ shipshape: no problems in the files this pull request changes\n\n<sub>3 files, 9 resources checked · [job summary](https://github.com/acme/gitops/actions/runs/1)</sub>\n`,
    );
  });
});

describe('markdown from repository content', () => {
  it.each([
    ['a table cell stays one cell', 'a | b', 'a \\| b'],
    ['no markup', '<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['no mention', 'owner @acme/platform', 'owner @<!-- -->acme/platform'],
    ['one line', 'a\r\nb\nc', 'a b c'],
  ])('%s', (_name, text, want) => {
    expect(inline(text)).toBe(want);
  });
});

describe('annotations', () => {
  it('fill each level up to its budget, errors first, and count the rest', () => {
    const findings = [...Array.from({ length: 4 }, (_, i) => finding(i, 'note')), ...Array.from({ length: 12 }, (_, i) => finding(i, 'warning')), ...Array.from({ length: 3 }, (_, i) => finding(i, 'error'))];
    findings.push({ ...finding(99, 'error'), suppressed: { kind: 'inSource' } });
    const plan = planAnnotations(findings, { error: 2, warning: 10, notice: 10 });
    expect(plan.annotations.map((a) => a.level)).toEqual([...Array(2).fill('error'), ...Array(10).fill('warning'), ...Array(4).fill('notice')]);
    expect(plan.omitted).toEqual({ error: 1, warning: 2, note: 0 });
    expect(plan.annotations[0]).toEqual({
      level: 'error',
      message: 'message 0',
      properties: { title: 'secret-in-env', file: 'k8s/svc-0.yaml', startLine: 1, endLine: 1, startColumn: 3, endColumn: 12 },
    });
  });

  it('are counted in the summary when GitHub would drop them', () => {
    const md = formatSummary(view([finding(1, 'error')]), { error: 3, warning: 1, note: 0 });
    expect(md).toContain('> GitHub shows only the first 10 annotations of each level in a step: 4 more findings (3 errors and 1 warning) have no annotation and are listed below.');
  });
});
