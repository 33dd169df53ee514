import { SEVERITY_RANK } from '../engine/rule.js';
import type { Finding, Severity } from '../model/types.js';

/** GitHub shows the first 10 annotations of each level of a step and drops the rest. */
export const ANNOTATIONS_PER_LEVEL = 10;

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export const ANNOTATION_LEVEL: Record<Severity, AnnotationLevel> = {
  error: 'error',
  warning: 'warning',
  note: 'notice',
};

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  properties: {
    title: string;
    file: string;
    startLine: number;
    endLine: number;
    startColumn: number;
    endColumn: number;
  };
}

export interface AnnotationPlan {
  annotations: Annotation[];
  /** Findings that got no annotation because their level was full. */
  omitted: Record<Severity, number>;
}

/**
 * The annotations to emit: most severe first, at most `budget[level]` of each level (the action's own failure
 * message and warnings take slots from the same budget). Suppressed findings never get one.
 */
export function planAnnotations(findings: readonly Finding[], budget: Record<AnnotationLevel, number>): AnnotationPlan {
  const sorted = findings.filter((f) => !f.suppressed).sort(bySeverity);
  const left = { ...budget };
  const omitted: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  const annotations: Annotation[] = [];
  for (const f of sorted) {
    const level = ANNOTATION_LEVEL[f.severity];
    if (left[level] <= 0) {
      omitted[f.severity]++;
      continue;
    }
    left[level]--;
    annotations.push({ level, message: f.message, properties: annotationProperties(f) });
  }
  return { annotations, omitted };
}

function annotationProperties(f: Finding): Annotation['properties'] {
  const r = f.range;
  return {
    title: f.ruleId,
    file: f.file,
    startLine: r.startLine,
    endLine: r.endLine,
    startColumn: r.startColumn,
    endColumn: r.endColumn,
  };
}

/** Most severe first; the engine's order (file, then position) within a severity. */
export function bySeverity(a: Finding, b: Finding): number {
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity];
}
