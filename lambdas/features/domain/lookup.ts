/**
 * The online lookup (hot path): plan against the views (one read per requested view), read all
 * views' items concurrently, and build Feast's response.
 */
import type {
  FeatureView,
  GetOnlineFeaturesRequest,
  GetOnlineFeaturesResponse,
} from '../../../contracts/features';
import { parseFeatureRef } from '../../../contracts/features';
import { FeatureViewNotFoundError } from './errors';
import { buildOnlineResponse, type OnlineItem, planOnlineLookup } from './online';
import type { FeatureStoreDeps } from './ports';

/** @throws FeatureViewNotFoundError, FeatureNotFoundError, FeatureNameCollisionError, ValidationFailedError */
export async function getOnlineFeatures(
  deps: Pick<FeatureStoreDeps, 'online' | 'now'> & { views: Pick<FeatureStoreDeps['views'], 'get'> },
  request: GetOnlineFeaturesRequest,
): Promise<GetOnlineFeaturesResponse> {
  const names = [...new Set(request.features.map((r) => parseFeatureRef(r).view))];
  const loaded = await Promise.all(names.map((n) => deps.views.get(n)));
  const views = new Map<string, FeatureView>();
  loaded.forEach((v, i) => {
    if (!v) throw new FeatureViewNotFoundError(names[i]);
    views.set(v.name, v);
  });
  const plan = planOnlineLookup(views, request);
  const reads = await Promise.all(plan.reads.map((r) => deps.online.read(r.distinctKeys, r.features)));
  // One view's read (the usual lookup) is used as it is, not copied into another map.
  const items = reads.length === 1 ? reads[0] : new Map<string, OnlineItem>(reads.flatMap((r) => [...r]));
  return buildOnlineResponse(plan, items, deps.now());
}
