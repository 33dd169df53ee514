import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse } from 'yaml';
import { rules } from '../../src/rules/index.js';
import { ROOT } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/temp.js';

export const BUNDLE = path.join(ROOT, 'dist/action/index.js');
export const FIXTURE_REPO = path.join(ROOT, 'test/fixtures/action/repo');
export const PR_EVENT = path.join(ROOT, 'test/fixtures/action/pull_request.synchronize.json');
export const OWNER = 'acme';
export const REPO = 'gitops';
export const PR_NUMBER = 42;
export const HEAD_SHA = '9f3c2b1a7e6d5c4b3a29187f6e5d4c3b2a190817';
export const TOKEN = 'ghs_fakeTokenForTestsOnly0000000000000';
export const RUN_ID = '7000000001';

/**
 * Rebuild the bundle from the current sources (esbuild takes about a second, and the output is deterministic: CI
 * compares it with the committed one before the tests run), so a test never runs a stale bundle.
 */
export function buildBundle(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-action.mjs')], { cwd: ROOT, stdio: 'inherit' });
}

/** The rules these tests are about; every other rule is turned off, so the catalogue can grow without changing them. */
export const TESTED_RULES = new Set(['secret-in-env', 'pdb-missing', 'single-replica']);

function ruleConfig(tested: ReadonlySet<string>): string {
  const off = rules.filter((r) => r.target !== 'load' && !tested.has(r.id)).map((r) => `  ${r.id}: off`);
  return `rules:${off.length ? '' : ' {}'}\n${off.join('\n')}\n`;
}

export interface RecordedRequest {
  method: string;
  url: string;
  authorization: string | undefined;
  body: unknown;
}

export interface Comment {
  id: number;
  body: string;
  user: { login: string; id: number; type: string };
}

/** A review comment (`GET /pulls/{n}/comments`): the fields the action reads, and the review it came with. */
export interface ReviewComment {
  id: number;
  body: string;
  path: string;
  line: number | null;
  start_line: number | null;
  side: 'RIGHT' | 'LEFT';
  start_side: 'RIGHT' | 'LEFT' | null;
  commit_id: string;
  pull_request_review_id: number;
  user: { login: string; id: number; type: string };
}

/** A review as posted (`POST /pulls/{n}/reviews`). */
export interface Review {
  id: number;
  commit_id: string;
  event: string;
  body: string;
  comments: number[];
}

/** A file of the pull request; `patch: null`: GitHub gives no patch (a big or binary file). */
export interface PrFile {
  filename: string;
  status: string;
  patch?: null;
}

/** The account behind the workflow's GITHUB_TOKEN, as REST names it in comments and GraphQL as `viewer`. */
export const ACTIONS_BOT = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };

