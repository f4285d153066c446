/**
 * Usage as backends report it, normalized to `LlmUsage`; usage records under the OpenTelemetry
 * GenAI attribute names; aggregation by model, prompt version, principal, endpoint, operation and
 * day. Pure: no I/O.
 * @see https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/
 */
import {
  LLM_METRICS_NAMESPACE,
  LlmMetric,
  type LlmUsage,
  type UsageGroup,
  type UsageGroupBy,
  type UsageRecord,
} from '../../../contracts/llm';
import type { MetricsDocument } from '../../shared/metrics';

/** No tokens: a cache hit's usage, and an embedding call's before its input tokens. */
export const NO_USAGE: LlmUsage = {
  inputTokens: 0,
  outputTokens: 0,
  cacheReadInputTokens: 0,
  cacheCreationInputTokens: 0,
  reasoningOutputTokens: 0,
};

/** OpenAI's (and vLLM's) `usage`: `prompt_tokens` already includes `cached_tokens`. */
export interface OpenAiUsage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly prompt_tokens_details?: { readonly cached_tokens?: number | null } | null;
  readonly completion_tokens_details?: { readonly reasoning_tokens?: number | null } | null;
}

export function fromOpenAiUsage(u: OpenAiUsage): LlmUsage {
  return {
    inputTokens: u.prompt_tokens,
    outputTokens: u.completion_tokens,
    cacheReadInputTokens: u.prompt_tokens_details?.cached_tokens ?? 0,
    cacheCreationInputTokens: 0,
    reasoningOutputTokens: u.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

/**
 * Bedrock Converse's `usage`: `inputTokens` EXCLUDES the cache reads and writes, which it reports
 * beside it, so they are added back to count every prompt token once.
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_TokenUsage.html
 */
export interface BedrockUsage {
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly cacheReadInputTokens?: number;
  readonly cacheWriteInputTokens?: number;
}

export function fromBedrockUsage(u: BedrockUsage): LlmUsage {
  const cacheRead = u.cacheReadInputTokens ?? 0;
  const cacheWrite = u.cacheWriteInputTokens ?? 0;
  return {
    inputTokens: (u.inputTokens ?? 0) + cacheRead + cacheWrite,
    outputTokens: u.outputTokens ?? 0,
    cacheReadInputTokens: cacheRead,
    cacheCreationInputTokens: cacheWrite,
    reasoningOutputTokens: 0,
  };
}

/** The usage back in OpenAI's reply shape (what the chat-completions route answers). */
export function toOpenAiUsage(u: LlmUsage) {
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cacheReadInputTokens },
    completion_tokens_details: { reasoning_tokens: u.reasoningOutputTokens },
  };
}

/** The record's attributes under the OpenTelemetry GenAI names (logs and trace annotations). */
export function genAiAttributes(r: UsageRecord): Record<string, string | number | boolean> {
  return {
    'gen_ai.operation.name': r.operation ?? 'chat',
    'gen_ai.provider.name': r.provider,
    'gen_ai.request.model': r.model,
    'gen_ai.response.model': r.responseModel,
    'gen_ai.usage.input_tokens': r.usage.inputTokens,
    'gen_ai.usage.output_tokens': r.usage.outputTokens,
    'gen_ai.usage.cache_read.input_tokens': r.usage.cacheReadInputTokens,
    'gen_ai.usage.cache_creation.input_tokens': r.usage.cacheCreationInputTokens,
    'gen_ai.usage.reasoning.output_tokens': r.usage.reasoningOutputTokens,
    'gen_ai.server.request.duration_ms': r.latencyMs,
    // The GenAI conventions' own names are in seconds (their metric instruments); the _ms names stay
    // for queries written against them.
    'gen_ai.server.request.duration': r.latencyMs / 1000,
    ...(r.timeToFirstTokenMs === undefined
      ? {}
      : {
          'gen_ai.server.time_to_first_token_ms': r.timeToFirstTokenMs,
          'gen_ai.server.time_to_first_token': r.timeToFirstTokenMs / 1000,
        }),
    ...(r.prompt ? { 'gen_ai.prompt.name': r.prompt.name, 'gen_ai.prompt.version': r.prompt.version } : {}),
    'enduser.id': r.principal,
    ...(r.endpoint === undefined ? {} : { 'mlops.llm.endpoint': r.endpoint }),
    ...(r.collection === undefined ? {} : { 'mlops.llm.collection': r.collection }),
    'mlops.llm.cost_micro_usd': r.costMicroUsd,
    'mlops.llm.cache_hit': r.cacheHit,
  };
}

