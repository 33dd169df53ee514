// ESLint (flat config) with typescript-eslint over src/, test/, scripts/ and bench/. `npm run lint`; .ci/run runs it.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { ALLOWED } from './scripts/layers.js';

/**
 * no-restricted-imports from the layer table (scripts/layers.js), so an editor flags a wrong-way import as it is
 * typed; test/architecture.test.ts checks the same table on every import, dynamic ones included.
 */
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
);
