import { append } from '../model/append.js';
import { execFile } from 'node:child_process';
import { constants as fsConstants, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { JsonObject, Location, Locator, Path, Range, Resource, Unit } from '../model/types.js';
import { step, valueAt } from '../model/path.js';
import { displayPath } from './discover.js';
import { readRegularFile } from './read.js';
import { isContained, realRoot } from './root.js';
import { kubernetesResource, parseFile, type ParsedFile } from './parse.js';
import { type LoadProblem } from '../model/types.js';
import { isObject } from '../model/json.js';

/**
 * Kustomize directories and Helm charts, rendered with the real tools (`kubectl kustomize` or `kustomize build`,
 * `helm template`) so that what is checked is what gets deployed. Each rendered object is mapped back to the file
 * that defines it (kustomize's `config.kubernetes.io/origin` annotations, `# Source:` comments of helm), and a finding
 * says when its line is only approximate.
 */
export interface RenderOutcome {
  /** The objects each built unit deploys (by unit id), located in their source files. */
  built: Map<string, Resource[]>;
  problems: LoadProblem[];
  warnings: string[];
  /** How many builds ran, and with which tool (for the line that says rendering happened). */
  builds: number;
  tools: string[];
}

const ORIGIN = 'config.kubernetes.io/origin';
const RENDER_TIMEOUT_MS = 120_000;
const HELM_INSTALL = 'https://helm.sh/docs/intro/install/';

/** True when the units need a tool to build and one is on PATH (rendering is then on by default). */
export async function canRender(units: readonly Unit[]): Promise<boolean> {
  if (units.some((u) => u.build?.tool === 'kustomize') && (await findKustomize())) return true;
  return units.some((u) => u.build?.tool === 'helm') && (await which('helm'));
}

/**
 * Build every unit that needs it (kustomize roots, charts, applications that point at them), each directory once,
 * in parallel up to the number of cores. A unit that cannot be built keeps no entry in `built`: its files are then
 * checked as they are written.
 */
export async function renderUnits(
  units: readonly Unit[],
  files: ReadonlyMap<string, ParsedFile>,
  cwd: string,
  repositoryRoot: string = cwd,
): Promise<RenderOutcome> {
  const repo = realRoot(repositoryRoot);
  const out: RenderOutcome = { built: new Map(), problems: [], warnings: [], builds: 0, tools: [] };
  const toBuild = units.filter((u) => u.build);
  if (!toBuild.length) return out;
  const kustomize = toBuild.some((u) => u.build!.tool === 'kustomize') ? await findKustomize() : undefined;
  const helm = toBuild.some((u) => u.build!.tool === 'helm') ? await which('helm') : false;
  const limit = Math.max(
    1,
    typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length,
  );
  const running = new Map<string, Promise<Build>>();
  const queue: (() => Promise<void>)[] = [];
  let active = 0;
  const schedule = <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const start = async (): Promise<void> => {
        active++;
        try {
          resolve(await task());
        } catch (err) {
          reject(err);
        } finally {
          active--;
          queue.shift()?.();
        }
      };
      if (active < limit) void start();
      else queue.push(start);
    });

  const skipped = new Set<string>();
  await Promise.all(
    toBuild.map(async (unit) => {
      const b = unit.build!;
      const shownFile = displayPath(b.file, cwd);
      const why = notBuilt(b, { kustomize: kustomize !== undefined, helm }, cwd);
      if (why) {
        // One note per directory, even when several units (an Application and a root) would build it.
        if (!skipped.has(b.dir)) out.problems.push({ ruleId: 'render-skipped', file: shownFile, range: START, ...why });
        skipped.add(b.dir);
        return;
      }
      const key = `${b.tool}:${b.dir}`;
      let build = running.get(key);
      if (!build) {
        build = schedule(() =>
          b.tool === 'kustomize' ? buildKustomization(b.dir, b.file, kustomize!, cwd) : buildChart(b.dir, cwd),
        );
        running.set(key, build);
      }
      const result = await build;
      if (result.problem) return;
      const sources = new SourceCache(cwd, repo, files, unit.files);
      out.built.set(
        unit.id,
        b.tool === 'kustomize'
          ? await mapKustomize(result, unit, sources, cwd)
          : await mapChart(result, unit, sources, cwd),
      );
    }),
  );
  for (const b of running.values()) {
    const result = await b;
    out.builds++;
    if (!out.tools.includes(result.tool)) out.tools.push(result.tool);
    if (result.problem) out.problems.push(result.problem);
    append(out.problems, result.problems);
  }
  return out;
}

