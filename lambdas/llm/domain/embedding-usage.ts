/**
 * Embedding calls recorded and priced as chat calls are: one usage record per call of the
 * `Embeddings` port (a document's chunks, or one query), under `gen_ai.operation.name`
 * `embeddings`, with the input tokens the backend counted, priced from the table. A record per
 * port call rather than per request: an import embeds many documents, and the tokens of each are
 * on record once spent, whatever happens to the documents after it. Pure: no I/O.
 */
import type { PriceTable, UsageRecord } from '../../../contracts/llm';
import { callCost, priceOn } from './cost';
import type { Embeddings } from './embeddings';
import type { UsageStore } from './ports';
import { NO_USAGE } from './usage';

/** Who an embedding call is recorded against, and the prices in force. */
export interface EmbeddingCharge {
  readonly principal: string;
  /** The price table (`mlops:llm` prices). */
  readonly prices: PriceTable;
  /** The prompt version whose retrieval step embedded. @default - none: a collection route's call */
  readonly prompt?: { readonly name: string; readonly version: number };
}

export interface EmbeddingUsageDeps {
  readonly embeddings: Embeddings;
  readonly usage: Pick<UsageStore, 'put'>;
  /** Logs and metrics of a recorded call (GenAI attribute names), as a chat call's. */
  readonly observe: (record: UsageRecord) => void;
  readonly now: () => Date;
  readonly newId: () => string;
}

/** Embeds `texts` for `collection`, recording the call; the vectors, in order. */
export async function embedRecorded(
  deps: EmbeddingUsageDeps,
  charge: EmbeddingCharge,
  collection: string,
  texts: readonly string[],
): Promise<Float32Array[]> {
  const { model, provider } = deps.embeddings;
  const started = deps.now();
  const at = started.toISOString();
  const day = at.slice(0, 10);
  // Refused before the call: no tokens are spent that the table cannot price.
  priceOn(charge.prices, model, day);
  const { vectors, inputTokens } = await deps.embeddings.embed(texts);
  const latencyMs = deps.now().getTime() - started.getTime();
  const usage = { ...NO_USAGE, inputTokens };
  const cost = callCost(charge.prices, model, day, usage);
  const record: UsageRecord = {
    id: deps.newId(),
    at,
    operation: 'embeddings',
    collection,
    provider,
    model,
    responseModel: model,
    ...(charge.prompt ? { prompt: { name: charge.prompt.name, version: charge.prompt.version } } : {}),
    principal: charge.principal,
    usage,
    costMicroUsd: cost.microUsd,
    priceEffectiveFrom: cost.priceEffectiveFrom,
    latencyMs,
    cacheHit: false,
  };
  await deps.usage.put(record);
  deps.observe(record);
  return vectors;
}
