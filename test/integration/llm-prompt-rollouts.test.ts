/**
 * Prompt rollouts and model rollouts of a Bedrock or an LMI endpoint end to end on DynamoDB Local,
 * s3rver and the local CloudWatch: the rollout routes (score floors or candidate checks, then the
 * deployment capability's start), the deployment state machine FROM THE SYNTHESIZED TEMPLATE driving
 * the prompt backend or the endpoint-model backend (an LMI endpoint's over an in-memory SageMaker
 * control plane, as the deployment tests drive model endpoints), the chat route splitting calls by
 * the rollout's weights or pricing them by the variant SageMaker routed them to, and the template's
 * alarms on the challenger's calls rolling it back.
 */
import { randomUUID } from 'node:crypto';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { LmiRolloutTarget, RolloutInput } from '../../contracts/deployment';
import { ENV } from '../../contracts/env';
import { LlmConfig } from '../../contracts/llm';
import {
  modelRolloutAlarmNames,
  modelRolloutSubject,
  promptRolloutAlarmNames,
} from '../../contracts/llm-rollouts';
import { EXECUTION_STATUS_CHANGE } from '../../contracts/pipeline';
import { endpointName } from '../../contracts/serving';
import {
  AUDIT_TABLE,
  auditKeys,
  DEPLOYMENTS_TABLE,
  deploymentKeys,
  IDEMPOTENCY_TABLE,
  LLM_TABLE,
  REGISTRY_TABLE,
} from '../../contracts/tables';
import { CloudWatchAlarmReader } from '../../lambdas/deployment/adapters/cloudwatch-alarms';
import { DynamoDbDeploymentStore } from '../../lambdas/deployment/adapters/dynamodb-deployment-store';
import { startDeployment } from '../../lambdas/deployment/domain/api';
import { modelRollouts } from '../../lambdas/deployment/domain/model-rollout-start';
import { PromptVariantBackend } from '../../lambdas/deployment/domain/prompt-variant-backend';
import type { RolloutState } from '../../lambdas/deployment/domain/state';
import { backendsByTarget, fixedTargets } from '../../lambdas/deployment/domain/targets';
import type { VariantBackend } from '../../lambdas/deployment/domain/variant-backend';
import { makeTaskHandler, type TaskEvent } from '../../lambdas/deployment/tasks';
import { endpointModelBackend } from '../../lambdas/llm';
import { DynamoDbEndpointModels } from '../../lambdas/llm/adapters/dynamodb-endpoint-models';
import { DynamoDbPromptCanaries } from '../../lambdas/llm/adapters/dynamodb-prompt-canaries';
import { defaultDeps, type LlmHandlerDeps } from '../../lambdas/llm/deps';
import { callCost } from '../../lambdas/llm/domain/cost';
import { lmiVariantModelName } from '../../lambdas/llm/domain/lmi-variant-backend';
import { modelRolloutCallMetrics, splitPoint } from '../../lambdas/llm/domain/model-rollouts';
import { type ChatCall, type LlmBackend, VariantCallFailure } from '../../lambdas/llm/domain/ports';
import { rolloutCallMetrics } from '../../lambdas/llm/domain/prompt-rollouts';
import { evaluationTag } from '../../lambdas/llm/domain/prompts';
import { makeHandler } from '../../lambdas/llm/handler';
import { registryServiceFromEnv } from '../../lambdas/registry';
import { PlatformError } from '../../lambdas/shared/errors';
import type { MetricsDocument } from '../../lambdas/shared/metrics';
import { ModelDeployment } from '../../lib/deployment/model-deployment';
import { type LmiEndpointConfig, lmiNames } from '../../lib/llm/lmi-names';
import { ModelRolloutAlarms, modelRolloutTargets } from '../../lib/llm/model-rollouts';
import { PromptRolloutAlarms, promptRolloutTargets } from '../../lib/llm/prompt-rollouts';
import { PlatformStorage } from '../../lib/storage/platform-storage';
import { type CfnTemplate, functionEntries } from '../../local/cdk-template';
import { alarmsFromTemplate, LocalCloudWatch } from '../../local/cloudwatch/server';
import {
  ensureBuckets,
  ensureTables,
  LOCAL_DYNAMODB_CLIENT_CONFIG,
  localS3ClientConfig,
  type StandIns,
  standInEnvironment,
} from '../../local/stand-ins';
import { LocalStateMachine, stateMachineDefinitions } from '../../local/state-machines/executor';
import { PERMISSIVE_GOVERNANCE } from '../helpers/deployment-harness';
import { FakeSageMaker } from '../helpers/fake-sagemaker';
import { ALICE, type HttpCall, httpCaller } from '../helpers/http-call';
import { expectReplyMatchesRoute } from '../helpers/route-replies';
import { TEST_GOVERNANCE } from '../helpers/serving-stack';
import { startTestStandIns } from '../helpers/worker-stand-ins';

const BUCKET = 'test-artifacts';
const PROMPT = 'support';

const PRICE = { aboveInputTokens: 0, input: 1, output: 1 };
/** Model rollouts of `routed`: steps 20 then 100, one alarm read per step, as the prompt's. */
const FAST_ROLLOUT = {
  canarySteps: [20, 100],
  bakeMinutes: 0,
  alarmEvaluationPeriods: 1,
  alarmDatapointsToAlarm: 1,
};

/**
 * One rollout prompt on one endpoint, and a Bedrock endpoint whose model may move to a candidate
 * (`m-later` is priced only from 2099 on); steps 20 then 100, one alarm read per step.
 */
