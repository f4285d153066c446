/**
 * How a TypeScript source becomes CommonJS when it runs unbundled: local mode's function workers
 * and the CLI (ts-require.cjs) and the test suites (test/setup/esbuild-transform.cjs) compile with
 * these same esbuild settings, so the suites run the code as local mode does.
 */
'use strict';
const esbuild = require('esbuild');

/** tsconfig.json's settings that change the emitted code (the rest only type-check). */
const OPTIONS = {
  loader: 'ts',
  format: 'cjs',
  target: 'node22',
  platform: 'node',
  sourcemap: 'inline',
  // `import()` becomes a `require` wrapped as a namespace (the same module instance a `require`
  // gets): Node's own `import()` of a CommonJS module would look for its exports in the TypeScript
  // text and find none. The bundles load a split chunk there instead.
  supported: { 'dynamic-import': false },
  tsconfigRaw: { compilerOptions: { target: 'ES2022', esModuleInterop: true } },
};
/** Changes with anything that changes the output: part of every cache key. */
const KEY = `${esbuild.version}\0${JSON.stringify(OPTIONS)}`;

module.exports = { OPTIONS, KEY };
