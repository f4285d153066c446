/**
 * A dependency that accepts connections and never answers (a stalled DynamoDB): every request
 * fails within the SDK clients' timeouts, under API Gateway's 30 s integration timeout, as a 503
 * `DEPENDENCY_UNAVAILABLE` in the platform's error shape with `Retry-After`, never a hang or a 500.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { ENV } from '../../contracts/env';
import { AUDIT_TABLE, IDEMPOTENCY_TABLE, REGISTRY_TABLE } from '../../contracts/tables';
import { buildHttpApiEvent, localContext } from '../../local/api-event';
import { matchRoute } from '../../local/api-server';
import { registryHandler } from '../helpers/registry-harness';

let server: Server;
const sockets: Socket[] = [];
beforeAll(async () => {
  server = createServer((socket) => {
    sockets.push(socket); // accepted, read, never answered
    socket.on('data', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
    [ENV.dynamoDbEndpoint]: `http://127.0.0.1:${port}`,
    [ENV.s3Endpoint]: `http://127.0.0.1:${port}`,
    [ENV.registryTable]: REGISTRY_TABLE.id,
    [ENV.auditTable]: AUDIT_TABLE.id,
    [ENV.idempotencyTable]: IDEMPOTENCY_TABLE.id,
    [ENV.artifactsBucket]: 'artifacts',
  });
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server.close(resolve));
});

function event(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const route = matchRoute(method, path);
  if (!route) throw new Error(`no route for ${method} ${path}`);
  return buildHttpApiEvent(
    {
      method,
      rawPath: path,
      rawQueryString: '',
      headers: { 'content-type': 'application/json', ...headers },
      body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
      sourceIp: '127.0.0.1',
    },
    route,
    { accessKeyId: 'AKIATEST', principalArn: 'arn:aws:iam::123456789012:user/alice' },
  );
}

it('answers reads and keyed writes 503 with Retry-After within the timeouts, not 500 nor never', async () => {
  // Prepare
  const handler = registryHandler();
  const started = Date.now();
  // Act
  const [read, write] = await Promise.all([
    handler(event('GET', '/models/churn'), localContext('registry')),
    handler(
      event('POST', '/models', { name: 'churn' }, { 'idempotency-key': 'stalled-1' }),
      localContext('registry'),
    ),
  ]);
  // Assess
  const elapsedMs = Date.now() - started;
  for (const result of [read, write]) {
    expect(result.statusCode).toBe(503);
    expect(JSON.parse(result.body ?? '')).toEqual({
      error: { code: 'DEPENDENCY_UNAVAILABLE', message: expect.any(String) },
    });
    expect(result.headers?.['retry-after']).toBe('1');
  }
  // The bound the timeouts are chosen for: API Gateway gives up on an integration after 30 s.
  expect(elapsedMs).toBeLessThan(30_000);
  expect(sockets.length).toBeGreaterThan(1); // the SDK retried on new connections
}, 60_000);
