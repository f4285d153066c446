/**
 * The pure parts of the feature store's adapters and jobs: offline key layout, the view cache of
 * the lookup path, the freshness metric document, and a training-set job run at most once.
 */
import { eventSourceOf } from '../../../contracts/events';
import { CachedViewReader } from '../../../lambdas/features/adapters/cached-view-reader';
import {
  dataKey,
  fileId,
  manifestKey,
  parseManifestKey,
} from '../../../lambdas/features/adapters/offline-layout';
import { freshnessSeconds } from '../../../lambdas/features/domain/ingest';
import type { TrainingSetJobStore } from '../../../lambdas/features/domain/ports';
import { runTrainingSet } from '../../../lambdas/features/domain/training-sets';
import { freshnessMetrics } from '../../../lambdas/features/materialize';
import { toEmf } from '../../../lambdas/shared/metrics';

describe('offline layout', () => {
  it('round-trips a manifest key to its data file, bounds and write time', () => {
    // Prepare
    const written = Date.parse('2024-05-01T10:11:12.345Z');
    const id = fileId(written, 'abc');
    // Act
    const key = manifestKey('drivers', '2024-05-01', id, {
      minEventTimestampMs: 5,
      maxEventTimestampMs: 9,
      rowCount: 3,
    });
    const parsed = parseManifestKey('drivers', key);
    // Assess
    expect(key).toBe('features/manifest/drivers/dt=2024-05-01/20240501T101112345Z-abc~5~9~3.json');
    expect(parsed).toEqual({
      key: dataKey('drivers', '2024-05-01', id),
      minEventTimestampMs: 5,
      maxEventTimestampMs: 9,
      rowCount: 3,
      writtenAtMs: written,
    });
  });

  it('ignores keys of another view or another shape', () => {
    const key = manifestKey('drivers', '2024-05-01', fileId(0, 'x'), {
      minEventTimestampMs: 1,
      maxEventTimestampMs: 2,
      rowCount: 1,
    });
    expect(parseManifestKey('drivers_2', key)).toBeUndefined();
    expect(parseManifestKey('drivers', 'features/manifest/drivers/dt=2024-05-01/notes.txt')).toBeUndefined();
  });

  it('names files so that lexical order is write order', () => {
    expect(fileId(1_000, 'z') < fileId(2_000, 'a')).toBe(true);
  });
});

describe('CachedViewReader', () => {
  it('reuses a definition within the TTL and reads again after it', async () => {
    // Prepare
    let now = 0;
    const get = jest.fn(async () => undefined);
    const reader = new CachedViewReader({ get }, 10_000, () => now);
    // Act
    await reader.get('a');
    await reader.get('a');
    now = 10_001;
    await reader.get('a');
    // Assess
    expect(get).toHaveBeenCalledTimes(2);
  });
});

describe('freshness', () => {
  it('is the age of the newest row, as an EMF document on the alarm metric', () => {
    const files = [5_000, 9_000].map((max) => ({
      bucket: 'b',
      key: 'k',
      rowCount: 1,
      minEventTimestampMs: 0,
      maxEventTimestampMs: max,
      writtenAtMs: 0,
    }));
    expect(freshnessSeconds(files, 10_000)).toBe(1);
    expect(freshnessSeconds([], 10_000)).toBeUndefined();
    const now = Date.now();
    expect(toEmf(freshnessMetrics('v', 1, now))).toEqual({
      _aws: {
        Timestamp: now,
        CloudWatchMetrics: [
          {
            Namespace: 'cdk-mlops/FeatureStore',
            Dimensions: [['FeatureView']],
            Metrics: [{ Name: 'FeatureFreshnessSeconds', Unit: 'Seconds' }],
          },
        ],
      },
      FeatureView: 'v',
      FeatureFreshnessSeconds: 1,
    });
  });
});

describe('runTrainingSet', () => {
  it('leaves a job alone that another worker already moved past QUEUED', async () => {
    // Prepare
    const jobs: TrainingSetJobStore = {
      createJob: jest.fn(),
      getJob: jest.fn(async () => ({
        jobId: 'j',
        status: 'RUNNING' as const,
        features: [],
        createdAt: '',
        updatedAt: '',
      })),
      getRequest: jest.fn(),
      transitionJob: jest.fn(async () => false),
    };
    const engine = { build: jest.fn() };
    // Act
    const job = await runTrainingSet(
      { jobs, engine, views: {} as never, now: () => new Date(), newId: () => 'x' },
      'j',
    );
    // Assess
    expect(job?.status).toBe('RUNNING');
    expect(engine.build).not.toHaveBeenCalled();
  });

  it('records FAILED with the reason when the engine fails', async () => {
    // Prepare
    const transitions: string[] = [];
    const jobs: TrainingSetJobStore = {
      createJob: jest.fn(),
      getJob: jest.fn(async () => undefined),
      getRequest: jest.fn(async () => ({ features: ['v:f'], fullFeatureNames: false, entityRows: [] })),
      transitionJob: jest.fn(async (_id, from, to, fields) => {
        transitions.push(`${from}>${to}${fields?.error ? `:${fields.error}` : ''}`);
        return true;
      }),
    };
    const views = { get: async () => undefined } as never;
    // Act
    await runTrainingSet(
      { jobs, engine: { build: jest.fn() }, views, now: () => new Date(), newId: () => 'x' },
      'j',
    );
    // Assess
    expect(transitions).toEqual(['QUEUED>RUNNING', 'RUNNING>FAILED:Feature view v does not exist']);
  });
});

describe('feature events', () => {
  it('go out with the feature store source through the shared outbox', () => {
    expect(eventSourceOf('FeatureViewCreated')).toBe('cdk-mlops.features');
    expect(eventSourceOf('ModelCreated')).toBe('cdk-mlops.registry');
  });
});
