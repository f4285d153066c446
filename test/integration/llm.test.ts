/**
 * The `/llm` routes on DynamoDB Local and s3rver: prompts through the registry service (immutable
 * versions, aliases, the production gate), rendering, chat completions through a backend that
 * reports usage with cached and reasoning tokens, and `GET /llm/usage` adding up exact costs.
 */

import { createHash } from 'node:crypto';
import {
  BedrockRuntimeClient,
  ConverseStreamCommand,
  InvokeModelCommand,
  type InvokeModelCommandOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DeleteVectorsCommand,
  PutVectorsCommand,
  QueryVectorsCommand,
  S3VectorsClient,
} from '@aws-sdk/client-s3vectors';
import { mockClient } from 'aws-sdk-client-mock';
import { encode, encodeChat } from 'gpt-tokenizer';
import { ENV } from '../../contracts/env';
import type { LlmConfig, LlmUsage } from '../../contracts/llm';
import { AUDIT_TABLE, IDEMPOTENCY_TABLE, LLM_TABLE, REGISTRY_TABLE } from '../../contracts/tables';
import { BedrockConverseBackend } from '../../lambdas/llm/adapters/bedrock-converse-backend';
import { BedrockTitanEmbeddings } from '../../lambdas/llm/adapters/bedrock-titan-embeddings';
import { DynamoDbDocumentCatalog } from '../../lambdas/llm/adapters/dynamodb-document-catalog';
import type { DynamoDbEndpointModels } from '../../lambdas/llm/adapters/dynamodb-endpoint-models';
import { OpenAiHttpBackend } from '../../lambdas/llm/adapters/openai-backend';
import { S3VectorsIndex, vectorKey } from '../../lambdas/llm/adapters/s3-vectors-index';
import { defaultDeps, type LlmHandlerDeps } from '../../lambdas/llm/deps';
import { EMBEDDING_NAME, embed } from '../../lambdas/llm/domain/embeddings';
import { promotedRecord, rolledBackRecord } from '../../lambdas/llm/domain/model-rollouts';
import type { ChatCall, LlmBackend } from '../../lambdas/llm/domain/ports';
import { evaluationTag } from '../../lambdas/llm/domain/prompts';
import { makeHandler } from '../../lambdas/llm/handler';
import { documentClient } from '../../lambdas/shared/clients';
import { detokenize } from '../../local/llm/ngram';
import { LOCAL_LLM_MODEL, LocalLlm } from '../../local/llm/server';
import {
  ensureBuckets,
  ensureTables,
  LOCAL_DYNAMODB_CLIENT_CONFIG,
  localS3ClientConfig,
  type StandIns,
  standInEnvironment,
} from '../../local/stand-ins';
import { ALICE, type HttpCall, httpCaller } from '../helpers/http-call';
import { expectReplyMatchesRoute } from '../helpers/route-replies';
import { startTestStandIns } from '../helpers/worker-stand-ins';

const BOB = 'arn:aws:iam::123456789012:user/bob';
const BUCKET = 'test-artifacts';
const DAY = '2026-03-02';

/**
 * $2 / $6 per million input / output tokens, cache reads at $0.50; above 1,000 input tokens every
 * token of the call costs twice as much.
 */
const CONFIG: LlmConfig = {
  endpoints: [
    { name: 'chat', backend: 'bedrock', model: 'm-small' },
    { name: 'guarded', backend: 'bedrock', model: 'm-guarded', guardrail: { id: 'gr-1', version: '3' } },
    { name: 'routed', backend: 'bedrock', model: 'm-small', candidateModels: ['m-next'] },
    {
      name: 'lmi',
      backend: 'sagemaker',
      model: 'm-small',
      modelArtifactKey: 'artifacts/llm/small.tar.gz',
      instanceType: 'ml.g5.2xlarge',
      tensorParallelDegree: 1,
      initialInstanceCount: 1,
      candidateModels: [{ model: 'm-next', modelArtifactKey: 'artifacts/llm/next.tar.gz' }],
    },
  ],
  prices: [
    {
      model: 'm-guarded',
      effectiveFrom: '2026-01-01',
      tiers: [{ aboveInputTokens: 0, input: 2_000_000, output: 6_000_000 }],
    },
    { model: 'm-small', effectiveFrom: '2026-01-01', tiers: [{ aboveInputTokens: 0, input: 9, output: 9 }] },
    // A model rollout's candidate on `routed`: $1 / $3 per million input / output tokens.
    {
      model: 'm-next',
      effectiveFrom: '2026-01-01',
      tiers: [{ aboveInputTokens: 0, input: 1_000_000, output: 3_000_000 }],
    },
    // The local stand-in embedding: $2.50 per million input tokens.
    {
      model: EMBEDDING_NAME,
      effectiveFrom: '2026-01-01',
      tiers: [{ aboveInputTokens: 0, input: 2_500_000, output: 0 }],
    },
    {
      model: 'm-small',
      effectiveFrom: '2026-03-01',
      tiers: [
        { aboveInputTokens: 0, input: 2_000_000, output: 6_000_000, cacheRead: 500_000 },
        { aboveInputTokens: 1000, input: 4_000_000, output: 12_000_000, cacheRead: 1_000_000 },
      ],
    },
  ],
  guardrails: {
    pii: ['email', 'creditCard', 'usSsn', 'phone'],
    deniedTopics: [{ name: 'weapons', words: ['grenade'] }],
    maxInputTokens: 200,
  },
  scoreFloors: { exact_match: 0.8, contains: 0.9 },
  cacheTtlSeconds: 600,
  promptRollouts: [],
};

/** Answers with the usage the test queues, as a provider reports it; records what it was sent. */
class ScriptedBackend implements LlmBackend {
  readonly calls: ChatCall[] = [];
  readonly usages: LlmUsage[] = [];
  answer = 'Paris.';
  /** The production variant the next answers say answered (an LMI endpoint's), if any. */
  variant?: string;

  async chat(call: ChatCall) {
    this.calls.push(call);
    const usage = this.usages.shift();
    if (!usage) throw new Error('no usage queued');
    return {
      content: this.answer,
      finishReason: 'stop' as const,
      responseModel: 'm-small-2026',
      usage,
      ...(this.variant ? { invokedProductionVariant: this.variant } : {}),
    };
  }
}

const usage = (u: Partial<LlmUsage> & Pick<LlmUsage, 'inputTokens' | 'outputTokens'>): LlmUsage => ({
  cacheReadInputTokens: 0,
  cacheCreationInputTokens: 0,
  reasoningOutputTokens: 0,
  ...u,
});

/** The `guarded` endpoint's Bedrock client: Converse streams scripted per test. */
const bedrock = new BedrockRuntimeClient({ region: 'us-east-1' });
const converse = mockClient(bedrock);

