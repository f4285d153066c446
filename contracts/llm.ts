/**
 * Schemas of LLMOps: prompts (stored in the model registry, as MLflow 3 stores them), the
 * OpenAI chat-completions request and reply, usage records and the versioned price table.
 * @see https://mlflow.org/docs/latest/genai/prompt-registry/
 * @see https://platform.openai.com/docs/api-reference/chat
 * @see https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/
 */
import * as z from 'zod';
import { lazySchema } from './lazy-schema';
import { CollectionName, type RetrievedChunk } from './llm-rag';
import { LlmRolloutSettings, PromptRolloutConfig } from './llm-rollouts';
import { AliasName, ModelName } from './model-names';

/** Prompts share the registry's names: a prompt is a registered model of kind `prompt`. */
export const PromptName = ModelName;

export {
  MLFLOW_PROMPT_TEXT_TAG,
  PRODUCTION_ALIAS,
  PROMPT_FILE_NAME,
  PROMPT_KIND,
  PROMPT_TAGS,
} from './llm-names';

/** `{{ name }}`: a variable a template declares. */
export const VARIABLE_PATTERN = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
export const VariableName = lazySchema(() =>
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be an identifier'),
);

export const ChatRole = lazySchema(() => z.enum(['system', 'user', 'assistant']));
export const ChatMessage = lazySchema(() =>
  z.strictObject({ role: ChatRole, content: z.string().max(200_000) }),
);
export type ChatMessage = z.infer<typeof ChatMessage>;

/** A text template (sent as one user message) or a chat template (messages). */
export const PromptTemplate = lazySchema(() =>
  z.union([z.string().min(1).max(100_000), z.array(ChatMessage).min(1).max(100)]),
);
export type PromptTemplate = z.infer<typeof PromptTemplate>;

/** Model parameters a version carries; a call's own parameters override them. */
export const ModelParameters = lazySchema(() =>
  z.strictObject({
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().gt(0).max(1).optional(),
    max_tokens: z.number().int().min(1).max(200_000).optional(),
    stop: z.array(z.string().min(1).max(64)).max(4).optional(),
  }),
);
export type ModelParameters = z.infer<typeof ModelParameters>;

const TagMap = lazySchema(() =>
  z
    .record(z.string().min(1).max(128), z.string().max(256))
    .refine((tags) => Object.keys(tags).length <= 40, 'at most 40 tags')
    .refine((tags) => !Object.keys(tags).some((k) => k.startsWith('mlops:') || k.startsWith('mlflow.')), {
      message: 'tags under mlops: and mlflow. are set by the platform',
    }),
);

export const CreatePromptRequest = lazySchema(() =>
  z.strictObject({
    name: PromptName,
    description: z.string().max(4096).default(''),
    tags: TagMap.default({}),
  }),
);
export type CreatePromptRequest = z.infer<typeof CreatePromptRequest>;

/**
 * A retrieval step: before rendering, the `query` variable's value retrieves the `k` closest
 * chunks of `collection`, which fill the `context` variable (numbered, with their sources); the
 * caller gives `query`, never `context`.
 */
export const RetrievalStep = lazySchema(() =>
  z
    .strictObject({
      collection: CollectionName,
      query: VariableName,
      context: VariableName,
      k: z.number().int().min(1).max(20).default(4),
    })
    .refine((r) => r.query !== r.context, { message: 'query and context must differ', path: ['context'] }),
);
export type RetrievalStep = z.infer<typeof RetrievalStep>;

export const CreatePromptVersionRequest = lazySchema(() =>
  z
    .strictObject({
      template: PromptTemplate,
      /** Every `{{variable}}` of the template, and no other: checked on registration. */
      variables: z.array(VariableName).max(100).default([]),
      modelParameters: ModelParameters.default({}),
      commitMessage: z.string().max(1024).default(''),
      tags: TagMap.default({}),
      retrieval: RetrievalStep.optional(),
    })
    .refine(
      (r) =>
        !r.retrieval ||
        (r.variables.includes(r.retrieval.query) && r.variables.includes(r.retrieval.context)),
      {
        message: "the retrieval step's query and context must be declared variables",
        path: ['retrieval'],
      },
    ),
);
export type CreatePromptVersionRequest = z.infer<typeof CreatePromptVersionRequest>;

