/**
 * The Python request-auth provider (`python/mlflow-cdk-mlops-auth`) signing with botocore, through
 * Python's requests, against the local API server and its SigV4 check: queries with spaces (sent
 * `%20` after the provider's rewrite) pass, the same request signed as requests sends it (`+`) is
 * refused as API Gateway refuses it, and an artifact PUT from an open file and its download pass.
 * Skipped, saying so, where python3 with botocore and requests is missing; CI's machine has them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { registryServiceFromEnv } from '../../lambdas/registry';
import { localContext } from '../../local/api-event';
import { LocalApiServer } from '../../local/api-server';
import { generateLocalCredentials } from '../../local/sigv4';
import { useStandIns } from '../helpers/stand-ins';
import { trackingCaller } from '../helpers/tracking-harness';

const BUCKET = 'mlops-artifacts';
const PACKAGE = join(__dirname, '..', '..', 'python', 'mlflow-cdk-mlops-auth');
const probe = spawnSync('python3', ['-c', 'import botocore, requests'], { encoding: 'utf8' });
const havePython = probe.status === 0;
if (!havePython) {
  console.warn(
    'SKIPPED tracking-auth-provider: python3 with botocore and requests is not installed here, so the Python auth provider is not exercised (apt-get install python3-botocore python3-requests)',
  );
}
const standIns = useStandIns({ tables: true, buckets: [BUCKET] });
const credential = generateLocalCredentials('arn:aws:iam::000000000000:user/data-scientist');
let server: LocalApiServer | undefined;
let url = '';

beforeAll(async () => {
  if (!havePython) return;
  const { handler } = trackingCaller({
    dynamoDb: standIns.dynamoDb,
    s3: standIns.s3,
    bucket: BUCKET,
    registry: registryServiceFromEnv(),
  });
  server = new LocalApiServer({
    invoke: (_route, event) => handler(event, localContext('tracking')),
    credentials: [credential],
  });
  url = await server.listen(0);
});

afterAll(async () => {
  await server?.close();
});

(havePython ? it : it.skip)(
  'signs as API Gateway verifies: %20 passes, + is refused, file bodies are hashed',
  async () => {
    // Act
    // Spawned, not spawnSync: the server in this process must answer while the script runs.
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('python3', [join(PACKAGE, 'tests', 'check_signing.py'), url], {
        env: {
          PATH: process.env.PATH,
          AWS_ACCESS_KEY_ID: credential.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credential.secretAccessKey,
          AWS_REGION: 'us-east-1',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => {
        stdout += d;
      });
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    // Assess
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({
      name: true,
      create: 200,
      get_by_name: 200,
      get_by_name_id: true,
      sent_plus: true,
      rewritten: true,
      plus_signed: 403,
      search_registered_models: 200,
      upload: 200,
      download: 200,
      download_same: true,
      bad_signature: 403,
    });
  },
);
