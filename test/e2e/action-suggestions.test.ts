import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { active } from '../helpers/markdown.js';
import {
  ACTIONS_BOT,
  buildBundle,
  FIXTURE_REPO,
  OWNER,
  PR_NUMBER,
  REPO,
  runAction,
  startFakeApi,
  TOKEN,
  workspaceFrom,
  type FakeApi,
  type RecordedRequest,
} from './action-harness.js';

/**
 * The Action's suggested fixes: one review of ```suggestion comments on the lines a pull request changed, kept in step
 * with the next pushes, against the loopback API whose files carry the patches of a real `git diff`.
 */

const FIX_RULES = new Set(['hpa-min-replicas', 'replicas-with-hpa']);
const PULLS = `/repos/${OWNER}/${REPO}/pulls`;
const DOCS = 'https://github.com/shipshape-dev/shipshape/blob/main/docs/rules';

// Added by the pull request: an HPA for web (in the base already, unchanged but for its image) with minReplicas 1.
const WEB_HPA = [
  '# Scales web.', // 1
  'apiVersion: autoscaling/v2', // 2
  'kind: HorizontalPodAutoscaler', // 3
  'metadata:', // 4
  '  name: web', // 5
  '  namespace: shop', // 6
  'spec:', // 7
  '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}', // 8
  '  minReplicas: 1 # nights are quiet', // 9
  '  maxReplicas: 6', // 10
  '',
].join('\n');

// Added: a Deployment that sets replicas, and its HPA without minReplicas.
const CART = [
  'apiVersion: apps/v1', // 1
  'kind: Deployment', // 2
  'metadata:', // 3
  '  name: cart', // 4
  '  namespace: shop', // 5
  'spec:', // 6
  '  replicas: 2', // 7
  '  selector:', // 8
  '    matchLabels: {app: cart}', // 9
  '  template:', // 10
  '    metadata:', // 11
  '      labels: {app: cart}', // 12
  '    spec:', // 13
  '      containers:', // 14
  '        - name: cart', // 15
  '          image: ghcr.io/acme/cart:1.0.0', // 16
  '---', // 17
  'apiVersion: autoscaling/v2', // 18
  'kind: HorizontalPodAutoscaler', // 19
  'metadata:', // 20
  '  name: cart', // 21
  '  namespace: shop', // 22
  'spec:', // 23
  '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: cart}', // 24
  '  maxReplicas: 4', // 25
  '',
].join('\n');

// Added, but GitHub gives no patch for it (too big): its finding gets no suggestion.
const BIG = WEB_HPA.replace(/web/g, 'big');

let api: FakeApi;

beforeAll(() => buildBundle());
beforeEach(async () => {
  api = await startFakeApi();
  api.pageSize = 2; // the review comments come in pages too
});
afterEach(async () => {
  await api.close();
});

const git = (workspace: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd: workspace,
    encoding: 'utf8',
  }).trim();

interface Checkout {
  workspace: string;
  base: string;
  /** The pull request's head commit, checked out. */
  head: string;
}

/** A checkout of a pull request: its base commit is the fixture repository, its head has `files` written over it. */
function checkout(files: Record<string, string>): Checkout {
  const workspace = workspaceFrom(FIXTURE_REPO);
  git(workspace, 'init', '-q');
  git(workspace, 'add', '-A');
  git(workspace, 'commit', '-q', '-m', 'base');
  const base = git(workspace, 'rev-parse', 'HEAD');
  return { workspace, base, head: push(workspace, files) };
}

/** The next push of the pull request: `files` written and committed; returns the new head. */
function push(workspace: string, files: Record<string, string>): string {
  write(workspace, files);
  git(workspace, 'add', '-A');
  git(workspace, 'commit', '-q', '--allow-empty', '-m', 'head');
  return git(workspace, 'rev-parse', 'HEAD');
}

function write(workspace: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true });
    writeFileSync(path.join(workspace, file), text);
  }
}

function pullRequest(): Checkout {
  const web = readFileSync(path.join(FIXTURE_REPO, 'k8s/web.yaml'), 'utf8').replace('web:2.0.1', 'web:2.1.0');
  api.files = [
    { filename: 'k8s/web.yaml', status: 'modified' },
    { filename: 'k8s/web-hpa.yaml', status: 'added' },
    { filename: 'k8s/cart.yaml', status: 'added' },
    { filename: 'k8s/big-hpa.yaml', status: 'added', patch: null },
  ];
  return checkout({
    'k8s/web.yaml': web,
    'k8s/web-hpa.yaml': WEB_HPA,
    'k8s/cart.yaml': CART,
    'k8s/big-hpa.yaml': BIG,
  });
}