/**
 * A recorded call as a metrics document (an EMF line once published): calls, hits, tokens, cost,
 * latency and (for a streamed answer) time to first token, per endpoint (an embedding call: per
 * collection, never in an endpoint's budget) and per endpoint and prompt version.
 */
export function usageMetrics(r: UsageRecord, at: number): MetricsDocument {
  return {
    namespace: LLM_METRICS_NAMESPACE,
    dimensions: r.endpoint === undefined ? { Collection: r.collection ?? '-' } : { Endpoint: r.endpoint },
    ...(r.prompt ? { alsoBy: [{ Prompt: `${r.prompt.name}/${r.prompt.version}` }] } : {}),
    metrics: [
      { name: LlmMetric.CALLS, unit: 'Count', value: 1 },
      { name: LlmMetric.CACHE_HITS, unit: 'Count', value: r.cacheHit ? 1 : 0 },
      { name: LlmMetric.INPUT_TOKENS, unit: 'Count', value: r.usage.inputTokens },
      { name: LlmMetric.OUTPUT_TOKENS, unit: 'Count', value: r.usage.outputTokens },
      { name: LlmMetric.COST_MICRO_USD, unit: 'None', value: r.costMicroUsd },
      { name: LlmMetric.LATENCY, unit: 'Milliseconds', value: r.latencyMs },
      ...(r.timeToFirstTokenMs === undefined
        ? []
        : [
            {
              name: LlmMetric.TIME_TO_FIRST_TOKEN,
              unit: 'Milliseconds' as const,
              value: r.timeToFirstTokenMs,
            },
          ]),
    ],
    timestamp: at,
  };
}

/** A call refused by a guardrail rule, counted per endpoint and per endpoint and rule. */
export function blockedMetrics(endpoint: string, rule: string, at: number): MetricsDocument {
  return {
    namespace: LLM_METRICS_NAMESPACE,
    dimensions: { Endpoint: endpoint },
    alsoBy: [{ Rule: rule }],
    metrics: [{ name: LlmMetric.GUARDRAIL_BLOCKS, unit: 'Count', value: 1 }],
    timestamp: at,
  };
}

type Dimension = UsageGroupBy;

const dimension: Record<Dimension, (r: UsageRecord) => string> = {
  model: (r) => r.model,
  promptVersion: (r) => (r.prompt ? `${r.prompt.name}/${r.prompt.version}` : '-'),
  principal: (r) => r.principal,
  day: (r) => r.at.slice(0, 10),
  endpoint: (r) => r.endpoint ?? '-',
  operation: (r) => r.operation ?? 'chat',
};

/** Sums the records per distinct key of `groupBy`; groups sorted by key. Integer sums: exact. */
export function aggregateUsage(records: Iterable<UsageRecord>, groupBy: readonly Dimension[]): UsageGroup[] {
  const groups = new Map<string, UsageGroup>();
  for (const r of records) {
    const key = Object.fromEntries(groupBy.map((d) => [d, dimension[d](r)]));
    const id = JSON.stringify(key);
    const g = groups.get(id) ?? {
      key,
      calls: 0,
      cacheHits: 0,
      inputTokens: 0,
      outputTokens: 0,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 0,
      reasoningOutputTokens: 0,
      costMicroUsd: 0,
    };
    groups.set(id, {
      key,
      calls: g.calls + 1,
      cacheHits: g.cacheHits + (r.cacheHit ? 1 : 0),
      inputTokens: g.inputTokens + r.usage.inputTokens,
      outputTokens: g.outputTokens + r.usage.outputTokens,
      cacheReadInputTokens: g.cacheReadInputTokens + r.usage.cacheReadInputTokens,
      cacheCreationInputTokens: g.cacheCreationInputTokens + r.usage.cacheCreationInputTokens,
      reasoningOutputTokens: g.reasoningOutputTokens + r.usage.reasoningOutputTokens,
      costMicroUsd: g.costMicroUsd + r.costMicroUsd,
    });
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
}

/** Every day from `from` to `to` inclusive (`YYYY-MM-DD`). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}
