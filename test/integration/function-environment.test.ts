/**
 * Every environment variable a function's code reads is set for that function, in the synthesized
 * template and in the environment local mode gives it; and local mode gives each function its own
 * environment in its own worker. The reads are found statically from each function's entry module
 * through its imports (test/helpers/env-reads.ts); the stack declares an endpoint, a feature view,
 * monitoring and retraining with a data-volume trigger, so every function exists.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ENV } from '../../contracts/env';
import { TABLES } from '../../contracts/tables';
import {
  type CfnTemplate,
  functionEntries,
  functionEnvironmentVariables,
  synthesizePlatformTemplate,
} from '../../local/cdk-template';
import { localContext, withDemoModel } from '../../local/context-args';
import { LOCAL_FEATURE_STREAM } from '../../local/feature-stream';
import {
  LOCAL_BUCKET,
  LOCAL_EVENT_BUS,
  LOCAL_FEATURES_BUCKET,
  LOCAL_OVERRIDES,
  localFunctionEnvironment,
} from '../../local/function-environment';
import { LocalLambdaService } from '../../local/lambda-service';
import { envReadsOf } from '../helpers/env-reads';

const ROOT = join(__dirname, '..', '..');

/** Read by every function's code but set only by local mode: unset on AWS, the SDK default applies. */
const LOCAL_ONLY = new Set(LOCAL_OVERRIDES.filter((o) => o.scope === 'every').map((o) => o.name));

/** Reads that may be unset by design, each with the functions it concerns and why. */
const OPTIONAL: ReadonlyArray<{ entries: RegExp; names: readonly string[]; reason: string }> = [
  {
    entries: /^lambdas\/features\//,
    names: [ENV.featureTrainingWorkerFunction],
    reason: 'unset runs the training set in the calling function (local mode; the worker itself)',
  },
  {
    entries: /^lambdas\/monitoring\//,
    names: [ENV.featureOfflineBucket],
    reason: 'drift reads a second bucket only when the stack passes the feature store one',
  },
  {
    entries: /^lambdas\/monitoring\/(shard|merge)-handler\.ts$/,
    names: [ENV.monitoringStateMachineArn],
    reason: 'only the check and the route start the fan-out; its shards and merge never do',
  },
  {
    entries: /^lambdas\/(serving\/handler|deployment\/(endpoint|ecs-services)-resource-.*)\.ts$/,
    names: [ENV.auditTable],
    reason: 'they read feature views, or take rollout locks, which write no audit record',
  },
  {
    entries: /^lambdas\/(?!registry\/)/,
    names: [ENV.uploadUrlTtlSeconds],
    reason: "the registry service presigns uploads only for the registry's own routes",
  },
  {
    entries: /^lambdas\/llm\/(handler|evaluation-worker)\.ts$/,
    names: [ENV.deploymentsTable, ENV.deploymentStateMachineArn],
    reason: 'set only where the config declares prompt rollouts; without them no alias is split',
  },
  {
    entries: /^lambdas\/llm\/(handler|evaluation-worker)\.ts$/,
    names: [ENV.llmVectorBucket],
    reason: 'local mode removes it: collections keep their vectors in the LLM table there',
  },
  {
    entries: /^lambdas\/pipeline\/handler\.ts$/,
    names: [ENV.deploymentTargetsPath],
    reason: 'the routes never plan a rollout; the tasks (Admit, RegisterChallenger) do',
  },
];

const optional = (entry: string, name: string) =>
  OPTIONAL.some((o) => o.entries.test(entry) && o.names.includes(name));

const ENDPOINTS = {
  dynamoDb: 'http://127.0.0.1:1',
  s3: 'http://127.0.0.1:2',
  eventBridge: 'http://127.0.0.1:3',
  lambda: 'http://127.0.0.1:4',
  sageMaker: 'http://127.0.0.1:5',
  cloudWatch: 'http://127.0.0.1:6',
  ssm: 'http://127.0.0.1:7',
  stepFunctions: 'http://127.0.0.1:8',
  kinesis: 'http://127.0.0.1:10',
  llm: 'http://127.0.0.1:9',
};

