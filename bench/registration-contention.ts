/**
 * Version registration under contention: N clients register versions of one model at once.
 * Candidate: the registry's atomic counter (one UpdateItem ADD, then the version's transaction).
 * Baseline: optimistic concurrency (read latestVersion, transact "counter = n-1 -> n" with the
 * version put, retry with jittered backoff on conflict), the usual alternative. Both give gapless
 * numbers when nothing crashes; the ratio shows what the counter saves.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Model, ModelVersion } from '../contracts/registry';
import { AUDIT_TABLE, REGISTRY_TABLE, registryKeys } from '../contracts/tables';
import { DynamoDbRegistryStore } from '../lambdas/registry/adapters/dynamodb-registry-store';
import { ensureTables, LOCAL_DYNAMODB_CLIENT_CONFIG, startDynamoDbLocal } from '../local/stand-ins';

const CLIENTS = 50;

const audit = (name: string, i: number) => ({
  id: `a-${name}-${i}-${Math.random()}`,
  at: new Date().toISOString(),
  actor: 'bench',
  action: 'ModelVersionRegistered' as const,
  modelName: name,
});

function model(name: string): Model {
  const at = new Date().toISOString();
  return {
    name,
    description: '',
    tags: {},
    latestVersion: 0,
    productionVersions: 0,
    status: 'ACTIVE',
    createdAt: at,
    updatedAt: at,
    createdBy: 'bench',
  };
}

function version(name: string, n: number): ModelVersion {
  const at = new Date().toISOString();
  return {
    modelName: name,
    version: n,
    description: '',
    status: 'PENDING_UPLOAD',
    stage: 'None',
    metrics: {},
    params: {},
    tags: {},
    lineage: {},
    governance: {},
    artifact: { bucket: 'b', key: 'k', sha256: 'a'.repeat(64), sizeBytes: 1, contentType: 'x' },
    createdAt: at,
    updatedAt: at,
    createdBy: 'bench',
  };
}

async function optimisticRegister(db: DynamoDBDocumentClient, name: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const out = await db.send(
      new GetCommand({ TableName: REGISTRY_TABLE.id, Key: registryKeys.model(name), ConsistentRead: true }),
    );
    const next = Number(out.Item?.latestVersion) + 1;
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: REGISTRY_TABLE.id,
                Key: registryKeys.model(name),
                UpdateExpression: 'SET latestVersion = :next',
                ConditionExpression: 'latestVersion = :current',
                ExpressionAttributeValues: { ':next': next, ':current': next - 1 },
              },
            },
            {
              Put: {
                TableName: REGISTRY_TABLE.id,
                Item: { ...registryKeys.version(name, next), ...version(name, next) },
              },
            },
            {
              Put: {
                TableName: AUDIT_TABLE.id,
                Item: { pk: `MODEL#${name}`, sk: `${Date.now()}#${Math.random()}`, ...audit(name, next) },
              },
            },
          ],
        }),
      );
      return attempt;
    } catch {
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 5 * 2 ** attempt)));
    }
  }
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function registrationContention() {
  const dynamo = await startDynamoDbLocal();
  try {
    const client = new DynamoDBClient({ ...LOCAL_DYNAMODB_CLIENT_CONFIG, endpoint: dynamo.endpoint });
    await ensureTables(client);
    const db = DynamoDBDocumentClient.from(client);
    const store = new DynamoDbRegistryStore({
      client: db,
      registryTable: REGISTRY_TABLE.id,
      auditTable: AUDIT_TABLE.id,
    });
    await store.createModel(model('warmup'), audit('warmup', 0));
    await store.reserveVersionNumber('warmup');

    await store.createModel(model('baseline'), audit('baseline', 0));
    let retries = 0;
    const baselineMs = await timed(async () => {
      const attempts = await Promise.all(
        Array.from({ length: CLIENTS }, () => optimisticRegister(db, 'baseline')),
      );
      retries = attempts.reduce((a, b) => a + b, 0);
    });

    await store.createModel(model('counter'), audit('counter', 0));
    const counterMs = await timed(() =>
      Promise.all(
        Array.from({ length: CLIENTS }, async (_, i) => {
          const n = await store.reserveVersionNumber('counter');
          await store.putVersion(version('counter', n), audit('counter', i));
        }),
      ),
    );
    return {
      name: `registration contention: ${CLIENTS} concurrent registrations of one model (DynamoDB Local)`,
      lines: [
        `baseline  optimistic read-then-transact: ${baselineMs.toFixed(0)} ms, ${retries} conflict retries`,
        `candidate atomic counter + transaction:  ${counterMs.toFixed(0)} ms, 0 retries`,
        `ratio candidate/baseline wall time: ${(counterMs / baselineMs).toFixed(3)}`,
      ],
    };
  } finally {
    await dynamo.stop();
  }
}
