/**
 * Sign-in for the console on AWS, with fetch alone: a Cognito user pool authenticates the user
 * (its hosted UI with the authorization code and PKCE, or USER_PASSWORD_AUTH against the Cognito
 * Identity Provider API), and the identity pool exchanges the ID token for temporary IAM
 * credentials of its authenticated role, which sign the console's API calls. Tokens stay in the
 * tab's session storage; credentials are fetched again 5 minutes before they expire.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetCredentialsForIdentity.html
 */
import type { CognitoConsoleAuth } from '../../../contracts/console-config';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** Where tokens are kept: the tab's `sessionStorage` in the browser, a map in tests. */
export interface TokenStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type Fetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string },
) => Promise<{
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}>;

/** A Cognito answer outside 2xx: its `__type` (`NotAuthorizedException`) and message. */
export class CognitoError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CognitoError';
  }
}

/** The pool asks for a new password (a user created by an administrator signs in the first time). */
export class NewPasswordRequired extends Error {
  constructor(readonly session: string) {
    super('a new password is required');
    this.name = 'NewPasswordRequired';
  }
}

interface Tokens {
  readonly idToken: string;
  readonly refreshToken?: string;
  /** Epoch ms. */
  readonly expiresAt: number;
}

const TOKENS_KEY = 'mlops-console-tokens';
const VERIFIER_KEY = 'mlops-console-pkce';
/** Credentials and tokens are renewed this long before they expire. */
const EARLY_MS = 5 * 60_000;

export class CognitoSession {
  private readonly region: string;
  private cached?: AwsCredentials;

  constructor(
    private readonly config: CognitoConsoleAuth,
    private readonly fetch: Fetch,
    private readonly store: TokenStore,
    private readonly now: () => number = Date.now,
  ) {
    this.region = config.userPoolId.split('_')[0]!;
  }

  get signedIn(): boolean {
    return this.tokens() !== undefined;
  }

  signOut(): void {
    this.store.removeItem(TOKENS_KEY);
    this.cached = undefined;
  }

  /** USER_PASSWORD_AUTH; a `NewPasswordRequired` carries the session to answer it with. */
  async signInWithPassword(username: string, password: string): Promise<void> {
    const out = (await this.identityProvider('InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: this.config.userPoolClientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    })) as AuthReply;
    this.accept(out);
  }

  async completeNewPassword(username: string, newPassword: string, session: string): Promise<void> {
    const out = (await this.identityProvider('RespondToAuthChallenge', {
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      ClientId: this.config.userPoolClientId,
      Session: session,
      ChallengeResponses: { USERNAME: username, NEW_PASSWORD: newPassword },
    })) as AuthReply;
    this.accept(out);
  }

  /** The hosted UI's sign-in page for this app client, with a PKCE challenge; the verifier is kept. */
  async hostedUiUrl(redirectUri: string): Promise<string> {
    if (!this.config.domain) throw new Error('config.json names no Cognito domain for the hosted UI');
    const verifier = randomString(48);
    this.store.setItem(VERIFIER_KEY, verifier);
    const challenge = base64Url(
      new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
    );
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: this.config.userPoolClientId,
      redirect_uri: redirectUri,
      scope: 'openid',
      code_challenge_method: 'S256',
      code_challenge: challenge,
    });
    return `${this.config.domain.replace(/\/+$/, '')}/oauth2/authorize?${query}`;
  }