function fullContext(): Record<string, unknown> {
  const context = withDemoModel(localContext([]));
  const [demo, ...others] = context['mlops:retraining'] as Array<Record<string, unknown>>;
  return {
    ...context,
    'mlops:featureViews': [
      {
        name: 'demo_tumor',
        entities: [{ name: 'patient_id', valueType: 'int64' }],
        features: [{ name: 'mean_radius', dtype: 'float64' }],
        materializeEveryMinutes: 30,
      },
      // A stream-fed view, so the feature stream's consumer exists too.
      {
        name: 'demo_card_activity',
        entities: [{ name: 'card_id', valueType: 'int64' }],
        features: [{ name: 'amount', dtype: 'float64' }],
        source: { type: 'stream', aggregations: [{ function: 'sum', field: 'amount', windowSeconds: 3600 }] },
      },
    ],
    // A data-volume trigger, so the check function exists too.
    'mlops:retraining': [{ ...demo, newRowsThreshold: 100 }, ...others],
    // An ECS-served model, so the ECS services resource's functions exist too.
    'mlops:endpoints': [
      ...((context['mlops:endpoints'] as unknown[] | undefined) ?? []),
      { modelName: 'ecs-served', backend: 'ecs' },
    ],
  };
}

/** `entry (id) reads NAME in module` for each read the template does not set for its function. */
function missingFromTemplate(t: CfnTemplate): string[] {
  const missing = [...functionEntries(t)].flatMap(([id, entry]) => {
    const variables = functionEnvironmentVariables(t, id);
    return envReadsOf(entry)
      .filter((r) => !LOCAL_ONLY.has(r.name) && !(r.name in variables) && !optional(entry, r.name))
      .map((r) => `${entry} (${id}) reads ${r.name} in ${r.module}`);
  });
  return [...new Set(missing)];
}

/** The same for the environment local mode gives each function. */
function missingLocally(t: CfnTemplate): string[] {
  const missing = [...functionEntries(t)].flatMap(([id, entry]) => {
    const env = localFunctionEnvironment(t, id, ENDPOINTS);
    return envReadsOf(entry)
      .filter((r) => !(r.name in env) && !optional(entry, r.name))
      .map((r) => `${entry} (${id}) reads ${r.name} in ${r.module}`);
  });
  return [...new Set(missing)];
}

/** The template with `name` removed from the environment of the function running `entry`. */
function without(t: CfnTemplate, entry: string, name: string): CfnTemplate {
  const copy = JSON.parse(JSON.stringify(t)) as CfnTemplate;
  const [id] = [...functionEntries(copy)].find(([, e]) => e === entry)!;
  delete functionEnvironmentVariables(copy, id)[name];
  return copy;
}

let template: CfnTemplate;
let functions: Array<[string, string]>;

beforeAll(() => {
  template = synthesizePlatformTemplate(fullContext());
  functions = [...functionEntries(template)];
}, 120_000);

/** lambdas/ modules that export a Lambda `handler`. */
function handlerModules(dir = join(ROOT, 'lambdas')): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...handlerModules(path));
    else if (
      entry.name.endsWith('.ts') &&
      /export (const|async function|function) handler\b/.test(readFileSync(path, 'utf8'))
    ) {
      found.push(relative(ROOT, path));
    }
  }
  return found;
}

describe('function environments', () => {
  it('synthesizes a function for every handler module, so each one is checked', () => {
    // Assess
    expect(new Set(functions.map(([, entry]) => entry))).toEqual(new Set(handlerModules()));
  });

  it('sets, in the template, every variable each function reads (local-only endpoints aside)', () => {
    expect(missingFromTemplate(template)).toEqual([]);
  });

  it('sets, in local mode, every variable each function reads', () => {
    expect(missingLocally(template)).toEqual([]);
  });

  it('fails a function whose template lacks a variable its code reads, in both checks', () => {
    // Prepare
    const bad = without(template, 'lambdas/registry/handler.ts', ENV.uploadUrlTtlSeconds);
    // Act
    const inTemplate = missingFromTemplate(bad);
    const locally = missingLocally(bad);
    // Assess
    const expected = expect.stringMatching(
      /^lambdas\/registry\/handler\.ts \(.+\) reads UPLOAD_URL_TTL_SECONDS in lambdas\/registry\/[\w-]+\.ts$/,
    );
    expect(inTemplate).toEqual([expected]);
    expect(locally).toEqual([expected]);
  });

  it("gives each function only its template's variables and the local overrides", () => {
    // Prepare
    const local = new Set([
      ...LOCAL_OVERRIDES.map((o) => o.name),
      'AWS_LAMBDA_FUNCTION_NAME',
      ...['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG'],
    ]);
    for (const [id] of functions) {
      // Act
      const env = localFunctionEnvironment(template, id, ENDPOINTS);
      const own = functionEnvironmentVariables(template, id);
      // Assess
      expect(Object.keys(env).filter((name) => !(name in own) && !local.has(name))).toEqual([]);
    }
  });

  it('resolves table, bucket, bus, stream and state machine references to the local ones', () => {
    // Prepare
    const tables = new Set(TABLES.map((t) => t.id));
    expect(
      functions.some(([id]) => localFunctionEnvironment(template, id, ENDPOINTS)[ENV.featureStreamName]),
    ).toBe(true);
    for (const [id] of functions) {
      // Act
      const env = localFunctionEnvironment(template, id, ENDPOINTS);
      // Assess
      for (const [name, value] of Object.entries(env)) {
        expect(`${name}=${value}`).not.toMatch(/\[object Object\]|"(Ref|Fn::\w+)"/);
        if (name.endsWith('_TABLE_NAME')) expect(tables).toContain(value);
      }
      if (env[ENV.artifactsBucket]) expect(env[ENV.artifactsBucket]).toBe(LOCAL_BUCKET);
      if (env[ENV.featureOfflineBucket]) expect(env[ENV.featureOfflineBucket]).toBe(LOCAL_FEATURES_BUCKET);
      if (env[ENV.eventBusName]) expect(env[ENV.eventBusName]).toBe(LOCAL_EVENT_BUS);
      if (env[ENV.featureStreamName]) expect(env[ENV.featureStreamName]).toBe(LOCAL_FEATURE_STREAM);
      for (const name of [
        ENV.pipelineStateMachineArn,
        ENV.deploymentStateMachineArn,
        ENV.monitoringStateMachineArn,
      ]) {
        if (env[name]) expect(env[name]).toMatch(/^arn:aws:states:us-east-1:000000000000:stateMachine:/);
      }
      if (env[ENV.featureOfflineEngine]) expect(env[ENV.featureOfflineEngine]).toBe('duckdb');
    }
  });
});