let standIns: StandIns;
let deps: LlmHandlerDeps;
let backend: ScriptedBackend;
let alice: HttpCall;
let bob: HttpCall;
let clock = 0;
let s3: S3Client;
const blocked: string[] = [];
/** Calls of an endpoint under a model rollout, as counted for its metrics. */
const modelRolloutCalls: Record<string, unknown>[] = [];

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
  // A clock on the test's day, 10 ms per reading, so latencies and days are fixed.
  const now = () => new Date(Date.parse(`${DAY}T09:00:00Z`) + 10 * clock++);
  const base = defaultDeps();
  deps = {
    ...base,
    rag: { ...base.rag, now },
    settings: async () => CONFIG,
    observeBlocked: (endpoint, rule) => blocked.push(`${endpoint} ${rule}`),
    observeModelRollout: (endpoint, variant, call) => modelRolloutCalls.push({ endpoint, variant, ...call }),
    backendFor: (e) =>
      e.backend === 'bedrock' && e.guardrail ? new BedrockConverseBackend(bedrock, e.guardrail) : backend,
    now,
  };
  const handler = makeHandler(deps);
  alice = httpCaller(handler, { functionName: 'llm' });
  bob = httpCaller(handler, { functionName: 'llm', principalArn: BOB });
}, 60_000);
afterAll(() => standIns?.stop());

async function promptWithVersion(name: string): Promise<void> {
  expect((await alice('POST', '/llm/prompts', { name, tags: { team: 'geo' } })).status).toBe(201);
  const version = await alice('POST', `/llm/prompts/${name}/versions`, {
    template: [
      { role: 'system', content: 'Answer in one word.' },
      { role: 'user', content: 'Capital of {{country}} in {{year}}?' },
    ],
    variables: ['country', 'year'],
    modelParameters: { temperature: 0, max_tokens: 16 },
    commitMessage: 'first',
  });
  expectReplyMatchesRoute('CreatePromptVersion', version);
}

