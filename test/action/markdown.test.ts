import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMENT_MARKER, formatComment } from '../../src/action/comment.js';
import { code, text, type ReportView } from '../../src/action/markdown.js';
import { formatSummary } from '../../src/action/summary.js';
import type { Finding, Severity } from '../../src/model/types.js';
import { active } from '../helpers/markdown.js';

/**
 * Text from a pull request (resource names, images, file names, policy ids) rendered by a CommonMark + GFM renderer:
 * whatever it holds, the rendered markdown has no link, image, HTML element or mention that shipshape did not write.
 */

const PIECES = [
  '[Click to approve](https://evil.example/phish)',
  '![t](https://evil.example/pixel.png)',
  'owner/repo#1',
  '#12',
  'GH-7',
  '@acme/platform',
  'admin@evil.example',
  '<img src=x onerror=alert(1)>',
  '<https://evil.example>',
  '<!--',
  '-->',
  'https://evil.example/i',
  'www.evil.example',
  'javascript:alert(1)',
  '&lt;b&gt;',
  '&#64;user',
  '**bold**',
  '_em_',
  '~~s~~',
  '`code`',
  '``',
  '$x$',
  '|',
  '\\',
  '\\|',
  '[',
  ']',
  '(',
  ')',
  '!',
  ':',
  '//',
  '.',
  '\n',
  '\r\n',
  '\t',
  ' ',
  '\u2028',
  'é',
  '名前',
  '[x]: https://evil.example/ref',
  '[x]',
];
const hostile = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 6 }), fc.constantFrom('a', 'b', '1')), {
    maxLength: 14,
  })
  .map((p) => p.join(''));

