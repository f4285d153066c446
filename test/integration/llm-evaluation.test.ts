/**
 * Evaluation beyond the deterministic scorers, on DynamoDB Local and s3rver: a judge prompt of the
 * registry and groundedness in the row's sources, both read by the production gate; background
 * runs over datasets larger than one call takes, scored page by page by the worker, handed over
 * before its deadline, never scoring a row twice, and read back in pages; collections importing
 * the text objects under an S3 prefix, once per object version.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { encode } from 'gpt-tokenizer';
import { ENV } from '../../contracts/env';
import type { LlmConfig, LlmUsage } from '../../contracts/llm';
import { AUDIT_TABLE, IDEMPOTENCY_TABLE, LLM_TABLE, REGISTRY_TABLE } from '../../contracts/tables';
import { InProcessEvaluationLauncher } from '../../lambdas/llm/adapters/evaluation-launchers';
import { defaultDeps, type LlmHandlerDeps } from '../../lambdas/llm/deps';
import { EMBEDDING_NAME } from '../../lambdas/llm/domain/embeddings';
import type { ChatCall, LlmBackend } from '../../lambdas/llm/domain/ports';
import { makeWorker } from '../../lambdas/llm/evaluation-work';
import { makeHandler } from '../../lambdas/llm/handler';
import {
  ensureBuckets,
  ensureTables,
  LOCAL_DYNAMODB_CLIENT_CONFIG,
  localS3ClientConfig,
  type StandIns,
  standInEnvironment,
} from '../../local/stand-ins';
import { type HttpCall, httpCaller } from '../helpers/http-call';
import { expectReplyMatchesRoute } from '../helpers/route-replies';
import { startTestStandIns } from '../helpers/worker-stand-ins';

const BUCKET = 'test-artifacts';

const CONFIG: LlmConfig = {
  endpoints: [{ name: 'chat', backend: 'bedrock', model: 'm' }],
  prices: [
    {
      model: 'm',
      effectiveFrom: '2026-01-01',
      tiers: [{ aboveInputTokens: 0, input: 1_000_000, output: 1_000_000 }],
    },
    // Collections' stand-in embedding: $1 per million input tokens, a micro-dollar a token.
    {
      model: EMBEDDING_NAME,
      effectiveFrom: '2026-01-01',
      tiers: [{ aboveInputTokens: 0, input: 1_000_000, output: 0 }],
    },
  ],
  guardrails: { pii: ['email'], deniedTopics: [], maxInputTokens: 500 },
  scoreFloors: { groundedness: 0.9, llm_judge: 0.5 },
  cacheTtlSeconds: 0,
  promptRollouts: [],
};

/** Answers `answer`, or the next verdict to a judge prompt (one starting "Grade"); 3 + 1 tokens a call. */
class ScriptedBackend implements LlmBackend {
  readonly calls: ChatCall[] = [];
  answer = 'Madrid.';
  readonly verdicts: string[] = [];

  async chat(call: ChatCall) {
    this.calls.push(call);
    const judged = call.messages.some((m) => m.content.startsWith('Grade'));
    const usage: LlmUsage = {
      inputTokens: 3,
      outputTokens: 1,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 0,
      reasoningOutputTokens: 0,
    };
    const content = judged ? (this.verdicts.shift() ?? '') : this.answer;
    // The provider's guardrail stands in for Bedrock's: it blocks any answer about Atlantis.
    if (call.messages.some((m) => m.content.includes('Atlantis'))) {
      const finding = { source: 'output', policy: 'topic', name: 'myths', action: 'BLOCKED' } as const;
      return {
        content: 'Blocked.',
        finishReason: 'content_filter' as const,
        responseModel: 'm',
        usage,
        guardrailIntervention: { findings: [finding] },
      };
    }
    return { content, finishReason: 'stop' as const, responseModel: 'm', usage };
  }
}

let standIns: StandIns;
let s3: S3Client;
let deps: LlmHandlerDeps;
let backend: ScriptedBackend;
let launcher: InProcessEvaluationLauncher;
let alice: HttpCall;

