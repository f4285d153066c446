/**
 * LLMOps replies as schemas, for the routes' `response` and the API document, each checked at
 * compile time against the type the domain returns.
 */
import * as z from 'zod';
import { lazySchema } from './lazy-schema';
import {
  type ChatCompletion,
  ChatMessage,
  type LlmEndpointView,
  ModelParameters,
  type Prompt,
  PromptTemplate,
  type PromptVersion,
  RetrievalStep,
  type UsageGroup,
} from './llm';
import {
  type EvaluationResult,
  type EvaluationRowResult,
  type EvaluationRun,
  Scorer,
} from './llm-evaluation';
import type { Collection, DocumentImport, IngestedDocument, Retrieval } from './llm-rag';
import { type Page, page } from './pages';
import { type Same, sameShape } from './same-shape';

const StringMap = lazySchema(() => z.record(z.string(), z.string()));
const Int = lazySchema(() => z.number().int());

export const PromptResponse = lazySchema(() =>
  z.object({
    name: z.string(),
    description: z.string(),
    tags: StringMap,
    latestVersion: Int,
    createdAt: z.string(),
    createdBy: z.string(),
  }),
);
sameShape<Same<z.output<typeof PromptResponse>, Prompt>>(true);

export const PromptVersionResponse = lazySchema(() =>
  z.object({
    name: z.string(),
    version: Int,
    template: PromptTemplate,
    variables: z.array(z.string()),
    modelParameters: ModelParameters,
    commitMessage: z.string(),
    retrieval: RetrievalStep.optional(),
    tags: StringMap,
    sha256: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
  }),
);
sameShape<Same<z.output<typeof PromptVersionResponse>, PromptVersion>>(true);

const PromptPointer = lazySchema(() =>
  z.object({ name: z.string(), version: Int, alias: z.string().optional() }),
);

export const PromptAliasResponse = lazySchema(() =>
  z.object({ name: z.string(), alias: z.string(), version: Int }),
);

/** A retrieved chunk: its document, its place there, its text and its similarity to the query. */
const Source = lazySchema(() =>
  z.object({
    source: z.string(),
    chunk: Int,
    text: z.string(),
    start: Int.optional(),
    end: Int.optional(),
    score: z.number(),
  }),
);

export const RenderedPromptResponse = lazySchema(() =>
  z.object({
    prompt: PromptPointer,
    messages: z.array(ChatMessage),
    modelParameters: ModelParameters,
    sources: z.array(Source).optional(),
  }),
);

export const ChatCompletionResponse = lazySchema(() =>
  z.object({
    id: z.string(),
    object: z.literal('chat.completion'),
    created: Int,
    model: z.string(),
    choices: z.array(
      z.object({
        index: Int,
        message: z.object({ role: z.literal('assistant'), content: z.string() }),
        finish_reason: z.enum(['stop', 'length', 'content_filter']),
      }),
    ),
    usage: z.object({
      prompt_tokens: Int,
      completion_tokens: Int,
      total_tokens: Int,
      prompt_tokens_details: z.object({ cached_tokens: Int }),
      completion_tokens_details: z.object({ reasoning_tokens: Int }),
    }),
    mlops: z.object({
      endpoint: z.string(),
      prompt: PromptPointer.optional(),
      costMicroUsd: Int,
      cacheHit: z.boolean(),
      redactions: z.array(z.string()),
      sources: z.array(Source).optional(),
    }),
  }),
);
sameShape<Same<z.output<typeof ChatCompletionResponse>, ChatCompletion>>(true);

export const UsageGroupResponse = lazySchema(() =>
  z.object({
    key: StringMap,
    calls: Int,
    cacheHits: Int,
    inputTokens: Int,
    outputTokens: Int,
    cacheReadInputTokens: Int,
    cacheCreationInputTokens: Int,
    reasoningOutputTokens: Int,
    costMicroUsd: Int,
  }),
);
sameShape<Same<z.output<typeof UsageGroupResponse>, UsageGroup>>(true);

export const UsageResponse = lazySchema(() =>
  z.object({
    from: z.string(),
    to: z.string(),
    groupBy: z.array(z.string()),
    groups: z.array(UsageGroupResponse),
    total: UsageGroupResponse,
  }),
);

const EvaluationRowResponse = lazySchema(() =>
  z.object({
    index: Int,
    answer: z.string(),
    expected: z.string(),
    scores: z.record(z.string(), z.number()),
    failures: z.record(z.string(), z.string()).optional(),
    costMicroUsd: Int,
  }),
);