/** What a prompt version's artifact holds: immutable, content-addressed by its sha256. */
export interface PromptBody {
  readonly template: PromptTemplate;
  readonly variables: string[];
  readonly modelParameters: ModelParameters;
  readonly commitMessage: string;
  readonly retrieval?: RetrievalStep;
}

export interface PromptVersion extends PromptBody {
  readonly name: string;
  readonly version: number;
  readonly tags: Record<string, string>;
  readonly sha256: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** `name@alias` or `name/version`. */
export const PromptReference = lazySchema(() =>
  z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}(@[a-z][a-z0-9_-]{0,63}|\/[1-9][0-9]{0,9})$/,
      'must be name@alias or name/version',
    ),
);
export type PromptReference = z.infer<typeof PromptReference>;

/** A reference split into its parts. */
export function parsePromptReference(ref: string): { name: string; alias?: string; version?: number } {
  const at = ref.lastIndexOf('@');
  if (at > 0) return { name: ref.slice(0, at), alias: ref.slice(at + 1) };
  const slash = ref.lastIndexOf('/');
  return { name: ref.slice(0, slash), version: Number(ref.slice(slash + 1)) };
}

export const Variables = lazySchema(() =>
  z
    .record(VariableName, z.string().max(100_000))
    .refine((v) => Object.keys(v).length <= 100, 'at most 100 variables'),
);

export const RenderPromptRequest = lazySchema(() =>
  z.strictObject({
    prompt: PromptReference,
    variables: Variables.default({}),
  }),
);

export interface RenderedPrompt {
  readonly prompt: { readonly name: string; readonly version: number; readonly alias?: string };
  readonly messages: ChatMessage[];
  readonly modelParameters: ModelParameters;
  /** The chunks a retrieval step put in the prompt. */
  readonly sources?: RetrievedChunk[];
}

export const SetPromptAliasRequest = lazySchema(() => z.strictObject({ version: z.number().int().min(1) }));
export { AliasName };

const TokenCount = lazySchema(() => z.number().int().min(0).max(100_000_000));

/**
 * Token counts of one call, normalized: `inputTokens` counts every prompt token, the cached ones
 * (read or written) included; `outputTokens` counts every generated token, reasoning included.
 * Backends differ (OpenAI's `prompt_tokens` includes `cached_tokens`; Bedrock's `inputTokens`
 * excludes `cacheReadInputTokens` and `cacheWriteInputTokens`): adapters normalize to this, so a
 * cached token is counted once and priced once.
 */
export const LlmUsage = lazySchema(() =>
  z.strictObject({
    inputTokens: TokenCount,
    outputTokens: TokenCount,
    cacheReadInputTokens: TokenCount.default(0),
    cacheCreationInputTokens: TokenCount.default(0),
    reasoningOutputTokens: TokenCount.default(0),
  }),
);
export type LlmUsage = z.infer<typeof LlmUsage>;

/** Integer micro-dollars per million tokens ($3.00 per 1M tokens is `3000000`). */
const MicroUsdPerMillion = lazySchema(() => z.number().int().min(0).max(1_000_000_000_000));

/** Prices of one tier; a token type without its own price is charged as said. */
export const PriceTier = lazySchema(() =>
  z.strictObject({
    /** The tier applies when the call's input tokens (cached included) exceed this. */
    aboveInputTokens: z.number().int().min(0),
    input: MicroUsdPerMillion,
    output: MicroUsdPerMillion,
    /** @default - the input price */
    cacheRead: MicroUsdPerMillion.optional(),
    /** @default - the input price */
    cacheWrite: MicroUsdPerMillion.optional(),
    /** @default - the output price */
    reasoning: MicroUsdPerMillion.optional(),
  }),
);
export type PriceTier = z.infer<typeof PriceTier>;