describe('prompts', () => {
  it('registers immutable, content-addressed versions that MLflow sees as prompts', async () => {
    // Act
    await promptWithVersion('capitals');
    const got = await alice('GET', '/llm/prompts/capitals/versions/1');
    // Assess
    expect(got.status).toBe(200);
    expectReplyMatchesRoute('GetPromptVersion', got);
    expect(got.body).toMatchObject({
      name: 'capitals',
      version: 1,
      variables: ['country', 'year'],
      modelParameters: { temperature: 0, max_tokens: 16 },
      commitMessage: 'first',
      createdBy: ALICE,
    });
    expect(got.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    const model = await deps.registry.getModel('capitals');
    expect(model?.tags).toMatchObject({ 'mlops:kind': 'prompt', 'mlflow.prompt.is_prompt': 'true' });
  });

  it('refuses a version whose template and declared variables differ, storing nothing', async () => {
    // Act
    const res = await alice('POST', '/llm/prompts/capitals/versions', {
      template: 'Capital of {{country}}?',
      variables: ['country', 'contry'],
    });
    // Assess
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'INVALID_VARIABLES',
      message: 'template variables: declared but not used: contry',
    });
    expect((await alice('GET', '/llm/prompts/capitals')).body.latestVersion).toBe(1);
  });

  it('renders name/version and name@alias, naming each missing and unknown variable in a 400', async () => {
    // Prepare
    expect((await alice('PUT', '/llm/prompts/capitals/aliases/staging', { version: 1 })).status).toBe(200);
    // Act
    const rendered = await alice('POST', '/llm/prompts/render', {
      prompt: 'capitals@staging',
      variables: { country: 'France', year: '1900' },
    });
    const bad = await alice('POST', '/llm/prompts/render', {
      prompt: 'capitals/1',
      variables: { country: 'France', colour: 'blue' },
    });
    // Assess
    expectReplyMatchesRoute('RenderPrompt', rendered);
    expect(rendered.body).toEqual({
      prompt: { name: 'capitals', version: 1, alias: 'staging' },
      messages: [
        { role: 'system', content: 'Answer in one word.' },
        { role: 'user', content: 'Capital of France in 1900?' },
      ],
      modelParameters: { temperature: 0, max_tokens: 16 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toEqual({
      code: 'INVALID_VARIABLES',
      message: 'missing variable(s): year; unknown variable(s): colour',
      details: { missing: ['year'], unknown: ['colour'] },
    });
  });

  it('refuses production with a 422 listing each failed score floor, then allows it once evaluated', async () => {
    // Prepare: one scorer below its floor, one never run
    await deps.registry.tagVersion(
      'capitals',
      1,
      { [evaluationTag('exact_match')]: '0.5' },
      { principal: ALICE },
    );
    // Act
    const refused = await alice('PUT', '/llm/prompts/capitals/aliases/production', { version: 1 });
    const before = await deps.registry.aliasVersion('capitals', 'production');
    await deps.registry.tagVersion(
      'capitals',
      1,
      { [evaluationTag('exact_match')]: '0.85', [evaluationTag('contains')]: '0.95' },
      { principal: ALICE },
    );
    const allowed = await alice('PUT', '/llm/prompts/capitals/aliases/production', { version: 1 });
    // Assess
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('GOVERNANCE_CHECKS_FAILED');
    expect(refused.body.error.details.failed).toEqual([
      {
        check: 'evaluation.exact_match',
        passed: false,
        detail: 'exact_match is 0.5; at least 0.8 is required',
      },
      {
        check: 'evaluation.contains',
        passed: false,
        detail: 'no evaluation scored contains; at least 0.9 is required',
      },
    ]);
    expect(before).toBeUndefined();
    expect(allowed).toEqual({ status: 200, body: { name: 'capitals', alias: 'production', version: 1 } });
  });

  it("refuses to move a prompt's production alias through the registry's or MLflow's alias routes", async () => {
    // Both routes set aliases through the registry's alias use case, as this service call does.
    // Act
    const production = await deps.registry
      .setAlias('capitals', 'production', 1, { principal: ALICE })
      .then(() => 'moved')
      .catch((e: { code?: string; message?: string }) => `${e.code}: ${e.message}`);
    const candidate = await deps.registry.setAlias('capitals', 'candidate', 1, { principal: ALICE });
    // Assess
    expect(production).toBe(
      'PROMPT_RELEASE_GATED: capitals is a prompt: its production alias moves through PUT /llm/prompts/capitals/aliases/production, which checks the evaluation score floors',
    );
    expect(candidate).toBeUndefined();
    expect(await deps.registry.aliasVersion('capitals', 'candidate')).toBe(1);
  });
});

describe('chat completions and usage', () => {
  it('calls the backend with the rendered production prompt, prices the reported usage and aggregates it exactly', async () => {
    // Prepare: 1,200 input tokens (200 cache reads) is above the 1,000 tier:
    //   1,000 x $4/M + 200 x $1/M + 300 x $12/M = 4,000 + 200 + 3,600 = 7,800 micro-dollars.
    // 800 input tokens (100 cache reads), 50 output of which 20 reasoning, in the first tier:
    //   700 x $2/M + 100 x $0.5/M + 50 x $6/M = 1,400 + 50 + 300 = 1,750 micro-dollars.
    // 1 input token and 1 output: 2 + 6 = 8 micro-dollars.
    backend.usages.push(
      usage({ inputTokens: 1200, outputTokens: 300, cacheReadInputTokens: 200 }),
      usage({ inputTokens: 800, outputTokens: 50, cacheReadInputTokens: 100, reasoningOutputTokens: 20 }),
      usage({ inputTokens: 1, outputTokens: 1 }),
    );
    // Act
    const first = await alice('POST', '/llm/chat/completions', {
      model: 'chat',
      prompt: { ref: 'capitals@production', variables: { country: 'France', year: '1900' } },
    });
    const second = await bob('POST', '/llm/chat/completions', {
      model: 'chat',
      prompt: { ref: 'capitals/1', variables: { country: 'Peru', year: '1900' } },
    });
    const raw = await bob('POST', '/llm/chat/completions', {
      model: 'chat',
      messages: [{ role: 'user', content: 'hi' }],
    });
    const byModel = await alice('GET', `/llm/usage?from=${DAY}&to=${DAY}&groupBy=model`);
    const byPrincipal = await alice(
      'GET',
      `/llm/usage?from=${DAY}&to=${DAY}&groupBy=principal,promptVersion`,
    );
    // Assess
    expectReplyMatchesRoute('CreateChatCompletion', first);
    expect(backend.calls[0]).toEqual({
      model: 'm-small',
      messages: [
        { role: 'system', content: 'Answer in one word.' },
        { role: 'user', content: 'Capital of France in 1900?' },
      ],
      parameters: { temperature: 0, max_tokens: 16 },
    });
    expect(first.body).toMatchObject({
      object: 'chat.completion',
      model: 'm-small-2026',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Paris.' }, finish_reason: 'stop' }],
      usage: {
        prompt_tokens: 1200,
        completion_tokens: 300,
        total_tokens: 1500,
        prompt_tokens_details: { cached_tokens: 200 },
      },
      mlops: {
        endpoint: 'chat',
        prompt: { name: 'capitals', version: 1, alias: 'production' },
        costMicroUsd: 7800,
        cacheHit: false,
      },
    });
    expect(second.body.mlops.costMicroUsd).toBe(1750);
    expect(raw.body.mlops.costMicroUsd).toBe(8);
    expectReplyMatchesRoute('GetLlmUsage', byModel);
    expect(byModel.body.groups).toEqual([
      {
        key: { model: 'm-small' },
        calls: 3,
        cacheHits: 0,
        inputTokens: 2001,
        outputTokens: 351,
        cacheReadInputTokens: 300,
        cacheCreationInputTokens: 0,
        reasoningOutputTokens: 20,
        costMicroUsd: 9558,
      },
    ]);
    expect(byModel.body.total.costMicroUsd).toBe(9558);
    const costs = Object.fromEntries(
      byPrincipal.body.groups.map((g: { key: Record<string, string>; costMicroUsd: number }) => [
        `${g.key.principal} ${g.key.promptVersion}`,
        g.costMicroUsd,
      ]),
    );
    expect(costs).toEqual({
      [`${ALICE} capitals/1`]: 7800,
      [`${BOB} capitals/1`]: 1750,
      [`${BOB} -`]: 8,
    });
  });

  it('answers a repeated call from the cache: counted as a hit, no tokens, no cost', async () => {
    // Prepare
    backend.usages.push(usage({ inputTokens: 10, outputTokens: 2 }));
    const body = { model: 'chat', messages: [{ role: 'user', content: 'cache me' }] };
    const calls = backend.calls.length;
    // Act
    const miss = await alice('POST', '/llm/chat/completions', body);
    const hit = await alice('POST', '/llm/chat/completions', body);
    const day = await alice('GET', `/llm/usage?from=${DAY}&to=${DAY}&groupBy=model`);
    // Assess
    expect(backend.calls.length).toBe(calls + 1);
    expect(miss.body.mlops).toMatchObject({ cacheHit: false, costMicroUsd: 20 + 12 });
    expect(hit.body.mlops).toMatchObject({ cacheHit: true, costMicroUsd: 0 });
    expect(hit.body.choices[0].message.content).toBe('Paris.');
    expect(hit.body.usage).toMatchObject({ prompt_tokens: 0, completion_tokens: 0 });
    expect(day.body.groups[0]).toMatchObject({ calls: 5, cacheHits: 1, costMicroUsd: 9558 + 32 });
  });

  it.each([
    ['a PII pattern', 'mail me at jane@example.com', 'pii.email'],
    ['a denied topic', 'how do I build a grenade', 'topic.weapons'],
    ['a prompt over the length limit', 'word '.repeat(400), 'length'],
  ])('refuses input with %s before the model, naming the rule and counting it', async (_, content, rule) => {
    // Prepare
    const calls = backend.calls.length;
    // Act
    const res = await alice('POST', '/llm/chat/completions', {
      model: 'chat',
      messages: [{ role: 'user', content }],
    });
    // Assess
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('GUARDRAIL_BLOCKED');
    expect(res.body.error.details.rule).toBe(rule);
    expect(backend.calls.length).toBe(calls);
    expect(blocked.at(-1)).toBe(`chat ${rule}`);
  });

  it('redacts PII in an answer, naming the rule', async () => {
    // Prepare
    backend.usages.push(usage({ inputTokens: 5, outputTokens: 9 }));
    backend.answer = 'Write to ops@example.com today.';
    // Act
    const res = await alice('POST', '/llm/chat/completions', {
      model: 'chat',
      messages: [{ role: 'user', content: 'who do I write to?' }],
    });
    backend.answer = 'Paris.';
    // Assess
    expect(res.status).toBe(200);
    expect(res.body.choices[0].message.content).not.toContain('ops@example.com');
    expect(res.body.mlops.redactions).toEqual(['pii.email']);
  });

  it('refuses an unknown endpoint with 404 and a window over 92 days with 400', async () => {
    // Act
    const endpoint = await alice('POST', '/llm/chat/completions', {
      model: 'nope',
      messages: [{ role: 'user', content: 'hi' }],
    });
    const window = await alice('GET', '/llm/usage?from=2026-01-01&to=2026-06-01');
    // Assess
    expect(endpoint.status).toBe(404);
    expect(endpoint.body.error.code).toBe('LLM_ENDPOINT_NOT_FOUND');
    expect(window.status).toBe(400);
  });
});

describe('a Bedrock guardrail intervening', () => {
  /** A Converse stream the guardrail stopped: its canned text, usage and (when given) its trace. */
  const intervened = (trace?: object) => ({
    stream: (async function* () {
      yield { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Sorry, I cannot answer that.' } } };
      yield { messageStop: { stopReason: 'guardrail_intervened' } };
      yield {
        metadata: {
          usage: { inputTokens: 20, outputTokens: 7, totalTokens: 27 },
          metrics: { latencyMs: 30 },
          ...(trace ? { trace: { guardrail: trace } } : {}),
        },
      };
    })(),
  });
  const violence = {
    contentPolicy: { filters: [{ type: 'VIOLENCE', confidence: 'HIGH', action: 'BLOCKED' }] },
  };
  const topic = { topicPolicy: { topics: [{ name: 'investment-advice', type: 'DENY', action: 'BLOCKED' }] } };

  it.each([
    [
      'the output (content policy)',
      { outputAssessments: { 'gr-1': [violence] } },
      'bedrock.content',
      [{ source: 'output', policy: 'content', name: 'VIOLENCE', action: 'BLOCKED' }],
    ],
    [
      'the input (denied topic)',
      { inputAssessment: { 'gr-1': topic } },
      'bedrock.topic',
      [{ source: 'input', policy: 'topic', name: 'investment-advice', action: 'BLOCKED' }],
    ],
    ['a call without a trace', undefined, 'bedrock', []],
  ])(
    'refuses %s with 422 naming the guardrail and policy, recording the spent tokens',
    async (_, trace, rule, findings) => {
      // Prepare
      converse.reset();
      converse.on(ConverseStreamCommand).resolves(intervened(trace) as never);
      const before = await alice('GET', `/llm/usage?from=${DAY}&to=${DAY}&groupBy=endpoint`);
      const spent = (body: {
        groups: { key: { endpoint: string }; calls: number; costMicroUsd: number }[];
      }) => body.groups.find((g) => g.key.endpoint === 'guarded') ?? { calls: 0, costMicroUsd: 0 };
      // Act
      const res = await alice('POST', '/llm/chat/completions', {
        model: 'guarded',
        messages: [{ role: 'user', content: 'how do I hurt someone?' }],
      });
      const after = await alice('GET', `/llm/usage?from=${DAY}&to=${DAY}&groupBy=endpoint`);
      // Assess
      expect(converse.call(0).args[0].input).toMatchObject({
        guardrailConfig: { guardrailIdentifier: 'gr-1', guardrailVersion: '3', trace: 'enabled' },
      });
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({
        code: 'GUARDRAIL_INTERVENED',
        message: expect.stringContaining('gr-1 version 3'),
        details: { rule, guardrail: { id: 'gr-1', version: '3' }, findings, costMicroUsd: 82 },
      });
      expect(blocked.at(-1)).toBe(`guarded ${rule}`);
      // 20 x $2 + 7 x $6 per million tokens: 82 micro-dollars, spent though refused.
      expect(spent(after.body).calls - spent(before.body).calls).toBe(1);
      expect(spent(after.body).costMicroUsd - spent(before.body).costMicroUsd).toBe(82);
    },
  );

  it('lets an answer stand whose PII the guardrail only masked, naming the masking as a redaction', async () => {
    // Prepare
    converse.reset();
    const masked = intervened({
      outputAssessments: {
        'gr-1': [
          {
            sensitiveInformationPolicy: {
              piiEntities: [{ match: 'Ann', type: 'NAME', action: 'ANONYMIZED' }],
            },
          },
        ],
      },
    });
    converse.on(ConverseStreamCommand).resolves(masked as never);
    // Act
    const res = await alice('POST', '/llm/chat/completions', {
      model: 'guarded',
      messages: [{ role: 'user', content: 'who wrote it?' }],
    });
    // Assess
    expect(res.status).toBe(200);
    expectReplyMatchesRoute('CreateChatCompletion', res);
    expect(res.body.choices[0].message.content).toBe('Sorry, I cannot answer that.');
    expect(res.body.mlops.redactions).toEqual(['bedrock.sensitiveInformation.NAME']);
  });
});

describe('the local stand-in LLM', () => {
  let llm: LocalLlm;
  let url: string;
  beforeAll(async () => {
    llm = new LocalLlm();
    url = await llm.listen();
  });
  afterAll(() => llm?.close());

  it('answers over the chat-completions protocol, streamed, with usage counted by the BPE tokenizer', async () => {
    // Prepare
    const messages = [{ role: 'user' as const, content: 'What is the capital of France?' }];
    // Act
    const plain = (await (
      await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ model: 'x', messages }),
      })
    ).json()) as { choices: unknown[]; usage: Record<string, number> };
    const answer = await new OpenAiHttpBackend(url).chat({ model: 'x', messages, parameters: {} });
    // Assess
    expect(plain.choices[0]).toEqual({
      index: 0,
      message: { role: 'assistant', content: 'is Paris.' },
      finish_reason: 'stop',
    });
    expect(plain.usage).toEqual({
      prompt_tokens: encodeChat(messages, 'gpt-4o').length,
      completion_tokens: encode('is Paris.').length,
      total_tokens: encodeChat(messages, 'gpt-4o').length + encode('is Paris.').length,
    });
    expect(answer).toMatchObject({
      content: 'is Paris.',
      finishReason: 'stop',
      responseModel: LOCAL_LLM_MODEL,
      usage: { inputTokens: plain.usage.prompt_tokens, outputTokens: plain.usage.completion_tokens },
    });
    expect(answer.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
  });

  it('stops at max_tokens with finish_reason length', async () => {
    // Act
    const answer = await new OpenAiHttpBackend(url).chat({
      model: 'x',
      messages: [{ role: 'user', content: 'Tell me about drift' }],
      parameters: { max_tokens: 5 },
    });
    // Assess
    expect(answer.finishReason).toBe('length');
    expect(answer.usage.outputTokens).toBeLessThanOrEqual(5);
    expect(encode(answer.content).length).toBe(answer.usage.outputTokens);
  });

  it('serves the LLM route in local mode: a production prompt called through the platform, its usage recorded', async () => {
    // Prepare: the backends local mode builds, from MLOPS_LLM_LOCAL_URL
    process.env[ENV.llmLocalUrl] = url;
    const local = { ...defaultDeps(), settings: async () => CONFIG };
    delete process.env[ENV.llmLocalUrl];
    const call = httpCaller(makeHandler(local), { functionName: 'llm' });
    // Act
    const res = await call('POST', '/llm/chat/completions', {
      model: 'chat',
      prompt: { ref: 'capitals@production', variables: { country: 'France', year: 'the end' } },
    });
    // Assess
    expect(res.status).toBe(200);
    expect(res.body.model).toBe(LOCAL_LLM_MODEL);
    const expected = llm.answer([{ role: 'user', content: 'Capital of France in the end?' }]).words;
    expect(res.body.choices[0].message.content).toBe(detokenize(expected));
    const { prompt_tokens: input, completion_tokens: output } = res.body.usage;
    // Both under 1,000 input tokens: $2 and $6 per million.
    expect(res.body.mlops.costMicroUsd).toBe(Math.round((input * 2_000_000 + output * 6_000_000) / 1e6));
  });
});

