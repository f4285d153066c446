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
    // hyparquet and hyparquet-writer ship ES modules only; jest on Node 20 cannot require them.
    '/node_modules/hyparquet(-writer)?/.+\\.js$': [
      'ts-jest',
      { diagnostics: false, tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!hyparquet)'],
  setupFiles: ['<rootDir>/test/setup/polyfills.ts'],
  testTimeout: 60_000,
};
