/**
 * The cost of a call from the versioned price table: sum over token types of tokens x price, in
 * exact integer arithmetic, rounded once. Cached tokens are inside `inputTokens` (see `LlmUsage`)
 * and are taken out of it before the uncached input is priced, so each is priced exactly once, at
 * its own price; reasoning tokens likewise inside `outputTokens`. Pure: no I/O.
 */
import type { CallCost, LlmUsage, ModelPrice, PriceTable, PriceTier } from '../../../contracts/llm';

const PICO_PER_MICRO = 1_000_000n;

/**
 * The entry of `model` in force on `day` (`YYYY-MM-DD`): the latest `effectiveFrom` not after it.
 * Throws when none is: a call the table cannot price is a configuration error, never a free call.
 */
export function priceOn(table: PriceTable, model: string, day: string): ModelPrice {
  let found: ModelPrice | undefined;
  for (const entry of table) {
    if (entry.model !== model || entry.effectiveFrom > day) continue;
    if (!found || entry.effectiveFrom > found.effectiveFrom) found = entry;
  }
  if (!found) throw new Error(`the price table has no price for ${model} on ${day}`);
  return found;
}

/**
 * The tier a call falls in: the last whose `aboveInputTokens` its input exceeds (cached tokens
 * count towards the prompt's length, as providers bill long-context tiers), else the first. A
 * tier applies to every token of the call, input and output alike.
 */
export function tierFor(price: ModelPrice, inputTokens: number): PriceTier {
  let tier = price.tiers[0];
  for (const t of price.tiers) if (inputTokens > t.aboveInputTokens) tier = t;
  return tier;
}

/** Refuses counts that contradict each other (a cached part larger than the whole). */
export function checkUsage(usage: LlmUsage): void {
  const cached = usage.cacheReadInputTokens + usage.cacheCreationInputTokens;
  if (cached > usage.inputTokens) {
    throw new Error(`cached input tokens (${cached}) exceed input tokens (${usage.inputTokens})`);
  }
  if (usage.reasoningOutputTokens > usage.outputTokens) {
    throw new Error(
      `reasoning tokens (${usage.reasoningOutputTokens}) exceed output tokens (${usage.outputTokens})`,
    );
  }
}

/** The cost of one call of `model` on `day` with `usage`. */
export function callCost(table: PriceTable, model: string, day: string, usage: LlmUsage): CallCost {
  checkUsage(usage);
  const price = priceOn(table, model, day);
  const tier = tierFor(price, usage.inputTokens);
  const uncachedInput = usage.inputTokens - usage.cacheReadInputTokens - usage.cacheCreationInputTokens;
  const plainOutput = usage.outputTokens - usage.reasoningOutputTokens;
  // tokens x micro-dollars per million tokens = pico-dollars, exactly.
  const term = (tokens: number, microUsdPerMillion: number) => BigInt(tokens) * BigInt(microUsdPerMillion);
  const parts = {
    input: term(uncachedInput, tier.input),
    cacheRead: term(usage.cacheReadInputTokens, tier.cacheRead ?? tier.input),
    cacheWrite: term(usage.cacheCreationInputTokens, tier.cacheWrite ?? tier.input),
    output: term(plainOutput, tier.output),
    reasoning: term(usage.reasoningOutputTokens, tier.reasoning ?? tier.output),
  };
  const total = parts.input + parts.cacheRead + parts.cacheWrite + parts.output + parts.reasoning;
  return {
    model,
    priceEffectiveFrom: price.effectiveFrom,
    tierAboveInputTokens: tier.aboveInputTokens,
    picoUsd: {
      input: parts.input.toString(),
      cacheRead: parts.cacheRead.toString(),
      cacheWrite: parts.cacheWrite.toString(),
      output: parts.output.toString(),
      reasoning: parts.reasoning.toString(),
    },
    // Half up, once, on the exact sum: rounding each part would let the parts drift from the total.
    microUsd: Number((total + PICO_PER_MICRO / 2n) / PICO_PER_MICRO),
  };
}
