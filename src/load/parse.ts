import { Composer, LineCounter, visit, type Document } from 'yaml';
import { isObject, stringMap } from '../model/json.js';
import { DocumentLocator, rangeOf } from '../model/locate.js';
import type {
  JsonObject,
  LoadProblem,
  Locator,
  Path,
  Range,
  Resource,
  SourceFile,
  SuppressionComment,
} from '../model/types.js';
import { DirectiveParser, directivesIn } from './directives.js';
import { EventDocuments } from './event-locator.js';
import { fastRead, type Trace } from './fast.js';
import { parserMessage } from '../model/redact.js';
import { excessiveNesting, MAX_NESTING, positionAt, TEMPLATE_MARKER, templateExpression } from './guard.js';

export interface ParsedFile {
  file: SourceFile;
  text: string;
  lines: LineCounter;
  docs: Document[];
  resources: Resource[];
  problems: LoadProblem[];
  /** True when no document is a Kubernetes object or a stack file. */
  irrelevant: boolean;
  /** `# shipshape-ignore` comments, collected while parsing. */
  suppressions: SuppressionComment[];
}

const MAX_ALIAS_COUNT = 100;

/** Parse every document of a file once, keeping source positions, and classify what it holds. */
export function parseFile(file: SourceFile, rawText: string): ParsedFile {
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  const deep = excessiveNesting(text);
  if (deep !== -1) {
    // Refused before parsing: the parser's time and memory grow with depth (see guard.ts).
    const problems: LoadProblem[] = [
      {
        ruleId: 'invalid-yaml',
        file: file.path,
        range: pointAt(text, deep),
        message: `nested more than ${MAX_NESTING} levels deep: not parsed (no manifest nests like this; it looks like a resource-exhaustion attempt or a broken generator)`,
        messageId: 'tooDeep',
        data: { max: MAX_NESTING },
      },
    ];
    return {
      file,
      text,
      lines: lineCounter(text),
      docs: [],
      resources: [],
      problems,
      irrelevant: false,
      suppressions: [],
    };
  }
  return fastParse(file, text) ?? fullParse(file, text);
}

/** The line starts of a text. Taken from the text, not from the parser: after some errors (`{}---`) the lexer skips reporting a newline. */
function lineCounter(text: string): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  return lines;
}

/** `yaml`'s parse of a text, with the suppression comments met on the way (one pass over the text). */
function compose(
  text: string,
  parser = new DirectiveParser(),
): { docs: Document[]; comments: DirectiveParser['comments'] } {
  // logLevel 'error': the parser's warnings (collection keys…) must not reach stderr.
  const composer = new Composer({ merge: true, strict: false, logLevel: 'error' });
  return { docs: Array.from(composer.compose(parser.parse(text))) as Document[], comments: parser.comments };
}

/**
 * The fast path (fast.ts): values from js-yaml, and `yaml`'s documents only when something is located. Undefined when
 * the file needs the full parse: fast.ts declined it, or the file has a problem to report (the full parse words it).
 */
function fastParse(file: SourceFile, original: string): ParsedFile | undefined {
  const read = fastRead(original);
  if (!read) return undefined;
  const { values, text } = read;
  const lazy = new LazyDocuments(text, read.trace, values);
  const resources: Resource[] = [];
  let problem = false;
  const report = (): void => {
    problem = true;
  };
  let stray = false;
  values.forEach((value, docIndex) => {
    const before = resources.length;
    classify(
      file,
      docIndex,
      value,
      (base, rootKey) => new LazyLocator(lazy, docIndex, base, rootKey),
      resources,
      report,
    );
    if (isStray(value, resources.length > before)) stray = true;
  });
  if (problem || (stray && resources.some((r) => r.platform === 'kubernetes'))) return undefined;
  return {
    file,
    text,
    get lines() {
      return lazy.lines;
    },
    get docs() {
      return lazy.docs;
    },
    resources,
    problems: [],
    irrelevant: resources.length === 0,
    suppressions: [],
  };
}

