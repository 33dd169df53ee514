import { readRegularFile } from './read.js';
import { isContained, realRoot } from './root.js';
import { execFile } from 'node:child_process';
import { constants as fsConstants, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { JsonObject, Locator, Path, Range, Resource } from '../model/types.js';
import { displayPath, type DiscoveredFile } from './discover.js';
import { isObject, kubernetesResource, parseFile, type LoadProblem, type ParsedFile } from './parse.js';

/**
 * Kustomize directories and Helm charts, rendered with the real tools (`kubectl kustomize` or `kustomize build`,
 * `helm template`) so that what is checked is what gets deployed. Each rendered object is mapped back to the file
 * that defines it (kustomize's `config.kubernetes.io/origin` annotations, `# Source:` comments of helm), and a finding
 * says when its line is only approximate.
 */
export interface RenderOutcome {
  /** Discovered files that rendering covers: they are not read again as plain manifests. */
  consumed: Set<string>;
  /** The source files rendered objects point into (for counts; their own objects are not checked twice). */
  files: ParsedFile[];
  resources: Resource[];
  problems: LoadProblem[];
  warnings: string[];
}

const KUSTOMIZATION_FILES = new Set(['kustomization.yaml', 'kustomization.yml']);
const ORIGIN = 'config.kubernetes.io/origin';
const RENDER_TIMEOUT_MS = 120_000;
const HELM_INSTALL = 'https://helm.sh/docs/intro/install/';

export async function renderInputs(found: readonly DiscoveredFile[], cwd: string, repositoryRoot: string = cwd): Promise<RenderOutcome> {
  const repo = realRoot(repositoryRoot);
  const out: RenderOutcome = { consumed: new Set(), files: [], resources: [], problems: [], warnings: [] };
  const sources = new SourceCache(cwd, repo);

  const charts = outermost(found.filter((f) => path.basename(f.absPath) === 'Chart.yaml').map((f) => path.dirname(f.absPath)));
  const inChart = (abs: string): boolean => charts.some((c) => isInside(abs, c));
  for (const f of found) if (inChart(f.absPath)) out.consumed.add(f.absPath);

  // A kustomization that names a remote base, or a path outside the repository, is not rendered: kustomize would
  // fetch from the network or read files that are not the repository's. Its files stay checked as plain manifests.
  const kustomizations: DiscoveredFile[] = [];
  for (const f of found.filter((x) => KUSTOMIZATION_FILES.has(path.basename(x.absPath)) && !inChart(x.absPath))) {
    const why = await refusal(f.absPath, repo);
    if (!why) kustomizations.push(f);
    else out.problems.push({ ruleId: 'render-skipped', file: displayPath(f.absPath, cwd), range: START, message: `${displayPath(path.dirname(f.absPath), cwd)} was not rendered: ${why}. Its files were checked as plain manifests.` });
  }
  const referencedDirs = new Set<string>();
  const consumedByKustomize = new Set<string>();
  for (const k of kustomizations) {
    consumedByKustomize.add(k.absPath);
    for (const ref of await referencesOf(k.absPath)) {
      if (ref.dir) referencedDirs.add(ref.abs);
      else consumedByKustomize.add(ref.abs);
    }
  }
  const roots = kustomizations.filter((k) => !referencedDirs.has(path.dirname(k.absPath)));

  const kustomize = roots.length ? await findKustomize() : undefined;
  if (roots.length && !kustomize) {
    // Nothing renders them here: their files stay checked as plain manifests, as without --render.
    for (const k of roots)
      out.problems.push({
        ruleId: 'render-skipped',
        file: displayPath(k.absPath, cwd),
        range: START,
        message: `${displayPath(path.dirname(k.absPath), cwd)} was not rendered: neither kubectl nor kustomize is on PATH. Install kubectl to check what this kustomization builds; its files were checked as plain manifests.`,
      });
  } else {
    for (const f of consumedByKustomize) out.consumed.add(f);
    for (const k of roots) await renderKustomization(k.absPath, kustomize!, cwd, sources, out, consumedByKustomize);
  }

  if (charts.length) {
    const helm = await which('helm');
    for (const chart of charts) {
      if (helm) await renderChart(chart, cwd, sources, out);
      else {
        const chartFile = displayPath(path.join(chart, 'Chart.yaml'), cwd);
        out.problems.push({
          ruleId: 'render-skipped',
          file: chartFile,
          range: START,
          message: `Helm chart ${displayPath(chart, cwd)} was not checked: helm is not on PATH, so it cannot be rendered. Install helm (${HELM_INSTALL}) to check it with --render, or check its output yourself: helm template NAME ${displayPath(chart, cwd)} | shipshape -`,
        });
      }
    }
  }
  out.files = sources.all();
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Kustomize

interface Ref {
  abs: string;
  /** A directory holding a kustomization (a base, a component), rather than a file. */
  dir: boolean;
}

/** Why a kustomization must not be rendered (a remote base, a path outside the repository), or undefined. */
async function refusal(file: string, repo: string): Promise<string | undefined> {
  let doc: unknown;
  try {
    const read = readRegularFile(file);
    doc = read.ok ? parseYaml(read.bytes.toString('utf8')) : undefined;
  } catch {
    return undefined; // kustomize will say what is wrong when it renders
  }
  if (!isObject(doc)) return undefined;
  for (const key of ['resources', 'bases', 'components']) {
    const list = doc[key];
    if (!Array.isArray(list)) continue;
    for (const s of list) if (typeof s === 'string' && REMOTE.test(s)) return `${key} names a remote base (kustomize would fetch it from the network; shipshape never does)`;
  }
  for (const ref of await referencesOf(file)) {
    let real = ref.abs;
    try {
      real = await fs.realpath(ref.abs);
    } catch {
      /* checked as written */
    }
    if (!isContained(repo, real)) return 'it names a path outside the repository (shipshape reads nothing outside it)';
  }
  return undefined;
}

const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|git::|(?:github\.com|gitlab\.com|bitbucket\.org)\/)/i;

/** Every local path a kustomization names (resources, bases, components, patches, generators…). */
async function referencesOf(file: string): Promise<Ref[]> {
  let doc: unknown;
  try {
    const read = readRegularFile(file);
    if (!read.ok) return [];
    doc = parseYaml(read.bytes.toString('utf8'));
  } catch {
    return []; // kustomize will say what is wrong when it renders
  }
  const strings: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') strings.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) Object.values(v).forEach(walk);
  };
  walk(doc);
  const dir = path.dirname(file);
  const refs: Ref[] = [];
  for (const s of strings) {
    if (s.length > 1024 || s.includes('\n') || s.includes('://') || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(s)) continue;
    // `file=path` and `key=path` forms of generators
    const candidate = s.includes('=') ? s.slice(s.indexOf('=') + 1) : s;
    const abs = path.resolve(dir, candidate);
    try {
      const st = await fs.stat(abs);
      if (st.isFile()) refs.push({ abs, dir: false });
      else if (st.isDirectory() && (await hasKustomization(abs))) refs.push({ abs, dir: true });
    } catch {
      // not a path
    }
  }
  return refs;
}

