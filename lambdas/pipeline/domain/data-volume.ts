/**
 * The data-volume trigger's decision, pure: how many rows a feature view's offline store gained
 * since the model last trained, and whether that starts a run now. Rows are counted from the
 * offline manifest (each entry carries its file's write time and row count), never from Parquet.
 *
 * The check id names one accumulation: the view, the baseline (the start of the last run that
 * trained, else the first check) and how many runs were admitted since. Re-running a check, or
 * checking again while nothing changed, gives the same id, which the pipeline's dedup key turns
 * into one run; a run that then fails without training changes the id, so the data is reported
 * again once the reason's cool-down allows.
 */
import type { RetrainingRun } from '../../../contracts/pipeline';

/** One offline file as its manifest entry describes it. */
export interface ManifestEntry {
  /** When the file was written (epoch ms), not its rows' event times. */
  readonly writtenAtMs: number;
  readonly rowCount: number;
}

/** What the decision needs of a run. */
export type RunSummary = Pick<RetrainingRun, 'startedAt' | 'outcome' | 'metrics'>;

/** Rows in files written at or after `sinceMs`: a late backfill of old events still counts. */
export function rowsWrittenSince(files: readonly ManifestEntry[], sinceMs: number): number {
  let rows = 0;
  for (const f of files) if (f.writtenAtMs >= sinceMs) rows += f.rowCount;
  return rows;
}

/** A run trained a challenger once it evaluated one: its record then holds the challenger's metrics. */
export const trainedChallenger = (run: RunSummary): boolean => run.metrics?.challenger !== undefined;

/** The point new rows are counted from, and how many runs were admitted after it. */
export interface TrainingBaseline {
  /** ISO time: the start of the newest run that trained, else the model's first check. */
  readonly since: string;
  /** Runs started after `since` that were admitted (any reason), finished or not. */
  readonly attempts: number;
}

export function trainingBaseline(runs: readonly RunSummary[], firstCheckedAt: string): TrainingBaseline {
  const trained = runs.filter(trainedChallenger).map((r) => r.startedAt);
  const since = trained.length > 0 ? trained.reduce((a, b) => (b > a ? b : a)) : firstCheckedAt;
  const sinceMs = Date.parse(since);
  const attempts = runs.filter((r) => r.outcome !== 'Suppressed' && Date.parse(r.startedAt) > sinceMs).length;
  return { since, attempts };
}

/** Same view, baseline and attempts, same id. No `#`: the dedup key joins its parts with it. */
export const dataVolumeCheckId = (featureView: string, baseline: TrainingBaseline): string =>
  `${featureView}@${baseline.since}/${baseline.attempts}`;

/**
 * A report not followed by an admitted run (a lost delivery, a suppression by configuration) is
 * repeated after the reason's cool-down, and no more often than hourly.
 */
export const REPORT_AGAIN_AFTER_MINUTES = 60;

export interface DataVolumeFacts {
  readonly featureView: string;
  readonly newRowsThreshold: number;
  readonly cooldownMinutes: number;
  readonly now: Date;
  readonly files: readonly ManifestEntry[];
  /** The model's runs back to (and including) its newest run that trained; any order. */
  readonly runs: readonly RunSummary[];
  readonly firstCheckedAt: string;
  readonly lastReport?: { readonly checkId: string; readonly at: string };
  /** Epoch seconds the model's run lock expires at; absent when no run holds it. */
  readonly lockExpiresAt?: number;
  /** Epoch seconds the data-volume cool-down ends at; absent when there is none. */
  readonly cooldownExpiresAt?: number;
}

export type DataVolumeWait = 'BELOW_THRESHOLD' | 'RUN_IN_PROGRESS' | 'COOLING_DOWN' | 'ALREADY_REPORTED';

export type DataVolumeDecision = {
  readonly checkId: string;
  readonly since: string;
  readonly newRows: number;
} & ({ readonly report: true } | { readonly report: false; readonly wait: DataVolumeWait });

/**
 * Reports when the new rows reach the threshold, unless a run holds the model (it may train on
 * them; the lock would suppress the run anyway), the reason is cooling down (the gate would
 * suppress it), or this accumulation was reported recently.
 */
export function decideDataVolume(f: DataVolumeFacts): DataVolumeDecision {
  const baseline = trainingBaseline(f.runs, f.firstCheckedAt);
  const newRows = rowsWrittenSince(f.files, Date.parse(baseline.since));
  const checkId = dataVolumeCheckId(f.featureView, baseline);
  const base = { checkId, since: baseline.since, newRows };
  const nowSeconds = f.now.getTime() / 1000;
  const wait = (w: DataVolumeWait): DataVolumeDecision => ({ ...base, report: false, wait: w });

  if (newRows < f.newRowsThreshold) return wait('BELOW_THRESHOLD');
  if (f.lockExpiresAt !== undefined && f.lockExpiresAt > nowSeconds) return wait('RUN_IN_PROGRESS');
  if (f.cooldownExpiresAt !== undefined && f.cooldownExpiresAt > nowSeconds) return wait('COOLING_DOWN');
  if (f.lastReport?.checkId === checkId) {
    const againAfterMs = Math.max(f.cooldownMinutes, REPORT_AGAIN_AFTER_MINUTES) * 60_000;
    if (f.now.getTime() < Date.parse(f.lastReport.at) + againAfterMs) return wait('ALREADY_REPORTED');
  }
  return { ...base, report: true };
}