beforeAll(async () => {
  standIns = await startTestStandIns();
  Object.assign(
    process.env,
    standInEnvironment(standIns, {
      [ENV.registryTable]: REGISTRY_TABLE.id,
      [ENV.auditTable]: AUDIT_TABLE.id,
      [ENV.idempotencyTable]: IDEMPOTENCY_TABLE.id,
      [ENV.llmTable]: LLM_TABLE.id,
      [ENV.artifactsBucket]: BUCKET,
      [ENV.governancePolicy]: JSON.stringify({}),
      [ENV.envName]: 'test',
    }),
  );
  await ensureTables(
    new DynamoDBClient({ ...LOCAL_DYNAMODB_CLIENT_CONFIG, endpoint: standIns.dynamoDbEndpoint }),
  );
  s3 = new S3Client(localS3ClientConfig(standIns.s3Endpoint));
  await ensureBuckets(s3, [BUCKET]);
  backend = new ScriptedBackend();
  launcher = new InProcessEvaluationLauncher();
  deps = { ...defaultDeps(), settings: async () => CONFIG, backendFor: () => backend, launcher };
  launcher.use(makeWorker(deps));
  alice = httpCaller(makeHandler(deps), { functionName: 'llm' });
  for (const [name, template, variables] of [
    ['capitals', 'Capital of {{country}}? One word.', ['country']],
    ['judge', 'Grade {{answer}} against {{expected}}: 1 to 5.', ['answer', 'expected']],
    ['nosy-judge', 'Grade {{answer}} for {{country}}.', ['answer', 'country']],
    ['tone-judge', 'Grade the tone of {{answer}}: 0 to 1.', ['answer']],
  ] as const) {
    expect((await alice('POST', '/llm/prompts', { name })).status).toBe(201);
    expect((await alice('POST', `/llm/prompts/${name}/versions`, { template, variables })).status).toBe(201);
  }
}, 60_000);
afterAll(() => standIns?.stop());

const putDataset = async (key: string, rows: unknown[]) =>
  s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: rows.map((r) => JSON.stringify(r)).join('\n') }),
  );

describe('judge and groundedness scorers', () => {
  it('judges with its own prompt, fails a malformed verdict on its row only, and the gate lists both checks', async () => {
    // Prepare: both answers "Madrid."; the first row's source names Madrid, the second's does not.
    backend.verdicts.push('{"score": 4, "reason": "right city"}', 'Looks right to me');
    expect((await alice('PUT', '/llm/prompts/judge/aliases/stable', { version: 1 })).status).toBe(200);
    // Act
    const run = await alice('POST', '/llm/evaluations', {
      prompt: 'capitals/1',
      endpoint: 'chat',
      rows: [
        {
          variables: { country: 'Spain' },
          expected: 'Madrid.',
          sources: ['Madrid is the capital of Spain.'],
        },
        { variables: { country: 'Italy' }, expected: 'Rome.', sources: ['Rome is the capital of Italy.'] },
      ],
      scorers: [
        { type: 'groundedness' },
        { type: 'llm_judge', prompt: 'judge@stable', scale: { min: 1, max: 5 } },
      ],
    });
    const gate = await alice('PUT', '/llm/prompts/capitals/aliases/production', { version: 1 });
    // Assess: groundedness (1 + 0) / 2; judge ((4 - 1) / 4 + 0) / 2.
    expect(run.status).toBe(200);
    expectReplyMatchesRoute('RunEvaluation', run);
    expect(run.body.aggregate).toEqual({ groundedness: 0.5, llm_judge: 0.375 });
    expect(run.body.failures).toEqual({ llm_judge: 1 });
    expect(run.body.rows[1].failures.llm_judge).toMatch(/^judge answered "Looks right to me": neither/);
    // Two answers and two judge calls, 3 + 1 tokens each at $1 per million.
    expect(run.body.costMicroUsd).toBe(16);
    const judgeCall = backend.calls.find((c) => c.messages[0].content.startsWith('Grade'));
    expect(judgeCall?.messages[0].content).toBe('Grade Madrid. against Madrid.: 1 to 5.');
    expect(gate.status).toBe(422);
    expect(gate.body.error.details.failed.map((c: { check: string }) => c.check)).toEqual([
      'evaluation.groundedness',
      'evaluation.llm_judge',
    ]);
    expect((await deps.registry.getVersion('capitals', 1))?.tags).toMatchObject({
      'mlops:eval.groundedness': '0.5',
      'mlops:eval.llm_judge': '0.375',
      'mlops:eval.llm_judge.prompt': 'judge/1',
    });
  });

  it('scores an answer the provider guardrail blocked as withheld, its cost counted, the run going on', async () => {
    // Act
    const run = await alice('POST', '/llm/evaluations', {
      prompt: 'capitals/1',
      endpoint: 'chat',
      rows: [
        { variables: { country: 'Spain' }, expected: 'Madrid.' },
        { variables: { country: 'Atlantis' }, expected: 'Poseidonis.' },
      ],
      scorers: [{ type: 'contains' }],
    });
    // Assess
    expect(run.status).toBe(200);
    expect(run.body.rows.map((r: { answer: string }) => r.answer)).toEqual(['Madrid.', '']);
    expect(run.body.aggregate).toEqual({ contains: 0.5 });
    // Two answers, 3 + 1 tokens each at $1 per million, the blocked one included.
    expect(run.body.costMicroUsd).toBe(8);
  });

  it('refuses a judge declaring other variables, and groundedness without sources, before any call', async () => {
    // Prepare
    const calls = backend.calls.length;
    const run = (scorer: unknown, row: unknown) =>
      alice('POST', '/llm/evaluations', {
        prompt: 'capitals/1',
        endpoint: 'chat',
        rows: [row],
        scorers: [scorer],
      });
    // Act
    const nosy = await run(
      { type: 'llm_judge', prompt: 'nosy-judge/1' },
      { variables: { country: 'Spain' } },
    );
    const missing = await run({ type: 'llm_judge', prompt: 'absent/1' }, { variables: { country: 'Spain' } });
    const unsourced = await run({ type: 'groundedness' }, { variables: { country: 'Spain' } });
    // Assess
    expect(nosy.status).toBe(400);
    expect(nosy.body.error).toMatchObject({ code: 'INVALID_SCORER' });
    expect(nosy.body.error.message).toContain('declares country');
    expect(missing.status).toBe(404);
    expect(unsourced.body.error.message).toContain('row 0 gives no sources');
    expect(backend.calls.length).toBe(calls);
  });
});

