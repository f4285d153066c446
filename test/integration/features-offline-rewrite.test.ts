/**
 * An erasure's rewrite of an offline file, cut short at each step: readers going by the manifest
 * see the old file until the new entry is written and the new file from then on, never both and
 * never neither; the next pass removes what a cut-short rewrite left.
 */
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateFeatureViewRequest, type FeatureRow, type FeatureView } from '../../contracts/features';
import { S3OfflineStore } from '../../lambdas/features/adapters/s3-offline-store';
import { localS3ClientConfig } from '../../local/stand-ins';
import { useStandIns } from '../helpers/stand-ins';

const BUCKET = 'rewrite-fixtures';
const standIns = useStandIns({ buckets: [BUCKET] });
const at = '2026-01-01T00:00:00.000Z';
const view: FeatureView = {
  ...CreateFeatureViewRequest.parse({
    name: 'v',
    entities: [{ name: 'id', valueType: 'int64' }],
    features: [{ name: 'x', dtype: 'float64' }],
    ttlSeconds: 0,
  }),
  version: 1,
  createdAt: at,
  updatedAt: at,
};
const rows: FeatureRow[] = [1, 2].map((id) => ({
  entityKey: { id },
  eventTimestampMs: Date.parse(at),
  values: { x: id },
}));

/** An S3 client whose `nth` call of `command` fails, as a crash there would stop the rewrite. */
function failingAt(command: typeof PutObjectCommand | typeof DeleteObjectCommand, nth: number): S3Client {
  const client = new S3Client(localS3ClientConfig(standIns.s3Endpoint));
  let seen = 0;
  const send = client.send.bind(client) as (c: unknown) => Promise<unknown>;
  client.send = ((c: unknown) => {
    if (c instanceof command && ++seen === nth) return Promise.reject(new Error('crash'));
    return send(c);
  }) as S3Client['send'];
  return client;
}

async function ids(store: S3OfflineStore): Promise<number[]> {
  const out: number[] = [];
  for (const f of await store.listFiles('v'))
    for (const r of await store.readRows(view, f)) out.push(Number(r.entityKey.id));
  return out.sort();
}

async function keyCount(): Promise<number> {
  return (
    (await standIns.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'features/' }))).KeyCount ?? 0
  );
}

afterEach(async () => {
  const out = await standIns.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  for (const o of out.Contents ?? [])
    await standIns.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: o.Key }));
});

it('a rewrite cut before its manifest entry leaves the old file the one read', async () => {
  // Prepare
  const store = new S3OfflineStore({ client: standIns.s3, bucket: BUCKET });
  const [file] = await store.append(view, rows);
  // Act: the second PUT (the new entry) fails
  const cut = new S3OfflineStore({ client: failingAt(PutObjectCommand, 2), bucket: BUCKET });
  await expect(cut.rewrite(view, file, rows.slice(1))).rejects.toThrow('crash');
  // Assess
  expect(await ids(store)).toEqual([1, 2]);
});

it('a rewrite cut after its manifest entry is read as done, and the next pass tidies it', async () => {
  // Prepare
  const store = new S3OfflineStore({ client: standIns.s3, bucket: BUCKET });
  const [file] = await store.append(view, rows);
  // Act: the first DELETE (the old entry) fails
  const cut = new S3OfflineStore({ client: failingAt(DeleteObjectCommand, 1), bucket: BUCKET });
  await expect(cut.rewrite(view, file, rows.slice(1))).rejects.toThrow('crash');
  // Assess: the new file only, though both entries are stored
  expect(await keyCount()).toBe(4);
  expect(await ids(store)).toEqual([2]);
  await store.removeSuperseded('v');
  expect(await keyCount()).toBe(2);
  expect(await ids(store)).toEqual([2]);
});

it('a rewrite to no rows removes the file', async () => {
  const store = new S3OfflineStore({ client: standIns.s3, bucket: BUCKET });
  const [file] = await store.append(view, rows);
  await store.rewrite(view, file, []);
  expect(await keyCount()).toBe(0);
  expect(await ids(store)).toEqual([]);
});

it('keeps write order: a rewritten file still loses full ties to a later file', async () => {
  // Prepare: two files with the same key and times; the later one's value must win
  const store = new S3OfflineStore({ client: standIns.s3, bucket: BUCKET });
  const [first] = await store.append(view, [rows[0]]);
  await new Promise((r) => setTimeout(r, 5));
  await store.append(view, [{ ...rows[0], values: { x: 9 } }]);
  // Act
  await store.rewrite(view, first, [rows[0]]);
  // Assess
  const files = await store.listFiles('v');
  expect(files).toHaveLength(2);
  expect((await store.readRows(view, files[1]))[0].values.x).toBe(9);
});
