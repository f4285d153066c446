/**
 * The report path (profile + mergeable window summaries) against `detectFeatureDrift` on the same
 * samples, the merge property over shards, and the SageMaker capture reader's encodings.
 */
import { parseCaptureFile } from '../../../lambdas/monitoring/domain/capture';
import {
  emptyCurrent,
  mergeCurrent,
  summarizeCurrent,
} from '../../../lambdas/monitoring/domain/current-summary';
import { computeDriftReport } from '../../../lambdas/monitoring/domain/drift-report';
import { detectFeatureDrift } from '../../../lambdas/monitoring/domain/feature-drift';
import { renderDriftReportHtml } from '../../../lambdas/monitoring/domain/html-report';
import { buildProfile } from '../../../lambdas/monitoring/domain/profile';

const seq = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
const close = (a: number, b: number) => a === b || Math.abs(a - b) <= Math.max(1e-12, 1e-12 * Math.abs(b));

describe('computeDriftReport equals detectFeatureDrift', () => {
  it.each([
    [
      'ks (small reference)',
      300,
      (i: number) => (i * 7919) % 101,
      (i: number) => ((i * 104729) % 97) + 3,
      undefined,
    ],
    [
      'wasserstein (large reference)',
      2000,
      (i: number) => Math.sin(i) * 10,
      (i: number) => Math.cos(i) * 12,
      undefined,
    ],
    ['psi override', 2000, (i: number) => (i % 13) * 1.5, (i: number) => (i % 17) * 1.1, 'psi' as const],
    ['jensen-shannon override', 1500, (i: number) => i / 7, (i: number) => i / 6, 'jensen-shannon' as const],
    [
      'chi-square on a low-cardinality numeric',
      400,
      (i: number) => i % 4,
      (i: number) => (i * 3) % 5,
      undefined,
    ],
  ])('%s', (_, n, ref, cur, test) => {
    // Prepare
    const reference = seq(n, ref);
    const current = seq(700, cur);
    const profile = buildProfile({
      modelName: 'm',
      source: 'inline',
      createdAt: 't',
      rows: reference.map((x) => ({ x })),
    });
    // Act
    const report = computeDriftReport(
      profile,
      summarizeCurrent(
        current.map((x) => ({ x })),
        profile,
      ),
      {
        reportId: 'r',
        kind: 'on-demand',
        createdAt: 't',
        overrides: test ? { x: { test } } : {},
      },
    );
    const expected = detectFeatureDrift(
      { name: 'x', type: 'numeric', reference, current },
      test ? { test } : {},
    );
    // Assess
    const [f] = report.features;
    expect([f.test, f.drifted]).toEqual([expected.test, expected.drifted]);
    expect(close(f.statistic, expected.statistic)).toBe(true);
    expect(close(f.score, expected.score)).toBe(true);
  });

  it('gives the identical report for shards merged in any order', () => {
    const rows = seq(900, (i) => ({ x: (i * 37) % 211, c: `k${i % 7}` }));
    const profile = buildProfile({
      modelName: 'm',
      source: 'inline',
      createdAt: 't',
      rows: rows.slice(0, 500),
    });
    const shards = [rows.slice(0, 100), rows.slice(100, 450), rows.slice(450)].map((r) =>
      summarizeCurrent(r, profile),
    );
    const options = { reportId: 'r', kind: 'scheduled' as const, createdAt: 't' };
    const onePass = computeDriftReport(profile, summarizeCurrent(rows, profile), options);
    const merged = computeDriftReport(
      profile,
      shards.reverse().reduce(mergeCurrent, emptyCurrent(profile)),
      options,
    );
    expect(merged).toEqual(onePass);
  });
});

describe('parseCaptureFile', () => {
  const line = (input: object, output: object, id: string) =>
    JSON.stringify({
      captureData: { endpointInput: input, endpointOutput: output },
      eventMetadata: { eventId: `e${id}`, inferenceId: id, inferenceTime: '2026-11-24T10:00:00Z' },
      eventVersion: '0',
    });
  it('reads CSV, JSON, BASE64 and Open Inference Protocol v2 requests, counting bad lines', () => {
    const oip = { inputs: [{ name: 'features', shape: [2, 2], datatype: 'FP32', data: [1, 2, 3, 4] }] };
    const text = [
      line(
        { observedContentType: 'text/csv', mode: 'INPUT', data: '5,red', encoding: 'CSV' },
        { observedContentType: 'text/csv', mode: 'OUTPUT', data: '0.7', encoding: 'CSV' },
        'a',
      ),
      line(
        {
          observedContentType: 'application/json',
          mode: 'INPUT',
          data: '{"x":6,"c":"blue"}',
          encoding: 'JSON',
        },
        {
          observedContentType: 'application/json',
          mode: 'OUTPUT',
          data: '{"predictions":[0.1]}',
          encoding: 'JSON',
        },
        'b',
      ),
      line(
        {
          observedContentType: 'application/json',
          mode: 'INPUT',
          data: Buffer.from(JSON.stringify(oip)).toString('base64'),
          encoding: 'BASE64',
        },
        {
          observedContentType: 'application/json',
          mode: 'OUTPUT',
          data: JSON.stringify({
            outputs: [{ name: 'probability', shape: [2, 1], datatype: 'FP32', data: [0.2, 0.9] }],
          }),
          encoding: 'JSON',
        },
        'c',
      ),
      'not json',
    ].join('\n');
    const file = parseCaptureFile(text, ['x', 'c']);
    expect(file.malformed).toBe(1);
    expect(file.records.map((r) => r.rows)).toEqual([
      [{ x: 5, c: 'red' }],
      [{ x: 6, c: 'blue' }],
      [
        { x: 1, c: 2 },
        { x: 3, c: 4 },
      ],
    ]);
    expect(file.records.map((r) => r.predictions)).toEqual([[0.7], [0.1], [0.2, 0.9]]);
    expect(file.records.map((r) => r.inferenceId)).toEqual(['a', 'b', 'c']);
  });
});

describe('renderDriftReportHtml', () => {
  it('is self-contained and escapes feature names', () => {
    const profile = buildProfile({
      modelName: 'm',
      source: 'inline',
      createdAt: 't',
      rows: seq(50, (i) => ({ '<b>': i })),
    });
    const report = computeDriftReport(
      profile,
      summarizeCurrent(
        seq(50, (i) => ({ '<b>': i + 1 })),
        profile,
      ),
      {
        reportId: 'r',
        kind: 'on-demand',
        createdAt: 't',
      },
    );
    const html = renderDriftReportHtml(report);
    expect(html).toContain('&lt;b&gt;');
    expect(html).not.toContain('<b>');
    expect(html).not.toMatch(/<script|<link|src=/);
  });
});
