/** Wires the LLM ports to their adapters from env, once per container. */
import { randomUUID } from 'node:crypto';
import { ENV } from '../../contracts/env';
import {
  LLM_SETTINGS_PARAMETER,
  LlmConfig,
  type LlmEndpointConfig,
  type UsageRecord,
} from '../../contracts/llm';
import { llmEndpointName } from '../../contracts/serving';
import { registryServiceFromEnv } from '../registry';
import { documentClient, dynamoDbClient, requiredEnv } from '../shared/clients';
import type { IdempotencyOptions } from '../shared/idempotency';
import { lazyPort } from '../shared/lazy-port';
import { logger } from '../shared/logger';
import { publishMetrics } from '../shared/metrics';
import { ssmModelSettingsFromEnv } from '../shared/model-settings-from-env';
import { DynamoDbDocumentCatalog } from './adapters/dynamodb-document-catalog';
import { DynamoDbEndpointModels } from './adapters/dynamodb-endpoint-models';
import { DynamoDbEvaluationRuns } from './adapters/dynamodb-evaluation-runs';
import { DynamoDbLlmStore } from './adapters/dynamodb-llm-store';
import { DynamoDbPromptCanaries } from './adapters/dynamodb-prompt-canaries';
import { DynamoDbVectorIndex } from './adapters/dynamodb-vector-index';
import { InProcessEvaluationLauncher } from './adapters/evaluation-launchers';
import { OpenAiHttpBackend } from './adapters/openai-backend';
import type { ChatDeps } from './domain/completions';
import { bedrockEmbeddingName, type Embeddings, hashedNgramEmbeddings } from './domain/embeddings';
import type { DatasetReader } from './domain/evaluation';
import type { EvaluationLauncher, EvaluationRunStore } from './domain/evaluation-runs';
import { type ModelRollouts, modelRolloutCallMetrics } from './domain/model-rollouts';
import type { LlmBackend, PromptBodies } from './domain/ports';
import { type PromptRolloutStarter, rolloutCallMetrics } from './domain/prompt-rollouts';
import type { DocumentObjects, RagDeps, VectorIndex } from './domain/rag';
import { blockedMetrics, genAiAttributes, usageMetrics } from './domain/usage';
import { makeWorker } from './evaluation-work';

/** What `mlops:llm` configures; read per call, so a deploy's change reaches warm containers. */
type Configured = 'endpoints' | 'prices' | 'guardrails' | 'cacheTtlSeconds';

export interface LlmHandlerDeps extends Omit<ChatDeps, Configured> {
  /** The `LlmConfig` the stack wrote (cached for a minute by the SSM reader). */
  readonly settings: () => Promise<LlmConfig>;
  readonly rag: RagDeps;
  readonly datasets: DatasetReader;
  readonly runs: EvaluationRunStore;
  /** Starts the evaluation worker on a background run. */
  readonly launcher: EvaluationLauncher;
  readonly idempotency?: IdempotencyOptions;
  /** Starts prompt rollouts. @default - the route answers 404 `PROMPT_ROLLOUTS_NOT_CONFIGURED` */
  readonly startRollout?: PromptRolloutStarter;
  /** Starts and reads LLM endpoints' model rollouts. @default - 404 `MODEL_ROLLOUT_NOT_CONFIGURED` */
  readonly modelRollouts?: ModelRollouts;
  /** Names an LMI endpoint's SageMaker endpoint in its view. @default - the view names none */
  readonly envName?: string;
}

/**
 * One backend per endpoint: Bedrock or SageMaker, their code imported by the endpoint's first call
 * (backends-on-demand.ts). In local mode (`MLOPS_LLM_LOCAL_URL` set) a Bedrock endpoint calls the
 * local stand-in; a SageMaker (LMI) endpoint is the local SageMaker's, called as on AWS.
 */