/** Positions for a file read by the fast path: js-yaml's trace first (event-locator.ts), `yaml`'s documents for what it declines. */
class LazyDocuments {
  private composed: Document[] | undefined;
  private lineStarts: LineCounter | undefined;
  readonly events: EventDocuments;
  constructor(
    readonly text: string,
    trace: Trace,
    values: readonly unknown[],
  ) {
    this.events = new EventDocuments(text, trace, values);
  }
  get docs(): Document[] {
    return (this.composed ??= compose(this.text).docs);
  }
  get lines(): LineCounter {
    return (this.lineStarts ??= lineCounter(this.text));
  }
}

/** Locates a path of a fast-path document without parsing it with `yaml` when it can (see LazyDocuments). */
class LazyLocator implements Locator {
  private inner: Locator | undefined;
  constructor(
    private readonly lazy: LazyDocuments,
    private readonly docIndex: number,
    private readonly base: Path,
    private readonly rootKey: string = 'kind',
  ) {}
  locate(path: Path): { range: Range; exact: boolean } {
    const hit = this.lazy.events.span(this.docIndex, this.base, this.rootKey, path);
    if (hit) return { range: rangeOf(this.lazy.lines, hit.span), exact: hit.exact };
    this.inner ??= documentLocator(
      this.lazy.docs[this.docIndex],
      this.lazy.lines,
      this.lazy.text,
      this.base,
      this.rootKey,
    );
    return this.inner.locate(path);
  }
}

function documentLocator(
  doc: Document | undefined,
  lines: LineCounter,
  text: string,
  base: Path = [],
  rootKey?: string,
): Locator {
  // Both parsers split a text into the same documents (test/fast-path.test.ts); without one, the first line stands in.
  if (!doc) return { locate: () => ({ range: origin(), exact: false }) };
  const locator = new DocumentLocator(doc, lines, base, rootKey);
  locator.srcText = text;
  return locator;
}

