/**
 * Two environments of the platform side by side on one machine, as a team runs dev and staging:
 * two `npm start`s with their own `mlops:envName`, data directory and API port, each answering
 * signed requests with its own endpoints (`mlops-<envName>-<model>`) and its own data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PlatformProcess, startPlatformProcess } from '../helpers/platform-process';
import { type SignedClient, signedClient } from '../helpers/signed-client';

const credentials = {
  accessKeyId: 'AKIALOCALE2EENVS0001',
  secretAccessKey: 'e2e-environments-secret-e2e-environments',
  principalArn: 'arn:aws:iam::000000000000:user/local',
};
const ENVIRONMENTS = ['blue', 'green'] as const;
const dataDirs = ENVIRONMENTS.map((env) => mkdtempSync(join(tmpdir(), `mlops-e2e-${env}-`)));
const platforms: PlatformProcess[] = [];
const apis: SignedClient[] = [];

beforeAll(async () => {
  // One after the other: both boot a JVM and synthesize the app, which a 2-core machine feels.
  for (const [i, env] of ENVIRONMENTS.entries()) {
    const platform = await startPlatformProcess({
      dataDir: dataDirs[i],
      credentials,
      args: ['-c', `mlops:envName=${env}`],
      // The second starts while the first runs: a loaded 2-core machine needs the time.
      startTimeoutMs: 180_000,
    });
    platforms.push(platform);
    apis.push(signedClient(platform.url, credentials));
  }
}, 420_000);

afterAll(async () => {
  await Promise.all(platforms.map((p) => p.stop()));
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('two environments side by side', () => {
  it('run at once on their own ports, each naming its endpoints after its environment', async () => {
    // Act
    const [blue, green] = await Promise.all(apis.map((api) => api.call('GET', '/endpoints')));

    // Assess
    expect(platforms[0].url).not.toBe(platforms[1].url);
    expect(blue.status).toBe(200);
    expect(green.status).toBe(200);
    const names = (r: typeof blue) =>
      (r.body.items as Array<{ endpointName: string }>).map((e) => e.endpointName);
    // The demo model has an endpoint in every local platform.
    expect(names(blue)).toContain('mlops-blue-demo-diagnosis');
    expect(names(green)).toContain('mlops-green-demo-diagnosis');
    expect(names(blue).filter((n) => names(green).includes(n))).toEqual([]);
  });

  it('keep their data apart: a model registered in one is unknown to the other', async () => {
    // Act
    const created = await apis[0].call('POST', '/models', { name: 'only-blue' });
    const inBlue = await apis[0].call('GET', '/models/only-blue');
    const inGreen = await apis[1].call('GET', '/models/only-blue');
    const discovery = await Promise.all(
      apis.map((api) => api.call('GET', '/v2/models/demo-diagnosis/ready')),
    );

    // Assess
    expect(created.status).toBe(201);
    expect(inBlue.status).toBe(200);
    expect(inGreen).toMatchObject({ status: 404, body: { error: { code: 'MODEL_NOT_FOUND' } } });
    for (const ready of discovery)
      expect(ready).toEqual({ status: 200, body: { name: 'demo-diagnosis', ready: false } });
  });
});