function backends(): (e: LlmEndpointConfig) => LlmBackend {
  const made = new Map<string, LlmBackend>();
  const local = process.env[ENV.llmLocalUrl];
  return (e) => {
    let backend = made.get(e.name);
    if (!backend) {
      if (e.backend === 'bedrock' && local) backend = new OpenAiHttpBackend(local);
      else if (e.backend === 'bedrock') {
        const guardrail = e.guardrail;
        backend = lazyPort<LlmBackend>(
          async () => (await import('./backends-on-demand')).bedrockBackend(guardrail),
          {},
        );
      } else {
        const name = llmEndpointName(requiredEnv(ENV.envName), e.name);
        backend = lazyPort<LlmBackend>(
          async () => (await import('./backends-on-demand')).sageMakerBackend(name),
          {},
        );
      }
      made.set(e.name, backend);
    }
    return backend;
  };
}

/** The stack's `LlmConfig` from Parameter Store; its defaults when the stack wrote none. */
function settingsFromEnv(): () => Promise<LlmConfig> {
  const reader = ssmModelSettingsFromEnv(ENV.llmConfigPath, LlmConfig);
  const none = LlmConfig.parse({});
  return async () => (await reader?.get(LLM_SETTINGS_PARAMETER)) ?? none;
}

/**
 * Invokes the evaluation worker `functionName` asynchronously; the Lambda client is imported by the
 * first start (launcher-on-demand.ts), so a cold start that starts no run loads none.
 */
export const lambdaLauncher = (functionName: string): EvaluationLauncher =>
  lazyPort(async () => (await import('./launcher-on-demand')).lambdaEvaluationLauncher(functionName), {});

/**
 * The ports from env. `launcher` starts the evaluation worker; without one (tests), background
 * runs are scored in this process by the same worker.
 */
export function defaultDeps(launcher?: EvaluationLauncher): LlmHandlerDeps {
  if (launcher) return baseDeps(launcher);
  const inProcess = new InProcessEvaluationLauncher();
  const deps = baseDeps(inProcess);
  inProcess.use(makeWorker(deps));
  return deps;
}

/**
 * Prompt and model rollouts, where the stack has them: a prompt's split the chat route reads (the
 * deployments table), the metrics the rollout's alarms watch, and the starts and reads (the
 * deployment capability's, imported by the first start: the chat path never loads it).
 */
function promptRollouts(): Pick<
  LlmHandlerDeps,
  'promptCanaries' | 'observeRollout' | 'startRollout' | 'modelRollouts'
> {
  const table = process.env[ENV.deploymentsTable];
  if (!table) return {};
  let starter: PromptRolloutStarter | undefined;
  let models: ModelRollouts | undefined;
  const modelRollouts = async () => {
    models ??= (await import('../deployment')).modelRolloutsFromEnv();
    return models;
  };
  return {
    promptCanaries: new DynamoDbPromptCanaries(documentClient(), table),
    observeRollout: (prompt, variant, call) =>
      void publishMetrics(rolloutCallMetrics(prompt, variant, call, Date.now())).catch((err) =>
        logger.warn('LLM metrics not put', { err }),
      ),
    ...(process.env[ENV.deploymentStateMachineArn]
      ? {
          startRollout: async (actor, prompt, req) => {
            starter ??= (await import('../deployment')).promptRolloutStarterFromEnv();
            return starter(actor, prompt, req);
          },
          modelRollouts: {
            start: async (actor, endpoint, req) => (await modelRollouts()).start(actor, endpoint, req),
            get: async (endpoint, id) => (await modelRollouts()).get(endpoint, id),
          },
        }
      : {}),
  };
}

/**
 * Where collections' vectors live and what embeds them: with a vector bucket (AWS), Amazon S3
 * Vectors and Titan on Bedrock, their adapters imported by a collection route's first call
 * (retrieval-on-demand.ts); without one (local mode), the LLM table and hashed word n-grams.
 */
