/**
 * The typed client cannot drift from the routes: the committed `client/api-types.ts` is exactly
 * what `npm run client-types` generates from the OpenAPI document of today's contracts.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { IDEMPOTENT_OPERATIONS } from '../../../client/api-types';

const ROOT = join(__dirname, '..', '..', '..');

it('client/api-types.ts is what npm run client-types generates', () => {
  const check = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/client-types.ts', '--check'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(check.stderr).toBe('');
  expect(check.status).toBe(0);
}, 60_000);

it('lists the writes that take an Idempotency-Key, and no read', () => {
  expect(IDEMPOTENT_OPERATIONS.has('POST /models/{name}/versions')).toBe(true);
  expect([...IDEMPOTENT_OPERATIONS].filter((op) => op.startsWith('GET '))).toEqual([]);
});
