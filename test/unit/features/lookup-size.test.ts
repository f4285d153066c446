/**
 * The largest online lookup the contract accepts fits what a Lambda function may return, and the
 * one the README used to document (1,000 entity rows x 200 features, 8.2 MB) is refused up front.
 */
import {
  CreateFeatureViewRequest,
  type FeatureView,
  GetOnlineFeaturesRequest,
} from '../../../contracts/features';
import {
  buildOnlineResponse,
  type OnlineItem,
  planOnlineLookup,
} from '../../../lambdas/features/domain/online';
import { json, MAX_LAMBDA_PAYLOAD_BYTES, payloadBytes } from '../../../lambdas/shared/http';

const NOW = Date.parse('2026-12-01T12:00:00Z');

function wideView(features: number): FeatureView {
  const req = CreateFeatureViewRequest.parse({
    name: 'wide',
    entities: [{ name: 'customer_id', valueType: 'int64' }],
    features: Array.from({ length: features }, (_, i) => ({ name: `f${i}`, dtype: 'float64' })),
    ttlSeconds: 60,
  });
  return { ...req, version: 1, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' };
}

const lookup = (rows: number, features: number) => ({
  features: Array.from({ length: features }, (_, i) => `wide:f${i}`),
  entities: { customer_id: Array.from({ length: rows }, (_, i) => 9_000_000_000_000 + i) },
});

describe('online lookup size', () => {
  it('refuses 1,000 entity rows x 200 features, naming the limit', () => {
    // Act
    const parsed = GetOnlineFeaturesRequest.safeParse(lookup(1000, 200));
    // Assess
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({
        path: ['entities'],
        message: expect.stringMatching(/asks for 201000 values .* over 50000/),
      }),
    ]);
  });

  it('answers the largest accepted lookup, with the longest numbers and statuses, under 6 MB', () => {
    // Prepare: 1,000 rows x (1 entity column + 49 features) = 50,000 values, every one stale (the
    // longest status) with a millisecond timestamp (the longest) and a 17-digit negative double
    const view = wideView(49);
    const request = GetOnlineFeaturesRequest.parse(lookup(1000, 49));
    const plan = planOnlineLookup(new Map([[view.name, view]]), request);
    const values = Object.fromEntries(view.features.map((f) => [f.name, -1.2345678901234567e-100]));
    const items = new Map<string, OnlineItem>(
      plan.reads[0].itemKeys.map((key) => [key, { values, eventTimestampMs: NOW - 3_600_123 }]),
    );
    // Act
    const answer = json(200, buildOnlineResponse(plan, items, NOW));
    // Assess
    const bytes = payloadBytes(answer);
    expect(answer.body).toContain('"OUTSIDE_MAX_AGE"');
    expect(bytes).toBeLessThan(MAX_LAMBDA_PAYLOAD_BYTES);
    expect(bytes).toBeGreaterThan(3_000_000);
  });
});
