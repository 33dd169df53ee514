import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { DocumentLocator } from '../model/locate.js';
import type { JsonObject, Range, Resource, SourceFile } from '../model/types.js';

/** A problem found while reading a file, before any rule runs (reported under a pseudo-rule id). */
export interface LoadProblem {
  ruleId: 'invalid-yaml' | 'duplicate-key' | 'template-syntax';
  message: string;
  file: string;
  range: Range;
}

export interface ParsedFile {
  file: SourceFile;
  text: string;
  lines: LineCounter;
  docs: Document[];
  resources: Resource[];
  problems: LoadProblem[];
  /** True when no document is a Kubernetes object or a stack file. */
  irrelevant: boolean;
}

const MAX_ALIAS_COUNT = 100;
const TEMPLATE_RE = /\{\{[-~]?\s*[.$a-zA-Z(/"-]/;

/** Parse every document of a file once, keeping source positions, and classify what it holds. */
export function parseFile(file: SourceFile, rawText: string): ParsedFile {
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  const lines = new LineCounter();
  const problems: LoadProblem[] = [];
  const resources: Resource[] = [];
  let docs: Document[] = [];
  try {
    docs = parseAllDocuments(text, { lineCounter: lines, merge: true, prettyErrors: false, strict: false }) as Document[];
  } catch (err) {
    problems.push({ ruleId: 'invalid-yaml', message: `not valid YAML: ${(err as Error).message}`, file: file.path, range: origin() });
    return { file, text, lines, docs: [], resources, problems, irrelevant: false };
  }
  if (!Array.isArray(docs)) docs = []; // an empty stream yields an EmptyStream with no documents
  const looksTemplated = TEMPLATE_RE.test(text);
  docs.forEach((doc, docIndex) => {
    let broken = false;
    for (const err of doc.errors) {
      const s = lines.linePos(err.pos[0]);
      const e = lines.linePos(Math.max(err.pos[0], err.pos[1]));
      const range = { startLine: s.line, startColumn: s.col, endLine: e.line, endColumn: e.col };
      if (err.code === 'DUPLICATE_KEY') {
        problems.push({ ruleId: 'duplicate-key', file: file.path, range, message: duplicateMessage(text, err.pos[0], err.pos[1]) });
        continue;
      }
      broken = true;
      if (looksTemplated) {
        problems.push({
          ruleId: 'template-syntax',
          file: file.path,
          range,
          message:
            'this file looks like a template ({{ … }}), not plain YAML: render it first (helm template, or shipshape --render) and check the output',
        });
        break;
      }
      problems.push({ ruleId: 'invalid-yaml', file: file.path, range, message: `not valid YAML: ${firstLine(err.message)}` });
      break;
    }
    if (broken) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      problems.push({ ruleId: 'invalid-yaml', file: file.path, range: docStart(doc, lines), message: `cannot be read: ${firstLine((err as Error).message)}` });
      return;
    }
    const locator = new DocumentLocator(doc, lines);
    locator.srcText = text;
    classify(file, docIndex, doc, lines, value, locator, text, resources);
  });
  return { file, text, lines, docs, resources, problems, irrelevant: resources.length === 0 && problems.length === 0 };
}

function classify(
  file: SourceFile,
  docIndex: number,
  doc: Document,
  lines: LineCounter,
  value: unknown,
  locator: DocumentLocator,
  text: string,
  out: Resource[],
): void {
  if (!isObject(value)) return;
  if (typeof value.apiVersion === 'string' && typeof value.kind === 'string') {
    if (value.kind.endsWith('List') && Array.isArray(value.items)) {
      value.items.forEach((item, i) => {
        if (!isObject(item) || typeof item.kind !== 'string') return;
        const itemLocator = new DocumentLocator(doc, lines, ['items', i]);
        itemLocator.srcText = text;
        out.push(kubernetesResource(file, docIndex, `${file.path}#${docIndex}/items/${i}`, item, itemLocator));
      });
      return;
    }
    out.push(kubernetesResource(file, docIndex, `${file.path}#${docIndex}`, value, locator));
    return;
  }
  if (isObject(value.services)) {
    const swarmLocator = new DocumentLocator(doc, lines, [], 'services');
    swarmLocator.srcText = text;
    out.push({
      key: `${file.path}#${docIndex}`,
      file,
      docIndex,
      platform: 'swarm',
      apiVersion: undefined,
      kind: 'Stack',
      name: typeof value.name === 'string' ? value.name : stackName(file.path),
      namespace: undefined,
      value,
      labels: {},
      annotations: {},
      locator: swarmLocator,
    });
  }
}

function kubernetesResource(file: SourceFile, docIndex: number, key: string, value: JsonObject, locator: DocumentLocator): Resource {
  const meta = isObject(value.metadata) ? value.metadata : {};
  return {
    key,
    file,
    docIndex,
    platform: 'kubernetes',
    apiVersion: value.apiVersion as string,
    kind: value.kind as string,
    name: typeof meta.name === 'string' ? meta.name : undefined,
    namespace: typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined,
    value,
    labels: stringMap(meta.labels),
    annotations: stringMap(meta.annotations),
    locator,
  };
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
  }
  return out;
}

function stackName(path: string): string {
  const base = path.split('/').pop() ?? path;
  return base.replace(/\.(ya?ml|json)$/i, '');
}

function duplicateMessage(text: string, start: number, _end: number): string {
  const lineEnd = text.indexOf('\n', start);
  const rest = text.slice(start, lineEnd === -1 ? undefined : Math.min(lineEnd, start + 200));
  const key = (/^("[^"]*"|'[^']*'|[^:#]*?)\s*:(\s|$)/.exec(rest)?.[1] ?? rest).trim();
  return `duplicate key ${JSON.stringify(key)}: kubectl apply keeps only the last one, so one of the two values is silently lost`;
}

function firstLine(msg: string): string {
  return (msg.split('\n')[0] ?? msg).replace(/ at line \d+, column \d+:?$/, '');
}

function origin(): Range {
  return { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };
}

function docStart(doc: Document, lines: LineCounter): Range {
  const start = doc.range?.[0] ?? 0;
  const p = lines.linePos(start);
  return { startLine: p.line, startColumn: p.col, endLine: p.line, endColumn: p.col };
}
