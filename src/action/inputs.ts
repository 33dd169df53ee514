import type { Severity } from '../model/types.js';

export type FailOn = Severity | 'none';

export interface ActionInputs {
  paths: string[];
  config: string | undefined;
  failOn: FailOn;
  sarifFile: string;
  annotations: boolean;
  comment: boolean;
  /** Review suggestions (```suggestion blocks) of the fixes, on pull requests. */
  suggestions: boolean;
  onlyChanged: boolean;
  kubeVersion: string | undefined;
  token: string | undefined;
}

/** A mistake in the workflow file: the run fails with this one line. */
export class InputError extends Error {
  override name = 'InputError';
}

export const PULL_REQUEST_EVENTS: ReadonlySet<string> = new Set(['pull_request', 'pull_request_target']);
const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'note', 'none'];
const TRUE = new Set(['true', 'True', 'TRUE', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'False', 'FALSE', 'no', 'off', '0']);

/**
 * Read the inputs of action.yml. `get` returns '' for an input that is not set (as `core.getInput` does), so every
 * default is applied here too: the bundle behaves the same when run without the runner filling in action.yml defaults.
 */
export function readInputs(get: (name: string) => string, eventName: string | undefined): ActionInputs {
  const isPullRequest = eventName !== undefined && PULL_REQUEST_EVENTS.has(eventName);
  const failOn = get('fail-on') || 'error';
  if (!(FAIL_ON as readonly string[]).includes(failOn))
    throw new InputError(`fail-on: expected one of ${FAIL_ON.join(', ')}, got "${failOn}"`);
  const paths = get('paths').split(/\s+/).filter(Boolean);
  return {
    paths: paths.length ? paths : ['.'],
    config: get('config') || undefined,
    failOn: failOn as FailOn,
    sarifFile: get('sarif-file') || 'shipshape.sarif',
    annotations: bool(get, 'annotations', true),
    comment: bool(get, 'comment', isPullRequest),
    suggestions: bool(get, 'suggestions', true),
    onlyChanged: bool(get, 'only-changed', isPullRequest),
    kubeVersion: get('kube-version') || undefined,
    token: get('github-token') || undefined,
  };
}

/** `auto` (or unset) means the default, which for some inputs depends on the event. */
function bool(get: (name: string) => string, name: string, auto: boolean): boolean {
  const v = get(name);
  if (v === '' || v === 'auto') return auto;
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new InputError(`${name}: expected true, false or auto, got "${v}"`);
}
