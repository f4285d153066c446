import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DynamoDBClient, ListTablesCommand, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../contracts/env';
import { AUDIT_TABLE, IDEMPOTENCY_TABLE } from '../../contracts/tables';
import {
  ensureBuckets,
  ensureTables,
  LOCAL_DYNAMODB_CLIENT_CONFIG,
  localS3ClientConfig,
  type StandIns,
  startStandIns,
} from '../../local/stand-ins';
import { useStandIns } from '../helpers/stand-ins';
import { startTestStandIns } from '../helpers/worker-stand-ins';

const BUCKET = 'artifacts';

describe('stand-ins (in memory)', () => {
  const standIns = useStandIns({ tables: true, buckets: [BUCKET] });
  const documents = () => DynamoDBDocumentClient.from(standIns.dynamoDb);

  it('sets the endpoint env the handlers read', () => {
    // Assess
    expect(process.env[ENV.dynamoDbEndpoint]).toBe(standIns.dynamoDbEndpoint);
    expect(process.env[ENV.s3Endpoint]).toBe(standIns.s3Endpoint);
  });

  it('puts and gets an item, seen by a client with other credentials and region (sharedDb)', async () => {
    // Prepare
    const item = { id: 'churn', status: 'COMPLETED', data: 'a reply' };
    const other = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: standIns.dynamoDbEndpoint,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      }),
    );

    // Act
    await documents().send(new PutCommand({ TableName: IDEMPOTENCY_TABLE.id, Item: item }));
    const got = await other.send(new GetCommand({ TableName: IDEMPOTENCY_TABLE.id, Key: { id: 'churn' } }));

    // Assess
    expect(got.Item).toEqual(item);
    other.destroy();
  });

  it('commits a TransactWriteItems across tables, and cancels it all on a failed condition', async () => {
    // Prepare
    const record = { id: 'fraud-1', status: 'INPROGRESS' };
    const audit = { pk: 'MODEL#fraud', sk: '2026-11-24T10:00:00Z#a1', action: 'VersionRegistered' };
    const write = (auditSk: string) =>
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: IDEMPOTENCY_TABLE.id,
              Item: record,
              ConditionExpression: 'attribute_not_exists(id)',
            },
          },
          { Put: { TableName: AUDIT_TABLE.id, Item: { ...audit, sk: auditSk } } },
        ],
      });

    // Act
    await documents().send(write(audit.sk));
    const second = documents().send(write('2026-11-24T10:00:01Z#a2'));

    // Assess
    await expect(second).rejects.toBeInstanceOf(TransactionCanceledException);
    const got = await documents().send(
      new GetCommand({ TableName: AUDIT_TABLE.id, Key: { pk: audit.pk, sk: audit.sk } }),
    );
    expect(got.Item).toEqual(audit);
    const cancelled = await documents().send(
      new GetCommand({ TableName: AUDIT_TABLE.id, Key: { pk: audit.pk, sk: '2026-11-24T10:00:01Z#a2' } }),
    );
    expect(cancelled.Item).toBeUndefined();
  });

  it('keeps ensureTables and ensureBuckets idempotent', async () => {
    // Act
    const again = Promise.all([ensureTables(standIns.dynamoDb), ensureBuckets(standIns.s3, [BUCKET])]);

    // Assess
    await expect(again).resolves.toBeDefined();
  });

  it.each([
    ['a Buffer', (bytes: Buffer) => bytes],
    ['a stream', (bytes: Buffer) => Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)])],
  ])('stores an object put from %s byte-exact', async (_, body) => {
    // Prepare
    const bytes = randomBytes(300_000);
    const Key = `models/exact-${randomBytes(4).toString('hex')}.bin`;

    // Act
    await standIns.s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key, Body: body(bytes), ContentLength: bytes.length }),
    );
    const got = await standIns.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }));

    // Assess
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(bytes)).toBe(true);
  });

  it('pages ListObjectsV2 with MaxKeys 1 (needs the legacy OpenSSL provider in s3rver)', async () => {
    // Prepare
    const keys = ['paged/a', 'paged/b', 'paged/c'];
    for (const Key of keys) await standIns.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: Key }));

    // Act
    const pages: string[][] = [];
    for await (const page of paginateListObjectsV2(
      { client: standIns.s3 },
      { Bucket: BUCKET, Prefix: 'paged/', MaxKeys: 1 },
    )) {
      pages.push((page.Contents ?? []).map((object) => object.Key!));
    }

    // Assess
    expect(pages).toEqual([['paged/a'], ['paged/b'], ['paged/c']]);
  });
});

