/**
 * The data-volume check of one model, run by its schedule: reads what `decideDataVolume` needs
 * through ports (the check's state and the run guards in the pipeline table, the model's runs, the
 * feature view's offline manifest), and when the new rows reach the threshold puts
 * `TrainingDataAccumulated` on the platform bus, then remembers the report. The event goes first:
 * a check that dies between the two reports again with the same check id, which the pipeline's
 * dedup key absorbs.
 */
import { PipelineEvent, type TrainingDataAccumulatedDetail } from '../../../contracts/events';
import { dataVolumeCheckOf } from '../../../contracts/pipeline';
import { NotFoundError } from '../../shared/errors';
import {
  type DataVolumeDecision,
  decideDataVolume,
  type ManifestEntry,
  type RunSummary,
} from './data-volume';
import type { RetrainingConfigSource } from './ports';

/** The check's own record per model. */
export interface DataVolumeCheckState {
  /** Set by the first check: a model that never trained counts rows from here. */
  readonly firstCheckedAt: string;
  readonly lastReport?: { readonly checkId: string; readonly at: string; readonly newRows: number };
}

/** The pipeline table as the check reads and writes it. */
export interface DataVolumeCheckStore {
  /** The model's check state, created with `firstCheckedAt = now` on its first check. */
  begin(modelName: string, now: Date): Promise<DataVolumeCheckState>;
  /** Expiry (epoch seconds) of the model's run lock and of its data-volume cool-down, when held. */
  guards(modelName: string): Promise<{ lockExpiresAt?: number; cooldownExpiresAt?: number }>;
  /** Newest first, down to and including the newest run that trained a challenger. */
  runsSinceLastTraining(modelName: string): Promise<RunSummary[]>;
  recordReport(modelName: string, report: NonNullable<DataVolumeCheckState['lastReport']>): Promise<void>;
}

/** The feature view's offline manifest. */
export interface OfflineManifest {
  /** Every file of the view, from its manifest entries. */
  listFiles(featureView: string): Promise<readonly ManifestEntry[]>;
}

/** Puts one event of the pipeline's source on the platform bus. */
export interface PipelineEventPublisher {
  publish(detailType: string, detail: unknown): Promise<void>;
}

export interface DataVolumeCheckDeps {
  readonly configs: RetrainingConfigSource;
  readonly checks: DataVolumeCheckStore;
  readonly offline: OfflineManifest;
  readonly events: PipelineEventPublisher;
  readonly now: () => Date;
}

export type DataVolumeCheckOutcome = DataVolumeDecision & {
  readonly modelName: string;
  readonly featureView: string;
  readonly threshold: number;
};

/**
 * Checks one model and reports when due.
 * @throws NotFoundError `DATA_VOLUME_CHECK_NOT_CONFIGURED` when the model has no such check
 */
export async function runDataVolumeCheck(
  deps: DataVolumeCheckDeps,
  modelName: string,
): Promise<DataVolumeCheckOutcome> {
  const config = await deps.configs.get(modelName);
  const spec = config && dataVolumeCheckOf(config);
  if (!config || !spec) {
    throw new NotFoundError(
      'DATA_VOLUME_CHECK_NOT_CONFIGURED',
      `${modelName} has no data-volume check: it needs newRowsThreshold, trainingData.featureView and the data-volume trigger`,
    );
  }
  const now = deps.now();
  const state = await deps.checks.begin(modelName, now);
  const [guards, runs, files] = await Promise.all([
    deps.checks.guards(modelName),
    deps.checks.runsSinceLastTraining(modelName),
    deps.offline.listFiles(spec.featureView),
  ]);
  const decision = decideDataVolume({
    featureView: spec.featureView,
    newRowsThreshold: spec.newRowsThreshold,
    cooldownMinutes: config.cooldownMinutes,
    now,
    files,
    runs,
    firstCheckedAt: state.firstCheckedAt,
    ...(state.lastReport ? { lastReport: state.lastReport } : {}),
    ...guards,
  });
  const outcome = { ...decision, modelName, featureView: spec.featureView, threshold: spec.newRowsThreshold };
  if (!decision.report) return outcome;

  const detail: TrainingDataAccumulatedDetail = {
    modelName,
    featureView: spec.featureView,
    newRows: decision.newRows,
    threshold: spec.newRowsThreshold,
    checkId: decision.checkId,
    since: decision.since,
  };
  await deps.events.publish(PipelineEvent.TRAINING_DATA_ACCUMULATED, detail);
  await deps.checks.recordReport(modelName, {
    checkId: decision.checkId,
    at: now.toISOString(),
    newRows: decision.newRows,
  });
  return outcome;
}
