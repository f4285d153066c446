/**
 * `npm start`: the platform on this machine, no AWS account, no network. Prints the API URL and
 * the credentials to sign requests with; Ctrl-C stops every child process.
 *
 * Arguments: `-c key=value` context overrides, as `cdk synth -c` takes them.
 * Environment: MLOPS_DATA_DIR (default ./.mlops-data), MLOPS_PORT (default 3000; 0 picks a free one),
 * MLOPS_ACCESS_KEY_ID / MLOPS_SECRET_ACCESS_KEY (default: generated once, kept in the data dir).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LOCAL_APPROVER_PRINCIPAL, PLATFORM_FILE, type PlatformConnection } from './connection';
import { localContext, withDemoModel } from './context-args';
import { LOCAL_BUCKET, type LocalPlatform, startLocalPlatform } from './platform';
import { generateLocalCredentials, type LocalCredential } from './sigv4';
import { readJsonState, writeJsonAtomic } from './state-file';

/**
 * A second local caller, so that someone other than a version's author can approve it (an
 * approval policy refuses the author by default): name it among a model's `approval.approvers`.
 */
const APPROVER_PRINCIPAL = LOCAL_APPROVER_PRINCIPAL;

function credentialsFor(
  dataDir: string,
  principalArn = 'arn:aws:iam::000000000000:user/local',
  fileName = 'credentials.json',
): LocalCredential {
  const { MLOPS_ACCESS_KEY_ID: accessKeyId, MLOPS_SECRET_ACCESS_KEY: secretAccessKey } = process.env;
  if (accessKeyId && secretAccessKey && fileName === 'credentials.json') {
    return { accessKeyId, secretAccessKey, principalArn };
  }
  const file = join(dataDir, fileName);
  const saved = readJsonState<LocalCredential>(file, {
    what: 'the local credential',
    recovery: 'delete it and a new key pair is generated at the next start',
  });
  if (saved) return saved;
  const generated = generateLocalCredentials(principalArn);
  writeJsonAtomic(file, generated, { mode: 0o600 });
  return generated;
}

async function main(): Promise<void> {
  const dataDir = resolve(process.env.MLOPS_DATA_DIR ?? '.mlops-data');
  mkdirSync(dataDir, { recursive: true });
  const port = Number(process.env.MLOPS_PORT ?? 3000);
  const credential = credentialsFor(dataDir);
  const approver = credentialsFor(dataDir, APPROVER_PRINCIPAL, 'approver-credentials.json');
  const started = Date.now();
  // The stand-ins' child processes are unref'd (so a crashed parent never waits on them): hold the
  // event loop open until the server listens, or Node would exit silently mid-start.
  const holdOpen = setInterval(() => undefined, 1_000);
  let platform: LocalPlatform;
  try {
    platform = await startLocalPlatform({
      dataDir,
      port,
      credentials: [credential, approver],
      context: withDemoModel(localContext(process.argv.slice(2))),
      // As the alert topics would deliver it: one line per alarm entering ALARM (or OK again).
      onAlert: (a) =>
        console.log(
          `ALERT ${a.severity ?? 'external'} ${a.state} ${a.alarmName}${a.description ? ` (${a.description})` : ''}: ${a.reason}`,
        ),
    });
  } finally {
    clearInterval(holdOpen);
  }

  // Where clients on this machine (`npm run demo`) find the running platform; gone once it stops.
  const connectionFile = join(dataDir, PLATFORM_FILE);
  const connection: PlatformConnection = {
    url: platform.url,
    sagemaker: platform.sagemaker.url,
    s3: platform.endpoints.s3,
    eventBridge: platform.endpoints.eventBridge,
    pid: process.pid,
  };
  writeJsonAtomic(connectionFile, connection);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping...`);
    rmSync(connectionFile, { force: true });
    await platform.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  console.log(`cdk-mlops local platform ready in ${((Date.now() - started) / 1000).toFixed(1)} s
  API:        ${platform.url}
  data:       ${dataDir}
  principal:  ${credential.principalArn}
  children:   DynamoDB Local pid ${platform.pids.dynamoDb}, S3 server pid ${platform.pids.s3}

Sign requests with these credentials (region us-east-1, service execute-api):
  export MLOPS_URL=${platform.url}
  export MLOPS_SAGEMAKER_ENDPOINT=${platform.sagemaker.url}
  export MLOPS_S3_ENDPOINT=${platform.endpoints.s3} MLOPS_BUCKET=${LOCAL_BUCKET}
  export AWS_ACCESS_KEY_ID=${credential.accessKeyId}
  export AWS_SECRET_ACCESS_KEY=${credential.secretAccessKey}
  export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
  curl --aws-sigv4 "aws:amz:us-east-1:execute-api" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" "$MLOPS_URL/models"

A second caller, ${approver.principalArn}, to approve what the first one asks for:
  export APPROVER_ACCESS_KEY_ID=${approver.accessKeyId}
  export APPROVER_SECRET_ACCESS_KEY=${approver.secretAccessKey}

Alerts the SNS topics would send print here as ALERT lines, and at $MLOPS_URL/_local/alerts.
Console (open in a browser):    ${platform.url}/console/
Dashboards (open in a browser): ${platform.url}/_local/dashboards
${
  platform.featureStream
    ? `
Feature stream (kinesalite), one shard named ${platform.featureStream.streamName}:
  export KINESIS_URL=${platform.featureStream.endpoint}
  aws kinesis put-record --endpoint-url "$KINESIS_URL" --stream-name ${platform.featureStream.streamName} --partition-key <key> --cli-binary-format raw-in-base64-out --data '{"feature_view":"<view>",...}'
`
    : ''
}
The closed loop on the demo model: npm run demo (in another terminal)

Ctrl-C stops everything.`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  // A second platform (another environment) needs its own port and data directory.
  if ((err as { code?: string }).code === 'EADDRINUSE') {
    console.error(
      'Another process (another npm start?) holds the port: start this one with its own MLOPS_PORT and MLOPS_DATA_DIR,\n' +
        '  e.g. MLOPS_PORT=3001 MLOPS_DATA_DIR=.mlops-data-staging npm start -- -c mlops:envName=staging',
    );
  }
  process.exit(1);
});
