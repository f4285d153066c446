/**
 * One jest run covers every tier. Type-checking is `tsc --noEmit` in `npm test`, so ts-jest only
 * transpiles (isolatedModules), which keeps the suite fast on two cores.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  setupFiles: ['<rootDir>/test/setup/polyfills.ts'],
  testTimeout: 60_000,
};