describe('stack outputs', () => {
  it('names the feature stream producers put events on, when a stream view is declared', () => {
    const kinds = Object.values(template.Resources).map((r) => r.Type);
    expect(kinds).toContain('AWS::Kinesis::Stream');
    expect(template.Outputs?.FeatureStreamName?.Value).toBeDefined();
  });
});

describe('local functions in their own workers', () => {
  const dir = mkdtempSync(join(ROOT, 'test', '.tmp-env-'));
  const entry = relative(ROOT, join(dir, 'env.js'));
  writeFileSync(
    join(dir, 'env.js'),
    [
      'exports.handler = async (event, context) => {',
      '  if (event.fail) throw Object.assign(new TypeError(event.fail), { code: "BAD" });',
      '  return { own: process.env.OWN ?? null, other: process.env.OTHER ?? null, name: context.functionName,',
      '    remaining: context.getRemainingTimeInMillis(), region: process.env.AWS_REGION };',
      '};',
    ].join('\n'),
  );
  const fn = (variables: Record<string, unknown>) => ({
    Type: 'AWS::Lambda::Function',
    Properties: { Timeout: 10, Environment: { Variables: variables } },
    Metadata: { 'cdk-mlops:entry': entry },
  });
  const twoFunctions: CfnTemplate = {
    Resources: {
      Table: { Type: 'AWS::DynamoDB::Table', Metadata: { 'aws:cdk:path': 'S/Storage/Registry/Resource' } },
      First: fn({ OWN: { Ref: 'Table' } }),
      Second: fn({ OTHER: 'second' }),
    },
  };
  let lambdas: LocalLambdaService;

  beforeAll(() => {
    lambdas = new LocalLambdaService(twoFunctions, ENDPOINTS);
  });
  afterAll(async () => {
    await lambdas.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts no worker before a function is invoked, then only the invoked one', async () => {
    // Assess
    expect(lambdas.startedFunctions).toEqual([]);
    // Act
    await lambdas.invoke('Second', {});
    // Assess
    expect(lambdas.startedFunctions).toEqual(['Second']);
  });

  it("runs each function with its own template environment and context, not another's", async () => {
    // Act
    const [first, second] = await Promise.all([lambdas.invoke('First', {}), lambdas.invoke('Second', {})]);
    // Assess
    expect(first).toMatchObject({ own: 'Registry', other: null, name: 'First', region: 'us-east-1' });
    expect(second).toMatchObject({ own: null, other: 'second', name: 'Second' });
    expect((first as { remaining: number }).remaining).toBeGreaterThan(9_000);
    expect((first as { remaining: number }).remaining).toBeLessThanOrEqual(10_000);
  });

  it("rejects with the handler's error name, message and fields", async () => {
    // Act
    const failed = lambdas.invoke('First', { fail: 'no such thing' });
    // Assess
    await expect(failed).rejects.toMatchObject({ name: 'TypeError', message: 'no such thing', code: 'BAD' });
    // The container lives on, as after a handled invocation error on Lambda.
    await expect(lambdas.invoke('First', {})).resolves.toMatchObject({ own: 'Registry' });
  });
});