function retrieval(countTokens: (text: string) => Promise<number>): Pick<RagDeps, 'index' | 'embeddings'> {
  const table = requiredEnv(ENV.llmTable);
  const vectorBucketName = process.env[ENV.llmVectorBucket];
  if (!vectorBucketName) {
    return {
      index: new DynamoDbVectorIndex(documentClient(), table),
      embeddings: hashedNgramEmbeddings(countTokens),
    };
  }
  const location = { vectorBucketName, indexName: requiredEnv(ENV.llmVectorIndex) };
  const model = requiredEnv(ENV.llmEmbeddingModel);
  const dimensions = Number(requiredEnv(ENV.llmEmbeddingDimensions));
  const catalog = new DynamoDbDocumentCatalog(documentClient(), table);
  const onDemand = () => import('./retrieval-on-demand');
  return {
    index: lazyPort<VectorIndex>(async () => (await onDemand()).s3VectorsIndex(location, catalog), {}),
    embeddings: lazyPort<Embeddings>(async () => (await onDemand()).titanEmbeddings(model, dimensions), {
      name: bedrockEmbeddingName(model, dimensions),
      dimensions,
      model,
      provider: 'aws.bedrock',
    }),
  };
}

/** The S3 adapters' module, imported by the first S3 read (see s3-on-demand.ts). */
const s3OnDemand = () => import('./s3-on-demand');

function baseDeps(launcher: EvaluationLauncher): LlmHandlerDeps {
  const store = new DynamoDbLlmStore(documentClient(), requiredEnv(ENV.llmTable));
  const bucket = requiredEnv(ENV.artifactsBucket);
  const bodies = lazyPort<PromptBodies>(async () => (await s3OnDemand()).promptBodies(), {});
  // o200k's merge ranks are most of this bundle: a chunk read when a long prompt is counted (and,
  // locally, when the stand-in embedding's input is).
  const countTokens = async (text: string) => (await import('gpt-tokenizer')).encode(text).length;
  const observe = (record: UsageRecord, extra: { blockedBy?: string; redactions?: string[] } = {}) => {
    logger.info('gen_ai.client.operation', { ...genAiAttributes(record), ...extra });
    void publishMetrics(usageMetrics(record, Date.now())).catch((err) =>
      logger.warn('LLM metrics not put', { err }),
    );
  };
  return {
    envName: requiredEnv(ENV.envName),
    runs: new DynamoDbEvaluationRuns(documentClient(), requiredEnv(ENV.llmTable)),
    launcher,
    registry: registryServiceFromEnv(),
    bodies,
    datasets: { read: (key) => bodies.read(bucket, key) },
    settings: settingsFromEnv(),
    rag: {
      ...retrieval(countTokens),
      usage: store,
      observe,
      newId: randomUUID,
      now: () => new Date(),
      objects: lazyPort<DocumentObjects>(async () => (await s3OnDemand()).documentObjects(bucket), {
        bucket,
      }),
    },
    backendFor: backends(),
    // Read only for a Bedrock endpoint that declares candidateModels (see `modelForCall`).
    endpointModels: new DynamoDbEndpointModels(documentClient(), requiredEnv(ENV.llmTable)),
    observeModelRollout: (endpoint, variant, call) =>
      void publishMetrics(modelRolloutCallMetrics(endpoint, variant, call, Date.now())).catch((err) =>
        logger.warn('LLM metrics not put', { err }),
      ),
    cache: store,
    usage: store,
    countTokens,
    observe,
    observeBlocked: (endpoint, rule) =>
      void publishMetrics(blockedMetrics(endpoint, rule, Date.now())).catch((err) =>
        logger.warn('LLM metrics not put', { err }),
      ),
    ...promptRollouts(),
    now: () => new Date(),
    newId: randomUUID,
    idempotency: { tableName: requiredEnv(ENV.idempotencyTable), client: dynamoDbClient() },
  };
}
