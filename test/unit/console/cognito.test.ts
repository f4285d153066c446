/**
 * The console's Cognito sign-in against recorded answers of the Cognito Identity Provider and
 * Cognito Identity APIs (their shapes as the API references document them): what each call sends,
 * and the credentials the identity pool's answer becomes. A real user pool cannot run locally, so
 * this is all that is tested of the cognito kind offline.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetCredentialsForIdentity.html
 */
import { createHash } from 'node:crypto';
import {
  CognitoError,
  CognitoSession,
  type Fetch,
  NewPasswordRequired,
} from '../../../console/src/auth/cognito';
import { parseConsoleConfig } from '../../../contracts/console-config';

const auth = {
  kind: 'cognito' as const,
  userPoolId: 'eu-west-1_Ab12Cd34E',
  userPoolClientId: '4f6h2j7k8l9m0n1p2q3r4s5t6u',
  identityPoolId: 'eu-west-1:6d5c4b3a-1111-2222-3333-444455556666',
  domain: 'https://mlops-console.auth.eu-west-1.amazoncognito.com',
};
const NOW = Date.parse('2026-12-06T12:00:00Z');

/** Recorded answers by X-Amz-Target (or URL for the token endpoint); every request is kept. */
function recorded(answers: Record<string, Array<{ status?: number; body: unknown }>>) {
  const sent: Array<{ url: string; target?: string; headers: Record<string, string>; body: string }> = [];
  const fetch: Fetch = async (url, init) => {
    const target = init.headers['x-amz-target'];
    sent.push({ url, ...(target ? { target } : {}), headers: init.headers, body: init.body });
    const answer = answers[target ?? url]?.shift();
    if (!answer) throw new Error(`no recorded answer for ${target ?? url}`);
    const status = answer.status ?? 200;
    return { ok: status < 300, status, json: async () => answer.body };
  };
  return { fetch, sent };
}

function memoryStore() {
  const items = new Map<string, string>();
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
  };
}

const ID_TOKEN = 'eyJraWQiOiJ0ZXN0In0.eyJzdWIiOiJ1c2VyIn0.c2ln';
const identityAnswers = () => ({
  'AWSCognitoIdentityService.GetId': [{ body: { IdentityId: 'eu-west-1:aaaa-bbbb' } }],
  'AWSCognitoIdentityService.GetCredentialsForIdentity': [
    {
      body: {
        IdentityId: 'eu-west-1:aaaa-bbbb',
        Credentials: {
          AccessKeyId: 'ASIAEXAMPLEKEY000001',
          SecretKey: 'secret/example',
          SessionToken: 'session-token-example',
          Expiration: NOW / 1000 + 3600,
        },
      },
    },
  ],
});

describe('the console config', () => {
  it('accepts the cognito kind with its pool ids, and names a bad field', () => {
    expect(
      parseConsoleConfig({
        apiUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com',
        region: 'eu-west-1',
        auth,
      }).auth,
    ).toEqual(auth);
    expect(() =>
      parseConsoleConfig({
        apiUrl: 'https://x.example',
        region: 'eu-west-1',
        auth: { ...auth, identityPoolId: 'pool' },
      }),
    ).toThrow('auth.identityPoolId: must be <region>:<uuid>');
  });
});

