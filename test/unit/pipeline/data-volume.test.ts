import { dataVolumeCheckOf, RetrainingConfig } from '../../../contracts/pipeline';
import {
  type DataVolumeFacts,
  decideDataVolume,
  type RunSummary,
  rowsWrittenSince,
  trainingBaseline,
} from '../../../lambdas/pipeline/domain/data-volume';
import {
  type DataVolumeCheckDeps,
  runDataVolumeCheck,
} from '../../../lambdas/pipeline/domain/data-volume-check';
import { fixedRetrainingConfigs } from '../../../lambdas/pipeline/domain/ports';
import { normalizeTrigger } from '../../../lambdas/pipeline/domain/trigger-gate';

const ms = (iso: string) => Date.parse(iso);
const FIRST_CHECK = '2026-11-01T00:00:00.000Z';
const NOW = new Date('2026-11-02T12:00:00.000Z');
const trained = (startedAt: string, outcome: RunSummary['outcome'] = 'Promoted'): RunSummary => ({
  startedAt,
  outcome,
  metrics: { challenger: { accuracy: 0.9 } },
});
const untrained = (startedAt: string, outcome?: RunSummary['outcome']): RunSummary => ({
  startedAt,
  ...(outcome ? { outcome } : {}),
});
const facts = (over: Partial<DataVolumeFacts> = {}): DataVolumeFacts => ({
  featureView: 'churn_features',
  newRowsThreshold: 100,
  cooldownMinutes: 360,
  now: NOW,
  files: [],
  runs: [],
  firstCheckedAt: FIRST_CHECK,
  ...over,
});

describe('rowsWrittenSince', () => {
  it('sums the row counts of files written at or after the baseline, whatever their event times', () => {
    // Prepare
    const files = [
      { writtenAtMs: ms('2026-11-01T09:59:59.999Z'), rowCount: 500 },
      { writtenAtMs: ms('2026-11-01T10:00:00.000Z'), rowCount: 30 },
      { writtenAtMs: ms('2026-11-02T08:00:00.000Z'), rowCount: 12 },
    ];

    // Act
    const rows = rowsWrittenSince(files, ms('2026-11-01T10:00:00.000Z'));

    // Assess
    expect(rows).toBe(42);
  });
});

describe('trainingBaseline', () => {
  it('counts from the newest run that trained, and the admitted runs after it', () => {
    // Prepare
    const runs = [
      untrained('2026-11-02T09:00:00.000Z', 'Suppressed'),
      untrained('2026-11-02T08:00:00.000Z', 'TrainingFailed'),
      trained('2026-11-02T01:00:00.000Z', 'NotImproved'),
      trained('2026-11-01T01:00:00.000Z'),
    ];

    // Act
    const baseline = trainingBaseline(runs, FIRST_CHECK);

    // Assess
    expect(baseline).toEqual({ since: '2026-11-02T01:00:00.000Z', attempts: 1 });
  });

  it('counts from the first check when the model never trained, ignoring earlier runs', () => {
    // Prepare
    const runs = [
      untrained('2026-11-01T05:00:00.000Z'),
      untrained('2026-10-30T05:00:00.000Z', 'DataInvalid'),
    ];

    // Act
    const baseline = trainingBaseline(runs, FIRST_CHECK);

    // Assess
    expect(baseline).toEqual({ since: FIRST_CHECK, attempts: 1 });
  });
});

