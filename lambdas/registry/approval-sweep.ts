/**
 * The approval expiry sweep, run on a schedule: closes every OPEN approval request past its
 * expiry as EXPIRED (audited, published as ApprovalExpired), with nothing else changed. A decision
 * on an expired request closes it too, so the sweep only bounds how long a stale request looks open.
 */

import { logger } from '../shared/logger';
import { expireDueApprovals } from './domain/approval-flow';
import { registryDepsFromEnv } from './service-from-env';

let deps: ReturnType<typeof registryDepsFromEnv> | undefined;

export const handler = async (): Promise<{ expired: string[] }> => {
  deps ??= registryDepsFromEnv();
  const closed = await expireDueApprovals(deps);
  if (closed.length > 0) logger.info('approval requests expired', { ids: closed.map((r) => r.id) });
  return { expired: closed.map((r) => `${r.modelName}/${r.id}`) };
};
