/**
 * The local platform's state files survive a hard kill: writes are atomic, a torn last line of an
 * append-only log is dropped, and a corrupt file stops the start with an error naming the file and
 * the way out (an empty checkpoint used to fail with `Unexpected end of JSON input` and no file name).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { LocalEventBus } from '../../../local/event-bus';
import { loadState } from '../../../local/sagemaker/state';
import {
  CorruptStateFileError,
  readJsonLines,
  readJsonState,
  writeJsonAtomic,
} from '../../../local/state-file';
import { StreamPoller } from '../../../local/stream-poller';

const ABOUT = { what: 'the test state', recovery: 'delete it' };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'state-file-'));
});

describe('writeJsonAtomic', () => {
  it('replaces the file whole and leaves no temporary file behind', () => {
    // Prepare
    const file = join(dir, 'checkpoint.json');
    writeJsonAtomic(file, { a: '1' });
    // Act
    writeJsonAtomic(file, { a: '2', b: '3' });
    // Assess
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ a: '2', b: '3' });
    expect(readdirSync(dir)).toEqual(['checkpoint.json']);
  });

  it('creates the file with the mode asked for', () => {
    const file = join(dir, 'credentials.json');
    writeJsonAtomic(file, {}, { mode: 0o600 });
    expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
  });
});

describe('readJsonState', () => {
  it('reads a missing file as undefined', () => {
    expect(readJsonState(join(dir, 'none.json'), ABOUT)).toBeUndefined();
  });

  it.each([
    ['empty (a kill during an in-place rewrite)', ''],
    ['cut short', '{"shard-1":"12'],
  ])('names a file that is %s, what it holds and the recovery', (_, content) => {
    // Prepare
    const file = join(dir, 'checkpoint.json');
    writeFileSync(file, content);
    // Act
    const read = () => readJsonState(file, ABOUT);
    // Assess
    expect(read).toThrow(CorruptStateFileError);
    expect(read).toThrow(`${file}: the test state is not valid JSON`);
    expect(read).toThrow(/; delete it$/);
  });
});

describe('readJsonLines', () => {
  it('drops a torn last line and rewrites the log so later appends stay whole', () => {
    // Prepare
    const file = join(dir, 'events.jsonl');
    writeFileSync(file, '{"n":1}\n{"n":2}\n{"n":');
    // Act
    const items = readJsonLines(file, ABOUT);
    // Assess
    expect(items).toEqual([{ n: 1 }, { n: 2 }]);
    expect(readFileSync(file, 'utf8')).toBe('{"n":1}\n{"n":2}\n');
  });

  it('fails on a bad line before the last, naming the file and line', () => {
    const file = join(dir, 'events.jsonl');
    writeFileSync(file, '{"n":1}\nnot json\n{"n":3}\n');
    expect(() => readJsonLines(file, ABOUT)).toThrow(`${file} line 2: the test state is not valid JSON`);
  });
});

describe('the local platform state files', () => {
  it('a corrupt audit stream checkpoint stops the poller naming the file and the recovery', () => {
    // Prepare
    const checkpointFile = join(dir, 'audit-stream-checkpoint.json');
    writeFileSync(checkpointFile, '');
    // Act
    const make = () =>
      new StreamPoller({
        dynamoDb: new DynamoDBClient({ region: 'us-east-1' }),
        streams: new DynamoDBStreamsClient({ region: 'us-east-1' }),
        tableName: 'Audit',
        handler: async () => ({ batchItemFailures: [] }),
        checkpointFile,
      });
    // Assess
    expect(make).toThrow(`${checkpointFile}: the audit stream checkpoint is not valid JSON`);
    expect(make).toThrow(/delete it to publish again from the oldest record/);
  });

  it('the event bus starts from a log whose last append was cut short', () => {
    // Prepare
    const logFile = join(dir, 'events.jsonl');
    writeFileSync(logFile, '{"id":"a","detail-type":"X"}\n{"id":"b","det');
    // Act
    const bus = new LocalEventBus(logFile);
    // Assess
    expect(bus.events.map((e) => e.id)).toEqual(['a']);
  });

  it("the local SageMaker's state: a corrupt file is named", () => {
    const file = join(dir, 'sagemaker.json');
    writeFileSync(file, '{');
    expect(() => loadState(file)).toThrow(`${file}: the local SageMaker's state is not valid JSON`);
    expect(existsSync(file)).toBe(true);
  });
});