/** Why a unit is not built (its tool is missing, or building would read outside the repository), or undefined. */
function notBuilt(
  b: NonNullable<Unit['build']>,
  tools: { kustomize: boolean; helm: boolean },
  cwd: string,
): Pick<LoadProblem, 'message' | 'messageId' | 'data'> | undefined {
  const dir = displayPath(b.dir, cwd) || '.';
  // `message` is the full description the fingerprint hashes (see LoadProblem); the finding shows the messageId's.
  if (b.tool === 'kustomize' && !tools.kustomize)
    return {
      message: `${dir} was not rendered: neither kubectl nor kustomize is on PATH, so its files were checked as written, with its patches applied by shipshape (install kubectl to check the real build)`,
      messageId: 'noKustomize',
    };
  if (b.tool === 'helm' && !tools.helm)
    return {
      message: `Helm chart ${dir} was not checked: helm is not on PATH, so it cannot be rendered. Install helm (${HELM_INSTALL}) to check it with --render, or check its output yourself: helm template NAME ${dir} | shipshape -`,
      messageId: 'noHelm',
    };
  // Nothing outside the repository is read, by shipshape or by the kustomize it runs.
  if (b.outside?.length)
    return {
      message: `${dir} was not built: it names a path outside the repository (shipshape reads nothing outside it); its files inside the repository were checked as written`,
      messageId: 'outside',
    };
  // Never let kustomize reach the network: a remote base is fetched by nobody here. (A token in the URL is removed by
  // the one redaction point, engine/run.ts, like every load problem's message.)
  if (b.remote?.length)
    return {
      message: `${dir} was not built: it names a remote base (${b.remote[0]!.slice(0, 120)}), and shipshape never lets kustomize fetch from the network; its local files were checked as written`,
      messageId: 'remote',
      data: { url: b.remote[0]!.slice(0, 120) },
    };
  return undefined;
}

interface Build {
  tool: string;
  dir: string;
  file: string;
  stdout: string;
  /** Without origin annotations (an old kustomize): objects are matched to sources by kind and name. */
  guess: boolean;
  base: string;
  problem?: LoadProblem;
  problems: LoadProblem[];
}

// ---------------------------------------------------------------------------------------------------------------
// Kustomize

type Tool = { cmd: string; args: (dir: string) => string[]; shown: string };

async function findKustomize(): Promise<Tool | undefined> {
  if (await which('kubectl')) return { cmd: 'kubectl', args: (d) => ['kustomize', d], shown: 'kubectl kustomize' };
  if (await which('kustomize')) return { cmd: 'kustomize', args: (d) => ['build', d], shown: 'kustomize build' };
  return undefined;
}