describe('several judges in one run', () => {
  it('pins each judge prompt at the start and names each in rows, aggregate and tags', async () => {
    // Prepare: a launcher that only records, so the run's prompts can move before its worker runs.
    const recorded = { ...deps, launcher: { launch: async () => undefined } };
    const call = httpCaller(makeHandler(recorded), { functionName: 'llm' });
    const key = 'artifacts/llm-datasets/two-judges.jsonl';
    await putDataset(key, [
      { variables: { country: 'Spain' }, expected: 'Madrid.' },
      { variables: { country: 'Italy' }, expected: 'Rome.' },
    ]);
    expect((await call('PUT', '/llm/prompts/judge/aliases/stable', { version: 1 })).status).toBe(200);
    // Act
    const started = await call('POST', '/llm/evaluation-runs', {
      prompt: 'capitals/1',
      endpoint: 'chat',
      dataset: { key },
      scorers: [
        { type: 'llm_judge', name: 'accuracy', prompt: 'judge@stable', scale: { min: 1, max: 5 } },
        { type: 'llm_judge', name: 'tone', prompt: 'tone-judge/1' },
      ],
    });
    const moved = await call('POST', '/llm/prompts/judge/versions', {
      template: 'Grade {{answer}} strictly: 1 to 5.',
      variables: ['answer'],
    });
    await call('PUT', '/llm/prompts/judge/aliases/stable', { version: moved.body.version });
    const calls = backend.calls.length;
    // Each row: its answer, then accuracy, then tone.
    backend.verdicts.push('5', '0.5', '3', '0');
    // A row of three calls at 1 s each does not start with 2.5 s left: the worker hands over.
    const short = { awsRequestId: 'short', getRemainingTimeInMillis: () => 2_500 };
    await makeWorker(recorded, 1_000)({ runId: started.body.runId }, short);
    const handedOver = await call('GET', `/llm/evaluation-runs/${started.body.runId}`);
    await makeWorker(recorded)({ runId: started.body.runId });
    const run = await call('GET', `/llm/evaluation-runs/${started.body.runId}`);
    const page = await call('GET', `/llm/evaluation-runs/${started.body.runId}/rows`);
    // Assess
    expect(started.status).toBe(202);
    expect(handedOver.body).toMatchObject({ status: 'RUNNING', scoredRows: 0 });
    expect(started.body.scorers).toEqual([
      { type: 'llm_judge', name: 'accuracy', prompt: 'judge/1', scale: { min: 1, max: 5 } },
      { type: 'llm_judge', name: 'tone', prompt: 'tone-judge/1', scale: { min: 0, max: 1 } },
    ]);
    const judged = backend.calls.slice(calls).filter((c) => c.messages[0].content.startsWith('Grade'));
    expect(judged.map((c) => c.messages[0].content)).toEqual([
      'Grade Madrid. against Madrid.: 1 to 5.',
      'Grade the tone of Madrid.: 0 to 1.',
      'Grade Madrid. against Rome.: 1 to 5.',
      'Grade the tone of Madrid.: 0 to 1.',
    ]);
    expect(page.body.items.map((r: { scores: object }) => r.scores)).toEqual([
      { 'llm_judge.accuracy': 1, 'llm_judge.tone': 0.5 },
      { 'llm_judge.accuracy': 0.5, 'llm_judge.tone': 0 },
    ]);
    expect(run.body).toMatchObject({
      status: 'SUCCEEDED',
      aggregate: { 'llm_judge.accuracy': 0.75, 'llm_judge.tone': 0.25 },
    });
    expect((await deps.registry.getVersion('capitals', 1))?.tags).toMatchObject({
      'mlops:eval.llm_judge.accuracy': '0.75',
      'mlops:eval.llm_judge.accuracy.prompt': 'judge/1',
      'mlops:eval.llm_judge.tone': '0.25',
      'mlops:eval.llm_judge.tone.prompt': 'tone-judge/1',
    });
  });

  it('refuses two judges one name (or none) with a 400 before any call', async () => {
    // Prepare
    const calls = backend.calls.length;
    const run = (scorers: unknown[]) =>
      alice('POST', '/llm/evaluations', {
        prompt: 'capitals/1',
        endpoint: 'chat',
        rows: [{ variables: { country: 'Spain' } }],
        scorers,
      });
    // Act
    const unnamed = await run([
      { type: 'llm_judge', prompt: 'judge/1' },
      { type: 'llm_judge', prompt: 'tone-judge/1' },
    ]);
    const same = await run([
      { type: 'llm_judge', name: 'a', prompt: 'judge/1' },
      { type: 'llm_judge', name: 'a', prompt: 'tone-judge/1' },
    ]);
    // Assess
    expect(unnamed.status).toBe(400);
    expect(JSON.stringify(unnamed.body.error)).toContain('give each judge of the run a distinct name');
    expect(same.status).toBe(400);
    expect(JSON.stringify(same.body.error)).toContain('llm_judge.a twice');
    expect(backend.calls.length).toBe(calls);
  });
});