export interface FakeApi {
  url: string;
  /** Files of pull request #42, as `GET /pulls/42/files` returns them. */
  files: PrFile[];
  /**
   * The `patch` of each file of `files`: computed by runAction with a real `git diff` of the base commit and the
   * working tree (what the pull request's head holds).
   */
  patches: Map<string, string>;
  comments: Comment[];
  /** Review comments of the pull request (the suggestions). */
  reviewComments: ReviewComment[];
  reviews: Review[];
  /** Answer 403 to review writes (post, update, delete). */
  forbidReviewWrites: boolean;
  /** Items per page of every list endpoint (GitHub's pagination, by Link header). */
  pageSize: number;
  /** Answer 403 to comment writes, as GitHub does for a token without `pull-requests: write`. */
  forbidCommentWrites: boolean;
  /** Answer the list of changed files with this status instead (a server error, a missing permission). */
  filesStatus: number | undefined;
  /** GraphQL's `viewer` for the token; undefined: the query fails. */
  viewer: { login: string; databaseId: number } | undefined;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** A small stand-in for api.github.com on 127.0.0.1: the endpoints the action uses, and a record of every request. */
export async function startFakeApi(): Promise<FakeApi> {
  let nextId = 9000;
  const api: FakeApi = {
    url: '',
    files: [],
    patches: new Map(),
    comments: [],
    reviewComments: [],
    reviews: [],
    forbidReviewWrites: false,
    pageSize: 100,
    forbidCommentWrites: false,
    filesStatus: undefined,
    viewer: { login: 'github-actions', databaseId: ACTIONS_BOT.id },
    requests: [],
    close: () => new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
  const base = `/repos/${OWNER}/${REPO}`;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', api.url);
    api.requests.push({
      method: req.method ?? '',
      url: url.pathname + url.search,
      authorization: req.headers.authorization,
      body: text ? JSON.parse(text) : undefined,
    });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    const page = <T>(items: T[]): void => {
      const n = Number(url.searchParams.get('page') ?? '1');
      const last = Math.max(1, Math.ceil(items.length / api.pageSize));
      const at = (p: number): string => {
        const u = new URL(url);
        u.searchParams.set('page', String(p));
        return u.toString();
      };
      const headers: Record<string, string> =
        n < last ? { link: `<${at(n + 1)}>; rel="next", <${at(last)}>; rel="last"` } : {};
      send(200, items.slice((n - 1) * api.pageSize, n * api.pageSize), headers);
    };
    const forbidden = (): void =>
      send(403, {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/issues/comments',
        status: '403',
      });

    if (req.method === 'POST' && url.pathname === '/graphql') {
      const query = (JSON.parse(text) as { query: string }).query;
      if (!/\bviewer\b/.test(query)) return send(200, { errors: [{ message: 'unexpected query' }] });
      return api.viewer
        ? send(200, { data: { viewer: api.viewer } })
        : send(200, { errors: [{ type: 'FORBIDDEN', message: 'Resource not accessible by integration' }] });
    }
    // An installation token (GITHUB_TOKEN) cannot read `GET /user`.
    if (req.method === 'GET' && url.pathname === '/user') return forbidden();
    const commentId = url.pathname.match(new RegExp(`^${base}/issues/comments/(\\d+)$`))?.[1];
    if (req.method === 'GET' && url.pathname === `${base}/pulls/${PR_NUMBER}/files`) {
      if (api.filesStatus) return send(api.filesStatus, { message: 'Server Error' });
      return page(
        api.files.map((f) => {
          const patch = f.patch === null ? undefined : api.patches.get(f.filename);
          return { filename: f.filename, status: f.status, ...(patch !== undefined ? { patch } : {}) };
        }),
      );
    }
    if (req.method === 'GET' && url.pathname === `${base}/pulls/${PR_NUMBER}/comments`) return page(api.reviewComments);
    if (req.method === 'POST' && url.pathname === `${base}/pulls/${PR_NUMBER}/reviews`) {
      if (api.forbidReviewWrites) return forbidden();
      const review = JSON.parse(text) as {
        commit_id: string;
        event: string;
        body: string;
        comments: {
          path: string;
          body: string;
          line: number;
          side: string;
          start_line?: number;
          start_side?: string;
        }[];
      };
      // GitHub's checks: a comment's lines lie in one hunk of the file's diff, on the side it names.
      for (const c of review.comments) {
        const hunks = hunksOf(api.patches.get(c.path));
        const first = c.start_line ?? c.line;
        const ok =
          c.side === 'RIGHT' &&
          (c.start_line === undefined || (c.start_side === 'RIGHT' && c.start_line < c.line)) &&
          hunks.some(([s, e]) => s <= first && c.line <= e);
        if (!ok)
          return send(422, {
            message: 'Unprocessable Entity',
            errors: ['Pull request review thread line must be part of the diff'],
          });
      }
      const id = nextId++;
      const ids = review.comments.map((c) => {
        const comment: ReviewComment = {
          id: nextId++,
          body: c.body,
          path: c.path,
          line: c.line,
          start_line: c.start_line ?? null,
          side: 'RIGHT',
          start_side: c.start_line === undefined ? null : 'RIGHT',
          commit_id: review.commit_id,
          pull_request_review_id: id,
          user: ACTIONS_BOT,
        };
        api.reviewComments.push(comment);
        return comment.id;
      });
      api.reviews.push({ id, commit_id: review.commit_id, event: review.event, body: review.body, comments: ids });
      return send(200, { id, state: 'COMMENTED', body: review.body, commit_id: review.commit_id });
    }
    const reviewCommentId = url.pathname.match(new RegExp(`^${base}/pulls/comments/(\\d+)$`))?.[1];
    if ((req.method === 'PATCH' || req.method === 'DELETE') && reviewCommentId) {
      if (api.forbidReviewWrites) return forbidden();
      const i = api.reviewComments.findIndex((c) => c.id === Number(reviewCommentId));
      if (i === -1) return send(404, { message: 'Not Found' });
      if (req.method === 'DELETE') {
        api.reviewComments.splice(i, 1);
        res.writeHead(204);
        return void res.end();
      }
      api.reviewComments[i]!.body = (JSON.parse(text) as { body: string }).body;
      return send(200, api.reviewComments[i]);
    }
    if (req.method === 'GET' && url.pathname === `${base}/issues/${PR_NUMBER}/comments`) return page(api.comments);
    if (req.method === 'POST' && url.pathname === `${base}/issues/${PR_NUMBER}/comments`) {
      if (api.forbidCommentWrites) return forbidden();
      const comment = { id: nextId++, body: (JSON.parse(text) as { body: string }).body, user: ACTIONS_BOT };
      api.comments.push(comment);
      return send(201, comment);
    }
    if (req.method === 'PATCH' && commentId) {
      if (api.forbidCommentWrites) return forbidden();
      const comment = api.comments.find((c) => c.id === Number(commentId));
      if (!comment) return send(404, { message: 'Not Found' });
      comment.body = (JSON.parse(text) as { body: string }).body;
      return send(200, comment);
    }
    send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send500(res, err));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return api;
}

/** The RIGHT-side line ranges of a patch's hunks (inclusive). */
function hunksOf(patch: string | undefined): [number, number][] {
  const out: [number, number][] = [];
  for (const m of (patch ?? '').matchAll(/^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/gm)) {
    const start = Number(m[1]);
    const n = m[2] === undefined ? 1 : Number(m[2]);
    if (n > 0) out.push([start, start + n - 1]);
  }
  return out;
}

function send500(res: ServerResponse, err: unknown): void {
  res.writeHead(500, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ message: String(err) }));
}

