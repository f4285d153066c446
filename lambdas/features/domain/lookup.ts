/**
 * The online lookup (hot path): plan against the views (one read per requested view), read all
 * views' items concurrently, and build Feast's response. A stream view's items are its windowed
 * aggregates, merged from its tiles at the lookup's instant, and OUTSIDE_MAX_AGE while the stream's
 * watermark, read in the same round trip, lags (see `stream-freshness.ts`).
 */

import { parseFeatureRef } from '../../../contracts/feature-names';
import type { GetOnlineFeaturesRequest, GetOnlineFeaturesResponse } from '../../../contracts/features';
import { FeatureViewNotFoundError } from './errors';
import {
  buildOnlineResponse,
  type OnlineItem,
  type OnlineLookupPlan,
  type OnlineView,
  planOnlineLookup,
} from './online';
import type { FeatureStoreDeps } from './ports';
import { streamFreshness } from './stream-freshness';
import { isStreamView, type StreamFeatureView } from './stream-ingest';
import { readStreamAggregates, streamAggregates, streamBucketKeys, streamOnlineView } from './stream-reads';

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
  const readAll = deps.online.readAll?.bind(deps.online);
  if (readAll && (plan.reads.length > 1 || streamViews.size > 0)) {
    return buildOnlineResponse(plan, await readInOneTrip(readAll, plan, streamViews, nowMs), nowMs);
  }
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

/** Every view's items, batch and stream, from one `readAll`. */
async function readInOneTrip(
  readAll: NonNullable<FeatureStoreDeps['online']['readAll']>,
  plan: OnlineLookupPlan,
  streamViews: ReadonlyMap<string, StreamFeatureView>,
  nowMs: number,
): Promise<Map<string, OnlineItem>> {
  const itemKeys: string[] = [];
  const features = new Set<string>();
  const tileKeys = new Map<string, Map<string, string[]>>();
  for (const r of plan.reads) {
    const stream = streamViews.get(r.view.name);
    if (stream) {
      tileKeys.set(r.view.name, streamBucketKeys(stream, r.distinctKeys, nowMs));
    } else {
      itemKeys.push(...r.distinctKeys);
      for (const f of r.features) features.add(f);
    }
  }
  const allTileKeys = [...tileKeys.values()].flatMap((byItem) => [...byItem.values()].flat());
  const { items, buckets, watermarks } = await readAll(itemKeys, [...features], allTileKeys, {
    streamWatermarks: streamViews.size > 0,
  });
  const stale = watermarks !== undefined && streamFreshness(watermarks, nowMs).outsideMaxAge;
  for (const [viewName, byItem] of tileKeys) {
    for (const [k, item] of streamAggregates(streamViews.get(viewName)!, byItem, buckets, nowMs, stale)) {
      items.set(k, item);
    }
  }
  return items;
}
