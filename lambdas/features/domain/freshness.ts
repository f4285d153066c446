/**
 * A feature view's freshness, as `GET /feature-views/{name}/freshness` reports it: how old the
 * view's freshest online data is and the status `get-online-features` gives its values now. A batch
 * view is judged by its newest row's event time against its TTL (what the lookup compares, and
 * what the materializer's freshness metric reports); a stream view by the consumer's watermark
 * lag (see `stream-freshness.ts`), the same judgement the lookup makes.
 */
import type { FeatureViewFreshness } from '../../../contracts/features-responses';
import { isOutsideMaxAge } from './online';
import type { FeatureStoreDeps } from './ports';
import { streamFreshness } from './stream-freshness';
import { isStreamView } from './stream-ingest';
import { getFeatureView } from './views';

export type { FeatureViewFreshness };

const iso = (ms: number) => new Date(ms).toISOString();
const seconds = (ms: number) => Math.max(0, ms) / 1000;

/** @throws FeatureViewNotFoundError */
export async function featureViewFreshness(
  deps: Pick<FeatureStoreDeps, 'views' | 'online' | 'offline' | 'now'>,
  name: string,
): Promise<FeatureViewFreshness> {
  const view = await getFeatureView(deps, name);
  const nowMs = deps.now().getTime();
  const common = {
    featureView: view.name,
    checkedAt: iso(nowMs),
    ...(view.expectedIntervalSeconds === undefined
      ? {}
      : { expectedIntervalSeconds: view.expectedIntervalSeconds }),
  };

  if (isStreamView(view)) {
    const watermarks = (await deps.online.readStreamWatermarks?.()) ?? {};
    const judged = streamFreshness(watermarks, nowMs);
    return {
      ...common,
      kind: 'stream',
      status: judged.outsideMaxAge ? 'OUTSIDE_MAX_AGE' : 'PRESENT',
      maxAgeSeconds: judged.maxLagMs / 1000,
      ...(judged.watermarkMs === undefined
        ? {}
        : { ageSeconds: seconds(nowMs - judged.watermarkMs), watermark: iso(judged.watermarkMs) }),
      shards: Object.entries(watermarks)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([shardId, mark]) => ({
          shardId,
          watermark: iso(mark.endMs),
          flushedAt: iso(mark.flushedAtMs),
          lagSeconds: seconds(nowMs - mark.endMs),
        })),
    };
  }

  const [files, materializedMs] = await Promise.all([
    deps.offline.listFiles(view.name),
    deps.views.getWatermark(view.name),
  ]);
  const ttl = view.ttlSeconds > 0 ? { maxAgeSeconds: view.ttlSeconds } : {};
  const materialized = materializedMs === undefined ? {} : { lastMaterializedAt: iso(materializedMs) };
  if (files.length === 0) return { ...common, kind: 'batch', status: 'NOT_FOUND', ...ttl, ...materialized };
  const newestEventMs = Math.max(...files.map((f) => f.maxEventTimestampMs));
  const lastWrittenMs = Math.max(...files.map((f) => f.writtenAtMs));
  return {
    ...common,
    kind: 'batch',
    status: isOutsideMaxAge(newestEventMs, view.ttlSeconds, nowMs) ? 'OUTSIDE_MAX_AGE' : 'PRESENT',
    ageSeconds: seconds(nowMs - newestEventMs),
    ...ttl,
    newestEventAt: iso(newestEventMs),
    lastWrittenAt: iso(lastWrittenMs),
    ...materialized,
  };
}