describe('stand-ins with a data directory', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mlops-standins-test-'));
  let running: StandIns | undefined;

  afterAll(async () => {
    await running?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const clients = (standIns: StandIns) => ({
    documents: DynamoDBDocumentClient.from(
      new DynamoDBClient({ ...LOCAL_DYNAMODB_CLIENT_CONFIG, endpoint: standIns.dynamoDbEndpoint }),
    ),
    s3: new S3Client(localS3ClientConfig(standIns.s3Endpoint)),
  });

  it('keeps items and objects across a restart, and stop() leaves no process', async () => {
    // Prepare
    const item = { id: 'persisted', status: 'COMPLETED' };
    const bytes = randomBytes(10_000);
    // The worker's shared DynamoDB Local (and its watchdog), which earlier suites started, stay.
    const childrenBefore = standInChildren();
    running = await startStandIns({ dataDir });
    let c = clients(running);
    await ensureTables(c.documents);
    await ensureBuckets(c.s3, [BUCKET]);
    await c.documents.send(new PutCommand({ TableName: IDEMPOTENCY_TABLE.id, Item: item }));
    await c.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'kept.bin', Body: bytes }));
    c.documents.destroy();
    c.s3.destroy();
    const firstPids = running.pids;

    // Act
    await running.stop();
    const stoppedAlive = [firstPids.dynamoDb, firstPids.s3].filter(isAlive);
    running = await startStandIns({ dataDir });
    c = clients(running);
    await ensureTables(c.documents);
    await ensureBuckets(c.s3, [BUCKET]);
    const gotItem = await c.documents.send(
      new GetCommand({ TableName: IDEMPOTENCY_TABLE.id, Key: { id: 'persisted' } }),
    );
    const gotObject = await c.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'kept.bin' }));
    const gotBytes = Buffer.from(await gotObject.Body!.transformToByteArray());
    c.documents.destroy();
    c.s3.destroy();
    const secondPids = running.pids;
    await running.stop();
    running = undefined;

    // Assess
    expect(stoppedAlive).toEqual([]);
    expect(gotItem.Item).toEqual(item);
    expect(gotBytes.equals(bytes)).toBe(true);
    expect([secondPids.dynamoDb, secondPids.s3].filter(isAlive)).toEqual([]);
    expect(standInChildren()).toEqual(childrenBefore);
  });
});

/** Whether a process exists; EPERM means it exists but is not ours. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Children of this process that are stand-ins or their watchdogs, as `ps` lists them. */
function standInChildren(): string[] {
  let lines: string;
  try {
    lines = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  } catch {
    return []; // ps exits 1 when it lists nothing
  }
  return lines
    .split('\n')
    .filter((line) => /DynamoDBLocal\.jar|s3rver-child|firstPpid/.test(line))
    .map((line) => line.trim());
}

describe("a jest worker's shared DynamoDB Local", () => {
  it('serves the suites one after another from one JVM, each starting with no tables, run with C1 only', async () => {
    // Prepare
    const first = await startTestStandIns();
    const client = new DynamoDBClient({ ...LOCAL_DYNAMODB_CLIENT_CONFIG, endpoint: first.dynamoDbEndpoint });
    await ensureTables(client);
    const made = (await client.send(new ListTablesCommand({}))).TableNames ?? [];

    // Act
    await first.stop();
    const second = await startTestStandIns();
    const left = await client.send(new ListTablesCommand({}));
    const commandLine = readFileSync(`/proc/${second.pids.dynamoDb}/cmdline`, 'utf8').split('\0');
    await second.stop();
    client.destroy();

    // Assess
    expect(made.length).toBeGreaterThan(0);
    expect(second.pids.dynamoDb).toBe(first.pids.dynamoDb);
    expect(second.dynamoDbEndpoint).toBe(first.dynamoDbEndpoint);
    expect(left.TableNames).toEqual([]);
    expect(commandLine.indexOf('-XX:TieredStopAtLevel=1')).toBeGreaterThan(-1);
    expect(commandLine.indexOf('-XX:TieredStopAtLevel=1')).toBeLessThan(commandLine.indexOf('-jar'));
  });
});
