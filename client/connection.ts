/**
 * Where the client calls and as whom: a deployed platform's API URL with the AWS SDK's default
 * credential chain (environment, shared config and SSO, container and instance roles), or, when
 * no URL is given, the local platform `npm start` runs, found through its `platform.json`.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { findLocalApprover, findLocalPlatform } from '../local/connection';

export interface Connection {
  readonly baseUrl: string;
  readonly region: string;
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Where it came from, for messages: `local (<data dir>)` or the URL's host. */
  readonly description: string;
}

export interface ConnectionOptions {
  /** The API's URL (the stack's `ApiUrl` output). @default $MLOPS_API_URL, else the local platform */
  readonly apiUrl?: string;
  /** @default $AWS_REGION, else $AWS_DEFAULT_REGION, else the URL's `execute-api.<region>` */
  readonly region?: string;
  /** The local platform's data directory. @default $MLOPS_DATA_DIR, else .mlops-data */
  readonly dataDir?: string;
  /**
   * Which of the two callers `npm start` prints signs a local call: `approver`
   * (`user/approver`) decides what the first one asks for. A deployed API's caller is whoever the
   * default credential chain names (`AWS_PROFILE`), so there it is refused.
   * @default 'local'
   */
  readonly localCaller?: LocalCaller;
}

export type LocalCaller = 'local' | 'approver';

/** The local platform signs as region us-east-1, as its API server checks. */
const LOCAL_REGION = 'us-east-1';

export function resolveConnection(options: ConnectionOptions = {}): Connection {
  const apiUrl = options.apiUrl ?? process.env.MLOPS_API_URL;
  const approver = options.localCaller === 'approver';
  if (apiUrl) {
    if (approver)
      throw new Error(
        `the approver caller is the local platform's; sign ${apiUrl}'s calls as an approver with their credentials (AWS_PROFILE)`,
      );
    const url = new URL(apiUrl);
    const region =
      options.region ??
      process.env.AWS_REGION ??
      process.env.AWS_DEFAULT_REGION ??
      /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(url.hostname)?.[1];
    if (!region) throw new Error(`no region for ${apiUrl}: set AWS_REGION or pass --region`);
    return {
      baseUrl: trimSlash(apiUrl),
      region,
      credentials: defaultChain(),
      description: url.host,
    };
  }
  const dataDir = options.dataDir ?? process.env.MLOPS_DATA_DIR ?? '.mlops-data';
  const local = findLocalPlatform(dataDir);
  return {
    baseUrl: trimSlash(local.url),
    region: LOCAL_REGION,
    credentials: approver ? findLocalApprover(dataDir) : local.credentials,
    description: `local (${dataDir})${approver ? ' as approver' : ''}`,
  };
}

/**
 * The AWS SDK's default credential chain, loaded on first use: the chain's providers (SSO, STS,
 * instance metadata) take half a second to load, which every local call of the CLI would pay.
 */
function defaultChain(): AwsCredentialIdentityProvider {
  let chain: Promise<AwsCredentialIdentityProvider> | undefined;
  return async (options) => {
    chain ??= import('@aws-sdk/credential-provider-node').then((m) => m.defaultProvider());
    return (await chain)(options);
  };
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');
