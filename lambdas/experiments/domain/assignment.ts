/**
 * Sticky assignment of units to arms. A unit's bucket is SHA-256 of `<salt>:<unit>` read as an
 * unsigned 64-bit integer modulo 10,000 (the bias of 2^64 mod 10^4 is below 1e-15); the buckets
 * are dealt to the arms in the order [control, treatment...] by their cumulative split in percent.
 * Hence:
 * - the same unit gets the same arm for the experiment's life (the salt is fixed at creation);
 * - raising the treatment share shrinks control's range from the top, so units only move from
 *   control to treatment, never back;
 * - another experiment has another salt, so its units are reshuffled independently.
 * @see https://docs.growthbook.io/lib/build-your-own#hashing (the same salted-hash-to-bucket idea)
 */
import { hash, randomBytes } from 'node:crypto';

/** Buckets per experiment: 0.01% of traffic per bucket. */
export const BUCKETS = 10_000;

/** A fresh assignment salt: 16 random bytes, hex. */
export const newSalt = (): string => randomBytes(16).toString('hex');

/** The unit's bucket 0..9999 under the salt. */
export function bucketOf(salt: string, unit: string): number {
  const digest = hash('sha256', `${salt}:${unit}`, 'buffer');
  // (hi 2^32 + lo) mod 10^4 without BigInt: every intermediate stays below 2^53.
  const hi = digest.readUInt32BE(0) % BUCKETS;
  const lo = digest.readUInt32BE(4);
  return (hi * TWO_POW_32_MOD_BUCKETS + lo) % BUCKETS;
}

/** 2^32 mod 10,000. */
const TWO_POW_32_MOD_BUCKETS = 2 ** 32 % BUCKETS;

/** An arm's share, in the order buckets are dealt (control first). */
export interface ArmShare {
  readonly name: string;
  readonly trafficPercent: number;
}

/** The arm a bucket falls in: arm i takes buckets [sum of shares before i, + its share) x 100. */
export function armOfBucket(arms: readonly ArmShare[], bucket: number): string {
  let upper = 0;
  for (const arm of arms) {
    upper += arm.trafficPercent * (BUCKETS / 100);
    if (bucket < upper) return arm.name;
  }
  return arms[arms.length - 1].name;
}

/** Arms in dealing order: control first, the rest as declared. */
export function dealingOrder<T extends { readonly name: string }>(arms: readonly T[], control: string): T[] {
  return [...arms.filter((a) => a.name === control), ...arms.filter((a) => a.name !== control)];
}

/** The unit's bucket and arm. */
export function assign(
  salt: string,
  arms: readonly ArmShare[],
  unit: string,
): { readonly bucket: number; readonly arm: string } {
  const bucket = bucketOf(salt, unit);
  return { bucket, arm: armOfBucket(arms, bucket) };
}
