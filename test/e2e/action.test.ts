import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../../src/action/comment.js';
import { active } from '../helpers/markdown.js';
import {
  ACTIONS_BOT,
  buildBundle,
  FIXTURE_REPO,
  HEAD_SHA,
  OWNER,
  PR_NUMBER,
  REPO,
  RUN_ID,
  runAction,
  startFakeApi,
  TOKEN,
  workspaceFrom,
  type ActionRun,
  type FakeApi,
} from './action-harness.js';

/**
 * The bundled action, run as GitHub runs it: a node process with INPUT_* and GITHUB_* variables, a pull_request
 * payload, step summary and output files, and the REST API played by a server on 127.0.0.1.
 */

const PLANTED = ['planted-Act10n-pw', 'planted-W0rker-token'];
// A file name and a resource name that need every escape of the workflow-command format.
const ODD_FILE = 'k8s/odd,name:v1.yaml';
const ODD_YAML = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: "100%\\r\\nweb"',
  '  namespace: shop',
  'spec:',
  '  replicas: 2',
  '  selector: {matchLabels: {app: odd}}',
  '  template:',
  '    metadata: {labels: {app: odd}}',
  '    spec: {containers: [{name: odd, image: ghcr.io/acme/odd:1.0.0}]}',
  '',
].join('\n');

const PR_FILES = [
  { filename: 'k8s/api.yaml', status: 'modified' },
  { filename: 'k8s/web.yaml', status: 'added' },
  { filename: ODD_FILE, status: 'added' },
  { filename: 'README.md', status: 'modified' },
  { filename: 'k8s/old-worker.yaml', status: 'removed' },
];

let api: FakeApi;

beforeAll(() => buildBundle());
beforeEach(async () => {
  api = await startFakeApi();
  api.files = PR_FILES;
  api.pageSize = 2; // five files: three pages, so pagination is exercised
});
afterEach(async () => {
  await api.close();
});

function at(run: ActionRun, file: string, ruleId: string) {
  return run.annotations.filter((a) => a.properties.file === file && a.properties.title === ruleId);
}

function noSecrets(...texts: string[]): void {
  for (const t of texts) for (const s of PLANTED) expect(t).not.toContain(s);
}

