/**
 * Tracing: on only where Powertools Tracer would trace (Lambda, not turned off); elsewhere the
 * tracer, and the X-Ray SDK with it, is never loaded and clients are left as built. Where it is on,
 * a client built through `traced` carries X-Ray's middleware. That case runs in its own process:
 * the X-Ray SDK, once loaded, tracks context on every promise of the process that loaded it.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { traced, tracer, tracingEnabled } from '../../../lambdas/shared/tracing';

let tracerLoaded = false;
jest.mock('../../../lambdas/shared/powertools-tracer', () => {
  tracerLoaded = true;
  return { tracer: undefined };
});

const ROOT = path.join(__dirname, '..', '..', '..');
const LAMBDA = { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' };

describe('tracing', () => {
  it.each([
    [{}, false],
    [LAMBDA, true],
    [{ ...LAMBDA, POWERTOOLS_TRACE_ENABLED: 'false' }, false],
    [{ ...LAMBDA, POWERTOOLS_TRACE_ENABLED: 'FALSE' }, false],
    [{ ...LAMBDA, POWERTOOLS_TRACE_ENABLED: 'true' }, true],
    [{ ...LAMBDA, AWS_SAM_LOCAL: 'true' }, false],
    [{ POWERTOOLS_TRACE_ENABLED: 'true' }, false],
  ])('is on in %j: %s', (env, on) => {
    expect(tracingEnabled(env)).toBe(on);
  });

  it('leaves clients as built and never loads the tracer where tracing is off', () => {
    // Prepare
    const client = new DynamoDBClient({ region: 'us-east-1' });
    // Act
    const result = traced(client);
    // Assess
    expect(result).toBe(client);
    expect(tracer()).toBeUndefined();
    expect(tracerLoaded).toBe(false);
    expect(client.middlewareStack.identify().some((name) => /xray/i.test(name))).toBe(false);
  });

  it('captures a client with X-Ray middleware in Lambda', () => {
    // Act
    const script = `
      const { traced, tracer } = require('./lambdas/shared/tracing.ts');
      const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
      const client = traced(new DynamoDBClient({ region: 'us-east-1' }));
      const names = client.middlewareStack.identify().filter((n) => /xray/i.test(n));
      process.stdout.write(JSON.stringify({ loaded: tracer() !== undefined, names }));
    `;
    const run = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', ...LAMBDA },
    });
    // Assess
    expect({ status: run.status, err: run.stderr }).toEqual({ status: 0, err: '' });
    expect(JSON.parse(run.stdout)).toEqual({ loaded: true, names: [expect.stringMatching(/XRay/)] });
  });
});