/** A model's prices from a date on; a later entry of the same model supersedes it from its date. */
export const ModelPrice = lazySchema(() =>
  z
    .strictObject({
      model: z.string().min(1).max(256),
      effectiveFrom: z.iso.date(),
      tiers: z.array(PriceTier).min(1).max(10),
    })
    .superRefine((p, ctx) => {
      if (p.tiers[0].aboveInputTokens !== 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', 0, 'aboveInputTokens'],
          message: 'the first tier must start at 0',
        });
      }
      p.tiers.forEach((t, i) => {
        if (i > 0 && t.aboveInputTokens <= p.tiers[i - 1].aboveInputTokens) {
          ctx.addIssue({
            code: 'custom',
            path: ['tiers', i, 'aboveInputTokens'],
            message: `must exceed the previous tier's ${p.tiers[i - 1].aboveInputTokens}`,
          });
        }
      });
    }),
);
export type ModelPrice = z.infer<typeof ModelPrice>;

/** The versioned price table (`mlops:llmPrices`): entries are unique by model and date. */
export const PriceTable = lazySchema(() =>
  z.array(ModelPrice).superRefine((entries, ctx) => {
    const seen = new Set<string>();
    entries.forEach((e, i) => {
      const key = `${e.model}@${e.effectiveFrom}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i], message: `${key} is priced twice` });
      seen.add(key);
    });
  }),
);
export type PriceTable = z.infer<typeof PriceTable>;

/** The cost of one call, per token type and in total, in integer micro-dollars. */
export interface CallCost {
  readonly model: string;
  /** The price entry used (`effectiveFrom`) and the tier's threshold. */
  readonly priceEffectiveFrom: string;
  readonly tierAboveInputTokens: number;
  /**
   * Each term in pico-dollars, exact (tokens x micro-dollars per million tokens), as decimal
   * integer text since it may exceed 2^53; the parts sum to the total before its one rounding.
   */
  readonly picoUsd: {
    readonly input: string;
    readonly cacheRead: string;
    readonly cacheWrite: string;
    readonly output: string;
    readonly reasoning: string;
  };
  /** The sum, rounded half up once to micro-dollars. */
  readonly microUsd: number;
}

/**
 * What a call did, as the GenAI conventions' `gen_ai.operation.name` says it: a chat completion,
 * or texts embedded for a collection (ingest, retrieval, a prompt's retrieval step).
 */
export type UsageOperation = 'chat' | 'embeddings';

/** One call's record: who, what, how many tokens, what it cost, how long it took. */
export interface UsageRecord {
  readonly id: string;
  readonly at: string;
  /** @default 'chat' (records written before embedding calls were recorded have none) */
  readonly operation?: UsageOperation;
  /** The LLM endpoint of a chat call; an embedding call has none. */
  readonly endpoint?: string;
  /** The collection an embedding call embedded for. */
  readonly collection?: string;
  readonly provider: string;
  readonly model: string;
  readonly responseModel: string;
  readonly prompt?: { readonly name: string; readonly version: number };
  readonly principal: string;
  readonly usage: LlmUsage;
  readonly costMicroUsd: number;
  readonly priceEffectiveFrom: string;
  readonly latencyMs: number;
  readonly timeToFirstTokenMs?: number;
  /** Answered from the response cache: no tokens were used, so it cost nothing. */
  readonly cacheHit: boolean;
  /** The prompt was under a canary rollout: which side of it served the call. */
  readonly rollout?: { readonly deploymentId: string; readonly variant: 'champion' | 'challenger' };
  /** The endpoint was under a model rollout: which side (served or candidate model) served the call. */
  readonly modelRollout?: { readonly deploymentId: string; readonly variant: 'champion' | 'challenger' };
}

/** Dimensions `GET /llm/usage` groups by; `operation` sets chat calls apart from embedding calls. */
export const UsageGroupBy = lazySchema(() =>
  z.enum(['model', 'promptVersion', 'principal', 'day', 'endpoint', 'operation']),
);
export type UsageGroupBy = z.infer<typeof UsageGroupBy>;

export const UsageQuery = lazySchema(() =>
  z.strictObject({
    from: z.iso.date(),
    /** Inclusive. */
    to: z.iso.date(),
    /** Comma-separated dimensions, e.g. `model,day`. */
    groupBy: z
      .string()
      .default('model')
      .transform((s) => s.split(',').filter(Boolean))
      .pipe(z.array(UsageGroupBy).min(1).max(6)),
  }),
);

export interface UsageGroup {
  readonly key: Record<string, string>;
  readonly calls: number;
  readonly cacheHits: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadInputTokens: number;
  readonly cacheCreationInputTokens: number;
  readonly reasoningOutputTokens: number;
  readonly costMicroUsd: number;
}

/** A prompt as the API returns it: its registered model, the platform's tags set apart. */
export interface Prompt {
  readonly name: string;
  readonly description: string;
  readonly tags: Record<string, string>;
  readonly latestVersion: number;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** Instance types SageMaker offers with NVIDIA GPUs (LMI needs one). */
const GpuInstanceType = lazySchema(() =>
  z
    .string()
    .regex(/^ml\.(g4dn|g5|g6|g6e|p4d|p4de|p5|p5e)\.[0-9]*x?large$/, 'must be a SageMaker GPU instance type'),
);

/** An LLM endpoint's name (`mlops:llm` endpoints). */
export const LlmEndpointName = lazySchema(() =>
  z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be 1-40 lowercase letters, digits or -'),
);

/** Spend per day above which the endpoint's budget alarm fires, in integer micro-dollars. */
const DailyBudget = lazySchema(() => z.number().int().min(1).max(1_000_000_000_000).optional());

/**
 * An LLM endpoint (`mlops:llmEndpoints`): a SageMaker real-time endpoint running the Large Model
 * Inference container with vLLM, or an Amazon Bedrock model. `model` is the price table's key.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/large-model-inference-container-docs.html
 */
export const LlmEndpointConfig = lazySchema(() =>
  z.discriminatedUnion('backend', [
    z.strictObject({
      name: LlmEndpointName,
      backend: z.literal('sagemaker'),
      model: z.string().min(1).max(256),
      instanceType: GpuInstanceType.default('ml.g5.2xlarge'),
      /** GPUs the model is sharded over (`OPTION_TENSOR_PARALLEL_DEGREE`); at most the instance's. */
      tensorParallelDegree: z.number().int().min(1).max(8).default(1),
      initialInstanceCount: z.number().int().min(1).max(10).default(1),
      /** Key of the model artifact (a `.tar.gz` of weights) in the platform's artifacts bucket. */
      modelArtifactKey: z.string().min(1).max(1024),
      /** @default - the LMI image of the Region (`lmiImageUri`) */
      imageUri: z.string().max(512).optional(),
      /**
       * Models a rollout may move the endpoint to, each its price key and its artifact (weights in
       * the artifacts bucket, which the endpoint's role may read): the rollout serves it as a
       * second production variant of the endpoint (a canary on SageMaker's own traffic split),
       * then promotes it to the one variant. @default - none
       */
      candidateModels: z
        .array(
          z.strictObject({
            model: z.string().min(1).max(256),
            modelArtifactKey: z.string().min(1).max(1024),
          }),
        )
        .max(5)
        .refine((l) => new Set(l.map((c) => c.model)).size === l.length, 'candidate models must be unique')
        .optional(),
      /** How a rollout to a candidate runs, as a Bedrock endpoint's. @default - the prompt rollouts' defaults */
      modelRollout: LlmRolloutSettings.optional(),
      dailyBudgetMicroUsd: DailyBudget,
    }),
    z.strictObject({
      name: LlmEndpointName,
      backend: z.literal('bedrock'),
      /**
       * The Bedrock model id (or inference profile id) the endpoint calls, and the price key; a
       * model rollout that promoted a candidate replaces it (the endpoint's served-model record).
       */
      model: z.string().min(1).max(256),
      /**
       * Model ids a rollout may move the endpoint to: each needs a price table entry, and the stack
       * grants ConverseStream on exactly these and `model` (never `bedrock:*`). @default - none
       */
      candidateModels: z
        .array(z.string().min(1).max(256))
        .max(5)
        .refine((l) => new Set(l).size === l.length, 'candidate models must be unique')
        .optional(),
      /**
       * How a rollout to a candidate runs (steps, bake, the challenger's alarm thresholds), as a
       * prompt rollout's. @default - the prompt rollouts' defaults
       */
      modelRollout: LlmRolloutSettings.optional(),
      /** A Bedrock guardrail applied to input and output (`ApplyGuardrail`). */
      guardrail: z
        .strictObject({ id: z.string().min(1).max(64), version: z.string().min(1).max(16) })
        .optional(),
      dailyBudgetMicroUsd: DailyBudget,
    }),
  ]),
);
export type LlmEndpointConfig = z.infer<typeof LlmEndpointConfig>;

/** `GET /llm/endpoints/{name}`: an LLM endpoint as it serves now (see `LlmEndpointResponse`). */
export interface LlmEndpointView {
  readonly name: string;
  readonly backend: 'sagemaker' | 'bedrock';
  readonly configuredModel: string;
  readonly servedModel: string;
  readonly promotion?: { readonly deploymentId: string; readonly previousModel: string; readonly at: string };
  readonly candidates: string[];
  readonly rollout?: {
    readonly deploymentId: string;
    readonly candidate: string;
    readonly challengerPercent: number;
  };
  readonly sageMakerEndpointName?: string;
  readonly instanceType?: string;
  readonly initialInstanceCount?: number;
  readonly guardrail?: { readonly id: string; readonly version: string };
  readonly dailyBudgetMicroUsd?: number;
}

/** The model ids (price keys) a rollout may move `endpoint` to, whichever its backend. */
export const candidateModelIds = (endpoint: LlmEndpointConfig): string[] =>
  endpoint.backend === 'bedrock'
    ? [...(endpoint.candidateModels ?? [])]
    : (endpoint.candidateModels ?? []).map((c) => c.model);

/** Input and output rules checked on every call (locally, and before Bedrock's own on AWS). */
export const GuardrailRules = lazySchema(() =>
  z.strictObject({
    /** PII patterns refused in input and redacted in output. @default - e-mail, card, US SSN, phone */
    pii: z
      .array(z.enum(['email', 'creditCard', 'usSsn', 'phone']))
      .default(['email', 'creditCard', 'usSsn', 'phone']),
    /** Topics refused in input and output: a call mentioning one of the words is blocked. */
    deniedTopics: z
      .array(
        z.strictObject({ name: z.string().min(1).max(64), words: z.array(z.string().min(1).max(64)).min(1) }),
      )
      .default([]),
    /** Longest prompt accepted, in tokens. */
    maxInputTokens: z.number().int().min(1).max(2_000_000).default(32_000),
  }),
);
export type GuardrailRules = z.infer<typeof GuardrailRules>;

/**
 * The embedding model of retrieval on AWS: a Bedrock Titan Text Embeddings V2 model id and the
 * vector size it is asked for. The stack sizes the S3 Vectors index by it; locally the hashed word
 * n-gram embedding (256 dimensions) stands in.
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/titan-embedding-models.html
 */
export const EmbeddingConfig = lazySchema(() =>
  z.strictObject({
    model: z
      .string()
      .regex(/^amazon\.titan-embed-text-v2:[0-9]+$/, 'must be a Titan Text Embeddings V2 model id')
      .default('amazon.titan-embed-text-v2:0'),
    /** Titan V2's output sizes. */
    dimensions: z.union([z.literal(256), z.literal(512), z.literal(1024)]).default(1024),
  }),
);
export type EmbeddingConfig = z.infer<typeof EmbeddingConfig>;

/** LLMOps settings (`mlops:llm`). */
export const LlmConfig = lazySchema(() =>
  z.strictObject({
    endpoints: z.array(LlmEndpointConfig).max(20).default([]),
    prices: PriceTable.default([]),
    guardrails: GuardrailRules.default({
      pii: ['email', 'creditCard', 'usSsn', 'phone'],
      deniedTopics: [],
      maxInputTokens: 32_000,
    }),
    /** Score floors a prompt version needs before `production` points at it, per scorer. */
    scoreFloors: z.record(z.string().min(1).max(64), z.number().min(0).max(1)).default({}),
    /** Seconds an exact-match cached response is served; 0 turns the cache off. */
    cacheTtlSeconds: z.number().int().min(0).max(604_800).default(3600),
    /** Prompts whose new versions reach `production` by a canary rollout (one entry per prompt). */
    promptRollouts: z
      .array(PromptRolloutConfig)
      .max(20)
      .refine((l) => new Set(l.map((r) => r.prompt)).size === l.length, 'prompts must be unique')
      .default([]),
    /** @default - Titan Text Embeddings V2 (`amazon.titan-embed-text-v2:0`), 1024 dimensions */
    embeddings: EmbeddingConfig.optional(),
  }),
);
export type LlmConfig = z.infer<typeof LlmConfig>;

/**
 * CloudWatch metrics of LLM calls, by `Endpoint` and by `Endpoint` and `Prompt` (`name/version`);
 * of embedding calls, by `Collection` (and `Prompt` for a retrieval step's).
 */
export const LLM_METRICS_NAMESPACE = 'cdk-mlops/Llm';
export const LlmMetric = {
  CALLS: 'Calls',
  CACHE_HITS: 'CacheHits',
  INPUT_TOKENS: 'InputTokens',
  OUTPUT_TOKENS: 'OutputTokens',
  COST_MICRO_USD: 'CostMicroUsd',
  LATENCY: 'Latency',
  /** Milliseconds to the first token of a streamed answer (a cache hit has none). */
  TIME_TO_FIRST_TOKEN: 'TimeToFirstToken',
  GUARDRAIL_BLOCKS: 'GuardrailBlocks',
} as const;

/** The SSM path of an environment's LLM settings: `<path>/settings` holds its `LlmConfig` as JSON. */
export const llmConfigPath = (envName: string): string => `/cdk-mlops/${envName}/llm`;
/** The parameter name under {@link llmConfigPath}. */
export const LLM_SETTINGS_PARAMETER = 'settings';

/** An OpenAI chat-completions request; `prompt` (a registry reference) instead of `messages`. */
export const ChatCompletionRequest = lazySchema(() =>
  z
    .strictObject({
      /** The LLM endpoint's name. */
      model: LlmEndpointName,
      messages: z.array(ChatMessage).min(1).max(200).optional(),
      prompt: z.strictObject({ ref: PromptReference, variables: Variables.default({}) }).optional(),
      temperature: z.number().min(0).max(2).optional(),
      top_p: z.number().gt(0).max(1).optional(),
      max_tokens: z.number().int().min(1).max(200_000).optional(),
      stop: z.array(z.string().min(1).max(64)).max(4).optional(),
      /** Streams are served by the endpoint itself (server-sent events); this route answers whole. */
      stream: z.literal(false).optional(),
      user: z.string().max(256).optional(),
    })
    .refine((r) => (r.messages === undefined) !== (r.prompt === undefined), {
      message: 'give exactly one of messages or prompt',
    }),
);
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequest>;

export interface ChatCompletion {
  readonly id: string;
  readonly object: 'chat.completion';
  readonly created: number;
  readonly model: string;
  readonly choices: Array<{
    readonly index: number;
    readonly message: { readonly role: 'assistant'; readonly content: string };
    readonly finish_reason: 'stop' | 'length' | 'content_filter';
  }>;
  readonly usage: {
    readonly prompt_tokens: number;
    readonly completion_tokens: number;
    readonly total_tokens: number;
    readonly prompt_tokens_details: { readonly cached_tokens: number };
    readonly completion_tokens_details: { readonly reasoning_tokens: number };
  };
  /** What the platform adds: the prompt version used, the cost, whether the cache answered. */
  readonly mlops: {
    readonly endpoint: string;
    readonly prompt?: { readonly name: string; readonly version: number; readonly alias?: string };
    readonly costMicroUsd: number;
    readonly cacheHit: boolean;
    readonly redactions: string[];
    /** The chunks the prompt's retrieval step put in the prompt: the answer's sources. */
    readonly sources?: RetrievedChunk[];
  };
}
