/**
 * Version registration under contention: N clients register versions of one model at once.
 * Candidate: the registry's own registration (`POST /models/{name}/versions` through the registry's
 * handler, in process, over DynamoDB Local): the number taken in the version's own transaction
 * (read latestVersion, transact "counter = n-1 -> n" with the version put, retry on conflict),
 * which leaves no gap when a registration fails or a crash cuts it short. Baseline: an atomic
 * counter (one UpdateItem ADD, then the version's transaction) over tables of its own, faster under
 * contention but leaving a gap for every number taken and not committed. The candidate also pays
 * for the handler's parsing, validation and upload URL, which the baseline skips.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_DYNAMODB_CLIENT_CONFIG } from '../local/stand-ins';
import { startHarness } from '../test/helpers/registry-harness';

const CLIENTS = 50;
const COUNTERS = 'BenchOptimisticCounters';
const VERSIONS = 'BenchOptimisticVersions';
const AUDIT = 'BenchOptimisticAudit';

/** The request each client sends: what a version item and its audit record hold. */
const REGISTRATION = {
  description: '',
  metrics: { accuracy: 0.9 },
  artifact: { sha256: 'a'.repeat(64), sizeBytes: 1 },
};

async function createBaselineTables(client: DynamoDBClient): Promise<void> {
  for (const TableName of [COUNTERS, VERSIONS, AUDIT]) {
    await client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
  }
}

async function counterRegister(db: DynamoDBDocumentClient, name: string): Promise<void> {
  const out = await db.send(
    new UpdateCommand({
      TableName: COUNTERS,
      Key: { pk: name },
      UpdateExpression: 'ADD latestVersion :one',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  const next = Number(out.Attributes?.latestVersion);
  const at = new Date().toISOString();
  await db.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: VERSIONS,
            Item: {
              pk: `${name}#${next}`,
              modelName: name,
              version: next,
              status: 'PENDING_UPLOAD',
              stage: 'None',
              ...REGISTRATION,
              createdAt: at,
              updatedAt: at,
              createdBy: 'bench',
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: AUDIT,
            Item: {
              pk: `${name}#${Date.now()}#${Math.random()}`,
              at,
              actor: 'bench',
              action: 'ModelVersionRegistered',
              modelName: name,
            },
          },
        },
      ],
    }),
  );
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function registrationContention() {
  const h = await startHarness();
  const client = new DynamoDBClient({
    ...LOCAL_DYNAMODB_CLIENT_CONFIG,
    endpoint: h.standIns.dynamoDbEndpoint,
  });
  try {
    const db = DynamoDBDocumentClient.from(client);
    await createBaselineTables(client);
    const register = async (name: string) => {
      const res = await h.call('POST', `/models/${name}/versions`, REGISTRATION);
      if (res.status !== 201)
        throw new Error(`registration refused: ${res.status} ${JSON.stringify(res.body)}`);
    };
    // Warm up both paths (handler, clients, connections) before anything is timed.
    await h.call('POST', '/models', { name: 'warmup' });
    await register('warmup');
    await counterRegister(db, 'warmup');

    const baselineMs = await timed(() =>
      Promise.all(Array.from({ length: CLIENTS }, () => counterRegister(db, 'counter'))),
    );

    await h.call('POST', '/models', { name: 'in-transaction' });
    const candidateMs = await timed(() =>
      Promise.all(Array.from({ length: CLIENTS }, () => register('in-transaction'))),
    );
    const latest = (await h.call('GET', '/models/in-transaction')).body.latestVersion;
    if (latest !== CLIENTS) throw new Error(`expected ${CLIENTS} versions, the registry holds ${latest}`);
    return {
      name: `registration contention: ${CLIENTS} concurrent registrations of one model (DynamoDB Local)`,
      lines: [
        `baseline  atomic counter + transaction (gaps on failure): ${baselineMs.toFixed(0)} ms`,
        `candidate registry API, number in the version's transaction (gap-free): ${candidateMs.toFixed(0)} ms`,
        `ratio candidate/baseline wall time: ${(candidateMs / baselineMs).toFixed(3)}`,
      ],
    };
  } finally {
    client.destroy();
    await h.stop();
  }
}