describe('evaluation runs', () => {
  it('scores each row, sets each mean on the version, and the production gate reads it', async () => {
    // Prepare: version 2, answered "Paris." twice
    await alice('POST', '/llm/prompts/capitals/versions', {
      template: 'Capital of {{country}}? One word.',
      variables: ['country'],
    });
    backend.usages.push(
      usage({ inputTokens: 10, outputTokens: 2 }),
      usage({ inputTokens: 10, outputTokens: 2 }),
    );
    // Act
    const run = await alice('POST', '/llm/evaluations', {
      prompt: 'capitals/2',
      endpoint: 'chat',
      rows: [
        { variables: { country: 'France' }, expected: 'Paris.' },
        { variables: { country: 'Peru' }, expected: 'Lima.' },
      ],
      scorers: [{ type: 'exact_match' }, { type: 'contains' }],
    });
    const gate = await alice('PUT', '/llm/prompts/capitals/aliases/production', { version: 2 });
    // Assess
    expect(run.status).toBe(200);
    expectReplyMatchesRoute('RunEvaluation', run);
    expect(run.body.aggregate).toEqual({ exact_match: 0.5, contains: 0.5 });
    expect(run.body.rows.map((r: { scores: unknown }) => r.scores)).toEqual([
      { exact_match: 1, contains: 1 },
      { exact_match: 0, contains: 0 },
    ]);
    expect(run.body.costMicroUsd).toBe(2 * (20 + 12));
    expect((await deps.registry.getVersion('capitals', 2))?.tags).toMatchObject({
      'mlops:eval.exact_match': '0.5',
      'mlops:eval.contains': '0.5',
    });
    expect(gate.status).toBe(422);
    expect(gate.body.error.details.failed.map((c: { check: string }) => c.check)).toEqual([
      'evaluation.exact_match',
      'evaluation.contains',
    ]);
  });

  it('refuses a row with a missing variable with a 400 before any model call, setting nothing', async () => {
    // Prepare
    const calls = backend.calls.length;
    // Act
    const res = await alice('POST', '/llm/evaluations', {
      prompt: 'capitals/2',
      endpoint: 'chat',
      rows: [{ variables: { country: 'France' } }, { variables: {} }],
      scorers: [{ type: 'exact_match' }],
    });
    // Assess
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'INVALID_VARIABLES', details: { missing: ['country'] } });
    expect(backend.calls.length).toBe(calls);
    expect((await deps.registry.getVersion('capitals', 2))?.tags['mlops:eval.exact_match']).toBe('0.5');
  });
});

