/**
 * The web console's runtime settings: the `config.json` served beside its `index.html`. The local
 * platform answers it with the local API's URL and the key pair `npm start` signs with; on AWS the
 * console's hosting writes it into the console bucket with the API's URL and the Cognito user and
 * identity pools a user signs in with (the identity pool's authenticated role is what signs the
 * console's API calls). The console refuses to start on a file this schema rejects, naming the field.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-identity.html
 */
import * as z from 'zod';
import { lazySchema } from './lazy-schema';

/** A static key pair: the local platform's, never a deployed one's. */
export const LocalConsoleAuth = lazySchema(() =>
  z.strictObject({
    kind: z.literal('local'),
    credentials: z.strictObject({
      accessKeyId: z.string().min(1),
      secretAccessKey: z.string().min(1),
      sessionToken: z.string().min(1).optional(),
    }),
  }),
);

/**
 * Sign-in with a Cognito user pool, then IAM credentials from an identity pool. With `domain` (the
 * user pool's hosted UI, `https://<prefix>.auth.<region>.amazoncognito.com` or a custom domain) the
 * console redirects there (authorization code with PKCE); without it the console asks for the user
 * name and password itself (USER_PASSWORD_AUTH, which the app client must allow).
 */
export const CognitoConsoleAuth = lazySchema(() =>
  z.strictObject({
    kind: z.literal('cognito'),
    userPoolId: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d_[0-9a-zA-Z]+$/, 'must be <region>_<id>'),
    userPoolClientId: z.string().min(1).max(128),
    identityPoolId: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d:[0-9a-f-]+$/, 'must be <region>:<uuid>'),
    domain: z.url({ protocol: /^https$/ }).optional(),
  }),
);

export const ConsoleAuth = lazySchema(() =>
  z.discriminatedUnion('kind', [LocalConsoleAuth, CognitoConsoleAuth]),
);
export type ConsoleAuth = z.infer<typeof ConsoleAuth>;
export type CognitoConsoleAuth = z.infer<typeof CognitoConsoleAuth>;

export const ConsoleConfig = lazySchema(() =>
  z.strictObject({
    /** The platform API's base URL (the stack's `ApiUrl` output, or the local server's). */
    apiUrl: z.url({ protocol: /^https?$/ }),
    /** The region the API's SigV4 signatures name (`us-east-1` locally). */
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1'),
    auth: ConsoleAuth,
  }),
);
export type ConsoleConfig = z.infer<typeof ConsoleConfig>;

/** The file's name, beside the console's `index.html`. */
export const CONSOLE_CONFIG_FILE = 'config.json';

/** Where the local platform serves the console. */
export const LOCAL_CONSOLE_PATH = '/console/';

/** The parsed settings, or an Error naming each bad field (`auth.userPoolId: must be ...`). */
export function parseConsoleConfig(value: unknown): ConsoleConfig {
  const parsed = ConsoleConfig.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new Error(`${CONSOLE_CONFIG_FILE} is not valid: ${problems.join('; ')}`);
}
