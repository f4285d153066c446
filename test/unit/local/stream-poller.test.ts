/**
 * The local outbox poller never stalls for good: an open shard is never given up (a trimmed
 * position starts over from the oldest record; an empty read or a last batch without a next
 * iterator is read again next tick) and an iterator a failed read leaves behind is not reused.
 * Streams and DynamoDB are mocked SDK clients scripting what DynamoDB Local may answer.
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import { mockClient } from 'aws-sdk-client-mock';
import { StreamPoller } from '../../../local/stream-poller';

const dynamoDb = new DynamoDBClient({ region: 'us-east-1' });
const streams = new DynamoDBStreamsClient({ region: 'us-east-1' });
const db = mockClient(dynamoDb);
const ds = mockClient(streams);
const record = (n: number): _Record => ({
  eventName: 'INSERT',
  dynamodb: { SequenceNumber: String(n), NewImage: { pk: { S: `r${n}` } } },
});

let delivered: string[];
let poller: StreamPoller;

beforeEach(() => {
  db.reset();
  ds.reset();
  db.on(DescribeTableCommand).resolves({ Table: { LatestStreamArn: 'arn:stream' } });
  // One open shard (no ending sequence number).
  ds.on(DescribeStreamCommand).resolves({
    StreamDescription: {
      Shards: [{ ShardId: 'shard-1', SequenceNumberRange: { StartingSequenceNumber: '1' } }],
    },
  });
  delivered = [];
  poller = new StreamPoller({
    dynamoDb,
    streams,
    tableName: 'Audit',
    handler: async (event) => {
      for (const r of event.Records) delivered.push(r.dynamodb!.SequenceNumber!);
      return { batchItemFailures: [] };
    },
  });
});

describe('StreamPoller recovery', () => {
  it('starts a trimmed open shard over from its oldest record instead of giving it up', async () => {
    ds.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it' });
    ds.on(GetRecordsCommand)
      .rejectsOnce(new TrimmedDataAccessException({ message: 'trimmed', $metadata: {} }))
      .resolvesOnce({ Records: [record(1)], NextShardIterator: 'it-2' })
      .resolves({ Records: [], NextShardIterator: 'it-3' });
    await expect(poller.pollOnce()).rejects.toThrow('trimmed');
    await poller.pollOnce();
    expect(delivered).toEqual(['1']);
    expect(ds.commandCalls(GetShardIteratorCommand).map((c) => c.args[0].input.ShardIteratorType)).toEqual([
      'TRIM_HORIZON',
      'TRIM_HORIZON',
    ]);
  });

  it('reads an open shard again after a read without a next iterator', async () => {
    ds.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it' });
    ds.on(GetRecordsCommand)
      .resolvesOnce({ Records: [] }) // no NextShardIterator, yet the shard is open
      .resolvesOnce({ Records: [record(1)] }) // a last batch without one either
      .resolvesOnce({ Records: [record(2)], NextShardIterator: 'it-2' })
      .resolves({ Records: [], NextShardIterator: 'it-3' });
    await poller.pollOnce();
    await poller.pollOnce();
    await poller.pollOnce();
    expect(delivered).toEqual(['1', '2']);
    // After the first delivery the next iterator starts after the checkpoint.
    expect(ds.commandCalls(GetShardIteratorCommand).at(-1)?.args[0].input).toMatchObject({
      ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
      SequenceNumber: '1',
    });
  });

  it('does not reuse an iterator a failed read left behind', async () => {
    // A delivery failure caches a fresh iterator; the read with it then expires.
    let failOnce = true;
    poller = new StreamPoller({
      dynamoDb,
      streams,
      tableName: 'Audit',
      handler: async (event) => {
        if (failOnce) {
          failOnce = false;
          return { batchItemFailures: [{ itemIdentifier: event.Records[0].dynamodb!.SequenceNumber! }] };
        }
        for (const r of event.Records) delivered.push(r.dynamodb!.SequenceNumber!);
        return { batchItemFailures: [] };
      },
    });
    ds.on(GetShardIteratorCommand).resolves({ ShardIterator: 'fresh' });
    ds.on(GetRecordsCommand)
      .resolvesOnce({ Records: [record(1)], NextShardIterator: 'it-2' })
      .rejectsOnce(new ExpiredIteratorException({ message: 'expired', $metadata: {} }))
      .resolvesOnce({ Records: [record(1)], NextShardIterator: 'it-4' })
      .resolves({ Records: [], NextShardIterator: 'it-5' });
    await poller.pollOnce(); // delivery fails: a fresh iterator is cached
    await expect(poller.pollOnce()).rejects.toThrow('expired');
    await poller.pollOnce();
    expect(delivered).toEqual(['1']);
    // Three fresh iterators: first read, after the failed delivery, after the expired read.
    expect(ds.commandCalls(GetShardIteratorCommand)).toHaveLength(3);
  });
});