async function hasKustomization(dir: string): Promise<boolean> {
  for (const name of [...KUSTOMIZATION_FILES, 'Kustomization']) {
    try {
      if ((await fs.stat(path.join(dir, name))).isFile()) return true;
    } catch {
      // next
    }
  }
  return false;
}

type Tool = { cmd: string; args: (dir: string) => string[]; shown: string };

async function findKustomize(): Promise<Tool | undefined> {
  if (await which('kubectl')) return { cmd: 'kubectl', args: (d) => ['kustomize', d], shown: 'kubectl kustomize' };
  if (await which('kustomize')) return { cmd: 'kustomize', args: (d) => ['build', d], shown: 'kustomize build' };
  return undefined;
}

async function renderKustomization(kfile: string, tool: Tool, cwd: string, sources: SourceCache, out: RenderOutcome, candidates: Iterable<string>): Promise<void> {
  const root = path.dirname(kfile);
  const shownRoot = displayPath(root, cwd);
  const kshown = displayPath(kfile, cwd);
  // A throwaway overlay asks kustomize for origin annotations without touching the repository.
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'shipshape-kustomize-'));
  try {
    await fs.writeFile(path.join(tmp, 'kustomization.yaml'), `resources:\n  - ${JSON.stringify(path.relative(tmp, root))}\nbuildMetadata: [originAnnotations]\n`);
    let result = await run(tool.cmd, tool.args(tmp));
    let base = tmp;
    if (result.code !== 0 && /buildMetadata|unknown field|must resolve to a file/i.test(result.stderr)) {
      // An old kustomize without origin annotations: render as is, and match objects by kind and name.
      result = await run(tool.cmd, tool.args(root));
      base = '';
    }
    if (result.code !== 0) {
      out.problems.push({ ruleId: 'render-failed', file: kshown, range: START, message: `${tool.shown} ${shownRoot} failed: ${kustomizeError(result.stderr)}` });
      return;
    }
    const rendered = parseFile({ path: `${shownRoot} (rendered)`, absPath: '' }, result.stdout);
    for (const p of rendered.problems) out.problems.push({ ...p, file: kshown, range: START, message: `the output of ${tool.shown} ${shownRoot}: ${p.message}` });
    const kust = await sources.get(kfile);
    const via = `kustomize build of ${shownRoot}`;
    // Every file the kustomizations name: sources when origins are missing, and the patches that set a value.
    for (const f of candidates) if (/\.ya?ml$/i.test(f)) await sources.get(f);
    let i = 0;
    for (const r of rendered.resources) {
      const value = structuredClone(r.value);
      const origin = takeOrigin(value);
      let file: string | undefined;
      if (base && origin && !origin.repo) file = origin.path ? path.resolve(base, origin.path) : origin.configuredIn ? path.resolve(base, origin.configuredIn) : undefined;
      if (file) await sources.get(file);
      const generated = origin?.repo ? `from the remote base ${origin.repo}` : 'generated by the kustomization';
      out.resources.push(mapped(value, i++, sources, file, kust, via, shownRoot, base === '', generated));
    }
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

interface Origin {
  path?: string;
  configuredIn?: string;
  repo?: string;
}

/** Read and remove the origin annotation kustomize added, so the object is checked as it will be applied. */
function takeOrigin(value: JsonObject): Origin | undefined {
  const meta = isObject(value.metadata) ? value.metadata : undefined;
  const annotations = meta && isObject(meta.annotations) ? meta.annotations : undefined;
  const raw = annotations?.[ORIGIN];
  if (!annotations || typeof raw !== 'string') return undefined;
  delete annotations[ORIGIN];
  if (Object.keys(annotations).length === 0) delete meta!.annotations;
  try {
    const o = parseYaml(raw) as unknown;
    return isObject(o) ? { ...(typeof o.path === 'string' ? { path: o.path } : {}), ...(typeof o.configuredIn === 'string' ? { configuredIn: o.configuredIn } : {}), ...(typeof o.repo === 'string' ? { repo: o.repo } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

function kustomizeError(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  // kubectl prints a multi-line cause as `err=<` followed by the lines: the first of those is the error.
  const opener = lines.findIndex((l) => /err=<$/.test(l));
  const line = (opener !== -1 ? lines[opener + 1] : (lines.find((l) => /^Error:/.test(l)) ?? lines[0])) ?? 'no error message';
  // kubectl wraps it as: E1122 17:54:35.972138 15964 run.go:72] "command failed" err="…"
  const m = /"command failed" err="(.*)"$/.exec(line);
  const msg = m ? m[1]!.replace(/\\"/g, '"').replace(/\\'/g, "'") : line.replace(/^Error:\s*/, '');
  // kustomize chains causes as "outer: inner: root cause": the end is what says what to fix.
  return msg.length > 400 ? `…${msg.slice(-400)}` : msg;
}

// ---------------------------------------------------------------------------------------------------------------
// Helm

async function renderChart(chart: string, cwd: string, sources: SourceCache, out: RenderOutcome): Promise<void> {
  const chartFile = path.join(chart, 'Chart.yaml');
  const shown = displayPath(chart, cwd);
  const release = path.basename(chart).toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '') || 'release';
  const result = await run('helm', ['template', release, chart]);
  if (result.code !== 0) {
    const msg = (result.stderr.split('\n').find((l) => l.trim() !== '') ?? 'no error message').replace(/^Error:\s*/, '').slice(0, 400);
    out.problems.push({ ruleId: 'render-failed', file: displayPath(chartFile, cwd), range: START, message: `helm template ${release} ${shown} failed: ${msg}` });
    return;
  }
  const chartDoc = await sources.get(chartFile);
  let index = 0;
  // helm prints `---` then `# Source: <chart name>/templates/x.yaml` before every object.
  for (const chunk of result.stdout.split(/^---[ \t]*$/m)) {
    const source = /^# Source: (.+)$/m.exec(chunk)?.[1]?.trim();
    const parsed = parseFile({ path: `${shown} (rendered)`, absPath: '' }, chunk);
    for (const r of parsed.resources) {
      const template = source ? path.join(chart, source.split('/').slice(1).join('/')) : undefined;
      out.resources.push(await templated(structuredClone(r.value), index++, template, chartDoc, cwd, `helm template of ${shown}`));
    }
    for (const p of parsed.problems) out.problems.push({ ...p, file: displayPath(chartFile, cwd), range: START, message: `the output of helm template ${shown}: ${p.message}` });
  }
}

/** A template is not YAML: point at the line of the key when it can be found, always as approximate. */
async function templated(value: JsonObject, index: number, template: string | undefined, chart: ParsedFile | undefined, cwd: string, via: string): Promise<Resource> {
  let text: string | undefined;
  if (template) {
    try {
      text = await fs.readFile(template, 'utf8');
    } catch {
      text = undefined;
    }
  }
  const file = text !== undefined && template ? { path: displayPath(template, cwd), absPath: template } : (chart?.file ?? { path: `${via}`, absPath: '' });
  const lines = (text ?? '').split('\n');
  const kindLine = Math.max(0, lines.findIndex((l) => new RegExp(`^\\s*kind:\\s*["']?${escape(String(value.kind))}\\b`).test(l)));
  const locator: Locator = {
    locate(p: Path) {
      if (text === undefined) return { range: START, exact: false, note: `${via}; line approximate` };
      const key = [...p].reverse().find((s): s is string => typeof s === 'string');
      let at = kindLine;
      if (key) {
        const re = new RegExp(`^\\s*(?:-\\s*)?["']?${escape(key)}["']?\\s*:`); // no `\s*-?\s*`: quadratic on a run of blanks
        const hit = lines.findIndex((l, i) => i >= kindLine && re.test(l));
        if (hit >= 0) at = hit;
      }
      const line = lines[at] ?? '';
      const col = line.length - line.trimStart().length + 1;
      return { range: { startLine: at + 1, startColumn: col, endLine: at + 1, endColumn: line.length + 1 }, exact: false, note: `${via}; line approximate` };
    },
  };
  return kubernetesResource(file, 0, `${file.path}#helm/${index}`, value, locator);
}

// ---------------------------------------------------------------------------------------------------------------
// Mapping rendered objects to their source

/** A rendered object located in the file that defines it: exact where the value there is the value rendered. */
function mapped(value: JsonObject, index: number, sources: SourceCache, file: string | undefined, kust: ParsedFile | undefined, via: string, root: string, guess: boolean, generated: string): Resource {
  const kind = String(value.kind);
  const name = isObject(value.metadata) && typeof value.metadata.name === 'string' ? value.metadata.name : '';
  const parsed = file ? sources.peek(file) : undefined;
  let source = parsed ? pick(parsed.resources, kind, name) : undefined;
  if (!source && guess) for (const c of sources.known()) source ??= pick(c.resources, kind, name);
  const fallback = (file && parsed) || kust;
  // Other objects of the same kind and name in the files the kustomizations name: the patches.
  const patches = source
    ? sources.known().flatMap((c) => c.resources.filter((r) => r !== source && r.kind === kind && r.name !== undefined && (r.name === source!.name || name.includes(r.name))))
    : [];
  const locator: Locator = source
    ? new RenderedLocator(value, source, via, patches)
    : {
        locate: () => ({
          range: fallback?.resources[0]?.locator.locate([]).range ?? START,
          exact: false,
          note: `${via}: ${generated}, so the line is approximate`,
        }),
      };
  const f = source?.file ?? fallback?.file ?? { path: root, absPath: '' };
  return kubernetesResource(f, 0, `${f.path}#kustomize:${root}/${index}`, value, locator);
}

/** The object of a source file that a rendered one came from: same kind, and the name before prefixes and suffixes. */
function pick(resources: readonly Resource[], kind: string, name: string): Resource | undefined {
  const ofKind = resources.filter((r) => r.kind === kind);
  return ofKind.find((r) => r.name === name) ?? ofKind.find((r) => r.name !== undefined && name.includes(r.name)) ?? (ofKind.length === 1 ? ofKind[0] : undefined);
}

class RenderedLocator implements Locator {
  constructor(
    private readonly rendered: JsonObject,
    private readonly source: Resource,
    private readonly via: string,
    private readonly patches: readonly Resource[],
  ) {}

  locate(p: Path): { range: Range; exact: boolean; note: string } {
    const srcPath = this.translate(p);
    const hit = this.source.locator.locate(srcPath);
    const renderedValue = get(this.rendered, p);
    // Absent from the output too: the usual closest-parent fallback, not a kustomize approximation.
    if (renderedValue === undefined) return { range: hit.range, exact: false, note: this.via };
    const sourceValue = get(this.source.value, srcPath);
    const same = hit.exact && sourceValue !== undefined && (typeof renderedValue === 'object' || renderedValue === sourceValue);
    if (same) return { range: hit.range, exact: true, note: this.via };
    const patch = this.patchSetting(p, renderedValue);
    return { range: hit.range, exact: false, note: `${this.via}: the value is set by ${patch ?? 'the kustomization'}, not in this file, so the line is approximate` };
  }

  /** `file:line` of a patch that writes this very value at this path, if one does. */
  private patchSetting(p: Path, renderedValue: unknown): string | undefined {
    for (const patch of this.patches) {
      const value = get(patch.value, p);
      if (value === undefined || (typeof renderedValue !== 'object' && value !== renderedValue)) continue;
      const at = patch.locator.locate(p);
      if (at.exact) return `${patch.file.path}:${at.range.startLine}`;
    }
    return undefined;
  }

  /** Patches can add or reorder list items: follow items by name (containers, env, ports) rather than index. */
  private translate(p: Path): Path {
    const out: (string | number)[] = [];
    let r: unknown = this.rendered;
    let s: unknown = this.source.value;
    for (const seg of p) {
      let next = seg;
      if (typeof seg === 'number' && Array.isArray(r) && Array.isArray(s)) {
        const item = r[seg] as unknown;
        const name = isObject(item) && typeof item.name === 'string' ? item.name : undefined;
        const j = name === undefined ? -1 : s.findIndex((x: unknown) => isObject(x) && x.name === name);
        if (j >= 0) next = j;
      }
      out.push(next);
      r = step(r, seg);
      s = step(s, next);
    }
    return out;
  }
}

function step(v: unknown, seg: string | number): unknown {
  if (Array.isArray(v) && typeof seg === 'number') return v[seg] as unknown;
  if (isObject(v) && typeof seg === 'string') return v[seg];
  return undefined;
}

function get(v: unknown, p: Path): unknown {
  let node = v;
  for (const seg of p) {
    node = step(node, seg);
    if (node === undefined) return undefined;
  }
  return node;
}

/** Source files, parsed once each, for locating rendered objects. */
class SourceCache {
  private readonly parsed = new Map<string, ParsedFile | undefined>();
  constructor(
    private readonly cwd: string,
    private readonly repo: string,
  ) {}

  async get(abs: string): Promise<ParsedFile | undefined> {
    if (!this.parsed.has(abs)) {
      try {
        // Only regular files inside the repository, within the size limit, are read (a path named anywhere in a kustomization).
        const read = isContained(this.repo, await fs.realpath(abs)) ? readRegularFile(abs) : undefined;
        this.parsed.set(abs, read?.ok ? parseFile({ path: displayPath(abs, this.cwd), absPath: abs }, read.bytes.toString('utf8')) : undefined);
      } catch {
        this.parsed.set(abs, undefined);
      }
    }
    return this.parsed.get(abs);
  }

  /** Only what `get` already read (origins are resolved after loading every file the kustomization names). */
  peek(abs: string): ParsedFile | undefined {
    return this.parsed.get(abs);
  }

  known(): ParsedFile[] {
    return [...this.parsed.values()].filter((p): p is ParsedFile => p !== undefined);
  }

  /** The files rendered objects point into, with their own objects removed: those are checked as rendered. */
  all(): ParsedFile[] {
    return this.known().map((p) => ({ ...p, resources: [], problems: [] }));
  }
}

// ---------------------------------------------------------------------------------------------------------------

const START: Range = { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };

function outermost(dirs: string[]): string[] {
  const sorted = [...new Set(dirs)].sort();
  return sorted.filter((d) => !sorted.some((o) => o !== d && isInside(d, o)));
}

function isInside(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** kustomize and helm never reach the network: git may clone local files only, and HTTP goes to a closed local port. */
const OFFLINE_ENV = { ...process.env, GIT_ALLOW_PROTOCOL: 'file', GIT_TERMINAL_PROMPT: '0', HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', https_proxy: 'http://127.0.0.1:9', http_proxy: 'http://127.0.0.1:9', NO_PROXY: '', no_proxy: '' };

function run(cmd: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: RENDER_TIMEOUT_MS, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8', env: OFFLINE_ENV }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
      if (e?.killed) resolve({ code: 124, stdout, stderr: `timed out after ${RENDER_TIMEOUT_MS / 1000}s` });
      else if (e && typeof e.code === 'string') resolve({ code: 127, stdout, stderr: e.message });
      else resolve({ code: e ? Number(e.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** True when an executable of that name is on PATH. */
async function which(cmd: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      await fs.access(path.join(dir, cmd), fsConstants.X_OK);
      return true;
    } catch {
      // next
    }
  }
  return false;
}
