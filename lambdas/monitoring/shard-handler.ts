/** Lambda entry of the fan-out state machine's Distributed Map item processor (one capture file). */
import { defaultDeps } from './deps';
import { makeShardHandler } from './fan-out';

let cached: ReturnType<typeof makeShardHandler> | undefined;

export const handler = (event: unknown) => {
  cached ??= makeShardHandler(defaultDeps());
  return cached(event);
};
