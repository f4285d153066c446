/**
 * Category counting shared by the categorical statistics (chi-square, PSI, Jensen-Shannon) and by
 * the categorical shard summaries. Counts are plain objects so a summary survives JSON between a
 * Distributed Map's iterations; categories are always laid out in one order (ascending by UTF-16
 * code unit) so sums run in the same order on every shard and in every test.
 */
import type { CategoryCounts } from '../../../contracts/monitoring-reports';
import { assertCategoricalSample, InvalidSampleError, type SampleRole } from './errors';

/** Occurrences per category, e.g. `{ "DE": 120, "FR": 80 }`. */
export type { CategoryCounts };

/** Counts each category of a sample. @throws InvalidSampleError on an empty sample or a non-string */
export function countCategories(values: ArrayLike<string>, role: SampleRole = 'current'): CategoryCounts {
  assertCategoricalSample(values, role);
  const counts = new Map<string, number>();
  for (let i = 0; i < values.length; i++) counts.set(values[i], (counts.get(values[i]) ?? 0) + 1);
  return Object.fromEntries(counts);
}

/** Checks that counts are non-negative integers with a positive total, and returns the total. */
export function totalOf(counts: CategoryCounts, role: SampleRole): number {
  let total = 0;
  for (const [category, count] of Object.entries(counts)) {
    if (!Number.isInteger(count) || count < 0) {
      throw new InvalidSampleError(
        `${role} count for category "${category}" must be a non-negative integer, got ${count}`,
        {
          details: { sample: role, category, problem: 'BAD_COUNT' },
        },
      );
    }
    total += count;
  }
  if (total === 0) {
    throw new InvalidSampleError(`${role} sample is empty`, { details: { sample: role, problem: 'EMPTY' } });
  }
  return total;
}

/**
 * The union of both samples' categories, ascending, with each side's count aligned to it (0 where
 * a side never saw the category).
 */
export function alignCategories(
  reference: CategoryCounts,
  current: CategoryCounts,
): { categories: string[]; referenceCounts: number[]; currentCounts: number[] } {
  const categories = [...new Set([...Object.keys(reference), ...Object.keys(current)])].sort();
  const countOf = (counts: CategoryCounts, c: string) => (Object.hasOwn(counts, c) ? counts[c] : 0);
  return {
    categories,
    referenceCounts: categories.map((c) => countOf(reference, c)),
    currentCounts: categories.map((c) => countOf(current, c)),
  };
}