/** A throwaway copy of a fixture repository (the action may write its SARIF file into it). */
export function workspaceFrom(fixture: string, extra: Record<string, string> = {}): string {
  const dir = tempDir('shipshape-action-');
  cpSync(fixture, dir, { recursive: true });
  for (const [file, text] of Object.entries(extra)) {
    const abs = path.join(dir, file);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
  return dir;
}

export interface Command {
  name: string;
  properties: Record<string, string>;
  /** Unescaped message. */
  message: string;
  /** The line exactly as printed. */
  raw: string;
}

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  commands: Command[];
  annotations: Command[];
  summary: string;
  outputs: Record<string, string>;
}

export interface RunOptions {
  workspace: string;
  api: FakeApi;
  inputs?: Record<string, string>;
  eventName?: string;
  eventPath?: string;
  /** The pull request's base commit in the event (default: the commit made of the workspace less the PR's files). */
  baseSha?: string;
  /** The pull request's head commit in the event (default HEAD_SHA, which is not in the checkout). */
  headSha?: string;
  /** The rules turned on (default TESTED_RULES). */
  rules?: ReadonlySet<string>;
}

const GIT = [
  '-c',
  'user.name=shipshape-test',
  '-c',
  'user.email=test@shipshape.invalid',
  '-c',
  'commit.gpgsign=false',
  '-c',
  'init.defaultBranch=main',
];

/**
 * The checkout of a pull request, as actions/checkout leaves it: a Git repository whose base commit holds the
 * workspace less the pull request's files (`api.files`), with those files in the working tree. Returns the base SHA.
 */
function checkoutOf(workspace: string, api: FakeApi): string {
  if (!existsSync(path.join(workspace, '.git'))) {
    const git = (...args: string[]): string =>
      execFileSync('git', [...GIT, ...args], { cwd: workspace, encoding: 'utf8' });
    git('init', '-q');
    git('add', '-A');
    for (const f of api.files)
      if (existsSync(path.join(workspace, f.filename))) git('rm', '-q', '--cached', '--', f.filename);
    git('commit', '-q', '--allow-empty', '-m', 'base');
  }
  return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: workspace, encoding: 'utf8' }).trim();
}

/**
 * The `patch` GitHub gives for each file of the pull request: `git diff` of the base commit and the working tree
 * (through a scratch index, so the checkout's own index is not touched), without the file header.
 */
export function patchesOf(workspace: string, base: string, files: readonly PrFile[]): Map<string, string> {
  const env = { ...process.env, GIT_INDEX_FILE: path.join(tempDir('shipshape-index-'), 'index') };
  const git = (...args: string[]): string =>
    execFileSync('git', ['--literal-pathspecs', ...GIT, ...args], { cwd: workspace, env, encoding: 'utf8' });
  const out = new Map<string, string>();
  try {
    git('read-tree', base);
    git('add', '-A');
  } catch {
    return out; // not a commit of this repository (a test of a missing base): no diff
  }
  for (const f of files) {
    const diff = git('diff', '--cached', '--no-color', '--no-ext-diff', '--no-renames', '-U3', base, '--', f.filename);
    const at = diff.search(/^@@ /m);
    if (at !== -1) out.set(f.filename, diff.slice(at).replace(/\n$/, ''));
  }
  return out;
}

/**
 * Run the bundle as the runner does: a separate node process in the workspace, every input of action.yml as an
 * `INPUT_<NAME>` variable (upper case, dashes kept) holding its default unless the test sets it, and the GITHUB_*
 * variables and files of a job. Nothing is inherited from the test's own environment except PATH. The config (kept
 * outside the workspace, so it is not one of the checked files) enables only TESTED_RULES (or `opts.rules`).
 */
