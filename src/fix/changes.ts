import { redact } from '../model/redact.js';
import type { Finding } from '../model/types.js';
import { applyFixes, toChanges } from './apply.js';

/**
 * Fills `fix.changes` of each finding that carries a fix: the text replacements `--fix` would make in its file as it is
 * now (for the JSON and SARIF reports and pull-request suggestions). A fix that does not apply to the file is dropped,
 * and `fixSkipped` says why (so is one that applies only in part, or whose text looks like a credential). `read` gives a file's text by the finding's `file` (undefined when it cannot be read).
 */
export function attachChanges(findings: readonly Finding[], read: (file: string) => string | undefined): void {
  const texts = new Map<string, string | undefined>();
  for (const f of findings) {
    if (!f.fix) continue;
    if (!texts.has(f.file)) texts.set(f.file, read(f.file));
    const text = texts.get(f.file);
    if (text === undefined) {
      delete f.fix;
      f.fixSkipped = 'the file cannot be read';
      continue;
    }
    const done = applyFixes(text, [f.fix], f.resource?.kind);
    // A fix is made whole or not at all (as --fix does): an edit left out could leave the object half changed.
    if (!done.applied || done.notes.length) {
      delete f.fix;
      f.fixSkipped = done.notes.join('; ') || 'the fix does not apply';
      continue;
    }
    const changes = toChanges(text, f.file, done.edits);
    // The inserted text comes from the rule, never from a value; should it ever look like a credential, it is not shown.
    if (changes.some((c) => redact(c.text, Number.MAX_SAFE_INTEGER) !== c.text)) {
      delete f.fix;
      f.fixSkipped = 'the fix text looks like it holds a credential';
      continue;
    }
    f.fix.changes = changes;
  }
}
