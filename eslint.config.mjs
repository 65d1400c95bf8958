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
  // The layers (README, "how the code is laid out"): the core imports only the core (no SDK, no configuration, no
  // adapter); adapters never reach into the CLI, the composition roots or the local tools.
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
        { group: ['../../cli/*', '../../local/*', '../../functions/*', '../composition*', '../operator-composition*'], message: 'adapters never import the CLI, the local tools, handlers or a composition root' },
      ] }],
    },
  },
  { files: ['**/*.js', '**/*.cjs'], languageOptions: { globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' } }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
