#!/usr/bin/env node
// `mlops`: the platform's CLI. It runs from the TypeScript sources through tsx, as `npm start` does.
require('tsx/cjs/api').register();
require('./main.ts')
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