describe('evaluation input rules', () => {
  it('refuses a run with a row a guardrail blocks before any model call', async () => {
    // Prepare
    const calls = backend.calls.length;
    // Act
    const res = await alice('POST', '/llm/evaluations', {
      prompt: 'capitals/2',
      endpoint: 'chat',
      rows: [{ variables: { country: 'France' } }, { variables: { country: 'jane@example.com' } }],
      scorers: [{ type: 'contains' }],
    });
    // Assess
    expect(res.status).toBe(422);
    expect(res.body.error.details.rule).toBe('pii.email');
    expect(backend.calls.length).toBe(calls);
  });
});

describe('evaluation datasets in S3', () => {
  it('runs over a JSON Lines dataset and records the sha256 of what it read on the version', async () => {
    // Prepare
    const bytes = Buffer.from(
      `${JSON.stringify({ variables: { country: 'France' }, expected: 'Paris.' })}\n\n${JSON.stringify({ variables: { country: 'Chile' }, expected: 'Paris.' })}\n`,
    );
    const key = 'artifacts/llm-datasets/capitals.jsonl';
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes }));
    backend.usages.push(usage({ inputTokens: 10, outputTokens: 2 }));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    // Act
    const run = await alice('POST', '/llm/evaluations', {
      prompt: 'capitals/2',
      endpoint: 'chat',
      dataset: { key },
      scorers: [{ type: 'exact_match' }],
    });
    // Assess
    expect(run.status).toBe(200);
    expectReplyMatchesRoute('RunEvaluation', run);
    expect(run.body.dataset).toEqual({ key, sha256 });
    expect(run.body.aggregate).toEqual({ exact_match: 1 });
    expect((await deps.registry.getVersion('capitals', 2))?.tags['mlops:eval.dataset']).toBe(
      `${key}@sha256:${sha256}`,
    );
  });

  it('refuses a missing dataset (404) and a bad line (400) before any model call', async () => {
    // Prepare
    const calls = backend.calls.length;
    const bad = 'artifacts/llm-datasets/bad.jsonl';
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: bad, Body: '{"variables":{}}\n{"expected":7}\n' }),
    );
    const run = (key: string) =>
      alice('POST', '/llm/evaluations', {
        prompt: 'capitals/2',
        endpoint: 'chat',
        dataset: { key },
        scorers: [{ type: 'contains' }],
      });
    // Act
    const missing = await run('artifacts/llm-datasets/none.jsonl');
    const invalid = await run(bad);
    const outside = await run('artifacts/other.jsonl');
    // Assess
    expect(missing.body.error.code).toBe('DATASET_NOT_FOUND');
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toMatch(/^artifacts\/llm-datasets\/bad\.jsonl line 2: /);
    expect(outside.status).toBe(400);
    expect(backend.calls.length).toBe(calls);
  });
});

describe('retrieval', () => {
  it('ingests documents into a collection and retrieves the closest chunks with scores and sources', async () => {
    // Prepare
    const created = await alice('POST', '/llm/collections', {
      name: 'geo',
      chunking: { maxWords: 12, overlapWords: 2 },
    });
    // Act
    const france = await alice('POST', '/llm/collections/geo/documents', {
      id: 'docs/france.txt',
      text: 'The capital of France is Paris. Paris stands on the river Seine. France borders Spain and Italy.',
    });
    await alice('POST', '/llm/collections/geo/documents', {
      id: 'docs/peru.txt',
      text: 'The capital of Peru is Lima. Lima lies on the Pacific coast of South America.',
    });
    const found = await alice('POST', '/llm/collections/geo/retrieve', { query: 'capital of Peru', k: 2 });
    // Assess
    expect(created.status).toBe(201);
    expectReplyMatchesRoute('CreateCollection', created);
    expect(created.body).toMatchObject({ embedding: 'hashed-word-1-2-gram-256', createdBy: ALICE });
    expect(france).toEqual({ status: 201, body: { collection: 'geo', id: 'docs/france.txt', chunks: 2 } });
    expectReplyMatchesRoute('Retrieve', found);
    expect(found.body.chunks).toHaveLength(2);
    expect(found.body.chunks[0]).toMatchObject({
      source: 'docs/peru.txt',
      chunk: 0,
      text: 'The capital of Peru is Lima. Lima lies on the Pacific coast',
    });
    expect(found.body.chunks[0].score).toBeGreaterThan(found.body.chunks[1].score);
  });

  it('records each embedding call with the tokens the stand-in counted, priced, and GET /llm/usage sums them by operation', async () => {
    // Prepare: o200k counts 7 tokens in the document's one chunk and 3 in the query; at $2.50/M
    // they cost 17.5 -> 18 and 7.5 -> 8 micro-dollars, each call rounded once, half up.
    const chunk = 'The capital of Chile is Santiago.';
    await bob('POST', '/llm/collections', { name: 'costs' });
    // Act
    await bob('POST', '/llm/collections/costs/documents', { id: 'docs/chile.txt', text: chunk });
    await bob('POST', '/llm/collections/costs/retrieve', { query: 'capital of Chile' });
    const records = (await deps.usage.listDay(DAY)).filter((r) => r.collection === 'costs');
    const byOperation = await bob('GET', `/llm/usage?from=${DAY}&to=${DAY}&groupBy=operation,principal`);
    // Assess
    expect([encode(chunk).length, encode('capital of Chile').length]).toEqual([7, 3]);
    expect(
      records.map((r) => [
        r.operation,
        r.provider,
        r.model,
        r.principal,
        r.usage.inputTokens,
        r.costMicroUsd,
      ]),
    ).toEqual([
      ['embeddings', 'local', EMBEDDING_NAME, BOB, 7, 18],
      ['embeddings', 'local', EMBEDDING_NAME, BOB, 3, 8],
    ]);
    expect(records[0]).toMatchObject({ latencyMs: 10, cacheHit: false, priceEffectiveFrom: '2026-01-01' });
    expectReplyMatchesRoute('GetLlmUsage', byOperation);
    expect(byOperation.body.groups).toContainEqual({
      key: { operation: 'embeddings', principal: BOB },
      calls: 2,
      cacheHits: 0,
      inputTokens: 10,
      outputTokens: 0,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 0,
      reasoningOutputTokens: 0,
      costMicroUsd: 26,
    });
    expect(byOperation.body.groups).toContainEqual(
      expect.objectContaining({ key: { operation: 'chat', principal: BOB } }),
    );
  });

  it('refuses a document twice (409), one with too many chunks (400), an unknown collection (404), writing nothing', async () => {
    // Act
    const again = await alice('POST', '/llm/collections/geo/documents', {
      id: 'docs/peru.txt',
      text: 'other',
    });
    const long = await alice('POST', '/llm/collections/geo/documents', {
      id: 'docs/long.txt',
      text: 'word '.repeat(12 + 10 * 99),
    });
    const unknown = await alice('POST', '/llm/collections/nope/retrieve', { query: 'x' });
    const dup = await alice('POST', '/llm/collections', { name: 'geo' });
    const all = await alice('POST', '/llm/collections/geo/retrieve', { query: 'word other', k: 20 });
    // Assess
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('DOCUMENT_EXISTS');
    expect(long.status).toBe(400);
    expect(long.body.error.message).toBe(
      'document docs/long.txt makes 100 chunks; at most 98 are accepted, split it',
    );
    expect(unknown.body.error.code).toBe('COLLECTION_NOT_FOUND');
    expect(dup.body.error.code).toBe('COLLECTION_EXISTS');
    expect(new Set(all.body.chunks.map((c: { source: string }) => c.source))).toEqual(
      new Set(['docs/france.txt', 'docs/peru.txt']),
    );
    expect(all.body.chunks.find((c: { text: string }) => c.text === 'other')).toBeUndefined();
  });
});

