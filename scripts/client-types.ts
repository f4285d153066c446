/**
 * `npm run client-types`: writes `client/api-types.ts`, the TypeScript types of every route, from
 * the API's OpenAPI document (itself generated from contracts/). With `--check` it writes nothing
 * and exits 1 when the committed file differs, which a test runs so the typed client cannot drift
 * from the routes. (A separate process: openapi-typescript is an ES module the test runner cannot
 * load.)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { clientTypesSource } from '../client/generate-types';

const target = path.join(__dirname, '..', 'client', 'api-types.ts');
const relative = path.relative(process.cwd(), target);
clientTypesSource().then((source) => {
  if (!process.argv.includes('--check')) {
    writeFileSync(target, source);
    process.stdout.write(`wrote ${relative}\n`);
  } else if (readFileSync(target, 'utf8') !== source) {
    process.stderr.write(`${relative} is out of date: run npm run client-types and commit it\n`);
    process.exitCode = 1;
  }
});
