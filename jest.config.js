// Tests are TypeScript ESM run through ts-jest (transpile only; `npm run typecheck` checks types).
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 60000,
  // Two test files at a time: most of a cold run is single-threaded XLA compilation.
  maxWorkers: 2,
};