describe('prompts with a retrieval step', () => {
  it('fills the context from the collection and answers with its sources', async () => {
    // Prepare
    const version = await alice('POST', '/llm/prompts', { name: 'geo-qa' }).then(() =>
      alice('POST', '/llm/prompts/geo-qa/versions', {
        template: [
          { role: 'system', content: 'Answer from these sources only:\n{{context}}' },
          { role: 'user', content: '{{question}}' },
        ],
        variables: ['context', 'question'],
        retrieval: { collection: 'geo', query: 'question', context: 'context', k: 1 },
      }),
    );
    backend.usages.push(usage({ inputTokens: 40, outputTokens: 3 }));
    // Act
    const answer = await alice('POST', '/llm/chat/completions', {
      model: 'chat',
      prompt: { ref: 'geo-qa/1', variables: { question: 'What is the capital of Peru?' } },
    });
    const filledByCaller = await alice('POST', '/llm/prompts/render', {
      prompt: 'geo-qa/1',
      variables: { question: 'q', context: 'mine' },
    });
    // Assess
    expect(version.status).toBe(201);
    expect(version.body.retrieval).toEqual({
      collection: 'geo',
      query: 'question',
      context: 'context',
      k: 1,
    });
    expect(answer.status).toBe(200);
    expectReplyMatchesRoute('CreateChatCompletion', answer);
    expect(answer.body.mlops.sources).toEqual([
      expect.objectContaining({ source: 'docs/peru.txt', chunk: 0 }),
    ]);
    expect(backend.calls.at(-1)?.messages[0].content).toBe(
      'Answer from these sources only:\n[1] docs/peru.txt#0: The capital of Peru is Lima. Lima lies on the Pacific coast',
    );
    expect(filledByCaller.status).toBe(400);
    expect(filledByCaller.body.error.details).toEqual({ missing: [], unknown: ['context'] });
    // The retrieval step's embedding is a record of its own: the chat record has the model's tokens only.
    const recorded = await deps.usage.listDay(DAY);
    expect(recorded.find((r) => `chatcmpl-${r.id}` === answer.body.id)?.usage).toEqual(
      usage({ inputTokens: 40, outputTokens: 3 }),
    );
    // 7 tokens at $2.50/M: 17.5 -> 18 micro-dollars.
    expect(recorded.filter((r) => r.prompt?.name === 'geo-qa')).toEqual([
      expect.objectContaining({
        operation: 'embeddings',
        collection: 'geo',
        principal: ALICE,
        prompt: { name: 'geo-qa', version: 1 },
        usage: usage({ inputTokens: encode('What is the capital of Peru?').length, outputTokens: 0 }),
        costMicroUsd: 18,
      }),
      expect.objectContaining({ operation: 'chat', endpoint: 'chat' }),
    ]);
  });

  it('refuses a retrieval step whose variables are not declared', async () => {
    // Act
    const res = await alice('POST', '/llm/prompts/geo-qa/versions', {
      template: '{{question}}',
      variables: ['question'],
      retrieval: { collection: 'geo', query: 'question', context: 'context' },
    });
    // Assess
    expect(res.status).toBe(400);
  });
});

/**
 * An S3 Vectors index in memory, behind a mocked client: S3 Vectors has no local emulator, so the
 * adapter is checked against this fake of PutVectors, QueryVectors (exact cosine distance, an
 * `$eq` filter on `collection`) and DeleteVectors, with the DynamoDB catalog on DynamoDB Local.
 */
function fakeS3Vectors() {
  const client = new S3VectorsClient({ region: 'us-east-1' });
  const mock = mockClient(client);
  const vectors = new Map<string, { data: number[]; metadata: Record<string, unknown> }>();
  mock.on(PutVectorsCommand).callsFake((input) => {
    for (const v of input.vectors) vectors.set(v.key, { data: v.data.float32, metadata: v.metadata });
    return {};
  });
  mock.on(DeleteVectorsCommand).callsFake((input) => {
    for (const key of input.keys) vectors.delete(key);
    return {};
  });
  mock.on(QueryVectorsCommand).callsFake((input) => {
    const q: number[] = input.queryVector.float32;
    const wanted = input.filter?.collection?.$eq;
    const found = [...vectors]
      .filter(([, v]) => v.metadata.collection === wanted)
      .map(([key, v]) => ({
        key,
        distance: 1 - v.data.reduce((sum, x, i) => sum + x * q[i], 0),
        metadata: v.metadata,
      }))
      .sort((a, b) => a.distance - b.distance)
      .slice(0, input.topK);
    return { distanceMetric: 'cosine', vectors: found };
  });
  return { client, mock, vectors };
}

