/**
 * One jest config, two projects, which `npm test` (scripts/test.sh) runs as two jest processes at
 * once: `parallel` (unit, infra, integration, hostile, fault) on two workers, as its suites are
 * mostly in-process or wait on their own DynamoDB Local; and `e2e` in band, one suite at a time,
 * since each starts a whole local platform (child processes, a JVM, worker threads) and two at
 * once starve each other's clocks (bake windows, polls) into their timeouts, while one leaves most
 * of a core to the other project. `npx jest <path>` still runs any suite. Type-checking is `tsc
 * --noEmit` in `npm test`, so suites are only transpiled (test/setup/esbuild-transform.cjs).
 * @type {import('jest').Config}
 */
const shared = {
  testEnvironment: 'node',
  // esbuild, as local mode compiles (hyparquet and hyparquet-writer ship ES modules only, which
  // jest's CommonJS runtime cannot require untransformed).
  transform: {
    '^.+\\.ts$': '<rootDir>/test/setup/esbuild-transform.cjs',
    '/node_modules/hyparquet(-writer)?/.+\\.js$': '<rootDir>/test/setup/esbuild-transform.cjs',
  },
  transformIgnorePatterns: ['/node_modules/(?!hyparquet)'],
  setupFiles: ['<rootDir>/test/setup/environment.ts'],
  testTimeout: 60_000,
};

module.exports = {
  testTimeout: 60_000,
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  projects: [
    {
      ...shared,
      displayName: 'parallel',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
    },
    { ...shared, displayName: 'e2e', roots: ['<rootDir>/test/e2e'], testMatch: ['**/*.test.ts'] },
  ],
};
