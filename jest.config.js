/**
 * One jest config, two projects. `npm test` runs them one after the other: `parallel` (unit, infra,
 * integration) on two workers, as its suites are mostly in-process or wait on their own DynamoDB
 * Local; then `e2e` in band, one suite at a time, since each starts a whole local platform (child
 * processes, a JVM, worker threads) that already takes both cores and would starve a second one
 * into its timeouts. `npx jest <path>` still runs any suite. Type-checking is `tsc --noEmit` in
 * `npm test`, so ts-jest only transpiles (isolatedModules), which keeps the suite fast on two cores.
 * @type {import('jest').Config}
 */
const shared = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    // hyparquet and hyparquet-writer ship ES modules only; jest on Node 20 cannot require them.
    '/node_modules/hyparquet(-writer)?/.+\\.js$': [
      'ts-jest',
      { diagnostics: false, tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' } },
    ],
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