describe('retrieval on AWS: the S3 Vectors index (a fake client) and Titan embeddings (a mocked Bedrock)', () => {
  const store = fakeS3Vectors();
  let generation = 0;
  let aws: HttpCall;
  const location = { vectorBucketName: 'mlops-test-llm-vectors', indexName: 'titan-1024' };
  const keysOf = (source: string) =>
    [...store.vectors].filter(([, v]) => v.metadata.source === source).map(([key]) => key);

  beforeAll(() => {
    const catalog = new DynamoDbDocumentCatalog(documentClient(), LLM_TABLE.id);
    const index = new S3VectorsIndex(store.client, location, catalog, () => `g${++generation}`);
    aws = httpCaller(makeHandler({ ...deps, rag: { ...deps.rag, index } }), { functionName: 'llm' });
  });

  it('puts each chunk with its collection to filter on, and retrieves the nearest of that collection only', async () => {
    // Prepare
    await aws('POST', '/llm/collections', { name: 'aws-geo', chunking: { maxWords: 12, overlapWords: 2 } });
    await aws('POST', '/llm/collections', { name: 'aws-other' });
    // Act
    await aws('POST', '/llm/collections/aws-geo/documents', {
      id: 'docs/peru.txt',
      text: 'The capital of Peru is Lima. Lima lies on the Pacific coast of South America.',
    });
    await aws('POST', '/llm/collections/aws-other/documents', {
      id: 'docs/peru.txt',
      text: 'capital of Peru',
    });
    const found = await aws('POST', '/llm/collections/aws-geo/retrieve', { query: 'capital of Peru', k: 1 });
    // Assess
    expect(store.mock.commandCalls(PutVectorsCommand)[0].args[0].input.vectors?.[0]).toEqual({
      key: vectorKey('aws-geo', 'docs/peru.txt', 'g1', 0),
      data: { float32: Array.from(embed('The capital of Peru is Lima. Lima lies on the Pacific coast')) },
      metadata: {
        collection: 'aws-geo',
        source: 'docs/peru.txt',
        chunk: 0,
        text: 'The capital of Peru is Lima. Lima lies on the Pacific coast',
        generation: 'g1',
        start: 0,
        end: 59,
      },
    });
    expect(store.mock.commandCalls(QueryVectorsCommand).at(-1)?.args[0].input).toMatchObject({
      ...location,
      topK: 2,
      filter: { collection: { $eq: 'aws-geo' } },
      returnMetadata: true,
      returnDistance: true,
    });
    expectReplyMatchesRoute('Retrieve', found);
    expect(found.body.chunks).toEqual([
      {
        source: 'docs/peru.txt',
        chunk: 0,
        text: 'The capital of Peru is Lima. Lima lies on the Pacific coast',
        start: 0,
        end: 59,
        score: expect.closeTo(
          [...embed('capital of Peru')].reduce(
            (sum, x, i) => sum + x * embed('The capital of Peru is Lima. Lima lies on the Pacific coast')[i],
            0,
          ),
          6,
        ),
      },
    ]);
  });

  it('deletes the vectors of a write that lost (409), and never answers with vectors no document names', async () => {
    // Prepare: vectors a lost write left behind (their delete failed), nearer the query than any
    store.vectors.set(vectorKey('aws-geo', 'docs/peru.txt', 'lost', 0), {
      data: Array.from(embed('capital of Peru')),
      metadata: {
        collection: 'aws-geo',
        source: 'docs/peru.txt',
        chunk: 0,
        text: 'stale',
        generation: 'lost',
      },
    });
    // Act
    const again = await aws('POST', '/llm/collections/aws-geo/documents', {
      id: 'docs/peru.txt',
      text: 'other',
    });
    const found = await aws('POST', '/llm/collections/aws-geo/retrieve', { query: 'capital of Peru', k: 2 });
    // Assess
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('DOCUMENT_EXISTS');
    expect(keysOf('docs/peru.txt').filter((k) => k.includes(':g3:'))).toEqual([]);
    expect(found.body.chunks.map((c: { text: string }) => c.text)).toEqual([
      'The capital of Peru is Lima. Lima lies on the Pacific coast',
      'Pacific coast of South America.',
    ]);
  });

  it('replaces a changed S3 object under a new generation and deletes the old one', async () => {
    // Prepare
    const key = 'artifacts/llm-documents/aws-geo/chile.txt';
    const put = (text: string) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: text }));
    await put('The capital of Chile is Santiago.');
    const first = await aws('POST', '/llm/collections/aws-geo/imports', {
      prefix: 'artifacts/llm-documents/aws-geo/',
    });
    await put('Santiago de Chile lies below the Andes.');
    // Act
    const second = await aws('POST', '/llm/collections/aws-geo/imports', {
      prefix: 'artifacts/llm-documents/aws-geo/',
    });
    const found = await aws('POST', '/llm/collections/aws-geo/retrieve', { query: 'Santiago Chile', k: 1 });
    // Assess
    const source = `s3://${BUCKET}/${key}`;
    expect(first.body.documents[0].status).toBe('INGESTED');
    expect(second.body.documents[0].status).toBe('REPLACED');
    expect(keysOf(source)).toEqual([vectorKey('aws-geo', source, `g${generation}`, 0)]);
    expect(found.body.chunks[0]).toMatchObject({ source, text: 'Santiago de Chile lies below the Andes.' });
  });

  it('embeds each text with Titan Text Embeddings V2 at the configured size, unit length, summing the tokens it counted', async () => {
    // Prepare: Titan counts 4 tokens in 'a' and 5 in 'b'.
    const runtime = new BedrockRuntimeClient({ region: 'us-east-1' });
    const titan = mockClient(runtime);
    titan.on(InvokeModelCommand).callsFake((input) => {
      const { inputText } = JSON.parse(input.body);
      const size = inputText === 'short' ? 2 : 3;
      const counted = inputText === 'uncounted' ? {} : { inputTextTokenCount: inputText === 'a' ? 4 : 5 };
      return {
        body: new TextEncoder().encode(JSON.stringify({ embedding: Array(size).fill(0.5), ...counted })),
      } as Partial<InvokeModelCommandOutput>;
    });
    const embeddings = new BedrockTitanEmbeddings(runtime, 'amazon.titan-embed-text-v2:0', 3);
    // Act
    const { vectors, inputTokens } = await embeddings.embed(['a', 'b']);
    const wrong = embeddings.embed(['short']);
    const uncounted = embeddings.embed(['uncounted']);
    // Assess
    expect(embeddings).toMatchObject({
      name: 'bedrock:amazon.titan-embed-text-v2:0:3',
      model: 'amazon.titan-embed-text-v2:0',
      provider: 'aws.bedrock',
    });
    expect(inputTokens).toBe(9);
    await expect(uncounted).rejects.toThrow('amazon.titan-embed-text-v2:0 answered no inputTextTokenCount');
    expect(vectors).toEqual([Float32Array.from([0.5, 0.5, 0.5]), Float32Array.from([0.5, 0.5, 0.5])]);
    expect(titan.commandCalls(InvokeModelCommand)[0].args[0].input).toMatchObject({
      modelId: 'amazon.titan-embed-text-v2:0',
      contentType: 'application/json',
      body: JSON.stringify({ inputText: 'a', dimensions: 3, normalize: true }),
    });
    await expect(wrong).rejects.toThrow('answered an embedding of 2 dimensions, not 3');
  });

  it('refuses a collection made with another embedding with 409, on ingest and retrieval alike', async () => {
    // Prepare: the platform now embeds with Titan
    const titanDeps = {
      ...deps,
      rag: {
        ...deps.rag,
        embeddings: { ...deps.rag.embeddings, name: 'bedrock:amazon.titan-embed-text-v2:0:256' },
      },
    };
    const titanCall = httpCaller(makeHandler(titanDeps), { functionName: 'llm' });
    // Act
    const ingest = await titanCall('POST', '/llm/collections/aws-geo/documents', { id: 'x', text: 'y' });
    const found = await titanCall('POST', '/llm/collections/aws-geo/retrieve', { query: 'y' });
    // Assess
    expect(ingest.status).toBe(409);
    expect(found.body.error).toEqual({
      code: 'EMBEDDING_MISMATCH',
      message:
        'collection aws-geo was embedded with hashed-word-1-2-gram-256, the platform now embeds with bedrock:amazon.titan-embed-text-v2:0:256: create a new collection',
    });
  });
});

