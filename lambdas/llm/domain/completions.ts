/**
 * One chat completion: messages from the request or a rendered prompt version, input rules, the
 * exact-match cache, the endpoint's backend, output rules, then the call's usage record priced
 * from the table. Every call that reached a model is recorded, a withheld answer included: its
 * tokens were spent; so is one the provider's guardrail refused (422 `GUARDRAIL_INTERVENED`).
 */
import { createHash } from 'node:crypto';
import type {
  ChatCompletion,
  ChatCompletionRequest,
  ChatMessage,
  GuardrailRules,
  LlmEndpointConfig,
  ModelParameters,
  PriceTable,
  UsageRecord,
} from '../../../contracts/llm';
import type { PromptVariant } from '../../../contracts/llm-rollouts';
import { Variant } from '../../../contracts/serving';
import { NotFoundError, type PlatformError } from '../../shared/errors';
import { callCost } from './cost';
import { checkInput, filterOutput, providerGuardrailOutcome } from './guardrails';
import { type EndpointModels, modelForCall, type ServedModel, servedByVariant } from './model-rollouts';
import { type ChatAnswer, type LlmBackend, type UsageStore, VariantCallFailure } from './ports';
import { type PromptCanaries, type RolloutCall, servedReference } from './prompt-rollouts';
import { type PromptDeps, renderPrompt } from './prompts';
import { NO_USAGE, toOpenAiUsage } from './usage';

/** Cached answers by key, with an expiry. */
export interface ResponseCache {
  lookup(key: string): Promise<ChatAnswer | undefined>;
  store(key: string, answer: ChatAnswer, ttlSeconds: number): Promise<void>;
}

export interface ChatDeps extends PromptDeps {
  readonly endpoints: readonly LlmEndpointConfig[];
  readonly backendFor: (endpoint: LlmEndpointConfig) => LlmBackend;
  readonly prices: PriceTable;
  readonly guardrails: GuardrailRules;
  readonly cacheTtlSeconds: number;
  readonly cache: ResponseCache;
  readonly usage: UsageStore;
  /** The prompt's token count, in the tokenizer of the guardrail's limit (loaded on first use). */
  readonly countTokens: (text: string) => Promise<number>;
  /** Logs, traces and metrics of a recorded call (GenAI attribute names). */
  readonly observe: (record: UsageRecord, extra: { blockedBy?: string; redactions: string[] }) => void;
  /** Counts a call a guardrail refused: a platform rule before the model, or the provider's own. */
  readonly observeBlocked: (endpoint: string, rule: string) => void;
  readonly now: () => Date;
  readonly newId: () => string;
  /** Running prompt rollouts. @default - every call is served the reference it names */
  readonly promptCanaries?: PromptCanaries;
  /**
   * What an endpoint with `candidateModels` serves: its served-model record and a running model
   * rollout's split. @default - every endpoint serves its configured model
   */
  readonly endpointModels?: EndpointModels;
  /** Uniform in [0, 1): which side of a rollout serves a call. @default Math.random */
  readonly random?: () => number;
  /** Counts a call of a prompt under rollout, for the rollout's alarms. @default - not counted */
  readonly observeRollout?: (prompt: string, variant: PromptVariant, call: RolloutCall) => void;
  /** Counts a call of an endpoint under a model rollout, by side. @default - not counted */
  readonly observeModelRollout?: (endpoint: string, variant: PromptVariant, call: RolloutCall) => void;
}

