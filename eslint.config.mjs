import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.serverless/', '.esbuild/', 'coverage/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  // The layers (README, "how the code is laid out"), folders of shared/: the core imports only the core (no SDK, no
  // configuration, no adapter); adapters never reach into the CLI, the handlers, the composition roots or the local
  // tools; configuration reads the environment and builds nothing (no adapter, no composition root). Only
  // shared/composition/ builds clients and adapters (the grep in issue 23), and nothing under shared/ imports the CLI.
  // (In a folder of the core, such as shared/core/ports/, one level up is still the core.)
  ...[['shared/core/*.ts', '../'], ['shared/core/*/*.ts', '../../']].map(([files, outside]) => ({
    files: [files],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: [`${outside}*`, `${outside}../*`], message: 'the core imports only the core (shared/core): pass what it needs through a port' },
        { group: ['@aws-sdk/*', '@smithy/*', '@aws-lambda-powertools/*'], message: 'the core never imports an SDK: adapters do' },
      ] }],
    },
  })),
  {
    files: ['shared/adapters/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['../../cli/*', '../../local/*', '../../functions/*', '../composition/*'], message: 'adapters never import the CLI, the local tools, handlers or a composition root' },
      ] }],
    },
  },
  {
    files: ['shared/config/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['../adapters/*', '../composition/*', '../../cli/*', '../../local/*', '../../functions/*'], message: 'configuration reads the environment: it imports no adapter, composition root, handler or CLI' },
        { group: ['@aws-sdk/*', '@smithy/*', '@aws-lambda-powertools/*'], message: 'configuration builds no client: shared/composition does' },
      ] }],
    },
  },
  {
    files: ['shared/composition/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['../../cli/*', '../../local/*', '../../functions/*'], message: 'a composition root wires the shared layers; handlers and commands call it, not the reverse' },
      ] }],
    },
  },
  {
    files: ['cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['@aws-sdk/*', '@smithy/*'], message: 'the CLI reads AWS through adapters built in shared/composition' },
      ] }],
    },
  },
  { files: ['**/*.js', '**/*.cjs'], languageOptions: { globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' } }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