describe('decideDataVolume', () => {
  const since = '2026-11-02T01:00:00.000Z';
  const runs = [trained(since)];
  const files = (rows: number) => [{ writtenAtMs: ms('2026-11-02T02:00:00.000Z'), rowCount: rows }];

  it('reports when the new rows reach the threshold, with an id naming view, baseline and attempts', () => {
    // Act
    const decision = decideDataVolume(facts({ runs, files: files(100) }));

    // Assess
    expect(decision).toEqual({ report: true, checkId: `churn_features@${since}/0`, since, newRows: 100 });
  });

  it('gives the same id to a re-run of the same check', () => {
    // Act
    const first = decideDataVolume(facts({ runs, files: files(150) }));
    const again = decideDataVolume(facts({ runs, files: [...files(150), ...files(7)] }));

    // Assess
    expect(again.checkId).toBe(first.checkId);
  });

  it('waits below the threshold', () => {
    // Act
    const decision = decideDataVolume(facts({ runs, files: files(99) }));

    // Assess
    expect(decision).toMatchObject({ report: false, wait: 'BELOW_THRESHOLD', newRows: 99 });
  });

  it.each([
    ['RUN_IN_PROGRESS', { lockExpiresAt: NOW.getTime() / 1000 + 60 }],
    ['COOLING_DOWN', { cooldownExpiresAt: NOW.getTime() / 1000 + 60 }],
    [
      'ALREADY_REPORTED',
      { lastReport: { checkId: `churn_features@${since}/0`, at: '2026-11-02T11:00:00.000Z' } },
    ],
  ] as const)('waits (%s) while the gate would suppress the run or it was just reported', (wait, guard) => {
    // Act
    const decision = decideDataVolume(facts({ runs, files: files(500), ...guard }));

    // Assess
    expect(decision).toMatchObject({ report: false, wait });
  });

  it('reports again once expired guards or an old report no longer hold', () => {
    // Prepare
    const past = NOW.getTime() / 1000 - 1;
    const oldReport = { checkId: `churn_features@${since}/0`, at: '2026-11-02T05:59:59.999Z' };

    // Act
    const decision = decideDataVolume(
      facts({ runs, files: files(500), lockExpiresAt: past, cooldownExpiresAt: past, lastReport: oldReport }),
    );

    // Assess
    expect(decision.report).toBe(true);
  });

  it('reports under a new id after a run that did not train', () => {
    // Prepare
    const failed = [untrained('2026-11-02T03:00:00.000Z', 'TrainingFailed'), ...runs];
    const lastReport = { checkId: `churn_features@${since}/0`, at: '2026-11-02T11:00:00.000Z' };

    // Act
    const decision = decideDataVolume(facts({ runs: failed, files: files(500), lastReport }));

    // Assess
    expect(decision).toMatchObject({ report: true, checkId: `churn_features@${since}/1` });
  });

  it('starts over from a run that trained: its rows are no longer new', () => {
    // Prepare
    const retrained = [trained('2026-11-02T03:00:00.000Z'), ...runs];

    // Act
    const decision = decideDataVolume(facts({ runs: retrained, files: files(500) }));

    // Assess
    expect(decision).toMatchObject({ report: false, wait: 'BELOW_THRESHOLD', newRows: 0 });
  });

  it('keys the run it starts by the check id', () => {
    // Prepare
    const { checkId } = decideDataVolume(facts({ runs, files: files(100) }));
    const event = {
      source: 'cdk-mlops.pipeline',
      'detail-type': 'TrainingDataAccumulated',
      detail: { modelName: 'churn', featureView: 'churn_features', newRows: 100, threshold: 100, checkId },
    };

    // Act
    const trigger = normalizeTrigger(event, { name: 'exec-1', startTime: NOW.toISOString() });

    // Assess
    expect(trigger.dedupKey).toBe(`churn#data-volume#${checkId}`);
  });
});

describe('dataVolumeCheckOf', () => {
  const base = {
    modelName: 'churn',
    trainingData: { uri: 's3://bucket/k.csv', label: 'y', featureView: 'v' },
  };

  it('watches a model with a threshold, a feature view and the data-volume trigger', () => {
    // Act
    const spec = dataVolumeCheckOf(RetrainingConfig.parse({ ...base, newRowsThreshold: 10 }));

    // Assess
    expect(spec).toEqual({ modelName: 'churn', featureView: 'v', newRowsThreshold: 10, everyMinutes: 15 });
  });

  it('fails to watch a model whose data-volume trigger is off', () => {
    // Act
    const spec = dataVolumeCheckOf(
      RetrainingConfig.parse({ ...base, newRowsThreshold: 10, triggers: ['drift'] }),
    );

    // Assess
    expect(spec).toBeUndefined();
  });
});

describe('runDataVolumeCheck', () => {
  const configs = [
    RetrainingConfig.parse({
      modelName: 'churn',
      trainingData: { uri: 's3://bucket/k.csv', label: 'y', featureView: 'v' },
      newRowsThreshold: 2,
    }),
  ];
  const deps = (calls: string[]): DataVolumeCheckDeps => ({
    configs: fixedRetrainingConfigs(configs),
    now: () => NOW,
    checks: {
      begin: async () => ({ firstCheckedAt: FIRST_CHECK }),
      guards: async () => ({}),
      runsSinceLastTraining: async () => [],
      recordReport: async (_model, report) => void calls.push(`record ${report.checkId}`),
    },
    offline: { listFiles: async () => [{ writtenAtMs: NOW.getTime() - 1, rowCount: 2 }] },
    events: { publish: async (type) => void calls.push(`publish ${type}`) },
  });

  it('puts the event before remembering the report, so a crash between them reports again', async () => {
    // Prepare
    const calls: string[] = [];

    // Act
    const outcome = await runDataVolumeCheck(deps(calls), 'churn');

    // Assess
    expect(outcome).toMatchObject({ report: true, modelName: 'churn', featureView: 'v', threshold: 2 });
    expect(calls).toEqual(['publish TrainingDataAccumulated', `record v@${FIRST_CHECK}/0`]);
  });

  it('fails for a model without a data-volume check', async () => {
    // Act / Assess
    await expect(runDataVolumeCheck(deps([]), 'fraud')).rejects.toMatchObject({
      code: 'DATA_VOLUME_CHECK_NOT_CONFIGURED',
    });
  });
});