async function buildKustomization(root: string, kfile: string, tool: Tool, cwd: string): Promise<Build> {
  const shownRoot = displayPath(root, cwd) || '.';
  const build: Build = { tool: tool.shown, dir: root, file: kfile, stdout: '', guess: false, base: '', problems: [] };
  // A throwaway overlay asks kustomize for origin annotations without touching the repository.
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'shipshape-kustomize-'));
  try {
    await fs.writeFile(
      path.join(tmp, 'kustomization.yaml'),
      `resources:\n  - ${JSON.stringify(path.relative(tmp, root))}\nbuildMetadata: [originAnnotations]\n`,
    );
    let result = await run(tool.cmd, tool.args(tmp));
    build.base = tmp;
    if (result.code !== 0 && /buildMetadata|unknown field|must resolve to a file/i.test(result.stderr)) {
      // An old kustomize without origin annotations: render as is, and match objects by kind and name.
      result = await run(tool.cmd, tool.args(root));
      build.base = '';
      build.guess = true;
    }
    if (result.code !== 0) {
      build.problem = {
        ruleId: 'render-failed',
        file: displayPath(kfile, cwd),
        range: START,
        message: `${tool.shown} ${shownRoot} failed: ${kustomizeError(result.stderr, [tmp, cwd])}`,
        messageId: 'failed',
        data: { tool: tool.shown, dir: shownRoot, error: kustomizeError(result.stderr, [tmp, cwd]) },
      };
      return build;
    }
    build.stdout = result.stdout;
    // Origins name paths relative to the throwaway overlay: resolve them before it is removed.
    build.problems = [];
    return build;
  } finally {
    // Kept until mapping: origins are resolved against `base`, a path that only has to exist as a string.
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

/** The objects of a kustomize build, each located in the file that defines it (or the patch that sets a value). */
async function mapKustomize(build: Build, unit: Unit, sources: SourceCache, cwd: string): Promise<Resource[]> {
  const shownRoot = displayPath(build.dir, cwd) || '.';
  const rendered = parseFile({ path: `${shownRoot} (rendered)`, absPath: '' }, build.stdout);
  const kust = await sources.get(build.file);
  const via = 'kustomize build';
  for (const f of unit.files) if (/\.ya?ml$/i.test(f)) await sources.get(f);
  const out: Resource[] = [];
  let i = 0;
  for (const r of rendered.resources) {
    const value = structuredClone(r.value);
    const origin = takeOrigin(value);
    let file: string | undefined;
    if (build.base && origin && !origin.repo)
      file = origin.path
        ? path.resolve(build.base, origin.path)
        : origin.configuredIn
          ? path.resolve(build.base, origin.configuredIn)
          : undefined;
    if (file) await sources.get(file);
    const generated = origin?.repo ? `from the remote base ${origin.repo}` : 'generated by the kustomization';
    out.push(mapped(value, i++, sources, file, kust, via, shownRoot, build.guess, generated));
  }
  return out;
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
    return isObject(o)
      ? {
          ...(typeof o.path === 'string' ? { path: o.path } : {}),
          ...(typeof o.configuredIn === 'string' ? { configuredIn: o.configuredIn } : {}),
          ...(typeof o.repo === 'string' ? { repo: o.repo } : {}),
        }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The line of kustomize's stderr that says what failed (not a deprecation warning printed before it), with the
 * throwaway overlay's and the working directory's absolute paths made relative.
 */
export function kustomizeError(stderr: string, dirs: readonly string[] = []): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const isWarning = (l: string): boolean => /^(#\s*)?warning\b/i.test(l) || /^W\d{4} /.test(l);
  let line =
    lines.find((l) => /"command failed" err=|^(error|Error):/.test(l)) ??
    lines.find((l) => !isWarning(l)) ??
    lines[0] ??
    'no error message';
  // A multi-line error: `err=<` then the message on indented lines, then ` >`.
  if (/err=<$/.test(line)) {
    const rest = lines.slice(lines.indexOf(line) + 1);
    const end = rest.indexOf('>');
    line =
      rest
        .slice(0, end === -1 ? rest.length : end)
        .join(' ')
        .trim() || line;
  }
  // kubectl wraps it as: E1122 17:54:35.972138 15964 run.go:72] "command failed" err="…"
  const m = /"command failed" err="(.*)"$/.exec(line);
  let msg = m ? m[1]!.replace(/\\"/g, '"').replace(/\\'/g, "'") : line.replace(/^(error|Error):\s*/, '');
  for (const d of dirs) if (d) msg = msg.split(`${d}${path.sep}`).join('').split(d).join('.');
  // "accumulating resources: accumulation err='accumulating resources from 'x.yaml': … : lstat …: no such file or
  // directory': must build at directory: …": the file it could not read, and why.
  const from = /accumulating resources from '([^']+)'/.exec(msg);
  if (from && /is not in or below/.test(msg))
    return `resource '${from[1]}' is outside the kustomization's directory, which kustomize's load restrictor refuses (--load-restrictor LoadRestrictionsNone allows it)`;
  if (from) {
    const cause =
      /(no such file or directory|permission denied|is a directory|not a valid directory)/.exec(msg)?.[1] ??
      msg.split(': ').pop();
    return `cannot read resource '${from[1]}': ${cause}`;
  }
  // kustomize chains causes as "outer: inner: root cause": keep the start (what it was doing) and the end (the cause).
  return msg.length > 400 ? `${msg.slice(0, 150)} … ${msg.slice(-240)}` : msg;
}

// ---------------------------------------------------------------------------------------------------------------
// Helm

