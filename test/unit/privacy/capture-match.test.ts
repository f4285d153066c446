import { CAPTURE_KEY_HASHES_PARAMETER, captureKeyHash } from '../../../contracts/erasure-keys';
import { entityMatch } from '../../../contracts/privacy';
import {
  jsonNamesEntity,
  matchCaptureLine,
  redactCaptureFile,
} from '../../../lambdas/privacy/domain/capture-match';

const match = entityMatch({ customer_id: [1001], email: ['a@example.com'] });

const line = (input: unknown, inferenceId?: string, encoding: 'JSON' | 'BASE64' = 'JSON') =>
  JSON.stringify({
    captureData: {
      endpointInput: {
        observedContentType: 'application/json',
        mode: 'INPUT',
        data:
          encoding === 'JSON' ? JSON.stringify(input) : Buffer.from(JSON.stringify(input)).toString('base64'),
        encoding,
      },
    },
    eventMetadata: {
      eventId: 'e',
      ...(inferenceId ? { inferenceId } : {}),
      inferenceTime: '2026-01-01T00:00:00Z',
    },
    eventVersion: '0',
  });

describe('jsonNamesEntity', () => {
  it.each([
    ['a field', { customer_id: 1001 }],
    ['a field as text', { customer_id: '1001' }],
    ['a list field', { customer_id: [7, 1001] }],
    ['a nested object', { instances: [{ features: { email: 'a@example.com' } }] }],
    ['an OIP tensor named for the key', { inputs: [{ name: 'customer_id', shape: [2], data: [5, 1001] }] }],
    ['OIP parameters', { parameters: { customer_id: 1001 }, inputs: [] }],
  ])('finds the entity in %s', (_, value) => {
    expect(jsonNamesEntity(value, match)).toBe(true);
  });

  it.each([
    ['another value', { customer_id: 1002 }],
    ['the value under another name', { order_id: 1001 }],
    ['a tensor of features', { inputs: [{ name: 'features', data: [1001] }] }],
    ['a scalar', 1001],
  ])('does not find it in %s', (_, value) => {
    expect(jsonNamesEntity(value, match)).toBe(false);
  });

  it('survives deep nesting without recursion', () => {
    // Prepare
    let deep: unknown = { customer_id: 1001 };
    for (let i = 0; i < 100_000; i++) deep = { x: deep };
    // Act, Assess: past the depth bound the search stops rather than overflowing
    expect(jsonNamesEntity(deep, match)).toBe(false);
  });
});

describe('capture files', () => {
  it('matches by inference id, by payload, and base64 payloads', () => {
    expect(matchCaptureLine(line({}, 'inf-9'), match, new Set(['inf-9']))).toEqual({
      matches: true,
      inferenceId: 'inf-9',
    });
    expect(matchCaptureLine(line({ email: 'a@example.com' }, 'x', 'BASE64'), match, new Set()).matches).toBe(
      true,
    );
    expect(matchCaptureLine('not json', match, new Set()).matches).toBe(false);
  });

  it('matches an enriched prediction by the keyed hash of its entity key, and no other', () => {
    // Prepare: the request as the predict path sends it (features, the hashes, no key)
    const hashes = new Set([captureKeyHash('secret', 'customer_id', 1001)]);
    const enriched = (hash: string) =>
      line({ parameters: { [CAPTURE_KEY_HASHES_PARAMETER]: [hash] }, inputs: [] }, 'e', 'BASE64');
    // Act, Assess
    expect(
      matchCaptureLine(enriched(captureKeyHash('secret', 'customer_id', 1001)), match, new Set(), hashes),
    ).toEqual({ matches: true, inferenceId: 'e' });
    expect(
      matchCaptureLine(enriched(captureKeyHash('secret', 'customer_id', 1002)), match, new Set(), hashes)
        .matches,
    ).toBe(false);
    expect(
      matchCaptureLine(enriched(captureKeyHash('other', 'customer_id', 1001)), match, new Set(), hashes)
        .matches,
    ).toBe(false);
  });

  it('removes whole records and keeps the others byte for byte', () => {
    // Prepare
    const keep = line({ customer_id: 1002 }, 'k');
    const text = [line({ customer_id: 1001 }, 'gone'), keep, line({}, 'by-id')].join('\n');
    // Act
    const out = redactCaptureFile(`${text}\n`, match, new Set(['by-id']));
    // Assess
    expect(out).toEqual({ text: `${keep}\n`, removed: 2, removedIds: ['gone', 'by-id'] });
  });
});
