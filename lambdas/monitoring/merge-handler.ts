/** Lambda entry of the fan-out state machine's merge step (every shard summary to one report). */
import { defaultDeps } from './deps';
import { makeMergeHandler } from './fan-out';

let cached: ReturnType<typeof makeMergeHandler> | undefined;

export const handler = (event: unknown) => {
  cached ??= makeMergeHandler(defaultDeps());
  return cached(event);
};