/** The full parse: `yaml`'s documents, with every problem it reports and the suppression comments (exported for test/fast-path.test.ts). */
export function fullParse(file: SourceFile, text: string): ParsedFile {
  const lines = lineCounter(text);
  const problems: LoadProblem[] = [];
  const resources: Resource[] = [];
  const parser = new DirectiveParser();
  let docs: Document[];
  try {
    docs = compose(text, parser).docs;
  } catch (err) {
    problems.push({
      ruleId: 'invalid-yaml',
      message: `not valid YAML: ${parserMessage((err as Error).message)}`,
      messageId: 'notYaml',
      data: { error: parserMessage((err as Error).message) },
      file: file.path,
      range: origin(),
    });
    return {
      file,
      text,
      lines,
      docs: [],
      resources,
      problems,
      irrelevant: false,
      suppressions: directivesIn(file.path, text, lines, parser.comments),
    };
  }
  const looksTemplated = TEMPLATE_MARKER.test(text);
  const templateProblem = (doc: Document, broken: boolean): LoadProblem | undefined => {
    const at = looksTemplated ? templateExpression(doc, text, broken) : undefined;
    if (at === undefined) return undefined;
    const p = lines.linePos(at);
    return {
      ruleId: 'template-syntax',
      file: file.path,
      range: { startLine: p.line, startColumn: p.col, endLine: p.line, endColumn: p.col + 2 },
      message:
        'this looks like a template ({{ … }} here is template syntax, not YAML): render it first (helm template, or shipshape --render) and check the output, or exclude it with ignore:',
      messageId: 'template',
    };
  };
  const stray: { doc: Document; value: unknown }[] = [];
  docs.forEach((doc, docIndex) => {
    let broken = false;
    for (const err of doc.errors) {
      // Clamped to the text: at the end of the file the parser's range runs one character past it.
      const start = Math.min(err.pos[0], text.length);
      let end = Math.min(Math.max(err.pos[0], err.pos[1]), text.length);
      // A range that ends past a line's CR (the parser marks the `\r` of a CRLF line) ends at the line's content.
      while (end > start && (text.charCodeAt(end - 1) === 0x0d || text.charCodeAt(end - 1) === 0x0a)) end--;
      const s = lines.linePos(start);
      const e = lines.linePos(end);
      const range = { startLine: s.line, startColumn: s.col, endLine: e.line, endColumn: e.col };
      if (err.code === 'DUPLICATE_KEY') {
        const dup = duplicateKey(text, err.pos[0]);
        const keyEnd = lines.linePos(err.pos[0] + dup.length);
        // The range covers the repeated key (the parser marks only its first character).
        const keyRange = keyEnd.line === s.line ? { ...range, endLine: keyEnd.line, endColumn: keyEnd.col } : range;
        problems.push({
          ruleId: 'duplicate-key',
          file: file.path,
          range: keyRange,
          message: dup.message,
          messageId: 'duplicate',
          data: { key: dup.key },
        });
        continue;
      }
      broken = true;
      const template = templateProblem(doc, true);
      if (template) {
        problems.push(template);
        break;
      }
      const exhausted = err.code === 'RESOURCE_EXHAUSTION';
      const message = exhausted
        ? 'nested too deeply for the YAML parser (its stack ran out): not read. No manifest nests like this'
        : `not valid YAML: ${parserMessage(err.message)}`;
      problems.push({
        ruleId: 'invalid-yaml',
        file: file.path,
        range,
        message,
        ...(exhausted
          ? { messageId: 'parserExhausted' }
          : { messageId: 'notYaml', data: { error: parserMessage(err.message) } }),
      });
      break;
    }
    if (broken) return;
    const template = templateProblem(doc, false);
    if (template) {
      problems.push(template);
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      const bomb = /alias count/i.test((err as Error).message);
      const message = bomb
        ? `its aliases (*name) expand more than ${MAX_ALIAS_COUNT} times: that is how an alias bomb ("billion laughs") exhausts memory, so it was not read. Write repeated values out, or split the document`
        : `cannot be read: ${parserMessage((err as Error).message)}`;
      const alias = bomb ? undefined : unresolvedAlias(doc);
      const range = alias ? rangeOf(lines, alias) : docStart(doc, lines, text);
      problems.push({
        ruleId: 'invalid-yaml',
        file: file.path,
        range,
        message,
        ...(bomb
          ? { messageId: 'aliasBomb', data: { max: MAX_ALIAS_COUNT } }
          : { messageId: 'unreadable', data: { error: parserMessage((err as Error).message) } }),
      });
      return;
    }
    const locatorFor = (base: Path, rootKey?: string): Locator => documentLocator(doc, lines, text, base, rootKey);
    const locator = locatorFor([]);
    const odd = plainValues(value);
    if (odd) {
      problems.push({
        ruleId: 'invalid-yaml',
        file: file.path,
        range: locator.locate(odd).range,
        message: 'a !!merge tag on a value (not a `<<` key): kubectl reads nothing there. Remove the tag',
        messageId: 'mergeTag',
      });
      return;
    }
    const before = resources.length;
    const report = (at: Path, message: string): void => {
      problems.push({
        ruleId: 'invalid-yaml',
        file: file.path,
        range: locator.locate(at).range,
        message,
        messageId: 'notObject',
        data: { problem: message },
      });
    };
    classify(file, docIndex, value, locatorFor, resources, report);
    if (isStray(value, resources.length > before)) stray.push({ doc, value });
  });
  // A document that is not an object, in a file of Kubernetes objects, makes kubectl apply fail for the whole file;
  // it is usually half of an object that a stray `---` or `...` cut in two.
  if (stray.length && resources.some((r) => r.platform === 'kubernetes')) {
    for (const { doc, value } of stray) {
      const absent = isObject(value)
        ? (['apiVersion', 'kind'] as const).filter((k) => typeof value[k] !== 'string')
        : [];
      const what = Array.isArray(value)
        ? 'a list'
        : isObject(value)
          ? `a mapping without ${absent.join(' and ')}`
          : 'a plain value';
      problems.push({
        ruleId: 'invalid-yaml',
        file: file.path,
        range: docStart(doc, lines, text),
        message: `this document is ${what}, not a Kubernetes object like the others in the file: kubectl apply rejects the whole file. A stray \`---\` or \`...\` above it may have cut an object in two`,
        messageId: 'strayDocument',
        data: { what },
      });
    }
  }
  const suppressions = directivesIn(file.path, text, lines, parser.comments);
  return {
    file,
    text,
    lines,
    docs,
    resources,
    problems,
    irrelevant: resources.length === 0 && problems.length === 0,
    suppressions,
  };
}