describe('on a pull request', () => {
  it('annotates the findings of the changed files, with every escape the runner needs', async () => {
    const workspace = workspaceFrom(FIXTURE_REPO, { [ODD_FILE]: ODD_YAML });
    const run = await runAction({ workspace, api, inputs: { 'sarif-file': 'reports/shipshape.sarif' } });

    expect(run.code).toBe(1); // a literal password in a changed file, fail-on: error
    const secret = at(run, 'k8s/api.yaml', 'secret-in-env');
    expect(secret).toHaveLength(1);
    expect(secret[0]!.name).toBe('error');
    expect(secret[0]!.properties).toMatchObject({ line: '20', endLine: '20', col: '15', endColumn: '39' });
    expect(secret[0]!.message).toContain('DB_PASSWORD');
    expect(at(run, 'k8s/api.yaml', 'pdb-missing')).toMatchObject([
      { name: 'warning', properties: { line: '3', col: '1', endLine: '3', endColumn: '17' } },
    ]);

    // `,` and `:` in properties, `%`, CR and LF in the message, escaped on one physical line.
    const odd = at(run, ODD_FILE, 'pdb-missing');
    expect(odd).toHaveLength(1);
    expect(odd[0]!.raw).toMatch(/^::warning .*file=k8s\/odd%2Cname%3Av1\.yaml(,|::)/);
    expect(odd[0]!.raw).toContain('title=pdb-missing');
    expect(odd[0]!.raw).toContain('Deployment shop/100%25%0D%0Aweb ');
    expect(odd[0]!.message).toContain('Deployment shop/100%\r\nweb ');

    // The PodDisruptionBudget of web sits in an unchanged file: still loaded, so no false pdb-missing.
    expect(at(run, 'k8s/web.yaml', 'pdb-missing')).toEqual([]);
    // worker.yaml is not part of the pull request: no annotation, no comment line, but in SARIF.
    expect(run.annotations.map((a) => a.properties.file)).not.toContain('k8s/worker.yaml');
    expect(run.annotations).toHaveLength(3);
    const sarif = JSON.parse(readFileSync(path.join(workspace, 'reports/shipshape.sarif'), 'utf8')) as {
      runs: [
        { results: { ruleId: string; locations: [{ physicalLocation: { artifactLocation: { uri: string } } }] }[] },
      ];
    };
    const inSarif = sarif.runs[0].results.map(
      (r) => `${r.locations[0].physicalLocation.artifactLocation.uri} ${r.ruleId}`,
    );
    expect(inSarif).toEqual(
      expect.arrayContaining([
        'k8s/api.yaml secret-in-env',
        'k8s/api.yaml pdb-missing',
        'k8s/worker.yaml secret-in-env',
        'k8s/worker.yaml single-replica',
      ]),
    );
    expect(inSarif).toHaveLength(5);

    // Errors first, and the failure message itself.
    const levels = run.annotations.map((a) => a.name);
    expect(levels).toEqual(
      [...levels].sort((a, b) => ['error', 'warning', 'notice'].indexOf(a) - ['error', 'warning', 'notice'].indexOf(b)),
    );
    expect(run.commands.filter((c) => c.name === 'error' && !c.properties.file).map((c) => c.message)).toEqual([
      'shipshape: 1 error at or above fail-on: error',
    ]);

    expect(run.outputs).toEqual({
      'sarif-file': path.join(workspace, 'reports/shipshape.sarif'),
      errors: '1',
      warnings: '2',
      notes: '0',
      total: '3',
    });

    // Every request went to the fake API with the token; what is new comes from the base commit, not the API.
    expect(api.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);
    expect(api.requests.filter((r) => r.url.includes('/files'))).toEqual([]);
    noSecrets(run.stdout, run.stderr, run.summary, JSON.stringify(api.requests), JSON.stringify(run.outputs));
  });

  it('writes a job summary with counts per rule, links and every reported finding', async () => {
    const workspace = workspaceFrom(FIXTURE_REPO, { [ODD_FILE]: ODD_YAML });
    const run = await runAction({ workspace, api });
    const s = run.summary;
    expect(s).toContain('## shipshape');
    expect(s).toContain(
      '✖ **1 error and 2 warnings** that this pull request introduces (5 files, 5 resources checked).',
    );
    expect(s).toContain('| Rule | Errors | Warnings | Notes |');
    expect(s).toContain(
      '| [` secret-in-env `](https://github.com/shipshape-dev/shipshape/blob/main/docs/rules/secret-in-env.md) | 1 | 0 | 0 |',
    );
    expect(s).toContain(
      '| [` pdb-missing `](https://github.com/shipshape-dev/shipshape/blob/main/docs/rules/pdb-missing.md) | 0 | 2 | 0 |',
    );
    expect(s).toContain(
      '> 2 more findings were there before this pull request: they are only in the SARIF report (` shipshape.sarif `).',
    );
    // Links to the head commit of the pull request, not to the merge commit.
    expect(s).toContain(
      `| 🔴 error | [\` k8s/api.yaml:20:15 \`](https://github.com/${OWNER}/${REPO}/blob/${HEAD_SHA}/k8s/api.yaml#L20) | [\` secret-in-env \`](`,
    );
    expect(s).toContain(
      `[\` k8s/odd,name:v1.yaml:2:1 \`](https://github.com/${OWNER}/${REPO}/blob/${HEAD_SHA}/k8s/odd%2Cname%3Av1.yaml#L2)`,
    );
    // Most severe first, then file order.
    expect(s.indexOf('k8s/api.yaml:20:15')).toBeLessThan(s.indexOf('k8s/api.yaml:3:1'));
    expect(s.indexOf('k8s/api.yaml:3:1')).toBeLessThan(s.indexOf('k8s/odd,name:v1.yaml:2:1'));
    // A message cannot break the table or inject markup.
    expect(s).toContain('Deployment shop/100% web ');
    expect(s).not.toContain('worker.yaml');
    expect(s).not.toContain('GitHub shows only the first'); // nothing was left without an annotation
    noSecrets(s);
  });

  it('creates one comment, then updates it instead of adding another', async () => {
    api.comments = [
      { id: 101, body: 'LGTM once CI is green', user: { login: 'alice', id: 1, type: 'User' } },
      { id: 102, body: 'Does this need a PDB?', user: { login: 'bob', id: 2, type: 'User' } },
      { id: 103, body: `Quoting the bot: ${COMMENT_MARKER}`, user: { login: 'carol', id: 3, type: 'User' } },
      // Anyone can post the marker: an impostor's comment is never the one the action updates.
      {
        id: 104,
        body: `${COMMENT_MARKER}\n### ✔ shipshape: no problems, merge away`,
        user: { login: 'mallory', id: 4, type: 'User' },
      },
    ];
    const workspace = workspaceFrom(FIXTURE_REPO);
    const first = await runAction({ workspace, api });
    expect(first.code).toBe(1);
    const posts = api.requests.filter((r) => r.method === 'POST');
    // Who the token is, asked of GraphQL (REST's GET /user refuses GITHUB_TOKEN), then the new comment.
    expect(posts.map((r) => r.url)).toEqual(['/graphql', `/repos/${OWNER}/${REPO}/issues/${PR_NUMBER}/comments`]);
    expect(api.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
    expect(api.comments).toHaveLength(5);
    const own = api.comments[4]!;
    expect(own.user).toEqual(ACTIONS_BOT);
    expect(
      own.body.startsWith(
        `${COMMENT_MARKER}\n### ✖ shipshape: 1 error and 1 warning that this pull request introduces`,
      ),
    ).toBe(true);
    expect(own.body).toContain('**` k8s/api.yaml `**');
    expect(own.body).toContain(`[line 20](https://github.com/${OWNER}/${REPO}/blob/${HEAD_SHA}/k8s/api.yaml#L20)`);
    expect(own.body).toContain(`[job summary](https://github.com/${OWNER}/${REPO}/actions/runs/${RUN_ID})`);
    expect(own.body).not.toContain('worker.yaml');
    expect(own.body).toContain('2 more findings were there before this pull request: they are in the SARIF report');

    // The author fixes the secret; the second run updates the same comment.
    const fixed = readFileSync(path.join(workspace, 'k8s/api.yaml'), 'utf8').replace(
      /- name: DB_PASSWORD\n\s+value: \S+/,
      '- name: DB_HOST\n              value: db.shop.svc',
    );
    const workspace2 = workspaceFrom(FIXTURE_REPO, { 'k8s/api.yaml': fixed });
    api.requests = [];
    const second = await runAction({ workspace: workspace2, api });
    expect(second.code).toBe(0);
    expect(api.requests.filter((r) => r.method === 'POST').map((r) => r.url)).toEqual(['/graphql']);
    expect(api.requests.filter((r) => r.method === 'PATCH').map((r) => r.url)).toEqual([
      `/repos/${OWNER}/${REPO}/issues/comments/${own.id}`,
    ]);
    expect(api.comments).toHaveLength(5);
    expect(api.comments[4]!.body).toContain('### ⚠ shipshape: 1 warning that this pull request introduces');
    expect(api.comments[2]!.body).toBe(`Quoting the bot: ${COMMENT_MARKER}`);
    expect(api.comments[3]!.body).toBe(`${COMMENT_MARKER}\n### ✔ shipshape: no problems, merge away`);
    noSecrets(...api.comments.map((c) => c.body));
  });

  it('turns a 403 on the comment into a warning and finishes the run', async () => {
    api.forbidCommentWrites = true;
    const workspace = workspaceFrom(FIXTURE_REPO);
    const run = await runAction({ workspace, api, inputs: { 'fail-on': 'none' } });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const warning = run.commands.find(
      (c) => c.name === 'warning' && c.message.startsWith('cannot write the pull request comment'),
    );
    expect(warning?.message).toContain('HTTP 403: Resource not accessible by integration');
    expect(warning?.message).toContain('pull-requests: write');
    expect(run.stdout).not.toContain(TOKEN);
    expect(run.outputs).toMatchObject({ errors: '1', warnings: '1', total: '2' });
    expect(run.summary).toContain('## shipshape');
    expect(readFileSync(path.join(workspace, 'shipshape.sarif'), 'utf8')).toContain('"version": "2.1.0"');
  });

  it('fails a pull request that deletes a PodDisruptionBudget: the new finding is on the Deployment in an unchanged file', async () => {
    const workspace = workspaceFrom(FIXTURE_REPO);
    api.files = [{ filename: 'k8s/web-pdb.yaml', status: 'removed' }];
    // The base commit holds the PDB; the pull request removes it.
    const git = (...args: string[]): string =>
      execFileSync(
        'git',
        ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', '-c', 'commit.gpgsign=false', ...args],
        { cwd: workspace, encoding: 'utf8' },
      );
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    const base = git('rev-parse', 'HEAD').trim();
    rmSync(path.join(workspace, 'k8s/web-pdb.yaml'));
    const run = await runAction({ workspace, api, baseSha: base, inputs: { 'fail-on': 'warning', comment: 'false' } });
    expect(run.code).toBe(1);
    expect(run.annotations.map((a) => `${a.name} ${a.properties.file} ${a.properties.title}`)).toEqual([
      'warning k8s/web.yaml pdb-missing',
    ]);
    expect(run.outputs).toMatchObject({ errors: '0', warnings: '1', total: '1' });
    expect(run.summary).toContain('that this pull request introduces');
    expect(run.summary).toMatch(/more findings were there before this pull request/);
  });

  it('lists what the pull request fixes in the job summary, and passes', async () => {
    const workspace = workspaceFrom(FIXTURE_REPO);
    api.files = [{ filename: 'k8s/worker.yaml', status: 'modified' }];
    const git = (...args: string[]): string =>
      execFileSync(
        'git',
        ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', '-c', 'commit.gpgsign=false', ...args],
        { cwd: workspace, encoding: 'utf8' },
      );
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    const base = git('rev-parse', 'HEAD').trim();
    rmSync(path.join(workspace, 'k8s/worker.yaml'));
    const run = await runAction({ workspace, api, baseSha: base, inputs: { comment: 'false' } });
    expect(run.code).toBe(0);
    expect(run.summary).toMatch(
      /This pull request fixes 2 findings: ` (secret-in-env|single-replica) ` in ` k8s\/worker\.yaml `/,
    );
  });

  it('fails with what to do when the base commit is not in the checkout', async () => {
    const run = await runAction({
      workspace: workspaceFrom(FIXTURE_REPO),
      api,
      baseSha: '0'.repeat(40),
      inputs: { comment: 'false' },
    });
    expect(run.code).toBe(1);
    const failed = run.commands
      .filter((c) => c.name === 'error' && !c.properties.file)
      .map((c) => c.message)
      .join('\n');
    expect(failed).toContain(
      `cannot compare with the base commit of pull request #${PR_NUMBER}: --new-since ${'0'.repeat(40)}: no such commit in this repository`,
    );
    expect(failed).toContain('fetch-depth: 0');
    // Reported as if only-changed were off: every finding of the run.
    expect(run.summary).toContain('in the checked files');
  });

  it('passes when the changed files are clean, whatever the rest of the repository holds', async () => {
    api.files = [{ filename: 'k8s/web.yaml', status: 'modified' }];
    const run = await runAction({ workspace: workspaceFrom(FIXTURE_REPO), api });
    expect(run.code).toBe(0);
    expect(run.annotations).toEqual([]);
    expect(run.outputs).toMatchObject({ errors: '0', warnings: '0', notes: '0', total: '0' });
    expect(run.summary).toContain('✔ No problems that this pull request introduces (4 files, 4 resources checked).');
    expect(run.summary).toContain(
      '> 4 more findings were there before this pull request: they are only in the SARIF report',
    );
    // Nothing to say and nothing said before: no comment at all.
    expect(api.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('updates an earlier comment once the findings are gone', async () => {
    api.files = [{ filename: 'k8s/web.yaml', status: 'modified' }];
    api.comments = [
      {
        id: 7,
        body: `${COMMENT_MARKER}\n### ✖ shipshape: 1 error that this pull request introduces`,
        user: ACTIONS_BOT,
      },
    ];
    const run = await runAction({ workspace: workspaceFrom(FIXTURE_REPO), api });
    expect(run.code).toBe(0);
    expect(api.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /graphql',
      `PATCH /repos/${OWNER}/${REPO}/issues/comments/7`,
    ]);
    expect(api.comments[0]!.body).toContain('### ✔ shipshape: no problems that this pull request introduces');
  });

  it('creates a new comment, and says why, when the token cannot say who it is', async () => {
    api.viewer = undefined;
    api.comments = [
      {
        id: 7,
        body: `${COMMENT_MARKER}\n### ✖ shipshape: 1 error that this pull request introduces`,
        user: ACTIONS_BOT,
      },
    ];
    const run = await runAction({ workspace: workspaceFrom(FIXTURE_REPO), api });
    expect(run.code).toBe(1);
    expect(run.commands.find((c) => c.name === 'warning' && !c.properties.file)?.message).toBe(
      'cannot tell which account the github-token belongs to (Request failed due to following response errors:): no earlier comment is updated',
    );
    // GraphQL, then REST's GET /user (403 for GITHUB_TOKEN), then a new comment: the old one is not touched.
    expect(
      api.requests.filter((r) => r.method !== 'GET' || r.url === '/user').map((r) => `${r.method} ${r.url}`),
    ).toEqual(['POST /graphql', 'GET /user', `POST /repos/${OWNER}/${REPO}/issues/${PR_NUMBER}/comments`]);
    expect(api.comments[0]!.body).toContain('1 error that this pull request introduces');
  });

  it('renders hostile resource, env and file names as text: no link, image, HTML or mention of theirs', async () => {
    const file = 'k8s/<img src=x onerror=alert(1)>|[y](https:%2F%2Fevil.example).yaml';
    const name =
      '[Click to approve](https://evil.example/phish) ![t](https://evil.example/pixel.png) owner/repo#1 @acme/admins';
    const yaml = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      `  name: ${JSON.stringify(name)}`,
      'spec:',
      '  replicas: 1',
      '  selector: {matchLabels: {app: x}}',
      '  template:',
      '    metadata: {labels: {app: x}}',
      '    spec:',
      '      containers:',
      '        - name: app',
      '          image: "nginx:[x](https://evil.example/i)"',
      '          env:',
      '            - name: "API_TOKEN_`x`_**b**_<b>_[x](https://evil.example/i)"',
      '              value: planted-W0rker-token',
      '',
    ].join('\n');
    api.files = [{ filename: file, status: 'added' }];
    const run = await runAction({ workspace: workspaceFrom(FIXTURE_REPO, { [file]: yaml }), api });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ errors: '1', warnings: '1' });
    const own = api.comments.find((c) => c.user.login === ACTIONS_BOT.login)!;
    for (const md of [run.summary, own.body]) {
      const r = active(md);
      for (const href of r.links)
        expect(
          href.startsWith(`https://github.com/${OWNER}/${REPO}/`) ||
            href.startsWith('https://github.com/shipshape-dev/shipshape/blob/main/docs/rules/'),
        ).toBe(true);
      expect(r.links.filter((h) => h.includes('/blob/9f3c')).length).toBeGreaterThan(0);
      expect(
        r.links
          .filter((h) => h.includes('/blob/9f3c'))
          .every((h) =>
            h.includes(
              '/k8s/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E%7C%5By%5D%28https%3A%252F%252Fevil.example%29.yaml#L',
            ),
          ),
      ).toBe(true);
      expect(r.images).toEqual([]);
      expect(r.html.filter((h) => !['<!-- -->', '<sub>', '</sub>', COMMENT_MARKER].includes(h))).toEqual([]);
      expect(r.references).toEqual([]);
      expect(r.styles.filter((x) => x !== 'strong_open' && x !== 'code')).toEqual([]);
      // Names in messages are shortened in the middle (the engine keeps a message on one line): what is left is text.
      expect(r.text).toContain('Deployment [Click to approv…#1 @acme/admins runs 1 replica');
      expect(r.text).toContain(file);
      expect(r.text).toContain('env API_…mple/i) holds a literal secret');
      noSecrets(md);
    }
    expect(new Set(active(run.summary).rows)).toEqual(new Set([4]));
  });

  it('emits the most severe annotations first, up to what GitHub shows, and says how many more there are', async () => {
    const env = Array.from(
      { length: 14 },
      (_, i) => `            - {name: DB_PASSWORD_${i}, value: planted-Act10n-pw}`,
    ).join('\n');
    const many = (name: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      containers:\n        - name: ${name}\n          image: ghcr.io/acme/${name}:1\n          env:\n${env}\n`;
    const extra: Record<string, string> = {};
    for (let i = 0; i < 12; i++) extra[`many/svc-${String(i).padStart(2, '0')}.yaml`] = many(`svc-${i}`);
    api.files = Object.keys(extra).map((filename) => ({ filename, status: 'added' }));
    api.pageSize = 100;
    const run = await runAction({ workspace: workspaceFrom(FIXTURE_REPO, extra), api });
    const levels = run.annotations.map((a) => a.name);
    // 168 errors and 12 warnings: 9 errors (the failure message takes the tenth slot), then 10 warnings.
    expect(levels).toEqual([...Array(9).fill('error'), ...Array(10).fill('warning')]);
    expect(run.outputs).toMatchObject({ errors: '168', warnings: '12', total: '180' });
    expect(run.summary).toContain(
      '> GitHub shows only the first 10 annotations of each level in a step: 161 more findings (159 errors and 2 warnings) have no annotation and are listed below.',
    );
    noSecrets(run.stdout, run.summary);
  });
});

describe('outside pull requests', () => {
  it('reports every finding of a push, without calling the API', async () => {
    const run = await runAction({
      workspace: workspaceFrom(FIXTURE_REPO),
      api,
      eventName: 'push',
      inputs: { 'fail-on': 'warning' },
    });
    expect(run.code).toBe(1);
    expect(run.annotations.map((a) => `${a.properties.file} ${a.properties.title}`).sort()).toEqual([
      'k8s/api.yaml pdb-missing',
      'k8s/api.yaml secret-in-env',
      'k8s/worker.yaml secret-in-env',
      'k8s/worker.yaml single-replica',
    ]);
    expect(run.summary).toContain('**2 errors and 2 warnings** in the checked files');
    expect(api.requests).toEqual([]);
  });

  it('prints the text report to the log, where no file name can pass for a workflow command', async () => {
    const sneaky = '::notice file=README.md::all good.yaml';
    const run = await runAction({
      workspace: workspaceFrom(FIXTURE_REPO, {
        [sneaky]:
          'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {containers: [{name: x, image: x:1, env: [{name: PASSWORD, value: planted-Act10n-pw}]}]}\n',
      }),
      api,
      eventName: 'push',
    });
    expect(run.stdout).toContain(`\n${sneaky}\n`); // the text report names the file, inside stop-commands
    expect(run.commands.filter((c) => c.name === 'notice')).toEqual([]);
    expect(run.annotations.find((a) => a.properties.file === sneaky)?.raw).toMatch(
      /^::error title=secret-in-env,file=%3A%3Anotice file=README.md%3A%3Aall good.yaml,/,
    );
    noSecrets(run.stdout);
  });

  it('fails with one line for a mistake in the workflow, before any request', async () => {
    const run = await runAction({ workspace: workspaceFrom(FIXTURE_REPO), api, inputs: { 'fail-on': 'sometimes' } });
    expect(run.code).toBe(1);
    expect(run.commands.filter((c) => c.name === 'error').map((c) => c.message)).toEqual([
      'shipshape: fail-on: expected one of error, warning, note, none, got "sometimes"',
    ]);
    expect(api.requests).toEqual([]);
  });

  it('fails on a path that does not exist, after writing SARIF', async () => {
    const workspace = workspaceFrom(FIXTURE_REPO);
    const run = await runAction({
      workspace,
      api,
      eventName: 'push',
      inputs: { paths: 'k8s\nnot-here', 'fail-on': 'none' },
    });
    expect(run.code).toBe(1);
    expect(run.commands.find((c) => c.name === 'error' && !c.properties.file)?.message).toContain(
      'no such file or directory: not-here',
    );
    expect(readFileSync(path.join(workspace, 'shipshape.sarif'), 'utf8')).toContain('k8s/worker.yaml');
  });
});
