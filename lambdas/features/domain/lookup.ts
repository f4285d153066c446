/**
 * The online lookup (hot path): plan against the views (one read per requested view), read all
 * views' items concurrently, and build Feast's response. A stream view's items are its windowed
 * aggregates, merged from its tiles at the lookup's instant.
 */
import type { GetOnlineFeaturesRequest, GetOnlineFeaturesResponse } from '../../../contracts/features';
import { parseFeatureRef } from '../../../contracts/features';
import { FeatureViewNotFoundError } from './errors';
import { buildOnlineResponse, type OnlineItem, type OnlineView, planOnlineLookup } from './online';
import type { FeatureStoreDeps } from './ports';
import { isStreamView, type StreamFeatureView } from './stream-ingest';
import { readStreamAggregates, streamOnlineView } from './stream-reads';

/** @throws FeatureViewNotFoundError, FeatureNotFoundError, FeatureNameCollisionError, ValidationFailedError */
export async function getOnlineFeatures(
  deps: Pick<FeatureStoreDeps, 'online' | 'now'> & { views: Pick<FeatureStoreDeps['views'], 'get'> },
  request: GetOnlineFeaturesRequest,
): Promise<GetOnlineFeaturesResponse> {
  const names = [...new Set(request.features.map((r) => parseFeatureRef(r).view))];
  const loaded = await Promise.all(names.map((n) => deps.views.get(n)));
  const views = new Map<string, OnlineView>();
  const streamViews = new Map<string, StreamFeatureView>();
  loaded.forEach((v, i) => {
    if (!v) throw new FeatureViewNotFoundError(names[i]);
    if (isStreamView(v)) {
      streamViews.set(v.name, v);
      views.set(v.name, streamOnlineView(v));
    } else {
      views.set(v.name, v);
    }
  });
  const plan = planOnlineLookup(views, request);
  // Batch values are read as of their write; stream windows end at this instant.
  const nowMs = deps.now().getTime();
  const reads = await Promise.all(
    plan.reads.map((r) => {
      const stream = streamViews.get(r.view.name);
      return stream
        ? readStreamAggregates(deps.online, stream, r.distinctKeys, nowMs)
        : deps.online.read(r.distinctKeys, r.features);
    }),
  );
  // One view's read (the usual lookup) is used as it is, not copied into another map.
  const items = reads.length === 1 ? reads[0] : new Map<string, OnlineItem>(reads.flatMap((r) => [...r]));
  return buildOnlineResponse(plan, items, nowMs);
}