function classify(
  file: SourceFile,
  docIndex: number,
  value: unknown,
  locatorFor: (base: Path, rootKey?: string) => Locator,
  out: Resource[],
  report: (at: Path, message: string) => void,
): void {
  if (!isObject(value)) return;
  if (typeof value.apiVersion === 'string' && typeof value.kind === 'string') {
    if (value.kind === 'List' && value.items !== undefined && value.items !== null && !Array.isArray(value.items))
      report(
        ['items'],
        `items of this List is not a list: kubectl apply rejects the whole document, and none of its objects is checked`,
      );
    if (value.kind.endsWith('List') && Array.isArray(value.items)) {
      value.items.forEach((item, i) => {
        // kubectl refuses the whole list for one item it cannot decode ("Object 'Kind' is missing").
        const absent = isObject(item)
          ? (['apiVersion', 'kind'] as const).filter((k) => typeof item[k] !== 'string')
          : [];
        if (item !== null && (!isObject(item) || absent.length))
          report(
            ['items', i],
            `item ${i} of this ${value.kind} is ${isObject(item) ? `an object without ${absent.join(' and ')}` : 'not an object'}: kubectl apply rejects the whole list`,
          );
        if (!isObject(item) || typeof item.kind !== 'string') return;
        out.push(
          kubernetesResource(file, docIndex, `${file.path}#${docIndex}/items/${i}`, item, locatorFor(['items', i])),
        );
      });
      return;
    }
    out.push(kubernetesResource(file, docIndex, `${file.path}#${docIndex}`, value, locatorFor([])));
    return;
  }
  if (isStackFile(value)) {
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
      locator: locatorFor([], 'services'),
      envFiles: new Map(), // filled by the loader (attachEnvFiles), which reads the files
      secretFiles: new Map(), // filled by the loader (attachEnvFiles), which looks for them
    });
  }
}

/** The Resource of one Kubernetes object (a document, a List item, or an object rendered by kustomize/helm). */
export function kubernetesResource(
  file: SourceFile,
  docIndex: number,
  key: string,
  value: JsonObject,
  locator: Locator,
): Resource {
  const meta = isObject(value.metadata) ? value.metadata : {};
  return {
    key,
    file,
    docIndex,
    platform: 'kubernetes',
    apiVersion: typeof value.apiVersion === 'string' ? value.apiVersion : undefined,
    kind: String(value.kind),
    name: typeof meta.name === 'string' ? meta.name : undefined,
    namespace: typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined,
    value,
    labels: stringMap(meta.labels),
    annotations: stringMap(meta.annotations),
    locator,
  };
}

/** Keys that only a Compose service has; other tools also have a top-level `services` map (azure.yaml, for one). */
const COMPOSE_SERVICE_KEYS = new Set([
  'image',
  'build',
  'command',
  'entrypoint',
  'environment',
  'env_file',
  'deploy',
  'ports',
  'volumes',
  'networks',
  'healthcheck',
  'depends_on',
  'restart',
  'labels',
  'secrets',
  'configs',
  'container_name',
  'expose',
  'extends',
  'logging',
  'working_dir',
  'cap_add',
]);

/** A stack (Compose) file: a top-level `services` mapping, with `version` or with a service that has a Compose key. */
function isStackFile(value: JsonObject): boolean {
  if (!isObject(value.services)) return false;
  if (value.version !== undefined) return true;
  const services = Object.values(value.services);
  return (
    services.length === 0 ||
    services.some((s) => isObject(s) && Object.keys(s).some((k) => COMPOSE_SERVICE_KEYS.has(k) || k.startsWith('x-')))
  );
}