async function buildChart(chart: string, cwd: string): Promise<Build> {
  const chartFile = path.join(chart, 'Chart.yaml');
  const shown = displayPath(chart, cwd) || '.';
  const release =
    path
      .basename(chart)
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .replace(/^-+|-+$/g, '') || 'release';
  const build: Build = {
    tool: 'helm template',
    dir: chart,
    file: chartFile,
    stdout: '',
    guess: false,
    base: '',
    problems: [],
  };
  const result = await run('helm', ['template', release, chart]);
  if (result.code !== 0) {
    const lines = result.stderr.split('\n').filter((l) => l.trim() !== '' && !/^(walk\.go|WARNING)/i.test(l.trim()));
    const msg = (lines.find((l) => /^Error:/.test(l.trim())) ?? lines[0] ?? 'no error message')
      .trim()
      .replace(/^Error:\s*/, '')
      .slice(0, 400);
    build.problem = {
      ruleId: 'render-failed',
      file: displayPath(chartFile, cwd),
      range: START,
      message: `helm template ${release} ${shown} failed: ${msg}`,
      messageId: 'failed',
      data: { tool: 'helm template', dir: `${release} ${shown}`, error: msg },
    };
    return build;
  }
  build.stdout = result.stdout;
  return build;
}

async function mapChart(build: Build, _unit: Unit, sources: SourceCache, cwd: string): Promise<Resource[]> {
  const chart = build.dir;
  const shown = displayPath(chart, cwd) || '.';
  const chartDoc = await sources.get(build.file);
  const out: Resource[] = [];
  let index = 0;
  // helm prints `---` then `# Source: <chart name>/templates/x.yaml` before every object.
  for (const chunk of build.stdout.split(/^---[ \t]*$/m)) {
    const source = /^# Source: (.+)$/m.exec(chunk)?.[1]?.trim();
    const parsed = parseFile({ path: `${shown} (rendered)`, absPath: '' }, chunk);
    for (const r of parsed.resources) {
      const template = source ? path.join(chart, source.split('/').slice(1).join('/')) : undefined;
      out.push(
        await templated(structuredClone(r.value), index++, template, chartDoc, cwd, `helm template of ${shown}`),
      );
    }
  }
  return out;
}

/** A template is not YAML: point at the line of the key when it can be found, always as approximate. */
async function templated(
  value: JsonObject,
  index: number,
  template: string | undefined,
  chart: ParsedFile | undefined,
  cwd: string,
  via: string,
): Promise<Resource> {
  let text: string | undefined;
  if (template) {
    try {
      text = await fs.readFile(template, 'utf8');
    } catch {
      text = undefined;
    }
  }
  const file =
    text !== undefined && template
      ? { path: displayPath(template, cwd), absPath: template }
      : (chart?.file ?? { path: `${via}`, absPath: '' });
  const lines = (text ?? '').split('\n');
  const kindLine = Math.max(
    0,
    lines.findIndex((l) => new RegExp(`^\\s*kind:\\s*["']?${escape(String(value.kind))}\\b`).test(l)),
  );
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
      return {
        range: { startLine: at + 1, startColumn: col, endLine: at + 1, endColumn: line.length + 1 },
        exact: false,
        note: `${via}; line approximate`,
      };
    },
  };
  return kubernetesResource(file, 0, `${file.path}#helm/${index}`, value, locator);
}

// ---------------------------------------------------------------------------------------------------------------
// Mapping rendered objects to their source

/** A rendered object located in the file that defines it: exact where the value there is the value rendered. */
function mapped(
  value: JsonObject,
  index: number,
  sources: SourceCache,
  file: string | undefined,
  kust: ParsedFile | undefined,
  via: string,
  root: string,
  guess: boolean,
  generated: string,
): Resource {
  const kind = String(value.kind);
  const name = isObject(value.metadata) && typeof value.metadata.name === 'string' ? value.metadata.name : '';
  const parsed = file ? sources.peek(file) : undefined;
  let source = parsed ? pick(parsed.resources, kind, name) : undefined;
  if (!source && guess) for (const c of sources.known()) source ??= pick(c.resources, kind, name);
  const fallback = (file && parsed) || kust;
  // Other objects of the same kind and name in the files the kustomizations name: the patches.
  const patches = source
    ? sources
        .known()
        .flatMap((c) =>
          c.resources.filter(
            (r) =>
              r !== source &&
              r.kind === kind &&
              r.name !== undefined &&
              (r.name === source!.name || name.includes(r.name)),
          ),
        )
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
  return (
    ofKind.find((r) => r.name === name) ??
    ofKind.find((r) => r.name !== undefined && name.includes(r.name)) ??
    (ofKind.length === 1 ? ofKind[0] : undefined)
  );
}

