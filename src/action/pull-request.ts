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
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
    owner: pr.owner,
    repo: pr.repo,
    pull_number: pr.number,
    per_page: 100,
  });
  return new Set(files.filter((f) => f.status !== 'removed').map((f) => f.filename));
}

export type CommentOutcome = 'created' | 'updated' | 'not-needed';

/** Who the token acts as: `github-actions[bot]` for the workflow's GITHUB_TOKEN, a user for a personal token. */
export interface Identity {
  login: string;
  id?: number;
}

/**
 * The token's own identity, as GitHub's API states it. GraphQL's `viewer` answers for every kind of token (REST's
 * `GET /user` refuses an installation token such as GITHUB_TOKEN), so it is asked first.
 */
export async function whoAmI(octokit: Octokit): Promise<Identity> {
  try {
    const { viewer } = await octokit.graphql<{ viewer: { login: string; databaseId?: number | null } }>(
      'query { viewer { login databaseId } }',
    );
    return { login: viewer.login, ...(typeof viewer.databaseId === 'number' ? { id: viewer.databaseId } : {}) };
  } catch (graphqlError) {
    try {
      const { data } = await octokit.rest.users.getAuthenticated();
      return { login: data.login, id: data.id };
    } catch {
      throw graphqlError;
    }
  }
}

interface CommentAuthor {
  login?: string;
  id?: number;
}

/** GraphQL names a bot `github-actions`; REST, which lists the comments, names it `github-actions[bot]`. */
export function writtenBy(user: CommentAuthor | null | undefined, me: Identity): boolean {
  if (!user) return false;
  if (me.id !== undefined && user.id === me.id) return true;
  return user.login !== undefined && (user.login === me.login || user.login === `${me.login}[bot]`);
}

/**
 * Update the action's own earlier comment (its hidden marker, and written by this token's identity: anyone can post a
 * comment that starts with the marker), else create one. A clean run only updates an existing comment, so a pull
 * request that never had a finding gets no comment at all.
 */
export async function upsertComment(
  octokit: Octokit,
  pr: PullRequestRef,
  body: string,
  clean: boolean,
  identify: () => Promise<Identity | undefined>,
): Promise<CommentOutcome> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: pr.owner,
    repo: pr.repo,
    issue_number: pr.number,
    per_page: 100,
  });
  const marked = comments.filter((c) => c.body?.startsWith(COMMENT_MARKER));
  // Asked only when there is a candidate; without an answer, no comment is ours to overwrite.
  const me = marked.length ? await identify() : undefined;
  const own = me && marked.find((c) => writtenBy(c.user, me));
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
