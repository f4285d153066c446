/**
 * Jest's transform: TypeScript (and the ES-module-only hyparquet packages) to CommonJS with
 * esbuild, under the settings local mode compiles with (local/ts-compile-options.cjs). About a
 * sixth less CPU over the unit suites than ts-jest's transpiler; types are checked by `tsc` in
 * `npm test`, not here.
 *
 * A suite that calls `jest.mock` goes through ts-jest instead: the mock must be hoisted above the
 * imports it replaces, which ts-jest does and esbuild does not.
 */
'use strict';
const { createHash } = require('node:crypto');
const esbuild = require('esbuild');
const { OPTIONS, KEY } = require('../../local/ts-compile-options.cjs');

const HOISTED = /\bjest\.(mock|unmock|enableAutomock|disableAutomock|deepUnmock)\(/;
let tsJest;
const hoisting = () => {
  tsJest ??= require('ts-jest').default.createTransformer({ diagnostics: false });
  return tsJest;
};

module.exports = {
  getCacheKey(source, filename, options) {
    if (HOISTED.test(source)) return `ts-jest\0${hoisting().getCacheKey(source, filename, options)}`;
    return createHash('sha256').update(`${KEY}\0${filename}\0${source}`).digest('hex');
  },
  process(source, filename, options) {
    if (HOISTED.test(source)) return hoisting().process(source, filename, options);
    const loader = filename.endsWith('.ts') ? 'ts' : 'js';
    return { code: esbuild.transformSync(source, { ...OPTIONS, loader, sourcefile: filename }).code };
  },
};