const CONFIG = LlmConfig.parse({
  endpoints: [
    { name: 'chat', backend: 'bedrock', model: 'm-small' },
    {
      name: 'routed',
      backend: 'bedrock',
      model: 'm-small',
      candidateModels: ['m-next', 'm-third', 'm-later'],
      modelRollout: FAST_ROLLOUT,
    },
    { name: 'lmi', backend: 'sagemaker', model: 'm-small', modelArtifactKey: 'artifacts/llm/m.tar.gz' },
    {
      name: 'lmi-routed',
      backend: 'sagemaker',
      model: 'l-base',
      modelArtifactKey: 'llm/base.tar.gz',
      candidateModels: [
        { model: 'l-next', modelArtifactKey: 'llm/next.tar.gz' },
        { model: 'l-bad', modelArtifactKey: 'llm/bad.tar.gz' },
      ],
      modelRollout: FAST_ROLLOUT,
    },
  ],
  prices: [
    { model: 'm-small', effectiveFrom: '2026-01-01', tiers: [PRICE] },
    { model: 'm-next', effectiveFrom: '2026-01-01', tiers: [PRICE] },
    { model: 'm-third', effectiveFrom: '2026-01-01', tiers: [PRICE] },
    { model: 'm-later', effectiveFrom: '2099-01-01', tiers: [PRICE] },
    // An LMI endpoint's models priced apart: a call is priced as the model of the variant that answered.
    { model: 'l-base', effectiveFrom: '2026-01-01', tiers: [PRICE] },
    { model: 'l-next', effectiveFrom: '2026-01-01', tiers: [{ ...PRICE, input: 3, output: 3 }] },
    { model: 'l-bad', effectiveFrom: '2026-01-01', tiers: [{ ...PRICE, input: 5, output: 5 }] },
  ],
  scoreFloors: { exact_match: 0.8 },
  // Every call reaches the model: a cached answer would hide which version serves.
  cacheTtlSeconds: 0,
  promptRollouts: [
    {
      prompt: PROMPT,
      endpoint: 'chat',
      canarySteps: [20, 100],
      bakeMinutes: 0,
      alarmEvaluationPeriods: 1,
      alarmDatapointsToAlarm: 1,
    },
  ],
});

const LMI = 'lmi-routed';
const LMI_SAGEMAKER = endpointName('dev', `llm-${LMI}`);
/** The artifacts bucket, as the stack's targets name its objects. */
const ARTIFACTS = { s3UrlForObject: (key?: string) => `s3://test-artifacts/${key}` };
/** The stack's model and config of the LMI endpoint, as the stack names them. */
const LMI_NAMES = lmiNames('dev', CONFIG.endpoints.find((e) => e.name === LMI) as LmiEndpointConfig);
const LMI_STACK_MODEL = LMI_NAMES.modelName;
const LMI_STACK_CONFIG = LMI_NAMES.endpointConfigName;
/** The SageMaker side of the LMI endpoint's rollout target, as the stack writes it. */
const LMI_TARGET = modelRolloutTargets(CONFIG, 'dev', ARTIFACTS)[modelRolloutSubject(LMI)]
  .lmi as LmiRolloutTarget;
/** The in-memory SageMaker control plane the LMI endpoint's rollouts drive. */
const lmiSageMaker = new FakeSageMaker();

/**
 * Answers with the version's own words; a version listed in `failing` raises, as a broken prompt
 * would, and so does a model id listed there. `models` records the model id each call was sent to.
 */
class VersionEcho implements LlmBackend {
  readonly served: string[] = [];
  readonly models: string[] = [];
  readonly failing = new Set<string>();

  async chat(call: ChatCall) {
    const system = call.messages[0].content;
    this.served.push(system);
    this.models.push(call.model);
    if (this.failing.has(system) || this.failing.has(call.model))
      throw new Error('model rejected the prompt');
    return {
      content: 'ok',
      finishReason: 'stop' as const,
      responseModel: 'm-small',
      usage: {
        inputTokens: 5,
        outputTokens: 1,
        cacheReadInputTokens: 0,
        cacheCreationInputTokens: 0,
        reasoningOutputTokens: 0,
      },
    };
  }
}

/**
 * The LMI endpoint as SageMaker serves it: each call goes to a production variant the endpoint has
 * (the champion at 0% challenger, the challenger at 100%, else the next of `sides`), and answers
 * naming it; a call to a SageMaker model listed in `failingModels` fails after the variant is known.
 * `served` records `<variant>:<SageMaker model>` of each call.
 */
class LmiVariants implements LlmBackend {
  readonly served: string[] = [];
  readonly failingModels = new Set<string>();
  readonly sides: string[] = [];

  async chat(call: ChatCall) {
    const weights = (await lmiSageMaker.describeEndpoint(LMI_SAGEMAKER))!.weights;
    const challenger = weights.challenger ?? 0;
    const variant =
      challenger <= 0 ? 'champion' : challenger >= 100 ? 'challenger' : (this.sides.shift() ?? 'champion');
    const model = lmiSageMaker.variantModels(LMI_SAGEMAKER)[variant];
    this.served.push(`${variant}:${model}`);
    if (this.failingModels.has(model))
      throw new VariantCallFailure(variant, new PlatformError('MODEL_ERROR', 'the model stream failed'));
    const answer = await new VersionEcho().chat(call);
    return { ...answer, responseModel: model, invokedProductionVariant: variant };
  }
}

let standIns: StandIns;
let alice: HttpCall;
let llm: LlmHandlerDeps;
let machine: LocalStateMachine;
let cloudWatch: LocalCloudWatch;
let cw: CloudWatchClient;
let document: DynamoDBDocumentClient;
const backend = new VersionEcho();
const lmiBackend = new LmiVariants();
/** What the chat route's `random` returns next (cycled): which side of the split a call falls on. */
let draws: number[] = [0.5];
let draw = 0;
/** The execution input the rollout route asked Step Functions to start. */
const started: RolloutInput[] = [];
/** The deployment route's start (no score floors checked). */
let classicStart: (prompt: string, version: number) => Promise<unknown>;
/** Runs while a step bakes (before each alarm read): calls through the chat route. */
let duringBake: (state: RolloutState) => Promise<void> = async () => {};
/** The call ids the chat route draws next (then random ones): which side of a model split a call falls on. */
const callIds: string[] = [];
let endpointModels: DynamoDbEndpointModels;
/** The deployment task function, as the state machine and the stopped-execution rule invoke it. */
let tasks: ReturnType<typeof makeTaskHandler>;
let startDeps: Parameters<typeof startDeployment>[0];

