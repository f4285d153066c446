/**
 * Stand-ins for a test suite: a fresh s3rver, and the DynamoDB Local its jest worker shares with
 * the suites it ran before, emptied of their tables.
 *
 * Why shared: a JVM's start is most of what a suite waiting on DynamoDB Local spends, and a warm
 * one answers with a third of the CPU (measured: start 2.4 s of CPU, the first 600 calls 1.4 s,
 * later ones 0.36 s). A worker runs its suites one after another, so one server per worker is never
 * used by two suites at once, and dropping every table before a suite starts gives it the empty
 * store a new server would. s3rver is a small Node process; each suite keeps its own.
 *
 * Where the server is: a file per run and worker in the run's temporary directory, since jest gives
 * every suite fresh modules and globals. The server dies with its worker (the watchdog in
 * `startDynamoDbLocal` polls the worker's pid), and `global-teardown.ts` kills any still listed.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient, paginateListTables } from '@aws-sdk/client-dynamodb';
import {
  LOCAL_DYNAMODB_CLIENT_CONFIG,
  type StandIns,
  startDynamoDbLocal,
  startS3Local,
} from '../../local/stand-ins';

/** Set by `global-setup.ts`, so a file names one run's servers only. */
export const TEST_RUN_ID_ENV = 'MLOPS_TEST_RUN_ID';
const FILE_PREFIX = 'cdk-mlops-dynamodb-';

interface SharedServer {
  readonly endpoint: string;
  readonly pid: number;
}

/** Starts s3rver and takes the worker's DynamoDB Local (started on first use), with no tables. */
export async function startTestStandIns(): Promise<StandIns> {
  const [dynamoDb, s3] = await Promise.all([workerDynamoDb(), startS3Local()]);
  return {
    dynamoDbEndpoint: dynamoDb.endpoint,
    s3Endpoint: s3.endpoint,
    pids: { dynamoDb: dynamoDb.pid, s3: s3.pid },
    // The server stays for the worker's next suite; the tables go now, so they hold no memory.
    stop: async () => {
      await Promise.all([dropAllTables(dynamoDb.endpoint), s3.stop()]);
    },
  };
}

async function workerDynamoDb(): Promise<SharedServer> {
  const runId = process.env[TEST_RUN_ID_ENV];
  // Without the run's setup (a script importing the helpers) nothing would ever stop a shared
  // server: start one that dies with this process, as the watchdog sees to.
  if (!runId) return startDynamoDbLocal();
  const file = join(tmpdir(), `${FILE_PREFIX}${runId}-${process.env.JEST_WORKER_ID ?? '1'}.json`);
  const known = readServer(file);
  if (known && isAlive(known.pid)) {
    try {
      await dropAllTables(known.endpoint);
      return known;
    } catch {
      // Alive but not answering (stopped by a suite that tested stopping): start another.
    }
  }
  const started = await startDynamoDbLocal();
  const server = { endpoint: started.endpoint, pid: started.pid };
  writeFileSync(file, JSON.stringify(server));
  return server;
}

function readServer(file: string): SharedServer | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SharedServer;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function dropAllTables(endpoint: string): Promise<void> {
  const client = new DynamoDBClient({ ...LOCAL_DYNAMODB_CLIENT_CONFIG, endpoint, maxAttempts: 2 });
  try {
    for await (const page of paginateListTables({ client }, {})) {
      await Promise.all(
        (page.TableNames ?? []).map((TableName) => client.send(new DeleteTableCommand({ TableName }))),
      );
    }
  } finally {
    client.destroy();
  }
}

/** Kills the run's shared servers and removes their files; for `global-teardown.ts`. */
export function stopRunServers(runId: string, directory = tmpdir()): void {
  const prefix = `${FILE_PREFIX}${runId}-`;
  for (const name of readdirSync(directory)) {
    if (!name.startsWith(prefix)) continue;
    const file = join(directory, name);
    const server = readServer(file);
    if (server && isAlive(server.pid)) {
      try {
        process.kill(server.pid, 'SIGKILL');
      } catch {
        // Gone between the check and the kill.
      }
    }
    rmSync(file, { force: true });
  }
}
