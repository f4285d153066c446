#!/usr/bin/env node
// `mlops`: the platform's CLI. It runs from the TypeScript sources, compiled on first use and kept
// compiled (`local/ts-require.cjs`), so a call starts in a fraction of a second.
require('../local/ts-require.cjs');
require('./main.ts')
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
