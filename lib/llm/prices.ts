/** The price table the stack writes: `mlops:llm` prices, with the embedding model priced. */
import type { PriceTable } from '../../contracts/llm';
import { LLM_DEFAULTS } from './defaults';

/**
 * `prices` with a row for the embedding model `model`: the table's own, else for the default
 * model its list price (`LLM_DEFAULTS.embeddingPrice`). Any other unpriced model is refused: its
 * calls would otherwise fail at run time, or worse, cost nothing.
 */
export function embeddingPriced(prices: PriceTable, model: string): PriceTable {
  if (prices.some((p) => p.model === model)) return prices;
  if (model === LLM_DEFAULTS.embeddingPrice.model) return [...prices, LLM_DEFAULTS.embeddingPrice];
  throw new Error(`llm embeddings: model ${model} has no entry in the price table`);
}
