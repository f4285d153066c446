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
