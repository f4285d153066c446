import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConnection } from '../../../client/connection';

describe('resolveConnection', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it("signs a deployed API's calls with the default chain, loaded when first asked", async () => {
    // Prepare
    process.env.AWS_ACCESS_KEY_ID = 'AKIAEXAMPLECONNECT01';
    process.env.AWS_SECRET_ACCESS_KEY = 'example-secret';
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;

    // Act
    const connection = resolveConnection({ apiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/' });
    const credentials =
      typeof connection.credentials === 'function' ? await connection.credentials() : connection.credentials;

    // Assess
    expect(connection).toMatchObject({
      baseUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com',
      region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'eu-west-1',
    });
    expect(credentials).toMatchObject({
      accessKeyId: 'AKIAEXAMPLECONNECT01',
      secretAccessKey: 'example-secret',
    });
  });
});

describe('resolveConnection as the local approver', () => {
  const saved = { ...process.env };
  const dataDir = mkdtempSync(join(tmpdir(), 'mlops-connection-'));
  beforeAll(() => {
    // A running platform as npm start leaves it: its URL, its pid (this process), both key pairs.
    writeFileSync(
      join(dataDir, 'platform.json'),
      JSON.stringify({ url: 'http://127.0.0.1:3999', pid: process.pid }),
    );
    writeFileSync(
      join(dataDir, 'credentials.json'),
      JSON.stringify({ accessKeyId: 'AKIALOCALFIRST000001', secretAccessKey: 'first' }),
    );
    writeFileSync(
      join(dataDir, 'approver-credentials.json'),
      JSON.stringify({ accessKeyId: 'AKIALOCALAPPROVER001', secretAccessKey: 'second' }),
    );
  });
  afterEach(() => {
    process.env = { ...saved };
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each([
    [undefined, 'AKIALOCALFIRST000001'],
    ['local', 'AKIALOCALFIRST000001'],
    ['approver', 'AKIALOCALAPPROVER001'],
  ] as const)('signs as %s with the key pair npm start keeps for it', (localCaller, accessKeyId) => {
    // Prepare
    for (const name of ['MLOPS_API_URL', 'MLOPS_ACCESS_KEY_ID', 'APPROVER_ACCESS_KEY_ID'])
      delete process.env[name];

    // Act
    const connection = resolveConnection({ dataDir, localCaller });

    // Assess
    expect(connection).toMatchObject({ baseUrl: 'http://127.0.0.1:3999', credentials: { accessKeyId } });
  });

  it('fails to sign a deployed API as the local approver', () => {
    // Act
    const resolve = () =>
      resolveConnection({
        apiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com',
        localCaller: 'approver',
      });

    // Assess
    expect(resolve).toThrow(/approver caller is the local platform's/);
  });
});
