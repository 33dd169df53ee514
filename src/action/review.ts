import type { Identity, Octokit, PullRequestRef } from './pull-request.js';
import { writtenBy } from './pull-request.js';
import {
  parsePatch,
  reconcile,
  suggestionFingerprint,
  type ExistingComment,
  type FileDiff,
  type Suggestion,
} from './suggestions.js';

/** The pull request's diff per file (head paths), from `GET /pulls/{n}/files`; files without a `patch` are left out. */
export async function listDiffs(octokit: Octokit, pr: PullRequestRef): Promise<Map<string, FileDiff>> {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
    owner: pr.owner,
    repo: pr.repo,
    pull_number: pr.number,
    per_page: 100,
  });
  const diffs = new Map<string, FileDiff>();
  for (const f of files)
    if (f.status !== 'removed' && typeof f.patch === 'string' && f.patch) diffs.set(f.filename, parsePatch(f.patch));
  return diffs;
}

export interface ReviewOutcome {
  created: number;
  updated: number;
  deleted: number;
  kept: number;
}

/**
 * Bring the action's suggestion comments in line with `planned`: list the review comments (only the token's own,
 * with the marker, count), update or delete them, and post the new ones as ONE review (`event: COMMENT`) on
 * `headSha`. No review when nothing is new. `keep`: fingerprints whose earlier comments stay (over the maximum).
 */
export async function syncSuggestions(
  octokit: Octokit,
  pr: PullRequestRef,
  headSha: string,
  planned: readonly Suggestion[],
  keep: ReadonlySet<string>,
  identify: () => Promise<Identity | undefined>,
): Promise<ReviewOutcome> {
  const comments = await octokit.paginate(octokit.rest.pulls.listReviewComments, {
    owner: pr.owner,
    repo: pr.repo,
    pull_number: pr.number,
    per_page: 100,
  });
  const marked = comments.filter((c) => suggestionFingerprint(c.body) !== undefined);
  // Asked only when there is a candidate; without an answer, no comment is ours to change.
  const me = marked.length ? await identify() : undefined;
  const existing: ExistingComment[] = marked.map((c) => ({
    id: c.id,
    body: c.body,
    path: c.path,
    line: c.line ?? null,
    startLine: c.start_line ?? null,
    own: me !== undefined && writtenBy(c.user, me),
  }));
  const plan = reconcile(existing, planned, keep);
  if (marked.length && !me) {
    // Without knowing which comments are ours, none is edited or deleted, and a finding that has a marked comment
    // already gets no second one.
    const present = new Set(existing.map((c) => suggestionFingerprint(c.body)));
    plan.create = plan.create.filter((s) => !present.has(s.fingerprint));
  }
  const ref = { owner: pr.owner, repo: pr.repo };
  for (const u of plan.update) await octokit.rest.pulls.updateReviewComment({ ...ref, comment_id: u.id, body: u.body });
  if (plan.create.length) {
    const n = plan.create.length;
    await octokit.rest.pulls.createReview({
      ...ref,
      pull_number: pr.number,
      commit_id: headSha,
      event: 'COMMENT',
      body: `shipshape: ${n === 1 ? 'a suggested fix' : `${n} suggested fixes`} on lines this pull request changes.`,
      comments: plan.create.map((s) => ({
        path: s.path,
        body: s.body,
        line: s.line,
        side: 'RIGHT',
        ...(s.startLine !== undefined ? { start_line: s.startLine, start_side: 'RIGHT' } : {}),
      })),
    });
  }
  // Deleted last: when posting fails, the earlier suggestions are still there.
  for (const id of plan.remove) await octokit.rest.pulls.deleteReviewComment({ ...ref, comment_id: id });
  return { created: plan.create.length, updated: plan.update.length, deleted: plan.remove.length, kept: plan.kept };
}
