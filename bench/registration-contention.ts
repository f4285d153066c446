/**
 * Version registration under contention: N clients register versions of one model at once.
 * Candidate: the registry's scheme, the number taken in the version's own transaction (read
 * latestVersion, transact "counter = n-1 -> n" with the version put, retry with jittered backoff
 * on conflict), which leaves no gap when a registration fails or a crash cuts it short.
 * Baseline: an atomic counter (one UpdateItem ADD, then the version's transaction), faster under
 * contention but leaving a gap for every registration that takes a number and does not commit.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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

async function counterRegister(
  db: DynamoDBDocumentClient,
  store: DynamoDbRegistryStore,
  name: string,
  i: number,
) {
  const out = await db.send(
    new UpdateCommand({
      TableName: REGISTRY_TABLE.id,
      Key: registryKeys.model(name),
      UpdateExpression: 'ADD latestVersion :one',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  await store.putVersion(version(name, Number(out.Attributes?.latestVersion)), audit(name, i));
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
    await store.putNextVersion('warmup', (n) => ({
      version: version('warmup', n),
      audit: audit('warmup', n),
    }));

    await store.createModel(model('counter'), audit('counter', 0));
    const baselineMs = await timed(() =>
      Promise.all(Array.from({ length: CLIENTS }, (_, i) => counterRegister(db, store, 'counter', i))),
    );

    await store.createModel(model('in-transaction'), audit('in-transaction', 0));
    const candidateMs = await timed(() =>
      Promise.all(
        Array.from({ length: CLIENTS }, (_, i) =>
          store.putNextVersion('in-transaction', (n) => ({
            version: version('in-transaction', n),
            audit: audit('in-transaction', i),
          })),
        ),
      ),
    );
    return {
      name: `registration contention: ${CLIENTS} concurrent registrations of one model (DynamoDB Local)`,
      lines: [
        `baseline  atomic counter + transaction (gaps on failure): ${baselineMs.toFixed(0)} ms`,
        `candidate number in the version's transaction (gap-free): ${candidateMs.toFixed(0)} ms`,
        `ratio candidate/baseline wall time: ${(candidateMs / baselineMs).toFixed(3)}`,
      ],
    };
  } finally {
    await dynamo.stop();
  }
}
