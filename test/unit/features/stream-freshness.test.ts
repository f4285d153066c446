/**
 * The stream's freshness: which watermark a flush stores (the window's end at its final
 * invocation, the newest arrival flushed otherwise), that an older one never replaces a newer,
 * and how a read judges the stream by its newest shard against the tumbling plus batching window and the heartbeat allowance.
 */
import {
  STREAM_HEARTBEAT_ALLOWANCE_SECONDS,
  STREAM_MAX_BATCHING_WINDOW_SECONDS,
} from '../../../contracts/feature-streams';
import {
  flushWatermark,
  isNewerWatermark,
  streamFreshness,
} from '../../../lambdas/features/domain/stream-freshness';

const T = Date.parse('2026-12-01T12:00:00Z');
/** What a watermark may trail besides its window: the batching window and the heartbeat's allowance. */
const SLACK_MS = (STREAM_MAX_BATCHING_WINDOW_SECONDS + STREAM_HEARTBEAT_ALLOWANCE_SECONDS) * 1000;
const window = { startMs: T - 60_000, endMs: T };

describe('flushWatermark', () => {
  it.each([
    ['the final invocation: the window end', { finalForWindow: true, flushed: true }, [T - 9_000], T],
    ['the final invocation with no record', { finalForWindow: true, flushed: true }, [], T],
    [
      'a flush near 1 MB: the newest arrival',
      { finalForWindow: false, flushed: true },
      [T - 9_000, T - 7_000],
      T - 7_000,
    ],
  ])('%s', (_, flags, arrivals, endMs) => {
    // Act
    const mark = flushWatermark({ window, ...flags, arrivalTimestampsMs: arrivals, nowMs: T + 500 });

    // Assess
    expect(mark).toEqual({ endMs, windowMs: 60_000, flushedAtMs: T + 500 });
  });

  it('stores nothing for an invocation that flushed nothing, or a final one with neither window nor record', () => {
    const base = { window, arrivalTimestampsMs: [T - 1], nowMs: T };
    expect(flushWatermark({ ...base, finalForWindow: false, flushed: false })).toBeUndefined();
    expect(
      flushWatermark({ finalForWindow: true, flushed: true, arrivalTimestampsMs: [], nowMs: T }),
    ).toBeUndefined();
  });
});

describe('streamFreshness', () => {
  const mark = (endMs: number) => ({ endMs, windowMs: 60_000, flushedAtMs: endMs + 1 });

  it('judges by the newest shard: an idle or closed shard is no stall', () => {
    // Prepare
    const marks = { a: mark(T - 3_600_000), b: mark(T) };

    // Act
    const atBound = streamFreshness(marks, T + 60_000 + SLACK_MS);
    const past = streamFreshness(marks, T + 60_000 + SLACK_MS + 1);

    // Assess
    expect(atBound).toEqual({
      watermarkMs: T,
      lagMs: 60_000 + SLACK_MS,
      maxLagMs: 60_000 + SLACK_MS,
      outsideMaxAge: false,
    });
    expect(past.outsideMaxAge).toBe(true);
  });

  it('is outside the max age with no watermark at all, and within it for a read before the watermark', () => {
    expect(streamFreshness({}, T).outsideMaxAge).toBe(true);
    expect(streamFreshness({ a: mark(T) }, T - 3_600_000)).toMatchObject({
      lagMs: -3_600_000,
      outsideMaxAge: false,
    });
  });

  it('lets only a later window end replace a stored watermark', () => {
    expect(isNewerWatermark(mark(T), undefined)).toBe(true);
    expect(isNewerWatermark(mark(T + 1), mark(T))).toBe(true);
    expect(isNewerWatermark(mark(T), mark(T))).toBe(false);
    expect(isNewerWatermark(mark(T - 1), mark(T))).toBe(false);
  });
});
