/**
 * Runs the TypeScript sources under Node's own CommonJS loader: `require` of a `.ts` file compiles
 * it with esbuild (the compiler `cdk synth` bundles the same handlers with) and keeps the output
 * in `node_modules/.cache/cdk-mlops-ts` (or `$MLOPS_TS_CACHE_DIR`), keyed by the source's content, so a module is compiled
 * once per change, not once per thread or process. Local mode's function workers and the `mlops`
 * CLI load through it.
 *
 * Why not tsx, which `npm start` uses for its main process: tsx also lexes every module it loads,
 * the AWS SDK's included, to bridge ES modules and CommonJS. Each local function starting in its
 * own thread paid that again: a cold start took about twice the CPU of loading the same sources
 * here, and every CLI call about a second. Node 22 requires ES-module-only packages itself.
 */
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { threadId } = require('node:worker_threads');
const esbuild = require('esbuild');
const { OPTIONS, KEY } = require('./ts-compile-options.cjs');

const CACHE_DIR =
  process.env.MLOPS_TS_CACHE_DIR || path.join(__dirname, '..', 'node_modules', '.cache', 'cdk-mlops-ts');

function compiled(filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const key = createHash('sha256').update(KEY).update('\0').update(filename).update('\0').update(source);
  const cached = path.join(CACHE_DIR, `${key.digest('hex')}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // Not compiled yet: below.
  }
  const { code } = esbuild.transformSync(source, { ...OPTIONS, sourcefile: filename });
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    // Written aside and renamed: another thread or process reading it sees all of it or none.
    const partial = `${cached}.${process.pid}-${threadId}.tmp`;
    fs.writeFileSync(partial, code);
    fs.renameSync(partial, cached);
  } catch {
    // A read-only install compiles every time; nothing else changes.
  }
  return code;
}

// Stack traces name the TypeScript lines, as under tsx.
process.setSourceMapsEnabled(true);
// Replaces whatever handled `.ts` before (Node's own type stripping refuses parameter properties).
require.extensions['.ts'] = (module, filename) => {
  module._compile(compiled(filename), filename);
};