  /** The hosted UI's redirect back: the code exchanged for tokens at the token endpoint. */
  async completeHostedUi(code: string, redirectUri: string): Promise<void> {
    const verifier = this.store.getItem(VERIFIER_KEY);
    if (!verifier) throw new Error('the sign-in was not started from this tab: sign in again');
    this.store.removeItem(VERIFIER_KEY);
    const reply = await this.tokenEndpoint({
      grant_type: 'authorization_code',
      client_id: this.config.userPoolClientId,
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    this.save({ idToken: reply.id_token, refreshToken: reply.refresh_token, expiresIn: reply.expires_in });
  }

  /** The identity pool's credentials for the signed-in user (the SigV4 signer's provider). */
  credentials = async (): Promise<AwsCredentials> => {
    if (this.cached?.expiration && this.cached.expiration.getTime() - EARLY_MS > this.now())
      return this.cached;
    const tokens = await this.freshTokens();
    const logins = { [`cognito-idp.${this.region}.amazonaws.com/${this.config.userPoolId}`]: tokens.idToken };
    const { IdentityId } = (await this.identity('GetId', {
      IdentityPoolId: this.config.identityPoolId,
      Logins: logins,
    })) as { IdentityId: string };
    const { Credentials } = (await this.identity('GetCredentialsForIdentity', {
      IdentityId,
      Logins: logins,
    })) as {
      Credentials: { AccessKeyId: string; SecretKey: string; SessionToken: string; Expiration: number };
    };
    this.cached = {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretKey,
      sessionToken: Credentials.SessionToken,
      // The API's JSON carries it in epoch seconds.
      expiration: new Date(Credentials.Expiration * 1000),
    };
    return this.cached;
  };

  private async freshTokens(): Promise<Tokens> {
    const tokens = this.tokens();
    if (!tokens) throw new CognitoError('NotSignedIn', 'sign in first');
    if (tokens.expiresAt - EARLY_MS > this.now()) return tokens;
    if (!tokens.refreshToken) throw new CognitoError('NotSignedIn', 'the session expired: sign in again');
    const out = (await this.identityProvider('InitiateAuth', {
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: this.config.userPoolClientId,
      AuthParameters: { REFRESH_TOKEN: tokens.refreshToken },
    })) as AuthReply;
    const result = out.AuthenticationResult!;
    // A refresh answers no new refresh token: the old one stays valid.
    return this.save({
      idToken: result.IdToken,
      refreshToken: tokens.refreshToken,
      expiresIn: result.ExpiresIn,
    });
  }

  private accept(out: AuthReply): void {
    if (out.ChallengeName === 'NEW_PASSWORD_REQUIRED') throw new NewPasswordRequired(out.Session!);
    if (out.ChallengeName)
      throw new CognitoError(
        out.ChallengeName,
        `the pool asks for ${out.ChallengeName}, which the console does not answer`,
      );
    const r = out.AuthenticationResult!;
    this.save({ idToken: r.IdToken, refreshToken: r.RefreshToken, expiresIn: r.ExpiresIn });
  }

  private save(t: { idToken: string; refreshToken?: string | undefined; expiresIn: number }): Tokens {
    const tokens: Tokens = {
      idToken: t.idToken,
      ...(t.refreshToken ? { refreshToken: t.refreshToken } : {}),
      expiresAt: this.now() + t.expiresIn * 1000,
    };
    this.store.setItem(TOKENS_KEY, JSON.stringify(tokens));
    this.cached = undefined;
    return tokens;
  }

  private tokens(): Tokens | undefined {
    const text = this.store.getItem(TOKENS_KEY);
    return text ? (JSON.parse(text) as Tokens) : undefined;
  }

  private identityProvider(operation: string, body: unknown): Promise<unknown> {
    return this.awsJson(
      `https://cognito-idp.${this.region}.amazonaws.com/`,
      `AWSCognitoIdentityProviderService.${operation}`,
      body,
    );
  }

  private identity(operation: string, body: unknown): Promise<unknown> {
    return this.awsJson(
      `https://cognito-identity.${this.region}.amazonaws.com/`,
      `AWSCognitoIdentityService.${operation}`,
      body,
    );
  }

  /** The AWS JSON 1.1 protocol both Cognito APIs speak; these operations need no signature. */
  private async awsJson(url: string, target: string, body: unknown): Promise<unknown> {
    const res = await this.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
      body: JSON.stringify(body),
    });
    const reply = (await res.json()) as { __type?: string; message?: string; Message?: string };
    if (!res.ok) {
      const code = (reply.__type ?? `HTTP_${res.status}`).split('#').pop()!;
      throw new CognitoError(code, reply.message ?? reply.Message ?? code);
    }
    return reply;
  }

  private async tokenEndpoint(form: Record<string, string>): Promise<TokenReply> {
    const res = await this.fetch(`${this.config.domain!.replace(/\/+$/, '')}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    const reply = (await res.json()) as TokenReply & { error?: string };
    if (!res.ok)
      throw new CognitoError(
        reply.error ?? `HTTP_${res.status}`,
        `the token endpoint refused: ${reply.error}`,
      );
    return reply;
  }
}

interface AuthReply {
  readonly AuthenticationResult?: { IdToken: string; RefreshToken?: string; ExpiresIn: number };
  readonly ChallengeName?: string;
  readonly Session?: string;
}

interface TokenReply {
  readonly id_token: string;
  readonly refresh_token?: string;
  readonly expires_in: number;
}

function randomString(bytes: number): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