describe('Cognito sign-in with fetch', () => {
  it('signs in with USER_PASSWORD_AUTH and turns the ID token into identity pool credentials', async () => {
    // Prepare
    const api = recorded({
      'AWSCognitoIdentityProviderService.InitiateAuth': [
        {
          body: {
            AuthenticationResult: {
              IdToken: ID_TOKEN,
              AccessToken: 'a',
              RefreshToken: 'r',
              ExpiresIn: 3600,
              TokenType: 'Bearer',
            },
          },
        },
      ],
      ...identityAnswers(),
    });
    const session = new CognitoSession(auth, api.fetch, memoryStore(), () => NOW);
    // Act
    await session.signInWithPassword('ana', 'correct horse');
    const credentials = await session.credentials();
    const again = await session.credentials();
    // Assess
    expect(credentials).toEqual({
      accessKeyId: 'ASIAEXAMPLEKEY000001',
      secretAccessKey: 'secret/example',
      sessionToken: 'session-token-example',
      expiration: new Date(NOW + 3_600_000),
    });
    expect(again).toBe(credentials);
    expect(api.sent.map((s) => [s.url, s.target])).toEqual([
      ['https://cognito-idp.eu-west-1.amazonaws.com/', 'AWSCognitoIdentityProviderService.InitiateAuth'],
      ['https://cognito-identity.eu-west-1.amazonaws.com/', 'AWSCognitoIdentityService.GetId'],
      [
        'https://cognito-identity.eu-west-1.amazonaws.com/',
        'AWSCognitoIdentityService.GetCredentialsForIdentity',
      ],
    ]);
    expect(api.sent[0]!.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(JSON.parse(api.sent[0]!.body)).toEqual({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: auth.userPoolClientId,
      AuthParameters: { USERNAME: 'ana', PASSWORD: 'correct horse' },
    });
    const logins = { 'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab12Cd34E': ID_TOKEN };
    expect(JSON.parse(api.sent[1]!.body)).toEqual({ IdentityPoolId: auth.identityPoolId, Logins: logins });
    expect(JSON.parse(api.sent[2]!.body)).toEqual({ IdentityId: 'eu-west-1:aaaa-bbbb', Logins: logins });
  });

  it('answers NEW_PASSWORD_REQUIRED with RespondToAuthChallenge', async () => {
    // Prepare
    const api = recorded({
      'AWSCognitoIdentityProviderService.InitiateAuth': [
        {
          body: {
            ChallengeName: 'NEW_PASSWORD_REQUIRED',
            Session: 'challenge-session',
            ChallengeParameters: {},
          },
        },
      ],
      'AWSCognitoIdentityProviderService.RespondToAuthChallenge': [
        { body: { AuthenticationResult: { IdToken: ID_TOKEN, RefreshToken: 'r', ExpiresIn: 3600 } } },
      ],
    });
    const session = new CognitoSession(auth, api.fetch, memoryStore(), () => NOW);
    // Act
    const challenge = await session.signInWithPassword('ana', 'temporary').catch((e: unknown) => e);
    expect(challenge).toBeInstanceOf(NewPasswordRequired);
    await session.completeNewPassword('ana', 'a new password', (challenge as NewPasswordRequired).session);
    // Assess
    expect(session.signedIn).toBe(true);
    expect(JSON.parse(api.sent[1]!.body)).toEqual({
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      ClientId: auth.userPoolClientId,
      Session: 'challenge-session',
      ChallengeResponses: { USERNAME: 'ana', NEW_PASSWORD: 'a new password' },
    });
  });

  it('names the error a wrong password gets', async () => {
    const api = recorded({
      'AWSCognitoIdentityProviderService.InitiateAuth': [
        {
          status: 400,
          body: { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' },
        },
      ],
    });
    const session = new CognitoSession(auth, api.fetch, memoryStore(), () => NOW);
    const failed = await session.signInWithPassword('ana', 'wrong').catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(CognitoError);
    expect(failed).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    expect(session.signedIn).toBe(false);
  });

  it('goes through the hosted UI with PKCE: the code and verifier are exchanged at the token endpoint', async () => {
    // Prepare
    const store = memoryStore();
    const api = recorded({
      [`${auth.domain}/oauth2/token`]: [
        { body: { id_token: ID_TOKEN, access_token: 'a', refresh_token: 'r', expires_in: 3600 } },
      ],
    });
    const session = new CognitoSession(auth, api.fetch, store, () => NOW);
    const redirect = 'https://console.example.com/';
    // Act
    const url = new URL(await session.hostedUiUrl(redirect));
    await session.completeHostedUi('the-code', redirect);
    // Assess
    expect(`${url.origin}${url.pathname}`).toBe(`${auth.domain}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: auth.userPoolClientId,
      redirect_uri: redirect,
      code_challenge_method: 'S256',
    });
    const form = new URLSearchParams(api.sent[0]!.body);
    const verifier = form.get('code_verifier')!;
    expect(url.searchParams.get('code_challenge')).toBe(
      createHash('sha256').update(verifier).digest('base64url'),
    );
    expect(Object.fromEntries(form)).toMatchObject({
      grant_type: 'authorization_code',
      code: 'the-code',
      redirect_uri: redirect,
    });
    expect(session.signedIn).toBe(true);
  });

  it('refreshes an expired ID token with REFRESH_TOKEN_AUTH before asking for credentials', async () => {
    // Prepare: signed in an hour and a half ago
    let now = NOW - 90 * 60_000;
    const api = recorded({
      'AWSCognitoIdentityProviderService.InitiateAuth': [
        { body: { AuthenticationResult: { IdToken: 'old', RefreshToken: 'refresh-1', ExpiresIn: 3600 } } },
        { body: { AuthenticationResult: { IdToken: ID_TOKEN, ExpiresIn: 3600 } } },
      ],
      ...identityAnswers(),
    });
    const session = new CognitoSession(auth, api.fetch, memoryStore(), () => now);
    await session.signInWithPassword('ana', 'pw');
    now = NOW;
    // Act
    await session.credentials();
    // Assess
    expect(JSON.parse(api.sent[1]!.body)).toEqual({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: auth.userPoolClientId,
      AuthParameters: { REFRESH_TOKEN: 'refresh-1' },
    });
    expect(JSON.parse(api.sent[2]!.body).Logins).toEqual({
      'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab12Cd34E': ID_TOKEN,
    });
  });
});
