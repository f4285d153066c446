/** The price table the stack writes: `mlops:llm` prices, with the embedding model priced. */
import type { PriceTable } from '../../contracts/llm';
import { LLM_DEFAULTS } from './defaults';

/**
 * Whether `prices` prices `model` on `day` (`YYYY-MM-DD`), as a call looks its row up: a row
 * dated later prices no call before its date, and a model without one on the day would fail every
 * call until then. The stack checks with the day it is synthesized.
 */
export function pricedOn(prices: PriceTable, model: string, day: string): boolean {
  return prices.some((p) => p.model === model && p.effectiveFrom <= day);
}

/** The day a synth checks prices on (UTC). */
export const synthDay = (): string => new Date().toISOString().slice(0, 10);

/**
 * `prices` with a row for the embedding model `model` on `day`: the table's own, else for the
 * default model its list price (`LLM_DEFAULTS.embeddingPrice`). Any other unpriced model is
 * refused: its calls would otherwise fail at run time, or worse, cost nothing.
 */
export function embeddingPriced(prices: PriceTable, model: string, day: string): PriceTable {
  if (pricedOn(prices, model, day)) return prices;
  if (model === LLM_DEFAULTS.embeddingPrice.model) return [...prices, LLM_DEFAULTS.embeddingPrice];
  throw new Error(`llm embeddings: model ${model} has no entry in the price table effective on ${day}`);
}
