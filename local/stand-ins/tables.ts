import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { TABLES, type TableDeclaration } from '../../contracts/tables';

const ACTIVE_TIMEOUT_MS = 30_000;
const POLL_INTERVAL_MS = 100;

/**
 * Creates every table of {@link TABLES} that does not exist yet, as the CDK storage construct
 * declares it: on-demand billing, string keys, GSIs projecting ALL attributes, a NEW_IMAGE stream
 * when `streamNewImages`, TTL when `timeToLiveAttribute`; then waits until each is ACTIVE.
 *
 * Idempotent: a table already there (persisted data, a second caller) is kept with its items, and
 * only what it lacks (a GSI, the stream, TTL) is added, so a data directory from an older
 * declaration keeps working.
 *
 * @param names declaration id (`Registry`) to physical table name.
 * @default names - each table is named by its declaration id
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
 */
export async function ensureTables(
  client: DynamoDBClient,
  names: Record<string, string> = {},
): Promise<void> {
  await Promise.all(TABLES.map((declaration) => ensureTable(client, declaration, names[declaration.id])));
}

async function ensureTable(client: DynamoDBClient, declaration: TableDeclaration, name = declaration.id) {
  let table = await describe(client, name);
  if (table === undefined) {
    try {
      await client.send(new CreateTableCommand(createTableInput(declaration, name)));
    } catch (error) {
      // Another caller created it between our describe and create: theirs is the same table.
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    table = await waitUntilActive(client, name);
  } else {
    table = await waitUntilActive(client, name);
    table = await addMissingIndexesAndStream(client, declaration, table);
  }
  await ensureTimeToLive(client, declaration, name);
}

function createTableInput(declaration: TableDeclaration, name: string) {
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: attributeDefinitions(declaration),
    KeySchema: keySchema(declaration.partitionKey, declaration.sortKey),
    GlobalSecondaryIndexes: declaration.globalSecondaryIndexes?.length
      ? declaration.globalSecondaryIndexes.map(globalSecondaryIndex)
      : undefined,
    StreamSpecification: declaration.streamNewImages
      ? { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' as const }
      : undefined,
  };
}

/** Every key attribute is a string (S), as `contracts/tables.ts` states. */
function attributeDefinitions(declaration: TableDeclaration): AttributeDefinition[] {
  const names = new Set([declaration.partitionKey]);
  if (declaration.sortKey) names.add(declaration.sortKey);
  for (const index of declaration.globalSecondaryIndexes ?? []) {
    names.add(index.partitionKey);
    names.add(index.sortKey);
  }
  return [...names].map((AttributeName) => ({ AttributeName, AttributeType: 'S' }));
}

function keySchema(partitionKey: string, sortKey?: string): KeySchemaElement[] {
  const schema: KeySchemaElement[] = [{ AttributeName: partitionKey, KeyType: 'HASH' }];
  if (sortKey) schema.push({ AttributeName: sortKey, KeyType: 'RANGE' });
  return schema;
}

function globalSecondaryIndex(index: NonNullable<TableDeclaration['globalSecondaryIndexes']>[number]) {
  return {
    IndexName: index.indexName,
    KeySchema: keySchema(index.partitionKey, index.sortKey),
    Projection: { ProjectionType: 'ALL' },
  } satisfies GlobalSecondaryIndex;
}

async function addMissingIndexesAndStream(
  client: DynamoDBClient,
  declaration: TableDeclaration,
  table: TableDescription,
): Promise<TableDescription> {
  const name = table.TableName!;
  const existing = new Set((table.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  // UpdateTable takes one GSI creation per call.
  for (const index of declaration.globalSecondaryIndexes ?? []) {
    if (existing.has(index.indexName)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: attributeDefinitions(declaration),
        GlobalSecondaryIndexUpdates: [{ Create: globalSecondaryIndex(index) }],
      }),
    );
    table = await waitUntilActive(client, name);
  }
  if (declaration.streamNewImages && !table.StreamSpecification?.StreamEnabled) {
    await client.send(
      new UpdateTableCommand({
        TableName: name,
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    table = await waitUntilActive(client, name);
  }
  return table;
}

async function ensureTimeToLive(client: DynamoDBClient, declaration: TableDeclaration, name: string) {
  const attribute = declaration.timeToLiveAttribute;
  if (!attribute) return;
  const current = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
  const status = current.TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: name,
      TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
    }),
  );
}

async function describe(client: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/** Polls until the table and all its GSIs are ACTIVE; DynamoDB Local is usually at once. */
async function waitUntilActive(client: DynamoDBClient, name: string): Promise<TableDescription> {
  const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
  for (;;) {
    const table = await describe(client, name);
    const indexesActive = (table?.GlobalSecondaryIndexes ?? []).every(
      (index) => index.IndexStatus === 'ACTIVE',
    );
    if (table?.TableStatus === 'ACTIVE' && indexesActive) return table;
    if (Date.now() > deadline) {
      throw new Error(
        `table ${name} is not ACTIVE after ${ACTIVE_TIMEOUT_MS} ms (${table?.TableStatus ?? 'missing'})`,
      );
    }
    await new Promise((res) => setTimeout(res, POLL_INTERVAL_MS));
  }
}
