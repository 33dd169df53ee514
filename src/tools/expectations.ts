/**
 * Fixture expectation markers (test/fixtures/README.md): a comment line under the line a finding is reported on,
 * with carets under the reported range.
 *
 *     minReplicas: 1
 *   # ^^^^^^^^^^^^^^ hpa-min-replicas
 *
 * The marker refers to the nearest line above it that is not itself a marker (markers for one line stack). The first
 * caret is the start column and the column after the last caret the end column. `(column 1)` starts the range at
 * column 1, where no caret can stand because the `#` does; `(end +N:C)` ends it N lines below the reported line (marker
 * lines counted) at column C. A severity may follow the rule id, then the message id in brackets:
 *
 *   # ^^^^^^^^^^^^^^ hpa-min-replicas warning [tooLow]
 */
export interface Expected {
  ruleId: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity?: 'error' | 'warning' | 'note';
  /** The key of the rule's `meta.messages` the finding reports. */
  messageId?: string;
  /** The line of the marker itself (1-based). */
  markerLine: number;
}

const MARKER =
  /^(\s*#\s*)(\^+) ([a-z0-9-]+)(?: (error|warning|note))?(?: \[(\w+)\])?((?: \((?:column 1|end \+\d+:\d+)\))*)\s*$/;

/** Whether a line is an expectation marker (a whole line: the fixture as a reader sees it has none). */
export function isMarker(line: string): boolean {
  return MARKER.test(line);
}

/** The expectations written in a fixture's text. */
export function parseExpectations(text: string): Expected[] {
  const lines = text.split(/\r?\n/);
  const out: Expected[] = [];
  let target = 0;
  lines.forEach((l, i) => {
    const m = MARKER.exec(l);
    if (!m) {
      target = i + 1;
      return;
    }
    const [, prefix, carets, ruleId, severity, messageId, options] = m;
    const column = options!.includes('(column 1)') ? 1 : prefix!.length + 1;
    const end = /\(end \+(\d+):(\d+)\)/.exec(options!);
    out.push({
      ruleId: ruleId!,
      line: target,
      column,
      endLine: end ? target + Number(end[1]) : target,
      endColumn: end ? Number(end[2]) : prefix!.length + 1 + carets!.length,
      ...(severity ? { severity: severity as Expected['severity'] } : {}),
      ...(messageId ? { messageId } : {}),
      markerLine: i + 1,
    });
  });
  return out;
}

/** A fixture as a reader should see it: without its expectation markers. */
export function withoutMarkers(text: string): string {
  return text
    .split('\n')
    .filter((l) => !isMarker(l))
    .join('\n');
}
