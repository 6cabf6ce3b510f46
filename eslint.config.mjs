// One lint config for the whole monorepo: `npm run lint` at the root (README, "Lint").
import js from '@eslint/js';
import nextPlugin from '@next/eslint-plugin-next';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Sources that a tsconfig includes: these get the type-aware rules (they read the workspaces' built `dist` types). */
const typedSources = [
  'sync-server/src/**/*.ts',
  'packages/*/src/**/*.{ts,tsx}',
  'app/**/*.{ts,tsx}',
  'e2e/*.ts',
  'e2e/{support,tests}/**/*.ts',
  'examples/embedding/src/**/*.{ts,tsx}',
];

/** Test code: suites, their helpers and the end-to-end tests. */
const testCode = ['**/*.test.{ts,tsx}', '**/*.contract.ts', 'sync-server/src/test-support/**', 'packages/*/src/testing/**', 'e2e/**'];

export default defineConfig([
  globalIgnores([
    '**/node_modules/',
    '**/dist/',
    '**/.next/',
    '**/.turbo/',
    '**/next-env.d.ts',
    '**/test-results/',
    '**/playwright-report/',
  ]),

  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: typedSources,
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // The house writes `list[i]!` where the index is known to be there, as if noUncheckedIndexedAccess were on.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // An `async` method without `await` is how a Promise-returning interface is met here: a throw becomes a rejection.
      '@typescript-eslint/require-await': 'off',
      // Yjs's typings leave out the toString() that its shared types define (a Y.Text's content, a fragment's XML).
      '@typescript-eslint/no-base-to-string': ['error', { ignoredTypeNames: ['Error', 'RegExp', 'URL', 'URLSearchParams', 'YText', 'YXmlText', 'YXmlFragment', 'YXmlElement'] }],
    },
  },
  {
    files: testCode,
    rules: {
      // Tests read untyped library output (ProseMirror and Yjs JSON, y-websocket's events) and patch prototypes.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Playwright reads a fixture's dependencies from its first parameter, so a fixture that needs none destructures `{}`.
    files: ['e2e/**'],
    rules: { 'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }] },
  },

  { languageOptions: { globals: globals.node } },
  {
    files: ['packages/*/src/**', 'app/{app,components,lib}/**', 'e2e/**', 'examples/embedding/src/**'],
    languageOptions: { globals: globals.browser },
  },
  { files: ['app/public/sw.js'], languageOptions: { globals: globals.serviceworker } },

  {
    files: ['app/**/*.{ts,tsx}', 'packages/editor/src/react/**/*.{ts,tsx}', 'examples/embedding/src/**/*.tsx'],
    extends: [reactHooks.configs.flat.recommended],
    rules: {
      // React ignores what a handler returns; the async handlers here catch their own failures and show them.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    // A ref holds the latest props, so that the long-lived editor and token fetcher read them without being remade.
    files: ['packages/editor/src/react/CollaborativeEditor.tsx', 'app/lib/useDocumentAccess.ts'],
    rules: { 'react-hooks/refs': 'off' },
  },
  {
    files: ['app/**/*.{ts,tsx}'],
    rules: {
      // These effects seed state from browser-only sources (localStorage, window, the editor) after hydration, so
      // the server render and the first client render agree; the rule cannot tell that from derived state.
      'react-hooks/set-state-in-effect': 'off',
    },
  },
  {
    // Server components render once per request (after `connection()`): reading the clock there is the point.
    files: ['app/app/**/page.tsx'],
    rules: { 'react-hooks/purity': 'off' },
  },
  {
    files: ['app/**/*.{ts,tsx,mjs}'],
    extends: [nextPlugin.configs['core-web-vitals']],
    settings: { next: { rootDir: 'app/' } },
    rules: {
      // The pages link to each other with plain <a> (a full load); moving them to <Link> changes navigation, so it
      // is an app change of its own, not a lint fix.
      '@next/next/no-html-link-for-pages': 'off',
    },
  },
]);