function body(ruleId: string, message: string, content: string[], fingerprint: string): string {
  return [
    `[\` ${ruleId} \`](${DOCS}/${ruleId}.md) ${message}`,
    '',
    '```suggestion',
    ...content,
    '```',
    `<!-- shipshape:suggestion ${fingerprint} -->`,
  ].join('\n');
}

const writes = (requests: RecordedRequest[]): string[] =>
  requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.url}`);

const FP = /\n<!-- shipshape:suggestion ([0-9a-f]{32}) -->$/;
const fingerprintOf = (b: string): string => FP.exec(b)![1]!;

/** The review comments as the API holds them: path, lines, and the body with its fingerprint as `FP`. */
function comments(): { id: number; path: string; line: number | null; start_line: number | null; body: string }[] {
  return api.reviewComments.map((c) => ({
    id: c.id,
    path: c.path,
    line: c.line,
    start_line: c.start_line,
    body: c.body.replace(FP, '\n<!-- shipshape:suggestion FP -->'),
  }));
}

const CART_REPLICAS = body(
  'replicas-with-hpa',
  'Deployment shop/cart sets replicas: 2, but HPA cart scales it \\(1–4\\)',
  [],
  'FP',
);
const CART_MIN = body(
  'hpa-min-replicas',
  'HorizontalPodAutoscaler shop/cart has no minReplicas, so 1, under 2',
  ['  maxReplicas: 4', '  minReplicas: 2'],
  'FP',
);
const WEB_MIN = (comment: string): string =>
  body(
    'hpa-min-replicas',
    'HorizontalPodAutoscaler shop/web has minReplicas: 1, under 2',
    [`  minReplicas: 2 # ${comment}`],
    'FP',
  );

