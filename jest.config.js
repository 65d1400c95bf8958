/**
 * The tests in four tiers by cost, each runnable alone (`npm run test:<tier>`, or `npx jest --selectProjects <tier>`);
 * `npm test` runs them all. A test's tier is its folder under tests/:
 * - unit: the core with in-memory fakes, adapters with aws-sdk-client-mock; no processes, no sockets, no sleeps.
 * - package: what ships, built or run as a process: `osls package` (the rendered stack), infra/osls.js, the CLI binary.
 * - emulator: the emulator's own behaviour, through the real SDK over HTTP (tests/emulator/emulator-*.test.ts).
 * - pipeline: the product through the emulator: the sync function on its queue, the CLI against it, `npm start`.
 * A file still under tests/integration (a branch written before the tiers) lands in `emulator` when it is named
 * emulator-*.test.ts and in `pipeline` otherwise.
 */
const base = {
  testEnvironment: 'node',
  // Tests live under tests/ only: the haste map never crawls node_modules or the rest of the tree.
  roots: ['<rootDir>/tests'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  // @middy/core 6 ships ESM only: let swc turn it into CommonJS for jest.
  transformIgnorePatterns: ['/node_modules/(?!(@middy)/)'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  setupFiles: ['<rootDir>/local/quiet-sdk-warning.ts'],
};

const tier = (name, testMatch, extra = {}) => ({ ...base, displayName: name, testMatch, ...extra });

/** @type {import('jest').Config} */
module.exports = {
  // A safety net for a test that hangs, not a measure of speed: a pipeline test on a busy machine may need minutes.
  testTimeout: 180_000,
  // Three workers on two cores: while one runs a fault run (minutes, much of it in the emulator's rate limits and
  // visibility timeouts), two share the rest; elsewhere half again as many workers as cores. (A number: as a config
  // value, '150%' started 150 workers.)
  maxWorkers: Math.ceil(require('node:os').availableParallelism() * 1.5),
  testSequencer: '<rootDir>/tests/support/sequencer.js',
  projects: [
    tier('unit', ['<rootDir>/tests/unit/**/*.test.ts']),
    tier('package', ['<rootDir>/tests/package/**/*.test.ts']),
    tier('emulator', ['<rootDir>/tests/emulator/**/*.test.ts', '<rootDir>/tests/integration/**/emulator-*.test.ts']),
    tier('pipeline', ['<rootDir>/tests/pipeline/**/*.test.ts', '<rootDir>/tests/integration/**/*.test.ts'], {
      testPathIgnorePatterns: ['/node_modules/', '/tests/integration/(.*/)?emulator-[^/]*\\.test\\.ts$'],
    }),
  ],
};
