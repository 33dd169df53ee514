import type { getOctokit } from '@actions/github';
import { COMMENT_MARKER } from './comment.js';

export type Octokit = ReturnType<typeof getOctokit>;

export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
}

/** Paths (relative to the repository root) that the pull request adds or modifies; removed files have nothing to report. */
export async function listChangedFiles(octokit: Octokit, pr: PullRequestRef): Promise<Set<string>> {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, { owner: pr.owner, repo: pr.repo, pull_number: pr.number, per_page: 100 });
  return new Set(files.filter((f) => f.status !== 'removed').map((f) => f.filename));
}

export type CommentOutcome = 'created' | 'updated' | 'not-needed';

/**
 * Update the action's own earlier comment (found by its hidden marker), else create one. A clean run only updates an
 * existing comment, so a pull request that never had a finding gets no comment at all.
 */
export async function upsertComment(octokit: Octokit, pr: PullRequestRef, body: string, clean: boolean): Promise<CommentOutcome> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner: pr.owner, repo: pr.repo, issue_number: pr.number, per_page: 100 });
  const own = comments.find((c) => c.body?.startsWith(COMMENT_MARKER));
  if (own) {
    await octokit.rest.issues.updateComment({ owner: pr.owner, repo: pr.repo, comment_id: own.id, body });
    return 'updated';
  }
  if (clean) return 'not-needed';
  await octokit.rest.issues.createComment({ owner: pr.owner, repo: pr.repo, issue_number: pr.number, body });
  return 'created';
}

/** The HTTP status of an octokit RequestError, if that is what `err` is. */
export function httpStatus(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}