describe('background evaluation runs', () => {
  const rows = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      variables: { country: `${prefix}${i}` },
      expected: i % 4 ? 'Rome.' : 'Madrid.',
    }));

  it('takes a dataset over 50 rows, scores it in the background and pages its rows', async () => {
    // Prepare
    const key = 'artifacts/llm-datasets/sixty.jsonl';
    await putDataset(key, rows('A', 60));
    const calls = backend.calls.length;
    // Act
    const small = await alice('POST', '/llm/evaluations', {
      prompt: 'capitals/1',
      endpoint: 'chat',
      dataset: { key },
      scorers: [{ type: 'exact_match' }],
    });
    const started = await alice('POST', '/llm/evaluation-runs', {
      prompt: 'capitals/1',
      endpoint: 'chat',
      dataset: { key },
      scorers: [{ type: 'exact_match' }],
    });
    await launcher.settle();
    const run = await alice('GET', `/llm/evaluation-runs/${started.body.runId}`);
    const pages = [await alice('GET', `/llm/evaluation-runs/${started.body.runId}/rows?limit=25`)];
    while (pages[pages.length - 1].body.nextToken) {
      const token = pages[pages.length - 1].body.nextToken;
      pages.push(
        await alice('GET', `/llm/evaluation-runs/${started.body.runId}/rows?limit=25&nextToken=${token}`),
      );
    }
    // Assess: rows 0, 4, ..., 56 expect Madrid: 15 of 60.
    expect(small.status).toBe(400);
    expect(small.body.error.message).toContain('POST /llm/evaluation-runs takes more');
    expect(started.status).toBe(202);
    expectReplyMatchesRoute('StartEvaluationRun', started);
    expect(started.body).toMatchObject({ status: 'RUNNING', totalRows: 60, scoredRows: 0 });
    expectReplyMatchesRoute('GetEvaluationRun', run);
    expect(run.body).toMatchObject({ status: 'SUCCEEDED', scoredRows: 60, aggregate: { exact_match: 0.25 } });
    expect(run.body.costMicroUsd).toBe(60 * 4);
    expectReplyMatchesRoute('ListEvaluationRows', pages[0]);
    expect(pages.map((p) => p.body.items.length)).toEqual([25, 25, 10]);
    expect(pages.flatMap((p) => p.body.items.map((r: { index: number }) => r.index))).toEqual(
      Array.from({ length: 60 }, (_, i) => i),
    );
    expect(backend.calls.length - calls).toBe(60);
    expect((await deps.registry.getVersion('capitals', 1))?.tags['mlops:eval.exact_match']).toBe('0.25');
  });

  it('hands over before its deadline and goes on where it stopped, scoring no row twice', async () => {
    // Prepare: a launcher that only records, so each worker invocation is the test's.
    const launches: string[] = [];
    const recorded = { ...deps, launcher: { launch: async (runId: string) => void launches.push(runId) } };
    const call = httpCaller(makeHandler(recorded), { functionName: 'llm' });
    const worker = makeWorker(recorded, 1_000);
    const key = 'artifacts/llm-datasets/handover.jsonl';
    await putDataset(key, rows('B', 30));
    const started = await call('POST', '/llm/evaluation-runs', {
      prompt: 'capitals/1',
      endpoint: 'chat',
      dataset: { key },
      scorers: [{ type: 'contains' }],
    });
    const runId = started.body.runId;
    const calls = backend.calls.length;
    // A first invocation with time for its lease and 12 rows; then one with time for everything.
    let readings = 0;
    const short = {
      awsRequestId: 'first',
      getRemainingTimeInMillis: () => (readings++ <= 12 ? 60_000 : 500),
    };
    const long = { awsRequestId: 'second', getRemainingTimeInMillis: () => 60_000 };
    // Act
    await worker({ runId }, short);
    const handedOver = await call('GET', `/llm/evaluation-runs/${runId}`);
    await worker({ runId }, long);
    await worker({ runId }, long);
    const done = await call('GET', `/llm/evaluation-runs/${runId}`);
    // Assess: rows 0, 4, ..., 28 expect Madrid: 8 of 30.
    expect(launches).toEqual([runId, runId]);
    expect(handedOver.body).toMatchObject({ status: 'RUNNING', scoredRows: 12 });
    expect(done.body).toMatchObject({ status: 'SUCCEEDED', scoredRows: 30, aggregate: { contains: 8 / 30 } });
    expect(backend.calls.length - calls).toBe(30);
  });

  it('fails a run whose dataset changed under it, and answers 404 for an unknown run', async () => {
    // Prepare
    const launches: string[] = [];
    const recorded = { ...deps, launcher: { launch: async (runId: string) => void launches.push(runId) } };
    const call = httpCaller(makeHandler(recorded), { functionName: 'llm' });
    const key = 'artifacts/llm-datasets/moving.jsonl';
    await putDataset(key, rows('C', 3));
    const started = await call('POST', '/llm/evaluation-runs', {
      prompt: 'capitals/1',
      endpoint: 'chat',
      dataset: { key },
      scorers: [{ type: 'contains' }],
    });
    await putDataset(key, rows('D', 3));
    // Act
    await makeWorker(recorded)({ runId: started.body.runId });
    const run = await call('GET', `/llm/evaluation-runs/${started.body.runId}`);
    const unknown = await call('GET', '/llm/evaluation-runs/00000000-0000-0000-0000-000000000000');
    // Assess
    expect(run.body).toMatchObject({ status: 'FAILED', scoredRows: 0 });
    expect(run.body.error).toMatch(
      /^dataset artifacts\/llm-datasets\/moving\.jsonl changed since the run started/,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('EVALUATION_RUN_NOT_FOUND');
  });
});