export const EvaluationResponse = lazySchema(() =>
  z.object({
    prompt: z.object({ name: z.string(), version: Int }),
    endpoint: z.string(),
    dataset: z.object({ key: z.string(), sha256: z.string() }).optional(),
    rows: z.array(EvaluationRowResponse),
    aggregate: z.record(z.string(), z.number()),
    failures: z.record(z.string(), Int).optional(),
    costMicroUsd: Int,
  }),
);
sameShape<Same<z.output<typeof EvaluationResponse>, EvaluationResult>>(true);

export const EvaluationRunResponse = lazySchema(() =>
  z.object({
    runId: z.string(),
    status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED']),
    prompt: z.object({ name: z.string(), version: Int }),
    endpoint: z.string(),
    dataset: z.object({ key: z.string(), sha256: z.string() }),
    scorers: z.array(Scorer),
    totalRows: Int,
    scoredRows: Int,
    aggregate: z.record(z.string(), z.number()).optional(),
    failures: z.record(z.string(), Int).optional(),
    costMicroUsd: Int.optional(),
    error: z.string().optional(),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
  }),
);
sameShape<Same<z.output<typeof EvaluationRunResponse>, EvaluationRun>>(true);

export const EvaluationRowsResponse = lazySchema(() => page(EvaluationRowResponse));
sameShape<Same<z.output<typeof EvaluationRowsResponse>, Page<EvaluationRowResult>>>(true);

const ChunkingResponse = lazySchema(() => z.object({ maxWords: Int, overlapWords: Int }));

export const CollectionResponse = lazySchema(() =>
  z.object({
    name: z.string(),
    description: z.string(),
    chunking: ChunkingResponse,
    embedding: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
  }),
);
sameShape<Same<z.output<typeof CollectionResponse>, Collection>>(true);

export const IngestedDocumentResponse = lazySchema(() =>
  z.object({ collection: z.string(), id: z.string(), chunks: Int }),
);
sameShape<Same<z.output<typeof IngestedDocumentResponse>, IngestedDocument>>(true);

export const RetrievalResponse = lazySchema(() =>
  z.object({
    collection: z.string(),
    chunks: z.array(Source),
  }),
);
sameShape<Same<z.output<typeof RetrievalResponse>, Retrieval>>(true);

export const DocumentImportResponse = lazySchema(() =>
  z.object({
    collection: z.string(),
    prefix: z.string(),
    documents: z.array(
      z.object({
        source: z.string(),
        key: z.string(),
        version: z.string(),
        status: z.enum(['INGESTED', 'REPLACED', 'UNCHANGED', 'REFUSED']),
        chunks: Int.optional(),
        reason: z.string().optional(),
      }),
    ),
    nextStartAfter: z.string().optional(),
  }),
);
sameShape<Same<z.output<typeof DocumentImportResponse>, DocumentImport>>(true);

/** An LLM endpoint as it serves now: its settings, the model it serves, a running rollout's split. */
export const LlmEndpointResponse = lazySchema(() =>
  z.object({
    name: z.string(),
    backend: z.enum(['sagemaker', 'bedrock']),
    /** The model id (price key) of the stack's config. */
    configuredModel: z.string(),
    /** What serves the calls a rollout does not send to a candidate: a promoted candidate, else `configuredModel`. */
    servedModel: z.string(),
    /** The rollout that made `servedModel` the served model, and what it replaced. */
    promotion: z.object({ deploymentId: z.string(), previousModel: z.string(), at: z.string() }).optional(),
    /** The model ids a rollout may move the endpoint to. */
    candidates: z.array(z.string()),
    /** A running model rollout: its candidate and the share of calls it takes, in percent. */
    rollout: z
      .object({ deploymentId: z.string(), candidate: z.string(), challengerPercent: z.number() })
      .optional(),
    /** SageMaker LMI: the endpoint, instance type and count. */
    sageMakerEndpointName: z.string().optional(),
    instanceType: z.string().optional(),
    initialInstanceCount: Int.optional(),
    /** Bedrock: the guardrail applied to every call. */
    guardrail: z.object({ id: z.string(), version: z.string() }).optional(),
    dailyBudgetMicroUsd: Int.optional(),
  }),
);

sameShape<Same<z.output<typeof LlmEndpointResponse>, LlmEndpointView>>(true);

export const LlmEndpointListResponse = lazySchema(() => z.object({ items: z.array(LlmEndpointResponse) }));
