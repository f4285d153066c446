/**
 * `npm run client-types`: writes `client/api-types.ts`, the TypeScript types of every route, from
 * the API's OpenAPI document (itself generated from contracts/). A test fails when the committed
 * file differs from what this prints, so the typed client cannot drift from the routes.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { clientTypesSource } from '../client/generate-types';

const target = path.join(__dirname, '..', 'client', 'api-types.ts');
clientTypesSource().then((source) => {
  writeFileSync(target, source);
  process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
});