describe('suggested fixes on a pull request', () => {
  it('posts one review on the changed lines, keeps it on a re-run, updates, moves and deletes on the next pushes', async () => {
    const pr = pullRequest();
    const { workspace, base } = pr;
    let head = pr.head;
    const run = () =>
      runAction({ workspace, api, baseSha: base, headSha: head, rules: FIX_RULES, inputs: { comment: 'false' } });

    // 1. One review, on the head commit, with a suggestion per fixable finding on lines the pull request added.
    const first = await run();
    expect(first.code).toBe(0);
    expect(writes(api.requests)).toEqual([`POST ${PULLS}/${PR_NUMBER}/reviews`]);
    expect(api.reviews).toEqual([
      {
        id: expect.any(Number),
        commit_id: head,
        event: 'COMMENT',
        body: 'shipshape: 3 suggested fixes on lines this pull request changes.',
        comments: api.reviewComments.map((c) => c.id),
      },
    ]);
    const [cartReplicas, cartMin, webMin] = api.reviewComments.map((c) => c.id);
    expect(comments()).toEqual([
      // The whole `replicas: 2` line goes: an empty suggestion.
      { id: cartReplicas, path: 'k8s/cart.yaml', line: 7, start_line: null, body: CART_REPLICAS },
      // minReplicas is missing: the new line is suggested with the line before it, the last of the HPA.
      { id: cartMin, path: 'k8s/cart.yaml', line: 25, start_line: null, body: CART_MIN },
      // The value changes; the comment on the line stays.
      { id: webMin, path: 'k8s/web-hpa.yaml', line: 9, start_line: null, body: WEB_MIN('nights are quiet') },
    ]);
    const review = api.requests.find((r) => r.method === 'POST')!.body as { comments: unknown[] };
    expect(review.comments[0]).toEqual({
      path: 'k8s/cart.yaml',
      body: api.reviewComments[0]!.body,
      line: 7,
      side: 'RIGHT',
    });
    // The findings left without a suggestion, and why: web's replicas line is not in the diff (the pull request only
    // changed web's image); big-hpa.yaml has no patch in the API's answer.
    expect(first.stdout).toContain(
      'no suggestion for replicas-with-hpa (line 9): line 9 is not a line the pull request changed',
    );
    expect(first.stdout).toContain(
      'no suggestion for hpa-min-replicas (line 9): the pull request diff does not show the file',
    );
    expect(first.stdout).toContain('suggested fixes: 3 (3 posted, 0 updated, 0 unchanged), 0 earlier ones deleted');
    expect(api.reviewComments.map((c) => c.path)).not.toContain('k8s/web.yaml');
    const fingerprints = api.reviewComments.map((c) => fingerprintOf(c.body));
    expect(new Set(fingerprints).size).toBe(3);

    // 2. The same head again: nothing posted, nothing changed (who the token is, asked once the comments are found).
    api.requests = [];
    const second = await run();
    expect(second.code).toBe(0);
    expect(writes(api.requests)).toEqual(['POST /graphql']);
    expect(api.requests.filter((r) => r.url.startsWith(`${PULLS}/${PR_NUMBER}/comments`)).length).toBe(2); // 2 pages
    expect(api.reviews).toHaveLength(1);
    expect(api.reviewComments.map((c) => c.id)).toEqual([cartReplicas, cartMin, webMin]);
    expect(second.stdout).toContain('suggested fixes: 3 (0 posted, 0 updated, 3 unchanged), 0 earlier ones deleted');

    // 3. A push that edits web's minReplicas line (the suggestion's text changes: updated in place) and adds a line at
    // the top of cart.yaml (its suggestions move: a comment's line cannot change, so they are deleted and posted again).
    head = push(workspace, {
      'k8s/web-hpa.yaml': WEB_HPA.replace('nights are quiet', 'quiet at night'),
      'k8s/cart.yaml': `# The cart service.\n${CART}`,
    });
    api.requests = [];
    const third = await run();
    expect(third.code).toBe(0);
    expect(writes(api.requests)).toEqual([
      'POST /graphql',
      `PATCH ${PULLS}/comments/${webMin}`,
      `POST ${PULLS}/${PR_NUMBER}/reviews`,
      `DELETE ${PULLS}/comments/${cartReplicas}`,
      `DELETE ${PULLS}/comments/${cartMin}`,
    ]);
    expect(api.reviews).toHaveLength(2);
    expect(api.reviews[1]!.commit_id).toBe(head);
    expect(api.reviews[1]!.body).toBe('shipshape: 2 suggested fixes on lines this pull request changes.');
    const [newReplicas, newMin] = api.reviewComments.slice(1).map((c) => c.id);
    expect(comments()).toEqual([
      { id: webMin, path: 'k8s/web-hpa.yaml', line: 9, start_line: null, body: WEB_MIN('quiet at night') },
      { id: newReplicas, path: 'k8s/cart.yaml', line: 8, start_line: null, body: CART_REPLICAS },
      { id: newMin, path: 'k8s/cart.yaml', line: 26, start_line: null, body: CART_MIN },
    ]);
    // Same findings, same fingerprints.
    expect(new Set(api.reviewComments.map((c) => fingerprintOf(c.body)))).toEqual(new Set(fingerprints));

    // 4. The author applies web's suggestion: its finding is gone, so is its comment; nothing new is posted.
    head = push(workspace, {
      'k8s/web-hpa.yaml': WEB_HPA.replace('minReplicas: 1 # nights are quiet', 'minReplicas: 2 # quiet at night'),
    });
    api.requests = [];
    const fourth = await run();
    expect(fourth.code).toBe(0);
    expect(writes(api.requests)).toEqual(['POST /graphql', `DELETE ${PULLS}/comments/${webMin}`]);
    expect(api.reviews).toHaveLength(2);
    expect(comments().map((c) => c.id)).toEqual([newReplicas, newMin]);
    expect(fourth.stdout).toContain('suggested fixes: 2 (0 posted, 0 updated, 2 unchanged), 1 earlier ones deleted');
  });

  it('leaves alone the review comments of others, even with the marker', async () => {
    const { workspace, base, head } = pullRequest();
    const marker = `<!-- shipshape:suggestion ${'0'.repeat(32)} -->`;
    api.reviewComments = [
      {
        id: 500,
        body: `Please take this one\n\n\`\`\`suggestion\n  minReplicas: 9\n\`\`\`\n${marker}`,
        path: 'k8s/web-hpa.yaml',
        line: 9,
        start_line: null,
        side: 'RIGHT',
        start_side: null,
        commit_id: head,
        pull_request_review_id: 499,
        user: { login: 'mallory', id: 4, type: 'User' },
      },
    ];
    const run = await runAction({
      workspace,
      api,
      baseSha: base,
      headSha: head,
      rules: FIX_RULES,
      inputs: { comment: 'false' },
    });
    expect(run.code).toBe(0);
    expect(writes(api.requests)).toEqual(['POST /graphql', `POST ${PULLS}/${PR_NUMBER}/reviews`]);
    expect(api.reviewComments[0]!.body).toContain('minReplicas: 9');
    expect(api.reviewComments.filter((c) => c.user.login === ACTIONS_BOT.login)).toHaveLength(3);
  });

  it('when the token cannot say who it is: no comment edited or deleted, and no second one for a finding', async () => {
    const pr = pullRequest();
    const opts = { workspace: pr.workspace, api, baseSha: pr.base, rules: FIX_RULES, inputs: { comment: 'false' } };
    await runAction({ ...opts, headSha: pr.head });
    expect(api.reviewComments).toHaveLength(3);
    const before = JSON.stringify(api.reviewComments);
    api.viewer = undefined;
    api.requests = [];
    // web's finding is fixed and cart's lines move: with an identity, a deletion and a new review.
    const head = push(pr.workspace, {
      'k8s/web-hpa.yaml': WEB_HPA.replace('minReplicas: 1', 'minReplicas: 2'),
      'k8s/cart.yaml': `# The cart service.\n${CART}`,
    });
    const run = await runAction({ ...opts, headSha: head });
    expect(run.code).toBe(0);
    expect(writes(api.requests)).toEqual(['POST /graphql']);
    expect(JSON.stringify(api.reviewComments)).toBe(before);
    expect(run.commands.filter((c) => c.name === 'warning' && !c.properties.file).map((c) => c.message)).toEqual([
      'cannot tell which account the github-token belongs to (Request failed due to following response errors:): no earlier comment is updated',
    ]);
  });

  it('suggests only on files that are the same at the head commit, and nothing without the head commit', async () => {
    const { workspace, base, head } = pullRequest();
    // A pull_request event checks out the merge with the base branch: here the base branch changed web-hpa.yaml too.
    write(workspace, { 'k8s/web-hpa.yaml': `# Owned by the web team.\n${WEB_HPA}` });
    const merged = await runAction({
      workspace,
      api,
      baseSha: base,
      headSha: head,
      rules: FIX_RULES,
      inputs: { comment: 'false' },
    });
    expect(merged.code).toBe(0);
    expect(api.reviewComments.map((c) => `${c.path}:${c.line}`)).toEqual(['k8s/cart.yaml:7', 'k8s/cart.yaml:25']);
    expect(merged.stdout).toContain(
      'no suggestion for hpa-min-replicas (line 10): the file differs from its version at the head commit',
    );

    // The head commit is not in the checkout (and there is no remote to fetch it from): nothing is read or written.
    api.requests = [];
    const headless = await runAction({ workspace, api, baseSha: base, rules: FIX_RULES, inputs: { comment: 'false' } });
    expect(headless.code).toBe(0);
    expect(headless.stdout).toContain(
      'suggested fixes: the head commit of the pull request is not in the checkout (and cannot be fetched): none written',
    );
    expect(api.requests).toEqual([]);
    expect(api.reviewComments).toHaveLength(2);
  });

  it('posts at most 50 suggestions in a run, and says how many more there are', async () => {
    const hpa = (i: number): string =>
      `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h${i}}\nspec:\n  scaleTargetRef: {kind: Deployment, name: d${i}}\n  maxReplicas: 4\n`;
    const many = Array.from({ length: 52 }, (_, i) => hpa(i)).join('---\n');
    api.files = [{ filename: 'k8s/many.yaml', status: 'added' }];
    api.pageSize = 100;
    const { workspace, base, head } = checkout({ 'k8s/many.yaml': many });
    const run = await runAction({
      workspace,
      api,
      baseSha: base,
      headSha: head,
      rules: FIX_RULES,
      inputs: { comment: 'false', annotations: 'false' },
    });
    expect(run.code).toBe(0);
    expect(api.reviews).toHaveLength(1);
    expect(api.reviews[0]!.comments).toHaveLength(50);
    // Each HPA is 7 lines (with its `---`): the anchor is its maxReplicas line.
    expect(api.reviewComments.map((c) => c.line)).toEqual(Array.from({ length: 50 }, (_, i) => 6 + 7 * i));
    expect(run.stdout).toContain(
      '2 more fixable findings get no suggestion in this run: at most 50 per run (`shipshape --fix` fixes them all)',
    );
  });

  it('suggestions: false makes no review request', async () => {
    const { workspace, base, head } = pullRequest();
    const run = await runAction({
      workspace,
      api,
      baseSha: base,
      headSha: head,
      rules: FIX_RULES,
      inputs: { comment: 'false', suggestions: 'false' },
    });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ warnings: '3', notes: '2' });
    expect(api.requests).toEqual([]);
  });

  it('turns a 403 on the review into one warning and finishes the run', async () => {
    const { workspace, base, head } = pullRequest();
    api.forbidReviewWrites = true;
    const run = await runAction({
      workspace,
      api,
      baseSha: base,
      headSha: head,
      rules: FIX_RULES,
      inputs: { 'fail-on': 'warning' },
    });
    expect(run.code).toBe(1); // the findings fail the step, as they would without suggestions
    expect(run.stderr).toBe('');
    const warnings = run.commands.filter((c) => c.name === 'warning' && !c.properties.file).map((c) => c.message);
    expect(warnings).toEqual([
      'cannot write the suggested fixes (HTTP 403: Resource not accessible by integration - https://docs.github.com/rest/issues/comments): the token cannot write pull request reviews (give the job `permissions: pull-requests: write`; pull requests from forks get a read-only token), or set `suggestions: false`. The check itself is not affected.',
    ]);
    expect(run.stdout).not.toContain(TOKEN);
    // The comment, the annotations, the summary and the outputs are all there.
    expect(api.comments).toHaveLength(1);
    expect(run.annotations).toHaveLength(5);
    expect(run.summary).toContain('## shipshape');
    expect(run.outputs).toMatchObject({ warnings: '3', notes: '2', total: '5' });
  });

  it('escapes hostile file and resource names in the body, and puts no secret value in any request', async () => {
    const file = 'k8s/[x](https:%2F%2Fevil.example) @acme <img src=x> #1.yaml';
    const name = '[Click](https://evil.example/phish) ![t](https://evil.example/p.png) @acme/admins owner/repo#1';
    const yaml = [
      'apiVersion: autoscaling/v2', // 1
      'kind: HorizontalPodAutoscaler', // 2
      'metadata:', // 3
      `  name: ${JSON.stringify(name)}`, // 4
      'spec:', // 5
      `  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${JSON.stringify(name)}}`, // 6
      '  minReplicas: 1 # `x` ```` [y](https://evil.example/i)', // 7
      '  maxReplicas: 3', // 8
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: p}',
      'spec:',
      '  containers:',
      '    - name: p',
      '      image: ghcr.io/acme/p:1',
      '      env:',
      '        - {name: DB_PASSWORD, value: planted-Sugg3st-pw}',
      '',
    ].join('\n');
    api.files = [{ filename: file, status: 'added' }];
    const { workspace, base, head } = checkout({ [file]: yaml });
    const run = await runAction({
      workspace,
      api,
      baseSha: base,
      headSha: head,
      rules: new Set([...FIX_RULES, 'secret-in-env']),
      inputs: { comment: 'false', 'fail-on': 'none' },
    });
    expect(run.code).toBe(0);
    // Two suggestions: minReplicas, and the secret moved to a secretKeyRef (the value gone from the suggested line).
    expect(api.reviewComments.map((x) => x.line)).toEqual([7, 18]);
    const secret = api.reviewComments[1]!;
    expect(secret.body).toContain(
      '        - {name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: p, key: DB_PASSWORD}}}',
    );
    const c = api.reviewComments[0]!;
    expect(c.path).toBe(file); // the API takes the name as it is (JSON)
    expect(c.line).toBe(7);
    const [first, blank, open, content, close, marker] = c.body.split('\n');
    expect(first).toBe(
      `[\` hpa-min-replicas \`](${DOCS}/hpa-min-replicas.md) HorizontalPodAutoscaler \\[Click\\]\\(https:/<!-- -->/…ns owner/repo\\#<!-- -->1 has minReplicas: 1, under 2`,
    );
    expect([blank, open, content, close]).toEqual([
      '',
      '`````suggestion',
      '  minReplicas: 2 # `x` ```` [y](https://evil.example/i)',
      '`````',
    ]);
    expect(marker).toMatch(/^<!-- shipshape:suggestion [0-9a-f]{32} -->$/);
    const r = active(c.body);
    expect(r.links).toEqual([`${DOCS}/hpa-min-replicas.md`]);
    expect(r.images).toEqual([]);
    expect(r.references).toEqual([]);
    expect(r.html.filter((h) => h !== '<!-- -->')).toEqual([marker]);
    for (const req of api.requests) expect(JSON.stringify(req.body ?? '')).not.toContain('planted-Sugg3st-pw');
    expect(run.stdout).not.toContain('planted-Sugg3st-pw');
  });
});
