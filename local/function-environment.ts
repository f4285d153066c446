/**
 * Each function's environment in local mode: the `Environment.Variables` the synthesized template
 * gives it, with CloudFormation's intrinsics resolved to the local resources (tables, buckets, the
 * bus, state machine ARNs), plus the few variables local mode must add or change, all listed in
 * {@link LOCAL_OVERRIDES}. A construct that sets a variable reaches local mode with no change here.
 */
import { ENV } from '../contracts/env';
import { TABLES } from '../contracts/tables';
import { type CfnTemplate, functionEnvironmentVariables } from './cdk-template';
import { LOCAL_FEATURE_STREAM } from './feature-stream';
import { LOCAL_REGION, resolveIntrinsics } from './state-machines/intrinsics';

/** The artifacts bucket (models, captures, training data) of the S3 stand-in. */
export const LOCAL_BUCKET = 'mlops-artifacts';
/** The feature store's offline bucket (Parquet, manifests, training sets). */
export const LOCAL_FEATURES_BUCKET = 'mlops-features';
export const LOCAL_EVENT_BUS = 'mlops-platform';

/** Local bucket names by the bucket's construct id in the stack. */
const LOCAL_BUCKETS: Record<string, string> = {
  ArtifactsBucket: LOCAL_BUCKET,
  OfflineBucket: LOCAL_FEATURES_BUCKET,
};

/** Where the local services listen; each is unset until local mode starts it. */
export interface LocalEndpoints {
  readonly dynamoDb?: string;
  readonly s3?: string;
  readonly eventBridge?: string;
  readonly lambda?: string;
  readonly sageMaker?: string;
  readonly cloudWatch?: string;
  readonly ssm?: string;
  readonly stepFunctions?: string;
  /** kinesalite, when the template has a feature stream (local/feature-stream.ts). */
  readonly kinesis?: string;
  /** The stand-in LLM (OpenAI chat-completions protocol) that serves every LLM endpoint locally. */
  readonly llm?: string;
}

interface LocalOverride {
  readonly name: string;
  /** The value; `undefined` removes the variable. */
  readonly value: (endpoints: LocalEndpoints) => string | undefined;
  /** `every`: set for every function; `replace`: changed only where the template sets it. */
  readonly scope: 'every' | 'replace';
}

/**
 * Everything local mode adds to or changes in a function's template environment, and why. Nothing
 * else differs from AWS.
 */
