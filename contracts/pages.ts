/**
 * Paging, as every list route takes and answers it: the query (`limit`, `nextToken`) and the
 * reply's shape. Apart from the registry's contracts, whose requests and replies a list route of
 * another capability need not build at its cold start; `registry.ts` and `registry-responses.ts`
 * re-export these.
 */
import * as z from 'zod';
import { lazySchema } from './lazy-schema';

export const PageQuery = lazySchema(() =>
  z.strictObject({
    limit: z.coerce.number().int().min(1).max(100).default(50),
    nextToken: z.string().max(2048).optional(),
  }),
);
export type PageQuery = z.infer<typeof PageQuery>;

/** A list page, as every list route replies: its items and, when there are more, the next token. */
export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextToken: z.string().optional() });
