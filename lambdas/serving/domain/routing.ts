/**
 * Choosing a production variant. SageMaker splits traffic at random by the variants' current
 * weights; a caller that wants a stable assignment (an experiment) sends a routing key, which is
 * hashed to a point in [0, 1) and mapped through the same cumulative weights, then named in
 * InvokeEndpoint's `TargetVariant`. The same key therefore lands on the same variant for as
 * long as the weights stay put, and the share of keys per variant follows the weights.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-ab-testing.html
 */
import { createHash } from 'node:crypto';

export interface WeightedVariant {
  readonly name: string;
  /** Relative weight, >= 0 (SageMaker's CurrentWeight). */
  readonly weight: number;
}

/** An endpoint at rest: the champion takes all traffic. */
export const AT_REST: readonly WeightedVariant[] = Object.freeze([{ name: 'champion', weight: 100 }]);

/** A uniform point in [0, 1) from a key: the first 52 bits of its SHA-256. */
export function hashToUnitInterval(key: string): number {
  const digest = createHash('sha256').update(key, 'utf8').digest();
  // 52 bits fit a double's mantissa exactly: 4 bytes, then 20 more bits.
  const high = digest.readUInt32BE(0);
  const low = digest.readUInt32BE(4) >>> 12;
  return (high * 2 ** 20 + low) / 2 ** 52;
}

/**
 * The variant whose share of [0, 1) contains `point`, walking variants in name order so the
 * mapping does not depend on the order an API returned them in. Undefined when every weight is 0.
 */
export function pickVariant(variants: readonly WeightedVariant[], point: number): string | undefined {
  const live = [...variants]
    .filter((v) => v.weight > 0)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const total = live.reduce((s, v) => s + v.weight, 0);
  if (total <= 0) return undefined;
  let cumulative = 0;
  for (const v of live) {
    cumulative += v.weight / total;
    if (point < cumulative) return v.name;
  }
  return live[live.length - 1].name;
}

/** The variant a routing key sticks to under the given weights. */
export const stickyVariant = (variants: readonly WeightedVariant[], routingKey: string): string | undefined =>
  pickVariant(variants, hashToUnitInterval(routingKey));
