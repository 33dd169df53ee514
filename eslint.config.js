// ESLint (flat config) with typescript-eslint over src/, test/, scripts/ and bench/. `npm run lint`; .ci/run runs it.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { ALLOWED } from './scripts/layers.js';

/**
 * no-restricted-imports from the layer table (scripts/layers.js), so an editor flags a wrong-way import as it is
 * typed; test/architecture.test.ts checks the same table on every import, dynamic ones included.
 */
/** Layers that touch no process, console or file: only load/, cli.ts, commands/, action/ and tools/ do (STYLE.md). */
const PURE = ['model', 'schema', 'engine', 'config', 'rules', 'report'];
const NO_IO = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process'].map(
  (name) => ({
    name,
    message: 'No file or process I/O here: src/load/ reads, src/cli.ts and src/commands/ write (docs/architecture.md).',
  }),
);

function layerBoundaries() {
  const layers = Object.keys(ALLOWED).filter((l) => !['version', 'api', 'cli'].includes(l));
  return layers.flatMap((layer) => {
    const banned = Object.keys(ALLOWED).filter((other) => other !== layer && !ALLOWED[layer].includes(other));
    const dirs = banned.filter((l) => !['version', 'api', 'cli'].includes(l));
    // A file at depth d under src/<layer>/ reaches src/ through d `../`.
    return [1, 2, 3].map((depth) => ({
      files: [`src/${layer}/${'*/'.repeat(depth - 1)}*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            ...(PURE.includes(layer) ? { paths: NO_IO } : {}),
            patterns: [
              {
                regex: `^(\\.\\./){${depth}}(${dirs.join('|')})/`,
                message: `src/${layer}/ may import only ${ALLOWED[layer].join(', ') || 'nothing outside itself'} (scripts/layers.js).`,
              },
              ...(ALLOWED[layer].includes('api')
                ? []
                : [
                    {
                      regex: `^(\\.\\./){${depth}}(index|change|cli)\\.js$`,
                      message: `src/${layer}/ sits below the API and the CLI (scripts/layers.js).`,
                    },
                  ]),
            ],
          },
        ],
      },
    }));
  });
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'test/fixtures/', 'bench/results/', 'bench/.work/', 'schemas/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_`-prefixed names are deliberately unused (positional parameters, destructuring to omit a key).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      'no-duplicate-imports': ['error', { allowSeparateTypeImports: true }],
    },
  },
  ...layerBoundaries(),
  {
    files: PURE.map((layer) => `src/${layer}/**/*.ts`),
    rules: {
      'no-console': 'error',
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Only src/load/, src/cli.ts, src/commands/ and src/action/ touch the process.' },
      ],
    },
  },
);