export function runAction(opts: RunOptions): Promise<ActionRun> {
  const scratch = tempDir('shipshape-runner-');
  const summaryFile = path.join(scratch, 'step_summary');
  const outputFile = path.join(scratch, 'output');
  const configFile = path.join(scratch, 'shipshape.yaml');
  writeFileSync(summaryFile, '');
  writeFileSync(outputFile, '');
  writeFileSync(configFile, ruleConfig(opts.rules ?? TESTED_RULES));
  const eventName = opts.eventName ?? 'pull_request';
  let eventPath = opts.eventPath ?? PR_EVENT;
  if (eventName.startsWith('pull_request')) {
    const base = checkoutOf(opts.workspace, opts.api);
    opts.api.patches = patchesOf(opts.workspace, opts.baseSha ?? base, opts.api.files);
    const event = JSON.parse(readFileSync(eventPath, 'utf8')) as {
      pull_request?: { base?: { sha?: string }; head?: { sha?: string } };
    };
    if (event.pull_request?.base) event.pull_request.base.sha = opts.baseSha ?? base;
    if (event.pull_request?.head && opts.headSha) event.pull_request.head.sha = opts.headSha;
    eventPath = path.join(scratch, 'event.json');
    writeFileSync(eventPath, JSON.stringify(event));
  }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_REPOSITORY_OWNER: OWNER,
    GITHUB_SHA: eventName === 'pull_request' ? 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00' : HEAD_SHA,
    GITHUB_REF: eventName === 'pull_request' ? `refs/pull/${PR_NUMBER}/merge` : 'refs/heads/main',
    GITHUB_WORKSPACE: opts.workspace,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    GITHUB_API_URL: opts.api.url,
    GITHUB_GRAPHQL_URL: `${opts.api.url}/graphql`,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: RUN_ID,
    GITHUB_RUN_NUMBER: '17',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'shipshape',
    GITHUB_WORKFLOW: 'shipshape',
    GITHUB_ACTION: '__shipshape-dev_shipshape',
    GITHUB_ACTOR: 'octocat',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: scratch,
    ...inputEnv({ config: configFile, ...opts.inputs }),
  };
  return new Promise((resolve) => {
    execFile(process.execPath, [BUNDLE], { cwd: opts.workspace, env, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const commands = parseCommands(stdout);
      resolve({
        code: err ? ((err as { code?: number }).code ?? 1) : 0,
        stdout,
        stderr,
        commands,
        annotations: commands.filter(
          (c) => ['error', 'warning', 'notice'].includes(c.name) && c.properties.file !== undefined,
        ),
        summary: readFileSync(summaryFile, 'utf8'),
        outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
      });
    });
  });
}

/** Defaults from action.yml, `${{ github.token }}` as the runner would expand it, then the test's own values. */
function inputEnv(inputs: Record<string, string>): Record<string, string> {
  const meta = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  const env: Record<string, string> = {};
  for (const [name, spec] of Object.entries(meta.inputs)) {
    env[`INPUT_${name.toUpperCase()}`] = String(spec.default ?? '').replace('${{ github.token }}', TOKEN);
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return env;
}

const COMMAND = /^::([a-z][a-z-]*)(?: ([^:]*))?::(.*)$/;

/**
 * Workflow commands as the runner reads them: `::name key=value,key=value::message`, escapes undone, and nothing
 * between `::stop-commands::TOKEN` and `::TOKEN::`.
 */
export function parseCommands(stdout: string): Command[] {
  const out: Command[] = [];
  let stoppedUntil: string | undefined;
  for (const raw of stdout.split(/\r?\n/)) {
    if (stoppedUntil !== undefined) {
      if (raw === `::${stoppedUntil}::`) stoppedUntil = undefined;
      continue;
    }
    const m = COMMAND.exec(raw);
    if (!m) continue;
    if (m[1] === 'stop-commands') {
      stoppedUntil = m[3];
      continue;
    }
    const properties: Record<string, string> = {};
    for (const pair of (m[2] ?? '').split(',').filter(Boolean)) {
      const eq = pair.indexOf('=');
      properties[pair.slice(0, eq)] = unescape(pair.slice(eq + 1));
    }
    out.push({ name: m[1]!, properties, message: unescape(m[3]!), raw });
  }
  return out;
}

function unescape(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

/** `name<<DELIMITER\nvalue\nDELIMITER` blocks, as `core.setOutput` writes them to GITHUB_OUTPUT. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}