function stackName(path: string): string {
  const base = path.split('/').pop() ?? path;
  return base.replace(/\.(ya?ml|json)$/i, '');
}

function duplicateKey(text: string, start: number): { message: string; key: string; length: number } {
  const lineEnd = text.indexOf('\n', start);
  let rest = text.slice(start, Math.min(lineEnd === -1 ? text.length : lineEnd, start + 200));
  if (rest.endsWith('\r')) rest = rest.slice(0, -1); // a CRLF line: the key ends before its CR
  // Only the key, never what follows it: the value may be a secret. (Linear: no lazy group before `\s*:`.)
  const quoted = /^("[^"]*"|'[^']*')/.exec(rest)?.[1];
  const colon = rest.search(/:(?:\s|$)/);
  const plain = (colon === -1 ? (rest.split(/[:#,}\]]/)[0] ?? '') : rest.slice(0, colon)).trim();
  const key = clip(quoted ?? plain, 80);
  return {
    message: `duplicate key ${JSON.stringify(key)}: kubectl apply keeps only the last one, so one of the two values is silently lost`,
    key: JSON.stringify(key),
    // At least the character the parser marks, when the line has one there.
    length: (quoted ?? plain).length || Math.min(1, rest.length),
  };
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** A document that is neither a resource nor empty: in a file of Kubernetes objects, kubectl rejects the whole file. */
function isStray(value: unknown, madeResource: boolean): boolean {
  const typed = isObject(value) && typeof value.apiVersion === 'string' && typeof value.kind === 'string';
  return !madeResource && !typed && value !== null && value !== undefined && !isEmpty(value);
}

function isEmpty(v: unknown): boolean {
  return (isObject(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0) || v === '';
}

function pointAt(text: string, offset: number): Range {
  const { line, column } = positionAt(text, offset);
  return { startLine: line, startColumn: column, endLine: line, endColumn: column + 1 };
}

function origin(): Range {
  return { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };
}

/** The first line of a document's content (after a `---` marker and comments), up to its end. */
function docStart(doc: Document, lines: LineCounter, text: string): Range {
  const start = (doc.contents as { range?: [number, number, number] } | null)?.range?.[0] ?? doc.range?.[0] ?? 0;
  const nl = text.indexOf('\n', start);
  const end = nl === -1 ? text.length : text[nl - 1] === '\r' ? nl - 1 : nl;
  const p = lines.linePos(start);
  const e = lines.linePos(Math.max(start, end));
  return { startLine: p.line, startColumn: p.col, endLine: e.line, endColumn: e.col };
}

/**
 * Makes a parsed value plain JSON in place: `!!binary` (a byte array) becomes the base64 text it was written as, which
 * is what Kubernetes reads for bytes. Returns the path of a `!!merge` written as a value (the parser gives a Symbol),
 * which no manifest means: the document is reported once instead of reaching the rules.
 */
function plainValues(root: unknown): Path | undefined {
  const stack: { v: unknown; path: Path }[] = [{ v: root, path: [] }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'symbol') return path;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (v[i] instanceof Uint8Array) v[i] = Buffer.from(v[i] as Uint8Array).toString('base64');
        else stack.push({ v: v[i], path: [...path, i] });
      }
    } else if (isObject(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (x instanceof Uint8Array) v[k] = Buffer.from(x).toString('base64');
        else stack.push({ v: x, path: [...path, k] });
      }
    }
  }
  return undefined;
}

/** Where the first alias without an anchor before it is (`*name`), looking at the first 100 aliases of a document. */
function unresolvedAlias(doc: Document): [number, number] | undefined {
  let found: [number, number] | undefined;
  let seen = 0;
  visit(doc, {
    Alias(_, node) {
      if (++seen > 100) return visit.BREAK;
      if (node.range && node.resolve(doc) === undefined) {
        found = [node.range[0], node.range[1]];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}