export const LOCAL_OVERRIDES: readonly LocalOverride[] = [
  // Lambda's runtime sets the Region in every function; the SDK clients need it.
  { name: 'AWS_REGION', value: () => LOCAL_REGION, scope: 'every' },
  // On AWS the function's role signs requests; the stand-ins accept s3rver's fixed key pair.
  { name: 'AWS_ACCESS_KEY_ID', value: () => 'S3RVER', scope: 'every' },
  { name: 'AWS_SECRET_ACCESS_KEY', value: () => 'S3RVER', scope: 'every' },
  // The stand-ins' endpoints (contracts/env.ts); unset on AWS, where the SDK's default applies.
  { name: ENV.dynamoDbEndpoint, value: (e) => e.dynamoDb, scope: 'every' },
  { name: ENV.s3Endpoint, value: (e) => e.s3, scope: 'every' },
  { name: ENV.eventBridgeEndpoint, value: (e) => e.eventBridge, scope: 'every' },
  { name: ENV.lambdaEndpoint, value: (e) => e.lambda, scope: 'every' },
  { name: ENV.sageMakerEndpoint, value: (e) => e.sageMaker, scope: 'every' },
  { name: ENV.sageMakerRuntimeEndpoint, value: (e) => e.sageMaker, scope: 'every' },
  { name: ENV.cloudWatchEndpoint, value: (e) => e.cloudWatch, scope: 'every' },
  { name: ENV.ssmEndpoint, value: (e) => e.ssm, scope: 'every' },
  { name: ENV.stepFunctionsEndpoint, value: (e) => e.stepFunctions, scope: 'every' },
  { name: ENV.kinesisEndpoint, value: (e) => e.kinesis, scope: 'every' },
  // No GPU and no weights: the stand-in LLM answers for every LLM endpoint, SageMaker or Bedrock.
  { name: ENV.llmLocalUrl, value: (e) => e.llm, scope: 'every' },
  // No S3 Vectors nor Bedrock offline: without a vector bucket, collections keep their vectors in
  // the LLM table, embedded by hashed word n-grams (lambdas/llm/deps.ts).
  { name: ENV.llmVectorBucket, value: () => undefined, scope: 'replace' },
  // Quieter than Powertools' INFO default on a developer's terminal, unless asked otherwise.
  { name: 'POWERTOOLS_LOG_LEVEL', value: () => process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN', scope: 'every' },
  // No X-Ray daemon offline: Powertools Tracer stays off and is never loaded (lambdas/shared/tracing.ts).
  { name: 'POWERTOOLS_TRACE_ENABLED', value: () => 'false', scope: 'every' },
  // The platform's own process warns once that Node 20 is old; every function repeating it is noise.
  { name: 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', value: () => 'true', scope: 'every' },
  // No Athena offline: training sets run on embedded DuckDB over the files in the S3 stand-in...
  { name: ENV.featureOfflineEngine, value: () => 'duckdb', scope: 'replace' },
  // ...in the function that creates the job (its in-process launcher), not an async worker invoke.
  { name: ENV.featureTrainingWorkerFunction, value: () => undefined, scope: 'replace' },
];

/** Host variables a function keeps: Lambda has its own PATH, HOME and /tmp; local code needs the host's. */
const HOST_VARIABLES = ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG'];

/**
 * The local physical name of each table, bucket, bus and stream of the template, by logical id:
 * tables are named for their declaration in contracts/tables.ts (as `ensureTables` creates them),
 * buckets, the bus and the feature stream as local mode creates them. Other resources keep what {@link resolveIntrinsics} gives.
 */
export function localResourceNames(template: CfnTemplate): Record<string, string> {
  const tableIds = new Set(TABLES.map((t) => t.id));
  const names: Record<string, string> = {};
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const constructId = constructIdOf(resource.Metadata);
    if (resource.Type === 'AWS::DynamoDB::Table' && constructId && tableIds.has(constructId)) {
      names[logicalId] = constructId;
    } else if (resource.Type === 'AWS::S3::Bucket' && constructId && LOCAL_BUCKETS[constructId]) {
      names[logicalId] = LOCAL_BUCKETS[constructId];
    } else if (resource.Type === 'AWS::Events::EventBus') {
      names[logicalId] = LOCAL_EVENT_BUS;
    } else if (resource.Type === 'AWS::Kinesis::Stream') {
      names[logicalId] = LOCAL_FEATURE_STREAM;
    }
  }
  return names;
}

/** `Stack/Storage/Registry/Resource` -> `Registry`: the id of the construct owning the resource. */
function constructIdOf(metadata: Record<string, unknown> | undefined): string | undefined {
  const path = metadata?.['aws:cdk:path'];
  if (typeof path !== 'string') return undefined;
  const parts = path.split('/');
  return parts.at(-1) === 'Resource' ? parts.at(-2) : parts.at(-1);
}

/**
 * The environment local mode gives the function `logicalId`: the template's variables resolved to
 * local values, with {@link LOCAL_OVERRIDES} applied and the host's PATH-like variables kept.
 */
export function localFunctionEnvironment(
  template: CfnTemplate,
  logicalId: string,
  endpoints: LocalEndpoints = {},
  names: Record<string, string> = localResourceNames(template),
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of HOST_VARIABLES) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  for (const [name, value] of Object.entries(functionEnvironmentVariables(template, logicalId))) {
    env[name] = String(resolveIntrinsics(value, template, names));
  }
  // Lambda's runtime names the function in its environment.
  env.AWS_LAMBDA_FUNCTION_NAME = logicalId;
  for (const override of LOCAL_OVERRIDES) {
    if (override.scope === 'replace' && !(override.name in env)) continue;
    const value = override.value(endpoints);
    if (value === undefined) delete env[override.name];
    else env[override.name] = value;
  }
  return env;
}
