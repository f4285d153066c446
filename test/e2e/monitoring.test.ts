/**
 * Monitoring end to end: the platform started as `npm start` starts it, driven over signed HTTP:
 * an on-demand drift check (the README's example) and its HTML page served by the API.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { type PlatformProcess, startPlatformProcess } from '../helpers/platform-process';
import { type SignedClient, signedClient } from '../helpers/signed-client';

const credentials = {
  accessKeyId: 'AKIALOCALE2EMONITOR1',
  secretAccessKey: 'e2e-monitoring-secret-e2e-monitoring-se',
};

/** The platform as `npm start` runs it, in a child process. */
const startPlatform = (dataDir: string) => startPlatformProcess({ dataDir, credentials });

/** A signed GET returning the raw text (the signed client parses JSON). */
async function signedGetText(
  base: string,
  path: string,
): Promise<{ status: number; type: string; text: string }> {
  const url = new URL(path, base);
  const signer = new SignatureV4({
    service: 'execute-api',
    region: 'us-east-1',
    credentials,
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: 'GET',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    headers: { host: url.host },
  });
  const res = await fetch(url, { headers: signed.headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

describe('monitoring, end to end', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mlops-e2e-monitoring-'));
  let platform: PlatformProcess | undefined;
  let api: SignedClient;

  beforeAll(async () => {
    platform = await startPlatform(dataDir);
    api = signedClient(platform.url, credentials);
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs an on-demand drift check and serves its HTML report', async () => {
    const reference = Array.from({ length: 200 }, (_, i) => ({
      tenure: i % 50,
      plan: i % 3 ? 'basic' : 'premium',
    }));
    const current = Array.from({ length: 200 }, (_, i) => ({ tenure: (i % 50) + 30, plan: 'premium' }));
    const res = await api.call('POST', '/monitoring/drift-reports', {
      modelName: 'churn',
      reference: { rows: reference },
      current: { rows: current },
    });
    expect(res.status).toBe(201);
    expect(res.body.dataset).toMatchObject({ drifted: true, numberOfFeatures: 2 });

    const html = await signedGetText(
      platform!.url,
      `/monitoring/models/churn/reports/${res.body.reportId}/html`,
    );
    expect(html.status).toBe(200);
    expect(html.type).toMatch(/^text\/html/);
    expect(html.text).toContain('<svg');

    const listed = await api.call('GET', '/monitoring/models/churn/reports');
    expect(listed.body.items.map((r: { reportId: string }) => r.reportId)).toContain(res.body.reportId);
  });

  it('refuses an unsigned request with 403', async () => {
    expect((await fetch(`${platform!.url}/monitoring/models/churn/reports`)).status).toBe(403);
  });
});
