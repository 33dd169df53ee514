import { loadConfig } from '../load/config-file.js';
import { displayPath } from '../load/discover.js';
import { load } from '../load/index.js';
import { findRepositoryRoot } from '../load/root.js';
import { rules as builtinRules } from '../rules/index.js';
import type { Unit } from '../model/types.js';

export interface UnitsCommandOptions {
  paths: string[];
  format?: string;
  config?: string;
  cwd: string;
}

export interface UnitRow {
  id: string;
  kind: Unit['kind'];
  root: string;
  via: string;
  namespace?: string;
  build?: 'kustomize' | 'helm';
  files: string[];
}

/** The deployment units of the input, as the check sees them: kind, root, how each was found, its files. */
export async function unitRows(opts: UnitsCommandOptions): Promise<UnitRow[]> {
  const config = await loadConfig(opts.config, opts.cwd, builtinRules);
  const input = await load({
    paths: opts.paths.length ? opts.paths : ['.'],
    cwd: opts.cwd,
    root: findRepositoryRoot({
      cwd: opts.cwd,
      paths: opts.paths.length ? opts.paths : ['.'],
      ...(config.source ? { configFile: config.source } : {}),
    }),
    ignore: config.ignore,
    render: false,
    ...(config.units ? { units: config.units.globs, unitsBase: config.units.base } : {}),
  });
  return input.units.map(({ unit }) => ({
    id: unit.id,
    kind: unit.kind,
    root: unit.root,
    via: unit.via,
    ...(unit.namespace !== undefined ? { namespace: unit.namespace } : {}),
    ...(unit.build ? { build: unit.build.tool } : {}),
    files: unit.files.map((f) => (f === '' ? '<stdin>' : displayPath(f, opts.cwd))),
  }));
}

export function formatUnits(rows: readonly UnitRow[]): string {
  if (!rows.length) return 'No deployment unit: no manifest found.\n';
  const out: string[] = [];
  for (const u of rows) {
    const extra = [u.namespace !== undefined ? `namespace ${u.namespace}` : '', u.build ? `built with ${u.build}` : '']
      .filter(Boolean)
      .join(', ');
    out.push(`${u.kind} ${u.id === u.root ? u.root : `${u.id} (${u.root})`}${extra ? ` — ${extra}` : ''}`);
    out.push(`  found as: ${u.via}`);
    for (const f of u.files) out.push(`  ${f}`);
    out.push('');
  }
  out.push(
    `${rows.length} unit${rows.length === 1 ? '' : 's'}. Cross-resource rules (HPA, PDB, Service, LimitRange) match objects within a unit only.`,
  );
  return `${out.join('\n')}\n`;
}

export async function unitsCommand(opts: UnitsCommandOptions): Promise<number> {
  const rows = await unitRows(opts);
  process.stdout.write(opts.format === 'json' ? `${JSON.stringify({ units: rows }, null, 2)}\n` : formatUnits(rows));
  return 0;
}