describe('the LLM endpoints as they serve', () => {
  it('lists the declared endpoints in order with their settings, and answers 404 for an undeclared one', async () => {
    // Act
    const list = await alice('GET', '/llm/endpoints');
    const missing = await alice('GET', '/llm/endpoints/nowhere');
    // Assess
    expect(list.status).toBe(200);
    expect(list.body.items.map((e: { name: string }) => e.name)).toEqual(CONFIG.endpoints.map((e) => e.name));
    expect(list.body.items[1]).toEqual({
      name: 'guarded',
      backend: 'bedrock',
      configuredModel: 'm-guarded',
      servedModel: 'm-guarded',
      candidates: [],
      guardrail: { id: 'gr-1', version: '3' },
    });
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'LLM_ENDPOINT_NOT_FOUND' } } });
  });
});

describe('an LMI endpoint under a model rollout', () => {
  it("prices a challenger's answer as the candidate when this container's cached records knew no split yet", async () => {
    // Prepare: a call caches "no split" for the chat function's 5 s; then the rollout's first step
    // writes its split and SageMaker sends the next call to the challenger.
    const models = deps.endpointModels as DynamoDbEndpointModels;
    const call = async (content: string) => {
      backend.usages.push(usage({ inputTokens: 1000, outputTokens: 100 }));
      const res = await alice('POST', '/llm/chat/completions', {
        model: 'lmi',
        messages: [{ role: 'user', content }],
      });
      expect(res.status).toBe(200);
      return (await deps.usage.listDay(DAY)).find((r) => `chatcmpl-${r.id}` === res.body.id);
    };
    backend.variant = 'champion';
    const before = await call('lmi question before the split');
    await models.fresh().putCanary(
      'lmi',
      { deploymentId: 'd-lmi', candidate: 'm-next', challengerPercent: 5 },
      {
        current: undefined,
      },
    );
    backend.variant = 'challenger';
    // Act
    const during = await call('lmi question during the split');
    // Assess
    backend.variant = undefined;
    expect(before).toMatchObject({ model: 'm-small' });
    expect(during).toMatchObject({
      model: 'm-next',
      modelRollout: { deploymentId: 'd-lmi', variant: 'challenger' },
    });
    // Counted for the candidate's alarms, on its side.
    expect(modelRolloutCalls.splice(0)).toEqual([
      expect.objectContaining({ endpoint: 'lmi', variant: 'challenger', failed: false }),
    ]);
  });
});

describe('a Bedrock endpoint under a model rollout (its records in the LLM table)', () => {
  it('serves the configured model, then the candidate by the split, then what promotion and rollback recorded, each call priced by its own model', async () => {
    // Prepare
    const models = deps.endpointModels as DynamoDbEndpointModels;
    let n = 0;
    const call = async () => {
      backend.usages.push(usage({ inputTokens: 1000, outputTokens: 100 }));
      const res = await alice('POST', '/llm/chat/completions', {
        model: 'routed',
        // A new question each time: a cached answer would hide which model serves.
        messages: [{ role: 'user', content: `model rollout question ${n++}` }],
      });
      expect(res.status).toBe(200);
      const record = (await deps.usage.listDay(DAY)).find((r) => `chatcmpl-${r.id}` === res.body.id);
      return { sent: backend.calls.at(-1)?.model, record, cost: res.body.mlops.costMicroUsd };
    };
    const view = async () => (await alice('GET', '/llm/endpoints/routed')).body;
    // Act
    const configured = await call();
    const views = [await view()];
    await models.putCanary('routed', { deploymentId: 'd-1', candidate: 'm-next', challengerPercent: 100 });
    const split = await call();
    views.push(await view());
    const promoted = promotedRecord(CONFIG.endpoints[2], undefined, 'm-next', 'd-1', `${DAY}T09:00:00Z`);
    await models.putServed(promoted);
    await models.putCanary('routed', undefined);
    const afterPromotion = await call();
    views.push(await view());
    await models.putServed(rolledBackRecord(promoted, 'd-1', `${DAY}T09:01:00Z`)!);
    const afterRollback = await call();
    views.push(await view());
    // Assess: m-small costs $2 + $0.60 on this day, m-next $1 + $0.30.
    expect(configured).toMatchObject({ sent: 'm-small', cost: 2600, record: { model: 'm-small' } });
    expect(configured.record?.modelRollout).toBeUndefined();
    expect(split).toMatchObject({
      sent: 'm-next',
      cost: 1300,
      record: {
        model: 'm-next',
        costMicroUsd: 1300,
        modelRollout: { deploymentId: 'd-1', variant: 'challenger' },
      },
    });
    expect(afterPromotion).toMatchObject({ sent: 'm-next', cost: 1300, record: { model: 'm-next' } });
    expect(afterPromotion.record?.modelRollout).toBeUndefined();
    expect(afterRollback).toMatchObject({ sent: 'm-small', cost: 2600, record: { model: 'm-small' } });
    // The endpoint's view says what serves at each stage, as the chat route decided it.
    expect(views).toEqual([
      {
        name: 'routed',
        backend: 'bedrock',
        configuredModel: 'm-small',
        servedModel: 'm-small',
        candidates: ['m-next'],
      },
      expect.objectContaining({
        servedModel: 'm-small',
        rollout: { deploymentId: 'd-1', candidate: 'm-next', challengerPercent: 100 },
      }),
      expect.objectContaining({
        servedModel: 'm-next',
        promotion: { deploymentId: 'd-1', previousModel: 'm-small', at: `${DAY}T09:00:00Z` },
      }),
      {
        name: 'routed',
        backend: 'bedrock',
        configuredModel: 'm-small',
        servedModel: 'm-small',
        candidates: ['m-next'],
      },
    ]);
    expect(views[2].rollout).toBeUndefined();
    // Only the call under the split is counted, on its side, for the rollout's metrics.
    expect(modelRolloutCalls).toEqual([
      {
        endpoint: 'routed',
        variant: 'challenger',
        failed: false,
        blocked: false,
        latencyMs: expect.any(Number),
      },
    ]);
  });
});