beforeAll(async () => {
  standIns = await startTestStandIns();
  Object.assign(
    process.env,
    standInEnvironment(standIns, {
      [ENV.registryTable]: REGISTRY_TABLE.id,
      [ENV.auditTable]: AUDIT_TABLE.id,
      [ENV.idempotencyTable]: IDEMPOTENCY_TABLE.id,
      [ENV.llmTable]: LLM_TABLE.id,
      [ENV.deploymentsTable]: DEPLOYMENTS_TABLE.id,
      [ENV.artifactsBucket]: BUCKET,
      // Model governance as strict as a platform's: a prompt's gate is its score floors, not this.
      [ENV.governancePolicy]: JSON.stringify(TEST_GOVERNANCE),
      [ENV.envName]: 'dev',
    }),
  );
  const dynamoDb = new DynamoDBClient({
    ...LOCAL_DYNAMODB_CLIENT_CONFIG,
    endpoint: standIns.dynamoDbEndpoint,
  });
  await ensureTables(dynamoDb);
  await ensureBuckets(new S3Client(localS3ClientConfig(standIns.s3Endpoint)), [BUCKET]);
  document = DynamoDBDocumentClient.from(dynamoDb, { marshallOptions: { removeUndefinedValues: true } });

  // The stack's side: storage, the deployment construct with the prompt's target, its alarms.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Rollouts', { env: { region: 'us-east-1', account: '123456789012' } });
  const storage = new PlatformStorage(stack, 'Storage', { removalPolicy: RemovalPolicy.DESTROY });
  const modelTargets = modelRolloutTargets(CONFIG, 'dev', ARTIFACTS);
  const targets = { ...promptRolloutTargets(CONFIG, 'dev'), ...modelTargets };
  new ModelDeployment(stack, 'Deployment', {
    storage: {
      ...storage,
      deploymentsTable: storage.tables[DEPLOYMENTS_TABLE.id],
      llmTable: storage.tables[LLM_TABLE.id],
    },
    promptTargets: promptRolloutTargets(CONFIG, 'dev'),
    modelRolloutTargets: modelTargets,
    governance: PERMISSIVE_GOVERNANCE,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  new PromptRolloutAlarms(stack, 'PromptRollouts', { rollouts: CONFIG.promptRollouts, envName: 'dev' });
  new ModelRolloutAlarms(stack, 'ModelRollouts', { llm: CONFIG, envName: 'dev' });
  const template = Template.fromStack(stack).toJSON() as CfnTemplate;
  cloudWatch = new LocalCloudWatch({ alarms: alarmsFromTemplate(template) });
  cw = new CloudWatchClient({
    endpoint: await cloudWatch.listen(),
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

  // The deployment capability: its store, the start as its route does it, its task Lambda.
  const registry = registryServiceFromEnv();
  const store = new DynamoDbDeploymentStore({
    client: document,
    deploymentsTable: DEPLOYMENTS_TABLE.id,
    auditTable: AUDIT_TABLE.id,
  });
  startDeps = {
    targets: fixedTargets(targets),
    store,
    registry,
    executions: {
      start: async (_name: string, input: unknown) => {
        started.push(input as RolloutInput);
        return 'arn:aws:states:us-east-1:123456789012:execution:rollout:x';
      },
      arnOf: (name: string) => `arn:aws:states:us-east-1:123456789012:execution:rollout:${name}`,
      describe: async () => undefined,
    },
    now: () => new Date(),
    newId: randomUUID,
  };
  const unused = () => {
    throw new Error('a prompt rollout drives no endpoint');
  };
  tasks = makeTaskHandler(
    {
      backends: backendsByTarget(fixedTargets(targets), {
        sagemaker: unused,
        ecs: unused,
        prompt: () => new PromptVariantBackend(registry),
        // An LMI endpoint's variants on the in-memory SageMaker (a Bedrock endpoint's never reach it).
        'llm-model': (subject, target) => endpointModelBackend(subject, target, lmiSageMaker),
      }),
      alarms: new CloudWatchAlarmReader(cw),
      store,
      registry,
      packages: { ensurePackage: unused },
      now: () => new Date(),
      newId: randomUUID,
    },
    async () => {},
  );
  const tasksId = [...functionEntries(template)].find(([, e]) => e === 'lambdas/deployment/tasks.ts')![0];
  const machineId = [...stateMachineDefinitions(template).keys()].find((id) => id.startsWith('Deployment'))!;
  machine = new LocalStateMachine(template, machineId, async (id, payload) => {
    if (id !== tasksId) throw new Error(`unexpected function ${id}`);
    const event = payload as TaskEvent;
    if (event.task === 'checkAlarms') await duringBake(event.state);
    return tasks(event);
  });

  // The LLM capability: the chat route reads the split, the rollout's metrics go to CloudWatch.
  // Uncached, so a call sees the split the step just wrote.
  endpointModels = new DynamoDbEndpointModels(document, LLM_TABLE.id, 0);
  llm = {
    ...defaultDeps(),
    settings: async () => CONFIG,
    backendFor: (e) => (e.backend === 'sagemaker' ? lmiBackend : backend),
    promptCanaries: new DynamoDbPromptCanaries(document, DEPLOYMENTS_TABLE.id, 0),
    random: () => draws[draw++ % draws.length],
    observeRollout: (prompt, variant, call) =>
      sendRolloutMetrics(rolloutCallMetrics(prompt, variant, call, Date.now())),
    startRollout: (actor, prompt, req) =>
      startDeployment(startDeps, actor, prompt, req, { promptReleaseChecked: true }),
    endpointModels,
    observeModelRollout: (endpoint, variant, call) =>
      sendRolloutMetrics(modelRolloutCallMetrics(endpoint, variant, call, Date.now())),
    modelRollouts: modelRollouts(startDeps),
    newId: () => callIds.shift() ?? randomUUID(),
  };
  alice = httpCaller(makeHandler(llm), { functionName: 'llm' });
  // The LMI endpoint as the stack leaves it: the champion alone on the configured model.
  lmiSageMaker.seed(LMI_SAGEMAKER, LMI_STACK_MODEL, LMI_STACK_CONFIG);
  classicStart = (prompt, version) => startDeployment(startDeps, { principal: ALICE }, prompt, { version });

  // A prompt with four versions, each saying which it is; v1 in production.
  expect((await alice('POST', '/llm/prompts', { name: PROMPT })).status).toBe(201);
  for (const v of [1, 2, 3, 4]) {
    const res = await alice('POST', `/llm/prompts/${PROMPT}/versions`, {
      template: [
        // v4 asks the model to give out an address: the input rule on e-mail addresses refuses it.
        { role: 'system', content: v === 4 ? 'v4: write to help@example.com' : `v${v}` },
        { role: 'user', content: '{{question}}' },
      ],
      variables: ['question'],
    });
    expect(res.status).toBe(201);
    await llm.registry.tagVersion(PROMPT, v, { [evaluationTag('exact_match')]: '0.9' }, { principal: ALICE });
  }
  expect((await alice('PUT', `/llm/prompts/${PROMPT}/aliases/production`, { version: 1 })).status).toBe(200);
}, 90_000);

afterAll(async () => {
  cw?.destroy();
  await cloudWatch?.close();
  await standIns?.stop();
});

const rolloutMetrics: Promise<unknown>[] = [];

/** The document the function publishes, put as CloudWatch Logs would extract it. */
function sendRolloutMetrics(doc: MetricsDocument): void {
  const Dimensions = Object.entries(doc.dimensions ?? {}).map(([Name, Value]) => ({ Name, Value }));
  rolloutMetrics.push(
    cw.send(
      new PutMetricDataCommand({
        Namespace: doc.namespace,
        MetricData: doc.metrics.map((m) => ({ MetricName: m.name, Dimensions, Value: m.value })),
      }),
    ),
  );
}

/** `n` calls naming production; what each was served (`v1`...), failures included. */
async function callProduction(n: number): Promise<string[]> {
  const before = backend.served.length;
  for (let i = 0; i < n; i++) {
    await alice('POST', '/llm/chat/completions', {
      model: 'chat',
      prompt: { ref: `${PROMPT}@production`, variables: { question: `q${i}` } },
    });
  }
  await Promise.all(rolloutMetrics.splice(0));
  return backend.served.slice(before);
}

async function startAndRun(version: number): Promise<{ deploymentId: string; state: RolloutState }> {
  const res = await alice('POST', `/llm/prompts/${PROMPT}/rollouts`, { version });
  expect(res.status).toBe(202);
  expectReplyMatchesRoute('StartPromptRollout', res);
  const input = started.at(-1)!;
  expect(input).toMatchObject({ deploymentId: res.body.deploymentId, modelName: PROMPT, version });
  const state = (await machine.run(input, { waitMs: 0 })) as RolloutState;
  return { deploymentId: res.body.deploymentId as string, state };
}

const routing = async () =>
  (
    await document.send(
      new GetCommand({ TableName: DEPLOYMENTS_TABLE.id, Key: deploymentKeys.routing(PROMPT) }),
    )
  ).Item;

describe('prompt rollouts', () => {
  it('refuses a version below the score floors with a 422, and a prompt without a rollout with a 404, starting nothing', async () => {
    // Prepare
    await alice('POST', '/llm/prompts', { name: 'other' });
    await llm.registry.tagVersion(PROMPT, 3, { [evaluationTag('exact_match')]: '0.5' }, { principal: ALICE });
    // Act
    const below = await alice('POST', `/llm/prompts/${PROMPT}/rollouts`, { version: 3 });
    const unconfigured = await alice('POST', '/llm/prompts/other/rollouts', { version: 1 });
    // Assess
    expect(below.status).toBe(422);
    expect(below.body.error.code).toBe('GOVERNANCE_CHECKS_FAILED');
    expect(unconfigured.status).toBe(404);
    expect(unconfigured.body.error.code).toBe('PROMPT_ROLLOUT_NOT_CONFIGURED');
    expect(started).toHaveLength(0);
    await expect(classicStart(PROMPT, 2)).rejects.toMatchObject({
      code: 'PROMPT_RELEASE_GATED',
      status: 422,
    });
    await llm.registry.tagVersion(PROMPT, 3, { [evaluationTag('exact_match')]: '0.9' }, { principal: ALICE });
  });

  it('shifts production calls to the new version step by step, records which served each, and promotes it', async () => {
    // Prepare: at 20%, draws 0.1 and 0.15 fall on the challenger, 0.5 and 0.9 on the champion.
    draws = [0.1, 0.5, 0.9, 0.15];
    draw = 0;
    const servedAt: Record<number, string[]> = {};
    duringBake = async (state) => {
      servedAt[state.steps[state.bake!.stepIndex]] = await callProduction(4);
    };
    // Act
    const { deploymentId, state } = await startAndRun(2);
    // Assess
    expect(state.outcome).toEqual({ status: 'PROMOTED' });
    expect(servedAt[20]).toEqual(['v2', 'v1', 'v1', 'v2']);
    expect(servedAt[100]).toEqual(['v2', 'v2', 'v2', 'v2']);
    expect(await llm.registry.aliasVersion(PROMPT, 'production')).toBe(2);
    const day = new Date().toISOString().slice(0, 10);
    const records = (await llm.usage.listDay(day)).filter((r) => r.rollout?.deploymentId === deploymentId);
    expect(records.map((r) => `${r.prompt?.version}:${r.rollout?.variant}`).slice(0, 4)).toEqual([
      '2:challenger',
      '1:champion',
      '1:champion',
      '2:challenger',
    ]);
    expect((await routing())?.weights).toEqual({ champion: 100, challenger: 0 });
    const deployment = await document.send(
      new GetCommand({
        TableName: DEPLOYMENTS_TABLE.id,
        Key: deploymentKeys.deployment(PROMPT, deploymentId),
      }),
    );
    expect(deployment.Item).toMatchObject({ status: 'PROMOTED', version: 2 });
    const audit = await document.send(
      new QueryCommand({
        TableName: AUDIT_TABLE.id,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': auditKeys.partition(PROMPT) },
      }),
    );
    // The rollout's records and the registry's changes it made all carry the request that started it.
    const request = started.at(-1)?.requestId ?? deploymentId;
    const actions = new Set((audit.Items ?? []).filter((a) => a.requestId === request).map((a) => a.action));
    for (const action of [
      'DeploymentStarted',
      'DeploymentTrafficShifted',
      'DeploymentPromoted',
      'ModelAliasSet',
    ])
      expect(actions).toContain(action);
    // Once promoted, production is the version: no split is read any more.
    expect(await callProduction(2)).toEqual(['v2', 'v2']);
  });

  it('rolls back when a guardrail refuses the challenger: the block-rate alarm fires before any model call', async () => {
    // Prepare: alarms read a one-minute series the tests share, so this runs before any call fails.
    draws = [0.1, 0.9];
    draw = 0;
    const replies: number[] = [];
    duringBake = async () => {
      for (let i = 0; i < 4; i++) {
        const res = await alice('POST', '/llm/chat/completions', {
          model: 'chat',
          prompt: { ref: `${PROMPT}@production`, variables: { question: `b${i}` } },
        });
        replies.push(res.status);
      }
      await Promise.all(rolloutMetrics.splice(0));
    };
    const before = backend.served.length;
    // Act
    const { state } = await startAndRun(4);
    // Assess
    const blockRateAlarm = promptRolloutAlarmNames('dev', PROMPT)[2];
    expect(state.outcome).toMatchObject({ status: 'ROLLED_BACK', alarm: blockRateAlarm });
    expect(replies).toEqual([422, 200, 422, 200]);
    expect(backend.served.slice(before)).toEqual(['v2', 'v2']);
    expect(await llm.registry.aliasVersion(PROMPT, 'production')).toBe(2);
  });

  it('rolls back when the challenger fails calls: the error-rate alarm fires, production stays', async () => {
    // Prepare: every other call on the challenger (50% of 20% would be too rare for a short test).
    draws = [0.1, 0.9];
    draw = 0;
    backend.failing.add('v3');
    const seen: string[] = [];
    duringBake = async () => {
      seen.push(...(await callProduction(4)));
    };
    // Act
    const { deploymentId, state } = await startAndRun(3);
    // Assess
    const [errorRateAlarm] = promptRolloutAlarmNames('dev', PROMPT);
    expect(state.outcome).toMatchObject({ status: 'ROLLED_BACK', alarm: errorRateAlarm });
    expect(seen).toEqual(['v3', 'v2', 'v3', 'v2']);
    expect(await llm.registry.aliasVersion(PROMPT, 'production')).toBe(2);
    expect((await routing())?.weights).toEqual({ champion: 100, challenger: 0 });
    const deployment = await document.send(
      new GetCommand({
        TableName: DEPLOYMENTS_TABLE.id,
        Key: deploymentKeys.deployment(PROMPT, deploymentId),
      }),
    );
    expect(deployment.Item).toMatchObject({ status: 'ROLLED_BACK', alarm: errorRateAlarm });
    expect(await callProduction(2)).toEqual(['v2', 'v2']);
  });
});

describe('model rollouts of a Bedrock endpoint', () => {
  const ENDPOINT = 'routed';
  const SUBJECT = modelRolloutSubject(ENDPOINT);
  const start = (body: Record<string, unknown>, endpoint = ENDPOINT) =>
    alice('POST', `/llm/endpoints/${endpoint}/rollouts`, body);

  /** `n` calls of the endpoint; the model id each was sent to. */
  async function callEndpoint(n: number): Promise<string[]> {
    const before = backend.models.length;
    for (let i = 0; i < n; i++) {
      await alice('POST', '/llm/chat/completions', {
        model: ENDPOINT,
        messages: [{ role: 'user', content: `m${i}` }],
      });
    }
    await Promise.all(rolloutMetrics.splice(0));
    return backend.models.slice(before);
  }

  /**
   * Queues call ids that fall challenger, champion, champion, challenger at the step's percent (all
   * challenger at 100).
   */
  function queueSides(state: RolloutState): void {
    const percent = state.steps[state.bake!.stepIndex];
    const side = (challenger: boolean) => {
      for (let k = 0; k < 1000; k++) {
        const id = `call-${state.deploymentId}-${callIds.length}-${k}`;
        if (splitPoint(id, state.deploymentId) < percent === challenger) return id;
      }
      throw new Error(`no call id falls on the ${challenger ? 'challenger' : 'champion'} at ${percent}%`);
    };
    const champion = percent < 100;
    callIds.push(side(true), side(!champion), side(!champion), side(true));
  }

  async function startAndRunModel(candidate: string) {
    const res = await start({ candidate });
    expect(res.status).toBe(202);
    expectReplyMatchesRoute('StartModelRollout', res);
    const input = started.at(-1)!;
    expect(input).toMatchObject({
      deploymentId: res.body.deploymentId,
      modelName: SUBJECT,
      version: 0,
      candidateModel: candidate,
      alarmNames: modelRolloutAlarmNames('dev', ENDPOINT),
    });
    const state = (await machine.run(input, { waitMs: 0 })) as RolloutState;
    return { deploymentId: res.body.deploymentId as string, state };
  }

  it('refuses an unknown endpoint, one that declares no candidates (LMI or Bedrock), and a candidate undeclared or unpriced today, starting nothing', async () => {
    // Prepare
    const before = started.length;
    // Act
    const replies = {
      unknown: await start({ candidate: 'm-next' }, 'nope'),
      sagemaker: await start({ candidate: 'm-next' }, 'lmi'),
      noCandidates: await start({ candidate: 'm-next' }, 'chat'),
      undeclared: await start({ candidate: 'm-other' }),
      unpriced: await start({ candidate: 'm-later' }),
    };
    // Assess
    expect(replies.unknown).toMatchObject({
      status: 404,
      body: { error: { code: 'LLM_ENDPOINT_NOT_FOUND' } },
    });
    for (const res of [replies.sagemaker, replies.noCandidates])
      expect(res).toMatchObject({ status: 400, body: { error: { code: 'INVALID_REQUEST' } } });
    expect(replies.undeclared.body.error).toMatchObject({ details: { candidate: 'm-other' } });
    expect(replies.unpriced.body.error).toMatchObject({ details: { candidate: 'm-later' } });
    expect(replies.unpriced.status).toBe(400);
    expect(started).toHaveLength(before);
    // The deployment route never starts one: its rollout has no registry version.
    await expect(
      startDeployment(startDeps, { principal: ALICE }, SUBJECT, { version: 1 }),
    ).rejects.toMatchObject({ code: 'MODEL_ROLLOUT_ROUTE', status: 422 });
  });

  it("splits the endpoint's calls step by step, refuses a second rollout meanwhile (409), and promotes the candidate to the served model", async () => {
    // Prepare
    const servedAt: Record<number, string[]> = {};
    let second: Awaited<ReturnType<typeof start>> | undefined;
    duringBake = async (state) => {
      queueSides(state);
      servedAt[state.steps[state.bake!.stepIndex]] = await callEndpoint(4);
      second ??= await start({ candidate: 'm-third' });
    };
    // Act
    const { deploymentId, state } = await startAndRunModel('m-next');
    // Assess
    expect(state.outcome).toEqual({ status: 'PROMOTED' });
    expect(servedAt[20]).toEqual(['m-next', 'm-small', 'm-small', 'm-next']);
    expect(servedAt[100]).toEqual(['m-next', 'm-next', 'm-next', 'm-next']);
    expect(second).toMatchObject({ status: 409, body: { error: { code: 'DEPLOYMENT_IN_PROGRESS' } } });
    expect(await endpointModels.served(ENDPOINT)).toMatchObject({
      modelId: 'm-next',
      previousModelId: 'm-small',
      deploymentId,
    });
    expect(await endpointModels.canary(ENDPOINT)).toBeUndefined();
    const day = new Date().toISOString().slice(0, 10);
    const records = (await llm.usage.listDay(day)).filter(
      (r) => r.modelRollout?.deploymentId === deploymentId,
    );
    expect(records.slice(0, 4).map((r) => `${r.model}:${r.modelRollout?.variant}`)).toEqual([
      'm-next:challenger',
      'm-small:champion',
      'm-small:champion',
      'm-next:challenger',
    ]);
    const read = await alice('GET', `/llm/endpoints/${ENDPOINT}/rollouts/${deploymentId}`);
    expect(read.status).toBe(200);
    expectReplyMatchesRoute('GetModelRollout', read);
    expect(read.body).toMatchObject({
      status: 'PROMOTED',
      candidateModel: 'm-next',
      previousModel: 'm-small',
      endpointName: ENDPOINT,
    });
    expect((await alice('GET', `/llm/endpoints/${ENDPOINT}/rollouts/d-none`)).status).toBe(404);
    // Once promoted, the endpoint serves the candidate with no split read; it is no candidate any more.
    expect(await callEndpoint(2)).toEqual(['m-next', 'm-next']);
    const again = await start({ candidate: 'm-next' });
    expect(again).toMatchObject({ status: 400, body: { error: { details: { candidate: 'm-next' } } } });
    expect(again.body.error.message).toBe('LLM endpoint routed serves m-next already');
  });

  it('rolls back at once when the candidate fails calls: the error-rate alarm fires, the split goes, the served model stays', async () => {
    // Prepare
    backend.failing.add('m-third');
    const seen: string[] = [];
    duringBake = async (state) => {
      queueSides(state);
      seen.push(...(await callEndpoint(4)));
    };
    // Act
    const { deploymentId, state } = await startAndRunModel('m-third');
    // Assess
    const [errorRateAlarm] = modelRolloutAlarmNames('dev', ENDPOINT);
    expect(state.outcome).toMatchObject({ status: 'ROLLED_BACK', alarm: errorRateAlarm });
    expect(seen).toEqual(['m-third', 'm-next', 'm-next', 'm-third']);
    expect(await endpointModels.canary(ENDPOINT)).toBeUndefined();
    expect(await endpointModels.served(ENDPOINT)).toMatchObject({ modelId: 'm-next' });
    const read = await alice('GET', `/llm/endpoints/${ENDPOINT}/rollouts/${deploymentId}`);
    expect(read.body).toMatchObject({
      status: 'ROLLED_BACK',
      alarm: errorRateAlarm,
      candidateModel: 'm-third',
    });
    expect(await callEndpoint(2)).toEqual(['m-next', 'm-next']);
  });

  it('re-applies a step retried after a crash, puts the served model back on a rollback after its promotion, and refuses a write that raced', async () => {
    // Prepare: a rollout of m-third whose promotion wrote the served record before its execution died.
    const target = modelRolloutTargets(CONFIG, 'dev', ARTIFACTS)[SUBJECT];
    const backendOf: VariantBackend = endpointModelBackend(SUBJECT, target);
    const state = {
      ...started.at(-1)!,
      deploymentId: 'crashed-1',
      candidateModel: 'm-third',
    } as RolloutState;
    // Act
    await backendOf.setWeights(state, { champion: 80, challenger: 20 });
    await backendOf.setWeights(state, { champion: 80, challenger: 20 });
    const split = await endpointModels.canary(ENDPOINT);
    await backendOf.promote(state);
    await backendOf.promote(state);
    const promoted = await endpointModels.served(ENDPOINT);
    await backendOf.restoreWeights(state);
    await backendOf.restoreVariants(state);
    await backendOf.restoreVariants(state);
    const restored = await endpointModels.served(ENDPOINT);
    // A split the step read (20%), replaced meanwhile: the write that read it is refused.
    const raced = await endpointModels
      .putCanary(
        ENDPOINT,
        { deploymentId: 'crashed-1', candidate: 'm-third', challengerPercent: 50 },
        { current: split },
      )
      .catch((err: unknown) => err);
    // Assess
    expect(split).toEqual({ deploymentId: 'crashed-1', candidate: 'm-third', challengerPercent: 20 });
    expect(promoted).toMatchObject({
      modelId: 'm-third',
      previousModelId: 'm-next',
      deploymentId: 'crashed-1',
    });
    expect(restored).toMatchObject({ modelId: 'm-next', deploymentId: 'crashed-1' });
    expect(await endpointModels.canary(ENDPOINT)).toBeUndefined();
    expect(raced).toMatchObject({ code: 'CONCURRENT_MODIFICATION', status: 409 });
  });

  it('finishes a model rollout whose execution stopped mid-bake: FAILED, the split gone, the lock released', async () => {
    // Prepare: started by the route, its first step's split written, then its execution stopped.
    const res = await start({ candidate: 'm-third' });
    const input = started.at(-1)!;
    await endpointModelBackend(SUBJECT, modelRolloutTargets(CONFIG, 'dev', ARTIFACTS)[SUBJECT]).setWeights(
      input as RolloutState,
      { champion: 80, challenger: 20 },
    );
    // Act
    const answer = await tasks({
      'detail-type': EXECUTION_STATUS_CHANGE,
      source: 'aws.states',
      detail: { name: input.deploymentId, status: 'ABORTED', input: JSON.stringify(input) },
    } as never);
    // Assess
    expect(answer).toEqual({ recorded: true, modelName: SUBJECT, deploymentId: res.body.deploymentId });
    expect(await endpointModels.canary(ENDPOINT)).toBeUndefined();
    const read = await alice('GET', `/llm/endpoints/${ENDPOINT}/rollouts/${res.body.deploymentId}`);
    expect(read.body).toMatchObject({ status: 'FAILED', reason: 'execution ABORTED' });
    expect(await callEndpoint(1)).toEqual(['m-next']);
    expect((await start({ candidate: 'm-third' })).status).toBe(202);
  });
});

describe('model rollouts of an LMI endpoint', () => {
  const SUBJECT = modelRolloutSubject(LMI);
  const start = (candidate: string) => alice('POST', `/llm/endpoints/${LMI}/rollouts`, { candidate });
  const variantModel = (candidate: string) => lmiVariantModelName(LMI_SAGEMAKER, candidate);
  const day = () => new Date().toISOString().slice(0, 10);

  /** `n` calls of the endpoint; `<variant>:<SageMaker model>` of each. */
  async function callLmi(n: number): Promise<string[]> {
    const before = lmiBackend.served.length;
    for (let i = 0; i < n; i++) {
      await alice('POST', '/llm/chat/completions', {
        model: LMI,
        messages: [{ role: 'user', content: `l${i}` }],
      });
    }
    await Promise.all(rolloutMetrics.splice(0));
    return lmiBackend.served.slice(before);
  }

  async function startAndRunLmi(candidate: string) {
    const res = await start(candidate);
    expect(res.status).toBe(202);
    const input = started.at(-1)!;
    expect(input).toMatchObject({
      modelName: SUBJECT,
      version: 0,
      candidateModel: candidate,
      endpointName: LMI,
    });
    const state = (await machine.run(input, { waitMs: 0 })) as RolloutState;
    return { deploymentId: res.body.deploymentId as string, state };
  }

  /** The usage records of a rollout's calls, `<model>:<side>:<cost>`. */
  const rolloutRecords = async (deploymentId: string) =>
    (await llm.usage.listDay(day()))
      .filter((r) => r.modelRollout?.deploymentId === deploymentId)
      .map((r) => `${r.model}:${r.modelRollout?.variant}:${r.costMicroUsd}`);
  const costOf = (model: string) =>
    callCost(CONFIG.prices, model, day(), {
      inputTokens: 5,
      outputTokens: 1,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 0,
      reasoningOutputTokens: 0,
    }).microUsd;

  it("moves the endpoint's champion variant to the candidate through a challenger variant, pricing each call as its variant's model", async () => {
    // Prepare: at 20% the challenger answers the first and last of four calls
    const seen: Record<number, string[]> = {};
    duringBake = async (state) => {
      lmiBackend.sides.splice(0, lmiBackend.sides.length, 'challenger', 'champion', 'champion', 'challenger');
      seen[state.steps[state.bake!.stepIndex]] = await callLmi(4);
    };
    // Act
    const { deploymentId, state } = await startAndRunLmi('l-next');
    // Assess
    expect(state.outcome).toEqual({ status: 'PROMOTED' });
    expect(seen[20]).toEqual([
      `challenger:${variantModel('l-next')}`,
      `champion:${LMI_STACK_MODEL}`,
      `champion:${LMI_STACK_MODEL}`,
      `challenger:${variantModel('l-next')}`,
    ]);
    expect((await rolloutRecords(deploymentId)).slice(0, 4)).toEqual([
      `l-next:challenger:${costOf('l-next')}`,
      `l-base:champion:${costOf('l-base')}`,
      `l-base:champion:${costOf('l-base')}`,
      `l-next:challenger:${costOf('l-next')}`,
    ]);
    // The endpoint ends on one champion variant on the candidate's model; the canary's config is gone,
    // the stack's model and config stay.
    const endpoint = (await lmiSageMaker.describeEndpoint(LMI_SAGEMAKER))!;
    expect(lmiSageMaker.variantModels(LMI_SAGEMAKER)).toEqual({ champion: variantModel('l-next') });
    expect(endpoint.endpointConfigName).toBe(state.promotion?.endpointConfigName);
    expect(lmiSageMaker.models.get(variantModel('l-next'))).toMatchObject({
      dataUrl: LMI_TARGET.candidatePackageUrls['l-next'],
      template: LMI_STACK_MODEL,
    });
    expect(lmiSageMaker.configs.has(state.challenger!.endpointConfigName!)).toBe(false);
    expect(lmiSageMaker.configs.has(LMI_STACK_CONFIG) && lmiSageMaker.models.has(LMI_STACK_MODEL)).toBe(true);
    expect(await endpointModels.served(LMI)).toMatchObject({
      modelId: 'l-next',
      previousModelId: 'l-base',
      deploymentId,
    });
    expect(await endpointModels.canary(LMI)).toBeUndefined();
    const read = await alice('GET', `/llm/endpoints/${LMI}/rollouts/${deploymentId}`);
    expect(read.body).toMatchObject({
      status: 'PROMOTED',
      candidateModel: 'l-next',
      previousModel: 'l-base',
    });
    // Once promoted, calls are the candidate's, priced as it, and no rollout's.
    expect(await callLmi(1)).toEqual([`champion:${variantModel('l-next')}`]);
    const [last] = (await llm.usage.listDay(day())).filter((r) => r.endpoint === LMI).slice(-1);
    expect(last).toMatchObject({ model: 'l-next', costMicroUsd: costOf('l-next') });
    expect(last.modelRollout).toBeUndefined();
    expect((await start('l-next')).body.error.message).toBe(`LLM endpoint ${LMI} serves l-next already`);
  });

  it("rolls back when the candidate's variant fails calls: the endpoint back on its pre-rollout config, the served model untouched", async () => {
    // Prepare
    lmiBackend.failingModels.add(variantModel('l-bad'));
    const before = (await lmiSageMaker.describeEndpoint(LMI_SAGEMAKER))!.endpointConfigName;
    const served = await endpointModels.served(LMI);
    const seen: string[] = [];
    duringBake = async () => {
      lmiBackend.sides.splice(0, lmiBackend.sides.length, 'challenger', 'champion', 'champion', 'challenger');
      seen.push(...(await callLmi(4)));
    };
    // Act
    const { deploymentId, state } = await startAndRunLmi('l-bad');
    // Assess
    const [errorRateAlarm] = modelRolloutAlarmNames('dev', LMI);
    expect(state.outcome).toMatchObject({ status: 'ROLLED_BACK', alarm: errorRateAlarm });
    expect(seen).toEqual([
      `challenger:${variantModel('l-bad')}`,
      `champion:${variantModel('l-next')}`,
      `champion:${variantModel('l-next')}`,
      `challenger:${variantModel('l-bad')}`,
    ]);
    expect((await lmiSageMaker.describeEndpoint(LMI_SAGEMAKER))!.endpointConfigName).toBe(before);
    expect(lmiSageMaker.variantModels(LMI_SAGEMAKER)).toEqual({ champion: variantModel('l-next') });
    expect(lmiSageMaker.models.has(variantModel('l-bad'))).toBe(false);
    expect(lmiSageMaker.configs.has(state.challenger!.endpointConfigName!)).toBe(false);
    expect(await endpointModels.served(LMI)).toEqual(served);
    expect(await endpointModels.canary(LMI)).toBeUndefined();
    // The failed challenger calls were counted (and recorded) as the candidate's.
    expect(await rolloutRecords(deploymentId)).toEqual([
      `l-next:champion:${costOf('l-next')}`,
      `l-next:champion:${costOf('l-next')}`,
    ]);
  });

  it('does nothing twice when steps are retried after a crash, and refuses a candidate the target has no artifact for', async () => {
    // Prepare: the rollout's first attempt made the challenger's model, then its task died.
    lmiBackend.failingModels.clear();
    const target = modelRolloutTargets(CONFIG, 'dev', ARTIFACTS)[SUBJECT];
    const updates: string[] = [];
    const counted = Object.assign(Object.create(lmiSageMaker) as FakeSageMaker, {
      updateEndpoint: async (name: string, config: string) => {
        updates.push(config);
        await lmiSageMaker.updateEndpoint(name, config);
      },
    });
    const backendOf = endpointModelBackend(SUBJECT, target, counted);
    const input = {
      ...started.at(-1)!,
      deploymentId: 'lmi-crashed-1',
      candidateModel: 'l-bad',
    } as RolloutState;
    await lmiSageMaker.createModelLike(
      LMI_STACK_MODEL,
      variantModel('l-bad'),
      LMI_TARGET.candidatePackageUrls['l-bad'],
    );
    const settle = async (state: RolloutState, check: 'challenger' | 'promotion') => {
      for (let polls = 1; (await backendOf.progress(state, check, polls)).progress === 'WAITING'; polls++);
    };
    // Act
    const prepared = await backendOf.prepareChallenger(input, unusedPackage);
    if ('refusal' in prepared) throw new Error(prepared.refusal);
    let state: RolloutState = { ...input, challenger: { created: true, ...prepared.challenger } };
    await settle(state, 'challenger');
    await backendOf.setWeights(state, { champion: 80, challenger: 20 });
    const split = await endpointModels.canary(LMI);
    await backendOf.setWeights(state, { champion: 80, challenger: 20 });
    state = { ...state, promotion: await backendOf.promote(state) };
    await settle(state, 'promotion');
    await backendOf.championTakesAll(state);
    const served = await endpointModels.served(LMI);
    await backendOf.championTakesAll(state);
    await backendOf.retirePrevious(state);
    await backendOf.retirePrevious(state);
    const again = await backendOf.prepareChallenger(input, unusedPackage);
    const unpackaged = await endpointModelBackend(
      SUBJECT,
      { ...target, lmi: { ...LMI_TARGET, candidatePackageUrls: {} } },
      counted,
    ).prepareChallenger({ ...input, deploymentId: 'lmi-bare-1', candidateModel: 'l-next' }, unusedPackage);
    // Assess
    expect(prepared.challenger).toMatchObject({
      modelName: 'l-bad',
      previousChampionModel: 'l-next',
      previousChampionSageMakerModel: variantModel('l-next'),
    });
    expect(updates).toEqual([state.challenger!.endpointConfigName, state.promotion!.endpointConfigName]);
    expect(split).toEqual({ deploymentId: 'lmi-crashed-1', candidate: 'l-bad', challengerPercent: 20 });
    expect(await endpointModels.served(LMI)).toEqual(served);
    expect(served).toMatchObject({
      modelId: 'l-bad',
      previousModelId: 'l-next',
      deploymentId: 'lmi-crashed-1',
    });
    expect(await endpointModels.canary(LMI)).toBeUndefined();
    expect(lmiSageMaker.variantModels(LMI_SAGEMAKER)).toEqual({ champion: variantModel('l-bad') });
    // The previous champion's model (a candidate's) and the configs before the promoted one are gone.
    expect(lmiSageMaker.models.has(variantModel('l-next'))).toBe(false);
    expect([...lmiSageMaker.configs.keys()].filter((c) => c !== LMI_STACK_CONFIG)).toEqual([
      state.promotion!.endpointConfigName,
    ]);
    expect(again).toEqual({ refusal: `LLM endpoint ${LMI} serves l-bad already` });
    expect(unpackaged).toEqual({
      refusal: `model l-next has no artifact in the rollout target of LLM endpoint ${LMI}`,
    });
    expect(updates).toHaveLength(2);
  });
});

const unusedPackage = async (): Promise<string> => {
  throw new Error('an LMI rollout packages nothing: its target names each candidate artifact');
};
