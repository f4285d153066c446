/**
 * How a client on this machine finds the running local platform: `npm start` writes the URLs of
 * its API and stand-ins to `<data dir>/platform.json` once ready (and removes it on stop); the
 * credentials are the ones it signs with (environment, else `<data dir>/credentials.json`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const PLATFORM_FILE = 'platform.json';

export interface PlatformConnection {
  /** The API (SigV4, service execute-api, region us-east-1). */
  readonly url: string;
  /** The local SageMaker (control plane and runtime). */
  readonly sagemaker: string;
  readonly s3: string;
  readonly eventBridge: string;
  /** The platform's process. */
  readonly pid: number;
}

export interface LocalClientSetup extends PlatformConnection {
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** The running platform of `dataDir` (default as `npm start`'s); throws with a hint when none runs. */
export function findLocalPlatform(dataDir = process.env.MLOPS_DATA_DIR ?? '.mlops-data'): LocalClientSetup {
  const dir = resolve(dataDir);
  const file = join(dir, PLATFORM_FILE);
  if (!existsSync(file))
    throw new Error(`no local platform runs on ${dir}: start it with \`npm start\` first`);
  const connection = JSON.parse(readFileSync(file, 'utf8')) as PlatformConnection;
  if (!processAlive(connection.pid)) {
    throw new Error(
      `the local platform of ${dir} (pid ${connection.pid}) has stopped: run \`npm start\` again`,
    );
  }
  const { MLOPS_ACCESS_KEY_ID: accessKeyId, MLOPS_SECRET_ACCESS_KEY: secretAccessKey } = process.env;
  if (accessKeyId && secretAccessKey) return { ...connection, credentials: { accessKeyId, secretAccessKey } };
  const credentialsFile = join(dir, 'credentials.json');
  // A platform started with keys of the caller's choosing keeps them out of the data directory.
  if (!existsSync(credentialsFile)) {
    throw new Error(
      `the local platform of ${dir} signs with the keys it was started with: set MLOPS_ACCESS_KEY_ID and MLOPS_SECRET_ACCESS_KEY here too`,
    );
  }
  const stored = JSON.parse(readFileSync(credentialsFile, 'utf8')) as LocalClientSetup['credentials'];
  return {
    ...connection,
    credentials: { accessKeyId: stored.accessKeyId, secretAccessKey: stored.secretAccessKey },
  };
}

/** The local approver `npm start` prints besides the first caller (`user/approver`). */
export const LOCAL_APPROVER_PRINCIPAL = 'arn:aws:iam::000000000000:user/approver';

/**
 * The approver's credentials for the platform of `dataDir`: `APPROVER_ACCESS_KEY_ID` and
 * `APPROVER_SECRET_ACCESS_KEY` as `npm start` prints them, else `<data dir>/approver-credentials.json`.
 */
export function findLocalApprover(
  dataDir = process.env.MLOPS_DATA_DIR ?? '.mlops-data',
): LocalClientSetup['credentials'] {
  const { APPROVER_ACCESS_KEY_ID: accessKeyId, APPROVER_SECRET_ACCESS_KEY: secretAccessKey } = process.env;
  if (accessKeyId && secretAccessKey) return { accessKeyId, secretAccessKey };
  const file = join(resolve(dataDir), 'approver-credentials.json');
  if (!existsSync(file))
    throw new Error(`no approver credentials in ${file}: start the platform with \`npm start\``);
  const stored = JSON.parse(readFileSync(file, 'utf8')) as LocalClientSetup['credentials'];
  return { accessKeyId: stored.accessKeyId, secretAccessKey: stored.secretAccessKey };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but is not ours to signal.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
