import { randomUUID } from 'node:crypto';
import { promises as fs, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { ConfigError } from '../config/config.js';
import { ruleDocsUrl, SEVERITY_RANK } from '../engine/rule.js';
import { errorSummary } from '../engine/run.js';
import { redact } from '../model/redact.js';
import { lintChange } from '../change.js';
import { lint, type LintOptions, type LintOutput } from '../index.js';
import { attachChanges } from '../fix/changes.js';
import { git, GitError, gitTopLevel } from '../load/git.js';
import type { Finding } from '../model/types.js';
import { formatSarif } from '../report/sarif.js';
import { formatText } from '../report/text.js';
import { countFindings } from '../report/types.js';
import { ANNOTATIONS_PER_LEVEL, planAnnotations, type AnnotationPlan } from './annotations.js';
import { formatComment } from './comment.js';
import { InputError, PULL_REQUEST_EVENTS, readInputs, type ActionInputs } from './inputs.js';
import { countReported, describeCounts, type Links, type ReportView } from './markdown.js';
import { httpStatus, upsertComment, whoAmI, type Identity, type Octokit, type PullRequestRef } from './pull-request.js';
import { listDiffs, syncSuggestions } from './review.js';
import { planSuggestions } from './suggestions.js';
import { formatSummary } from './summary.js';

/** Suggestions posted (or kept) per run at most: a review with hundreds of comments helps nobody. */
export const SUGGESTIONS_PER_RUN = 50;

/** The PR this run is about, read from the event payload by `@actions/github`. */
interface GitHubRun {
  pr: PullRequestRef | undefined;
  headSha: string | undefined;
  /** The pull request's base commit (from the event): what only-changed compares with. */
  baseSha?: string;
  octokit: Octokit | undefined;
  /** The token's account, asked once (for the comment and the suggestions); undefined when it cannot be told. */
  identify: () => Promise<Identity | undefined>;
}

let warnings = 0;

/** Every warning the action itself emits takes one of the step's warning annotation slots. */
function warn(message: string): void {
  warnings++;
  core.warning(redact(message));
}

export async function run(): Promise<void> {
  const inputs = readInputs((name) => core.getInput(name), process.env.GITHUB_EVENT_NAME);
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  const options: LintOptions & { kubeVersion?: string } = {
    paths: inputs.paths,
    cwd: workspace,
    ...(inputs.config ? { configFile: inputs.config } : {}),
    ...(inputs.kubeVersion ? { kubeVersion: inputs.kubeVersion } : {}),
  };
  const gh = await connect(inputs);
  const failures: string[] = [];
  // On a pull request, only-changed means: what the pull request introduces against its base commit, wherever it lands.
  let change = false;
  let result: LintOutput;
  if (inputs.onlyChanged && gh.pr && gh.baseSha) {
    try {
      await ensureCommit(gh.baseSha, workspace);
      result = await lintChange(options, gh.baseSha);
      change = true;
      core.info(
        `pull request #${gh.pr.number}: reporting the findings it introduces against its base ${gh.baseSha.slice(0, 12)}`,
      );
    } catch (err) {
      if (!(err instanceof GitError)) throw err;
      failures.push(
        `cannot compare with the base commit of pull request #${gh.pr.number}: ${err.message}.` +
          ` Check out with actions/checkout's fetch-depth: 0 (or fetch the base commit), or set only-changed: false`,
      );
      result = await lint(options);
    }
  } else {
    if (inputs.onlyChanged && !gh.pr) core.info('only-changed applies to pull requests: reporting every finding');
    result = await lint(options);
  }

  // SARIF holds every finding of the run, whatever is reported below, and exists before anything can fail.
  const sarifPath = path.resolve(workspace, inputs.sarifFile);
  await fs.mkdir(path.dirname(sarifPath), { recursive: true });
  await fs.writeFile(sarifPath, formatSarif(result));
  core.setOutput('sarif-file', sarifPath);

  if (result.input.missing.length)
    failures.push(`no such file or directory: ${result.input.missing.join(', ')} (check the paths input)`);
  for (const w of result.warnings) warn(w);

  const visible = result.findings.filter((f) => !f.suppressed);
  const reported = change ? visible.filter((f) => f.baselineState !== 'unchanged') : visible;
  const view: ReportView = {
    reported,
    // Every finding of the run (SARIF's), those already at the base commit included.
    all: countFindings(change ? result.findings.map(({ baselineState: _, ...f }) => f) : result.findings),
    files: result.files,
    resources: result.resources,
    scope: change ? 'changed' : 'all',
    ...(change && result.change ? { fixed: result.change.fixed } : {}),
    sarifFile: inputs.sarifFile,
    links: links(gh),
    ruleDocs: new Map(
      result.rules.flatMap((r) => {
        const url = ruleDocsUrl(r);
        return url ? [[r.id, url] as const] : [];
      }),
    ),
  };

  const failing = reported.filter(
    (f) => inputs.failOn !== 'none' && SEVERITY_RANK[f.severity] >= SEVERITY_RANK[inputs.failOn],
  );
  if (failing.length) failures.push(`${describeCounts(countReported(failing))} at or above fail-on: ${inputs.failOn}`);

  // The comment comes first: a warning it gives takes an annotation slot. It says how much of the summary lists, which
  // does not depend on the annotations.
  const listed = process.env.GITHUB_STEP_SUMMARY ? formatSummary(view, { error: 0, warning: 0, note: 0 }).shown : 0;
  if (inputs.comment) await comment(gh, view, listed);
  if (inputs.suggestions) await suggest(gh, view, result.findings, workspace);
  printReport(result, reported);
  const plan = inputs.annotations
    ? annotate(reported, failures.length > 0)
    : { annotations: [], omitted: { error: 0, warning: 0, note: 0 } };
  await writeSummary(view, plan);

  const counts = countReported(reported);
  core.setOutput('errors', counts.error);
  core.setOutput('warnings', counts.warning);
  core.setOutput('notes', counts.note);
  core.setOutput('total', reported.length);
  if (failures.length) core.setFailed(`shipshape: ${failures.join('; ')}`);
}

/** `@actions/github` reads GITHUB_API_URL and the event payload when it is loaded, so it is loaded only now. */
async function connect(inputs: ActionInputs): Promise<GitHubRun> {
  const github = await import('@actions/github');
  const { context } = github;
  const pull = context.payload.pull_request;
  const pr = PULL_REQUEST_EVENTS.has(context.eventName) && pull ? { ...context.repo, number: pull.number } : undefined;
  const headSha = (pull?.head as { sha?: string } | undefined)?.sha ?? context.sha;
  const baseSha = (pull?.base as { sha?: string } | undefined)?.sha;
  const needsApi = pr !== undefined && (inputs.comment || inputs.suggestions);
  if (needsApi && !inputs.token) warn('github-token is empty: no pull request comment or suggestion is written');
  const octokit = needsApi && inputs.token ? github.getOctokit(inputs.token) : undefined;
  let identity: Promise<Identity | undefined> | undefined;
  const identify = (): Promise<Identity | undefined> => {
    identity ??= octokit
      ? whoAmI(octokit).catch((err: unknown) => {
          warn(
            `cannot tell which account the github-token belongs to (${apiError(err)}): no earlier comment is updated`,
          );
          return undefined;
        })
      : Promise.resolve(undefined);
    return identity;
  };
  return {
    pr,
    headSha,
    ...(typeof baseSha === 'string' && /^[0-9a-f]{40}$/.test(baseSha) ? { baseSha } : {}),
    octokit,
    identify,
  };
}

/** The base commit in the checkout: fetched (depth 1) when a shallow checkout lacks it. */
async function ensureCommit(sha: string, cwd: string): Promise<boolean> {
  if ((await gitOut(['cat-file', '-e', `${sha}^{commit}`], cwd)) !== undefined) return true;
  await gitOut(['fetch', '--no-tags', '--depth=1', 'origin', sha], cwd);
  return (await gitOut(['cat-file', '-e', `${sha}^{commit}`], cwd)) !== undefined;
}

/** A git command's stdout, or undefined when it fails (file blobs as large as the loader reads: 64 MiB). */
async function gitOut(args: string[], cwd: string): Promise<string | undefined> {
  const r = await git(args, cwd, 64 << 20);
  return r.code === 0 ? r.stdout : undefined;
}

async function comment(gh: GitHubRun, view: ReportView, listedInSummary: number): Promise<void> {
  if (!gh.pr) {
    core.info('comment applies to pull requests: no comment written');
    return;
  }
  if (!gh.octokit) return;
  try {
    const outcome = await upsertComment(
      gh.octokit,
      gh.pr,
      formatComment(view, { listed: listedInSummary }),
      view.reported.length === 0,
      gh.identify,
    );
    core.info(
      outcome === 'not-needed'
        ? 'no findings and no earlier comment: no comment written'
        : `pull request comment ${outcome}`,
    );
  } catch (err) {
    const status = httpStatus(err);
    const hint =
      status === 403 || status === 404
        ? ': the token cannot write pull request comments (give the job `permissions: pull-requests: write`' +
          '; pull requests from forks get a read-only token), or set `comment: false`'
        : '';
    warn(`cannot write the pull request comment (${apiError(err)})${hint}. The check itself is not affected.`);
  }
}

/**
 * Review suggestions of the reported findings' fixes on the lines the pull request changed (src/action/suggestions.ts),
 * kept in step with the earlier ones. Any API error (403 for a token without pull-requests: write) is one warning.
 */
async function suggest(gh: GitHubRun, view: ReportView, all: readonly Finding[], workspace: string): Promise<void> {
  if (!gh.pr || !gh.octokit || !gh.headSha) return;
  const pr = gh.pr;
  const octokit = gh.octokit;
  const headSha = gh.headSha;
  // The suggestions go on the head commit's lines; the checkout may be another commit (a pull_request event checks out
  // the merge with the base branch): only files that are the same at the head are suggested on.
  if (!/^[0-9a-f]{40}$/.test(headSha) || !(await ensureCommit(headSha, workspace))) {
    core.info(
      'suggested fixes: the head commit of the pull request is not in the checkout (and cannot be fetched): none written',
    );
    return;
  }
  const top = realpathOr((await gitTopLevel(workspace)) ?? workspace);
  const repoPath = (file: string): string =>
    path
      .relative(top, realpathOr(path.resolve(workspace, file)))
      .split(path.sep)
      .join('/');
  const texts = new Map<string, string | undefined>();
  const skipped: string[] = [];
  // Findings whose file is not the head's: their earlier suggestions are kept as they are.
  const held: string[] = [];
  for (const f of view.reported) {
    if (!f.fix || texts.has(f.file)) continue;
    let text: string | undefined;
    try {
      text = readFileSync(path.resolve(workspace, f.file), 'utf8');
    } catch {
      text = undefined;
    }
    const atHead = await gitOut(['cat-file', 'blob', `${headSha}:${repoPath(f.file)}`], workspace);
    if (text !== undefined && atHead !== text) {
      skipped.push(`${f.ruleId} (line ${f.range.startLine}): the file differs from its version at the head commit`);
      text = undefined;
    }
    texts.set(f.file, text);
  }
  for (const f of view.reported) if (f.fix && texts.get(f.file) === undefined) held.push(f.fingerprint);
  const read = (file: string): string | undefined => texts.get(file);
  // Copies: the changes are worked out for the suggestions only.
  const fixable = view.reported
    .filter((f) => f.fix && texts.get(f.file) !== undefined)
    .map((f) => ({ ...f, fix: { ...f.fix!, edits: f.fix!.edits } }));
  attachChanges(fixable, read);
  const candidates = fixable.filter((f) => f.fix?.changes?.length);
  try {
    // The diff is read only when there is something to suggest; the earlier suggestions are always looked at.
    const diffs = candidates.length ? await listDiffs(octokit, pr) : new Map();
    const plan = planSuggestions({
      findings: candidates,
      all,
      read,
      repoPath,
      diffs,
      docs: view.ruleDocs,
      max: SUGGESTIONS_PER_RUN,
    });
    const done = await syncSuggestions(
      octokit,
      pr,
      headSha,
      plan.suggestions,
      new Set([...plan.over, ...held]),
      gh.identify,
    );
    core.info(
      `suggested fixes: ${plan.suggestions.length} (${done.created} posted, ${done.updated} updated, ${done.kept} unchanged), ${done.deleted} earlier ones deleted`,
    );
    if (plan.over.length)
      core.info(
        `${plan.over.length} more fixable findings get no suggestion in this run: at most ${SUGGESTIONS_PER_RUN} per run (\`shipshape --fix\` fixes them all)`,
      );
    skipped.push(...plan.skipped.map((s) => `${s.finding.ruleId} (line ${s.finding.range.startLine}): ${s.why}`));
    if (skipped.length) {
      // Rule ids and our own reasons only; inside stop-commands all the same.
      const token = randomUUID();
      core.info(`::stop-commands::${token}`);
      for (const s of skipped) core.info(`no suggestion for ${s}`);
      core.info(`::${token}::`);
    }
  } catch (err) {
    const status = httpStatus(err);
    const hint =
      status === 403 || status === 404
        ? ': the token cannot write pull request reviews (give the job `permissions: pull-requests: write`' +
          '; pull requests from forks get a read-only token), or set `suggestions: false`'
        : '';
    warn(`cannot write the suggested fixes (${apiError(err)})${hint}. The check itself is not affected.`);
  }
}

function realpathOr(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** Status and message only: an error object may carry request details that have no place in a public log. */
function apiError(err: unknown): string {
  const status = httpStatus(err);
  const message = (err as Error | null)?.message ?? String(err);
  return status !== undefined ? `HTTP ${status}: ${message.split('\n')[0]}` : (message.split('\n')[0] ?? '');
}

function links(gh: GitHubRun): Links {
  const server = process.env.GITHUB_SERVER_URL || 'https://github.com';
  const repo = process.env.GITHUB_REPOSITORY;
  const runId = process.env.GITHUB_RUN_ID;
  if (!repo) return {};
  return {
    ...(gh.headSha ? { blobBase: `${server}/${repo}/blob/${gh.headSha}` } : {}),
    ...(runId ? { run: `${server}/${repo}/actions/runs/${runId}` } : {}),
  };
}

/** The text report in the log. File names and messages come from the repository: no workflow command may hide in them. */
function printReport(result: LintOutput, reported: Finding[]): void {
  const token = randomUUID();
  core.startGroup('shipshape report');
  core.info(`::stop-commands::${token}`);
  core.info(formatText({ ...result, findings: reported }, { color: false }).trimEnd());
  core.info(`::${token}::`);
  core.endGroup();
}

function annotate(reported: Finding[], willFail: boolean): AnnotationPlan {
  const plan = planAnnotations(reported, {
    error: ANNOTATIONS_PER_LEVEL - (willFail ? 1 : 0),
    warning: ANNOTATIONS_PER_LEVEL - warnings,
    notice: ANNOTATIONS_PER_LEVEL,
  });
  const emit = { error: core.error, warning: core.warning, notice: core.notice };
  for (const a of plan.annotations) emit[a.level](a.message, a.properties);
  return plan;
}

async function writeSummary(view: ReportView, plan: AnnotationPlan): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(formatSummary(view, plan.omitted).markdown).write();
}

run().catch((err: unknown) => {
  if (err instanceof InputError || err instanceof ConfigError) {
    core.setFailed(`shipshape: ${redact(err.message)}`);
  } else {
    core.debug(redact((err as Error)?.stack ?? String(err), 20000));
    core.setFailed(`shipshape: internal error: ${redact(errorSummary(err))}`);
  }
});