describe('collection imports from S3', () => {
  const prefix = 'artifacts/llm-documents/manuals/';
  const put = (name: string, body: string | Uint8Array) =>
    s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${prefix}${name}`, Body: body }));
  const pump =
    'The pump  starts when the tank is low.\nIt stops when the float rises above the red line, then waits ten minutes.';
  const sourceOf = (name: string) => `s3://${BUCKET}/${prefix}${name}`;
  const chunksBySource = async () => {
    const all = await alice('POST', '/llm/collections/manuals/retrieve', {
      query: 'pump tank float valve',
      k: 20,
    });
    const by: Record<string, Array<{ chunk: number; text: string; start: number; end: number }>> = {};
    for (const c of all.body.chunks) {
      by[c.source] ??= [];
      by[c.source].push(c);
    }
    for (const list of Object.values(by)) list.sort((a, b) => a.chunk - b.chunk);
    return by;
  };

  it('imports each object once per version, in pages, naming the object and where each chunk lies', async () => {
    // Prepare
    await alice('POST', '/llm/collections', { name: 'manuals', chunking: { maxWords: 10, overlapWords: 2 } });
    await put('a.txt', pump);
    await put('b.txt', 'The valve opens by hand.');
    await put('c.bin', Uint8Array.from([0xff, 0xfe, 0x00]));
    await put('sub/', new Uint8Array(0));
    const today = new Date().toISOString().slice(0, 10);
    // Act
    const first = await alice('POST', '/llm/collections/manuals/imports', { prefix, maxObjects: 2 });
    const rest = await alice('POST', '/llm/collections/manuals/imports', {
      prefix,
      startAfter: first.body.nextStartAfter,
    });
    const again = await alice('POST', '/llm/collections/manuals/imports', { prefix });
    const chunks = await chunksBySource();
    // Assess
    expect(first.status).toBe(200);
    expectReplyMatchesRoute('ImportDocuments', first);
    // 22 words in windows of 10 stepping 8: words 0-9, 8-17, 16-21.
    expect(first.body.documents).toEqual([
      expect.objectContaining({ source: sourceOf('a.txt'), status: 'INGESTED', chunks: 3 }),
      expect.objectContaining({ source: sourceOf('b.txt'), status: 'INGESTED', chunks: 1 }),
    ]);
    expect(first.body.nextStartAfter).toBe(`${prefix}b.txt`);
    expect(rest.body.documents).toEqual([
      expect.objectContaining({ key: `${prefix}c.bin`, status: 'REFUSED', reason: 'not UTF-8 text' }),
    ]);
    expect(rest.body.nextStartAfter).toBeUndefined();
    expect(again.body.documents.map((d: { status: string }) => d.status)).toEqual([
      'UNCHANGED',
      'UNCHANGED',
      'REFUSED',
    ]);
    expect(chunks[sourceOf('a.txt')].map((c) => c.chunk)).toEqual([0, 1, 2]);
    // One embedding call a document embedded (none for the refused or unchanged), then the query
    // chunksBySource retrieves with; its tokens as counted, a micro-dollar each.
    const tokens = [
      chunks[sourceOf('a.txt')].reduce((sum, c) => sum + encode(c.text).length, 0),
      encode('The valve opens by hand.').length,
      encode('pump tank float valve').length,
    ];
    const records = (await deps.usage.listDay(today)).filter((r) => r.collection === 'manuals');
    expect(records.map((r) => [r.operation, r.usage.inputTokens, r.costMicroUsd])).toEqual(
      tokens.map((t) => ['embeddings', t, t]),
    );
    for (const c of chunks[sourceOf('a.txt')]) {
      expect(pump.slice(c.start, c.end).split(/\s+/).join(' ')).toBe(c.text);
    }
    expect(chunks[sourceOf('a.txt')][1]).toMatchObject({
      start: pump.indexOf('It stops'),
      text: expect.stringMatching(/^It stops when the float/),
    });
  });

  it('replaces the chunks of a changed object, deleting those it no longer has', async () => {
    // Prepare
    await put('a.txt', 'The pump is retired.');
    // Act
    const res = await alice('POST', '/llm/collections/manuals/imports', { prefix, maxObjects: 1 });
    const chunks = await chunksBySource();
    // Assess
    expect(res.body.documents).toEqual([expect.objectContaining({ status: 'REPLACED', chunks: 1 })]);
    expect(chunks[sourceOf('a.txt')]).toEqual([
      expect.objectContaining({ chunk: 0, text: 'The pump is retired.', start: 0, end: 20 }),
    ]);
  });

  it('refuses a prefix outside the documents prefix (400) and an unknown collection (404)', async () => {
    // Act
    const outside = await alice('POST', '/llm/collections/manuals/imports', { prefix: 'artifacts/models/' });
    const unknown = await alice('POST', '/llm/collections/nope/imports', { prefix });
    // Assess
    expect(outside.status).toBe(400);
    expect(outside.body.error.message).toContain('artifacts/llm-documents/');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('COLLECTION_NOT_FOUND');
  });
});