class RenderedLocator implements Locator {
  constructor(
    private readonly rendered: JsonObject,
    private readonly source: Resource,
    private readonly via: string,
    private readonly patches: readonly Resource[],
  ) {}

  locate(p: Path): Location {
    const srcPath = this.translate(p);
    const hit = this.source.locator.locate(srcPath);
    const renderedValue = valueAt(this.rendered, p);
    // Absent from the output too: the usual closest-parent fallback, not a kustomize approximation.
    if (renderedValue === undefined) return { range: hit.range, exact: false };
    const sourceValue = valueAt(this.source.value, srcPath);
    const same =
      hit.exact && sourceValue !== undefined && (typeof renderedValue === 'object' || renderedValue === sourceValue);
    if (same) return { range: hit.range, exact: true };
    // A patch that writes this very value: the finding is at the patch's line, in the patch's file.
    const patch = this.patchSetting(p, renderedValue);
    if (patch) return { ...patch, note: 'set by this patch' };
    return {
      range: hit.range,
      exact: false,
      note: 'line approximate: set by kustomize',
    };
  }

  /** Where a patch writes this very value at this path, if one does. */
  private patchSetting(p: Path, renderedValue: unknown): Location | undefined {
    for (const patch of this.patches) {
      const pp = this.translateInto(patch.value, p);
      const value = valueAt(patch.value, pp);
      if (value === undefined || (typeof renderedValue !== 'object' && value !== renderedValue)) continue;
      const at = patch.locator.locate(pp);
      if (at.exact) return { range: at.range, exact: true, file: patch.file };
    }
    return undefined;
  }

  private translate(p: Path): Path {
    return this.translateInto(this.source.value, p);
  }

  /** Patches can add or reorder list items: follow items by name (containers, env, ports) rather than index. */
  private translateInto(source: unknown, p: Path): Path {
    const out: (string | number)[] = [];
    let r: unknown = this.rendered;
    let s: unknown = source;
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

/** Source files of one unit, parsed once each (the loader's parse when it read them), for locating rendered objects. */
class SourceCache {
  private readonly parsed = new Map<string, ParsedFile | undefined>();
  constructor(
    private readonly cwd: string,
    private readonly repo: string,
    private readonly loaded: ReadonlyMap<string, ParsedFile> = new Map(),
    unitFiles: readonly string[] = [],
  ) {
    for (const f of unitFiles) {
      const p = loaded.get(f);
      if (p) this.parsed.set(f, p);
    }
  }

  async get(abs: string): Promise<ParsedFile | undefined> {
    if (!this.parsed.has(abs) && this.loaded.has(abs)) this.parsed.set(abs, this.loaded.get(abs));
    if (!this.parsed.has(abs)) {
      try {
        // Only regular files inside the repository, within the size limit, are read (a path named anywhere in a kustomization).
        const read = isContained(this.repo, await fs.realpath(abs)) ? readRegularFile(abs) : undefined;
        this.parsed.set(
          abs,
          read?.ok
            ? parseFile({ path: displayPath(abs, this.cwd), absPath: abs }, read.bytes.toString('utf8'))
            : undefined,
        );
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

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** kustomize never reaches the network: git only over local files, HTTP(S) sent to a closed local port. */
const OFFLINE_ENV = {
  ...process.env,
  GIT_ALLOW_PROTOCOL: 'file',
  GIT_TERMINAL_PROMPT: '0',
  HTTPS_PROXY: 'http://127.0.0.1:9',
  HTTP_PROXY: 'http://127.0.0.1:9',
  https_proxy: 'http://127.0.0.1:9',
  http_proxy: 'http://127.0.0.1:9',
  NO_PROXY: '',
  no_proxy: '',
};

function run(cmd: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { timeout: RENDER_TIMEOUT_MS, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8', env: OFFLINE_ENV },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
        if (e?.killed) resolve({ code: 124, stdout, stderr: `timed out after ${RENDER_TIMEOUT_MS / 1000}s` });
        else if (e && typeof e.code === 'string') resolve({ code: 127, stdout, stderr: e.message });
        else resolve({ code: e ? Number(e.code ?? 1) : 0, stdout, stderr });
      },
    );
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