/** What the escapes must keep: the text itself, on one line, with control characters as spaces. */
function shown(s: string, max = 1000): string {
  // eslint-disable-next-line no-control-regex
  const flat = s.replace(/\r\n|[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const OURS = '<!-- -->';

describe('text() and code(): untrusted text as inert markdown', () => {
  const contexts: [string, (s: string) => string][] = [
    ['a paragraph', (s) => `Before ${s} after`],
    ['a list item', (s) => `- 🔴 error ${s}`],
    ['a table cell', (s) => `| a | b |\n|---|---|\n| ${s} | end |`],
    ['bold', (s) => `**${s}**`],
  ];

  it.each(contexts)('text() in %s', (_name, wrap) => {
    fc.assert(
      fc.property(hostile, (s) => {
        const r = active(wrap(text(s)));
        expect(r.links).toEqual([]);
        expect(r.images).toEqual([]);
        expect(r.html.filter((h) => h !== OURS)).toEqual([]);
        expect(r.references).toEqual([]);
        expect(r.styles.filter((x) => x !== 'strong_open')).toEqual([]);
        expect(r.text).toContain(shown(s).trim());
        for (const n of r.rows) expect(n).toBe(2);
      }),
      { numRuns: 300 },
    );
  });

  it.each(contexts)('code() in %s', (name, wrap) => {
    fc.assert(
      fc.property(hostile, (s) => {
        const r = active(wrap(code(s, { cell: name === 'a table cell' })));
        expect(r.links).toEqual([]);
        expect(r.images).toEqual([]);
        expect(r.html).toEqual([]);
        expect(r.styles.filter((x) => x !== 'strong_open')).toEqual(['code']);
        // A code span shows its content exactly (one line); no text node outside it carries a reference.
        expect(r.text).toContain(shown(s, 300));
        expect(r.references).toEqual([]);
        for (const n of r.rows) expect(n).toBe(2);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    [
      'a link, a pixel and a cross-repository reference',
      '[Click to approve](https://evil.example/phish) ![t](https://evil.example/pixel.png) owner/repo#1',
    ],
    ['an image value with a link', 'nginx:[x](https://evil.example/i)'],
    ['markup in a file name', '<img src=x onerror=alert(1)>.yaml'],
  ])('%s stays text', (_name, s) => {
    const r = active(
      `| ${text(s)} | ${code(s, { cell: true })} |\n|---|---|\n| ${text(s)} | ${code(s, { cell: true })} |`,
    );
    expect({
      links: r.links,
      images: r.images,
      html: r.html.filter((h) => h !== OURS),
      references: r.references,
      rows: r.rows,
    }).toEqual({ links: [], images: [], html: [], references: [], rows: [2, 2] });
  });
});

const HOSTILE_NAME =
  '[Click to approve](https://evil.example/phish) ![t](https://evil.example/pixel.png) owner/repo#1 @acme/admins `x` **b** | c';
const HOSTILE_FILE = 'k8s/<img src=x onerror=alert(1)>|(x)[y](https:%2F%2Fevil.example).yaml';
const RUN = 'https://github.com/acme/gitops/actions/runs/1';
const BLOB = 'https://github.com/acme/gitops/blob/abc';
const DOCS = 'https://github.com/shipshape-dev/shipshape/blob/main/docs/rules/';

function hostileView(): ReportView {
  const finding = (i: number, severity: Severity, ruleId: string): Finding => ({
    ruleId,
    severity,
    message: `Deployment "${HOSTILE_NAME}" uses image nginx:[x](https://evil.example/i) #${i}`,
    file: HOSTILE_FILE,
    range: { startLine: i + 1, startColumn: 3, endLine: i + 1, endColumn: 12 },
    exact: true,
    fingerprint: String(i),
  });
  const reported = [
    finding(1, 'warning', 'pdb-missing'),
    finding(2, 'error', 'secret-in-env'),
    finding(3, 'note', 'team-policy'),
  ];
  return {
    reported,
    all: { error: 1, warning: 1, note: 1, suppressed: 0 },
    files: 1,
    resources: 1,
    scope: 'all',
    sarifFile: 'out/[s](https://evil.example).sarif',
    links: { run: RUN, blobBase: BLOB },
    // `team-policy` is a custom policy without a url: shown as code, linked nowhere.
    ruleDocs: new Map([
      ['pdb-missing', `${DOCS}pdb-missing.md`],
      ['secret-in-env', `${DOCS}secret-in-env.md`],
    ]),
  };
}

function onlyOurs(markdown: string): void {
  const r = active(markdown);
  for (const href of r.links) expect(href.startsWith(`${BLOB}/`) || href === RUN || href.startsWith(DOCS)).toBe(true);
  expect(
    r.links
      .filter((h) => h.startsWith(`${BLOB}/`))
      .every((h) =>
        h.startsWith(
          `${BLOB}/k8s/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E%7C%28x%29%5By%5D%28https%3A%252F%252Fevil.example%29.yaml#L`,
        ),
      ),
  ).toBe(true);
  expect(r.images).toEqual([]);
  expect(r.html.filter((h) => h !== OURS && h !== '<sub>' && h !== '</sub>' && h !== COMMENT_MARKER)).toEqual([]);
  expect(r.references).toEqual([]);
  expect(r.text).toContain(HOSTILE_NAME);
  expect(r.text).toContain(HOSTILE_FILE);
}

describe('the summary and the comment with hostile names', () => {
  it('the job summary links only to the repository, the run and the rule docs; every table row keeps its cells', () => {
    const md = formatSummary(hostileView(), { error: 0, warning: 0, note: 0 }).markdown;
    onlyOurs(md);
    const r = active(md);
    expect(new Set(r.rows)).toEqual(new Set([4]));
    expect(r.links.filter((h) => h.startsWith(DOCS))).toEqual([
      `${DOCS}secret-in-env.md`,
      `${DOCS}pdb-missing.md`,
      `${DOCS}secret-in-env.md`,
      `${DOCS}pdb-missing.md`,
    ]);
  });

  it('the comment too, most severe first', () => {
    const md = formatComment(hostileView(), { listed: 3 });
    onlyOurs(md);
    const items = md.split('\n').filter((l) => l.startsWith('- '));
    expect(items.map((l) => l.split(' ')[2])).toEqual(['error', 'warning', 'note']);
  });
});