/** The cache key: endpoint, prompt version, the rendered messages (so the variables) and parameters. */
export function cacheKey(
  endpoint: string,
  prompt: { name: string; version: number } | undefined,
  messages: readonly ChatMessage[],
  parameters: ModelParameters,
  /** A model id other than the endpoint's configured one (a model rollout's). @default - the configured */
  modelId?: string,
): string {
  const canonical = JSON.stringify([
    endpoint,
    prompt ? `${prompt.name}/${prompt.version}` : null,
    messages.map((m) => [m.role, m.content]),
    Object.entries(parameters).sort(([a], [b]) => (a < b ? -1 : 1)),
    ...(modelId === undefined ? [] : [modelId]),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export async function chatCompletion(
  deps: ChatDeps,
  principal: string,
  req: ChatCompletionRequest,
): Promise<ChatCompletion> {
  const endpoint = deps.endpoints.find((e) => e.name === req.model);
  if (!endpoint) throw new NotFoundError('LLM_ENDPOINT_NOT_FOUND', `no LLM endpoint ${req.model}`);
  const served = req.prompt
    ? await servedReference(deps.promptCanaries, deps.random ?? Math.random, req.prompt.ref)
    : undefined;
  const rendered =
    req.prompt && served
      ? await renderPrompt(deps, served.ref, req.prompt.variables, { principal, prices: deps.prices })
      : undefined;
  const messages = rendered?.messages ?? (req.messages as ChatMessage[]);
  const parameters: ModelParameters = {
    ...rendered?.modelParameters,
    ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
    ...(req.top_p === undefined ? {} : { top_p: req.top_p }),
    ...(req.max_tokens === undefined ? {} : { max_tokens: req.max_tokens }),
    ...(req.stop === undefined ? {} : { stop: req.stop }),
  };
  const rollout = rendered && served?.rollout;
  const countRollout = (call: RolloutCall) => {
    if (rollout) deps.observeRollout?.(rendered.prompt.name, rollout.variant, call);
  };
  try {
    await checkInput(messages, deps.guardrails, deps.countTokens);
  } catch (error) {
    const rule = ((error as PlatformError).details as { rule?: unknown } | undefined)?.rule;
    if (typeof rule === 'string') {
      deps.observeBlocked(endpoint.name, rule);
      // The rendered version is part of what the rule refused: the rollout counts it (no model call).
      countRollout({ failed: false, blocked: true });
    }
    throw error;
  }

  // The call's id fixes the side of a Bedrock endpoint's model rollout it falls on; SageMaker picks
  // an LMI endpoint's variant, so which model served is known from the answer.
  const callId = deps.newId();
  const planned = await modelForCall(deps.endpointModels, endpoint, callId);
  // The challenger answering while this container's cached records know no split (a rollout's
  // first step, within the cache's seconds): the records are read again, uncached, so the call is
  // priced and counted as the candidate's the split names.
  const servedBy = async (variant: string | undefined): Promise<ServedModel> => {
    if (!planned.variants) return planned;
    const fresh = deps.endpointModels?.fresh;
    if (variant === Variant.CHALLENGER && !planned.variants.canary && fresh) {
      const again = await modelForCall(fresh.call(deps.endpointModels), endpoint, callId);
      if (again.variants) return servedByVariant(again.variants, variant);
    }
    return servedByVariant(planned.variants, variant);
  };
  // An input rule refuses before any model is chosen: only what the model did counts for its rollout.
  const countModelRollout = (model: ServedModel, call: RolloutCall) => {
    if (model.rollout) deps.observeModelRollout?.(endpoint.name, model.rollout.variant, call);
  };
  const started = deps.now();
  // The model id is part of the key: a cached answer of the other side never stands in. An LMI
  // endpoint's call is looked up as its served model's and stored as the model's that answered.
  const keyOf = (modelId: string) =>
    cacheKey(
      endpoint.name,
      rendered?.prompt,
      messages,
      parameters,
      modelId === endpoint.model ? undefined : modelId,
    );
  const cached = deps.cacheTtlSeconds > 0 ? await deps.cache.lookup(keyOf(planned.modelId)) : undefined;
  let answer: ChatAnswer;
  try {
    answer =
      cached ?? (await deps.backendFor(endpoint).chat({ model: planned.modelId, messages, parameters }));
  } catch (thrown) {
    const variant = thrown instanceof VariantCallFailure ? thrown.invokedProductionVariant : undefined;
    const error = thrown instanceof VariantCallFailure ? thrown.cause : thrown;
    // A failed call is what the rollout's error-rate alarm counts.
    const failed = { latencyMs: deps.now().getTime() - started.getTime(), failed: true, blocked: false };
    countRollout(failed);
    // An LMI call that failed before a variant was known is no side's.
    if (!planned.variants || variant) countModelRollout(await servedBy(variant), failed);
    throw error;
  }
  // An LMI endpoint's cached answer was its served model's, and no side's of a rollout.
  const model =
    cached && planned.variants
      ? { modelId: planned.modelId }
      : await servedBy(answer.invokedProductionVariant);
  const latencyMs = deps.now().getTime() - started.getTime();
  // A hit used no tokens: it is recorded as a hit that cost nothing.
  const usage = cached ? NO_USAGE : answer.usage;
  const at = started.toISOString();
  // Priced by the row of the model that served: a candidate's calls never at the champion's price.
  const cost = callCost(deps.prices, model.modelId, at.slice(0, 10), usage);
  const provider = answer.guardrailIntervention
    ? providerGuardrailOutcome(
        answer.guardrailIntervention,
        endpoint.backend === 'bedrock' ? endpoint.guardrail : undefined,
        cost.microUsd,
      )
    : undefined;
  const filtered = filterOutput(answer.content, deps.guardrails);
  const output = {
    ...filtered,
    blockedBy: provider && 'rule' in provider ? provider.rule : filtered.blockedBy,
    redactions: [
      ...(provider && 'redactions' in provider ? provider.redactions : []),
      ...filtered.redactions,
    ],
  };
  const outcome = { latencyMs, failed: false, blocked: output.blockedBy !== undefined };
  countRollout(outcome);
  // A cached answer says nothing of the model: only calls it answered count for its rollout.
  if (!cached) countModelRollout(model, outcome);
  const record: UsageRecord = {
    id: callId,
    at,
    operation: 'chat',
    endpoint: endpoint.name,
    provider: endpoint.backend === 'bedrock' ? 'aws.bedrock' : 'aws.sagemaker',
    model: model.modelId,
    responseModel: answer.responseModel,
    ...(rendered ? { prompt: { name: rendered.prompt.name, version: rendered.prompt.version } } : {}),
    principal,
    usage,
    costMicroUsd: cost.microUsd,
    priceEffectiveFrom: cost.priceEffectiveFrom,
    latencyMs,
    ...(answer.timeToFirstTokenMs === undefined || cached
      ? {}
      : { timeToFirstTokenMs: answer.timeToFirstTokenMs }),
    cacheHit: cached !== undefined,
    ...(rollout ? { rollout } : {}),
    ...(model.rollout ? { modelRollout: model.rollout } : {}),
  };
  await deps.usage.put(record);
  deps.observe(record, {
    redactions: output.redactions,
    ...(output.blockedBy ? { blockedBy: output.blockedBy } : {}),
  });
  if (provider && 'refusal' in provider) {
    deps.observeBlocked(endpoint.name, provider.rule);
    throw provider.refusal;
  }
  if (!cached && deps.cacheTtlSeconds > 0 && !output.blockedBy) {
    await deps.cache.store(keyOf(model.modelId), answer, deps.cacheTtlSeconds);
  }
  return {
    id: `chatcmpl-${record.id}`,
    object: 'chat.completion',
    created: Math.floor(started.getTime() / 1000),
    model: answer.responseModel,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: output.content },
        finish_reason: output.blockedBy ? 'content_filter' : answer.finishReason,
      },
    ],
    usage: toOpenAiUsage(usage),
    mlops: {
      endpoint: endpoint.name,
      ...(rendered ? { prompt: rendered.prompt } : {}),
      costMicroUsd: cost.microUsd,
      cacheHit: record.cacheHit,
      redactions: output.blockedBy ? [output.blockedBy] : output.redactions,
      ...(rendered?.sources ? { sources: rendered.sources } : {}),
    },
  };
}
