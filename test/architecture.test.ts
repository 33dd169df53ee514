import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ALLOWED, layerOf } from '../scripts/layers.js';
import { ROOT } from './helpers/fixtures.js';

/**
 * Imports point one way (scripts/layers.js holds the table): every import of every file under src/, static,
 * `export … from` and dynamic `import()`, read with the TypeScript parser.
 */
const SRC = path.join(ROOT, 'src');

interface Edge {
  from: string;
  to: string;
  line: number;
}

function sourceFiles(): string[] {
  return readdirSync(SRC, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(SRC, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** The module specifiers a file imports, with their line. */
function importsOf(fileName: string, text: string): { spec: string; line: number }[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const out: { spec: string; line: number }[] = [];
  const visit = (n: ts.Node): void => {
    let spec: ts.Expression | undefined;
    if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) spec = n.moduleSpecifier;
    else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) spec = n.arguments[0];
    else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument)) spec = n.argument.literal;
    if (spec && ts.isStringLiteralLike(spec))
      out.push({ spec: spec.text, line: sf.getLineAndCharacterOfPosition(n.getStart()).line + 1 });
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function edges(): Edge[] {
  const out: Edge[] = [];
  for (const rel of sourceFiles()) {
    for (const { spec, line } of importsOf(rel, readFileSync(path.join(SRC, rel), 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec)).replace(/\.js$/, '.ts');
      out.push({ from: rel, to: target, line });
    }
  }
  return out;
}

describe('import direction', () => {
  const all = edges();

  it('reads every kind of import (static, export-from, dynamic, import type)', () => {
    const found = importsOf(
      'x.ts',
      [
        "import a from './a.js';",
        "export { b } from './b.js';",
        "const c = await import('./c.js');",
        "type D = import('./d.js').D;",
      ].join('\n'),
    );
    expect(found).toEqual([
      { spec: './a.js', line: 1 },
      { spec: './b.js', line: 2 },
      { spec: './c.js', line: 3 },
      { spec: './d.js', line: 4 },
    ]);
    expect(all.length).toBeGreaterThan(300);
  });

  it('every file under src/ belongs to a layer of the table', () => {
    expect(sourceFiles().filter((f) => layerOf(f) === undefined)).toEqual([]);
  });

  it('no import stays inside src/ without pointing at a file there', () => {
    expect(all.filter((e) => e.to.startsWith('../')).map((e) => `${e.from}:${e.line} → ${e.to}`)).toEqual([]);
  });

  it('no layer imports one it does not build on', () => {
    const bad = all
      .filter((e) => {
        const a = layerOf(e.from)!;
        const b = layerOf(e.to);
        return b !== undefined && a !== b && !ALLOWED[a]!.includes(b);
      })
      .map((e) => `${e.from}:${e.line} (${layerOf(e.from)}) imports ${e.to} (${layerOf(e.to)})`);
    expect(bad).toEqual([]);
  });

  it('the table has no cycle', () => {
    const seen = new Set<string>();
    const visit = (layer: string, trail: string[]): void => {
      expect(trail, `cycle: ${[...trail, layer].join(' → ')}`).not.toContain(layer);
      if (seen.has(layer)) return;
      for (const next of ALLOWED[layer] ?? []) visit(next, [...trail, layer]);
      seen.add(layer);
    };
    for (const layer of Object.keys(ALLOWED)) visit(layer, []);
  });

  it('a rule imports no other rule: what two rules share lives in rules/<family>/lib/ or model/', () => {
    const isRuleFile = (f: string): boolean => /^rules\/[^/]+\/[^/]+\.ts$/.test(f);
    expect(
      all.filter((e) => e.from.startsWith('rules/') && isRuleFile(e.to)).filter((e) => e.from !== 'rules/index.ts'),
    ).toEqual([]);
  });

  it('a check of the spirit: load/ never imports engine/, schema/ never the run loop, commands/ never tools/', () => {
    const hits = (from: string, to: string): Edge[] =>
      all.filter((e) => e.from.startsWith(from) && e.to.startsWith(to));
    expect(hits('load/', 'engine/')).toEqual([]);
    expect(hits('schema/', 'engine/run.ts')).toEqual([]);
    expect(hits('commands/', 'tools/')).toEqual([]);
    expect(hits('model/', 'load/')).toEqual([]);
  });
});
