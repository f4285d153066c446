/**
 * Scheduled drift checks over the capture written since the last check. The check first leases its
 * window (a conditional write naming the run, the window's last key and a lease expiry), so
 * overlapping schedules never report a window twice, and moves the watermark only once the report
 * is stored, so a check that dies mid-way loses nothing: its lease expires and the next check
 * takes the same window over. Then:
 * - up to `maxFilesPerLambda` files: one Lambda reads, summarises, merges and reports;
 * - more: a manifest of the keys goes to S3 and a Step Functions Distributed Map summarises one file
 *   per iteration (`summarizeShard`) and a last step merges the summaries (`mergeShards`): sorted
 *   merges and integer sums, so the report equals the one-pass report exactly.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 */

import { CHAMPION_ALIAS } from '../../../contracts/model-names';
import type { MonitoredModelSetting } from '../../../contracts/monitoring';
import { monitoringKeys } from '../../../contracts/monitoring-names';
import type { CheckOutcome } from '../../../contracts/monitoring-reports';
import { BadRequestError, UnprocessableError } from '../../shared/errors';
import { parseCaptureFile } from './capture';
import type { Row } from './columns';
import { type CurrentSummary, emptyCurrent, mergeCurrent, summarizeCurrent } from './current-summary';
import { publishDriftReport } from './drift-checks';
import { computeDriftReport, type DriftReport } from './drift-report';
import type { FanOutInput, MonitoringDeps } from './ports';
import type { ReferenceProfile } from './profile';
import { loadReferenceProfile } from './profiles';

export type { CheckOutcome };

/** Capture files one check claims at most; a larger backlog is worked off by the next checks. */
export const MAX_FILES_PER_CHECK = 10_000;

/** How long a check may hold its window: past the Lambda timeout and the fan-out's run time. */
export const WINDOW_LEASE_MS = 2 * 60 * 60 * 1000;

/** The monitored model's config. @throws BadRequestError `NOT_MONITORED` */
export async function monitoredModel(
  deps: MonitoringDeps,
  modelName: string,
): Promise<MonitoredModelSetting> {
  const found = await deps.models.get(modelName);
  if (!found)
    throw new BadRequestError('NOT_MONITORED', `model ${modelName} is not in mlops:monitoring.models`);
  return found;
}

const streamOf = (m: MonitoredModelSetting) => `${m.endpointName}/${m.variant}`;

/** Runs one scheduled check of a model. */
export async function runScheduledCheck(deps: MonitoringDeps, modelName: string): Promise<CheckOutcome> {
  const model = await monitoredModel(deps, modelName);
  const stream = streamOf(model);
  const state = await deps.store.getWatermark(modelName, stream);
  const now = deps.now();
  if (state.pending && state.pending.leaseUntil > now.toISOString()) {
    return { status: 'CHECK_IN_PROGRESS', modelName, runId: state.pending.runId };
  }
  const prefix = `${deps.capturePrefix}${stream}/`;
  const files = (
    await deps.objects.list(prefix, { startAfter: state.lastKey, limit: MAX_FILES_PER_CHECK })
  ).filter((o) => o.key.endsWith('.jsonl') && o.size > 0);
  if (files.length === 0) return { status: 'NO_NEW_CAPTURE', modelName };
  // Resolved once, before the lease: every shard and the merge compare with the same profile, and
  // a model without a reference claims nothing.
  const modelVersion = await referenceVersion(deps, model);
  const keys = files.map((f) => f.key);
  const runId = deps.newId();
  // Lease the window before any work: a concurrent check now fails here, not after publishing.
  await deps.store.claimWindow(modelName, stream, {
    ...(state.lastKey === undefined ? {} : { expectedLastKey: state.lastKey }),
    runId,
    toKey: keys[keys.length - 1],
    leaseUntil: new Date(now.getTime() + WINDOW_LEASE_MS).toISOString(),
    now: now.toISOString(),
  });
  const window = { files: keys.length, firstKey: keys[0], lastKey: keys[keys.length - 1] };
  if (keys.length > deps.maxFilesPerLambda && deps.fanOut) {
    const manifestKey = monitoringKeys.manifest(runId);
    await deps.objects.putText(manifestKey, JSON.stringify(keys.map((key) => ({ key }))), 'application/json');
    const input: FanOutInput = {
      runId,
      modelName,
      manifestKey,
      bucket: deps.objects.bucket,
      modelVersion,
      ...window,
    };
    const { executionArn } = await deps.fanOut.start(input);
    return { status: 'FANNED_OUT', modelName, runId, executionArn, files: keys.length };
  }
  const { profile } = await loadReferenceProfile(deps, modelName, modelVersion);
  let current = emptyCurrent(profile);
  for (const key of keys) current = mergeCurrent(current, await summarizeCaptureObject(deps, profile, key));
  const report = await reportWindow(deps, model, profile, current, runId, window);
  await deps.store.commitWindow(modelName, stream, runId);
  return { status: 'REPORTED', modelName, report };
}

/** Reads one capture object and summarises its requests against the profile. */
export async function summarizeCaptureObject(
  deps: MonitoringDeps,
  profile: ReferenceProfile,
  key: string,
): Promise<CurrentSummary> {
  const bytes = await deps.objects.getBytes(key);
  if (!bytes) return emptyCurrent(profile);
  const file = parseCaptureFile(
    Buffer.from(bytes).toString('utf8'),
    profile.features.map((f) => f.name),
  );
  const rows: Row[] = [];
  for (const record of file.records) for (const row of record.rows) rows.push(row);
  return summarizeCurrent(rows, profile, file.records.length);
}

async function reportWindow(
  deps: MonitoringDeps,
  model: MonitoredModelSetting,
  profile: ReferenceProfile,
  current: CurrentSummary,
  reportId: string,
  window: DriftReport['window'],
): Promise<DriftReport> {
  const report = computeDriftReport(profile, current, {
    reportId,
    kind: 'scheduled',
    createdAt: deps.now().toISOString(),
    overrides: model.overrides,
    driftShareThreshold: model.driftShareThreshold,
    window,
  });
  return publishDriftReport(deps, report);
}

/** Input of one Distributed Map iteration (built by the map's ItemSelector). */
/**
 * The version a model's capture is compared with: the configured one, else the champion's now.
 * @throws UnprocessableError `NO_CHAMPION` when neither is there
 */
export async function referenceVersion(deps: MonitoringDeps, model: MonitoredModelSetting): Promise<number> {
  if (model.modelVersion !== undefined) return model.modelVersion;
  const champion = await deps.registry.aliasVersion(model.modelName, CHAMPION_ALIAS);
  if (champion === undefined) {
    throw new UnprocessableError(
      'NO_CHAMPION',
      `${model.modelName} has no ${CHAMPION_ALIAS} alias to compare traffic with; promote a version or set modelVersion in mlops:monitoring`,
    );
  }
  return champion;
}

export interface ShardInput {
  readonly runId: string;
  readonly modelName: string;
  readonly key: string;
  readonly index: number;
  /** Set by the check that fanned out; absent in runs started before it was passed. */
  readonly modelVersion?: number;
}

/** Summarises one capture file of a fanned-out run into `runs/<runId>/shards/<index>.json`. */
export async function summarizeShard(
  deps: MonitoringDeps,
  input: ShardInput,
): Promise<{ index: number; rows: number }> {
  const model = await monitoredModel(deps, input.modelName);
  const version = input.modelVersion ?? (await referenceVersion(deps, model));
  const { profile } = await loadReferenceProfile(deps, input.modelName, version);
  const summary = await summarizeCaptureObject(deps, profile, input.key);
  await deps.objects.putText(
    monitoringKeys.shard(input.runId, input.index),
    JSON.stringify(summary),
    'application/json',
  );
  return { index: input.index, rows: summary.rowCount };
}

/** Merges every shard summary of a run (in index order) and publishes the report. */
export async function mergeShards(
  deps: MonitoringDeps,
  input: FanOutInput & DriftReport['window'],
): Promise<DriftReport> {
  const model = await monitoredModel(deps, input.modelName);
  const version = input.modelVersion ?? (await referenceVersion(deps, model));
  const { profile } = await loadReferenceProfile(deps, input.modelName, version);
  const shards = await deps.objects.list(monitoringKeys.shardPrefix(input.runId));
  let current = emptyCurrent(profile);
  for (const shard of shards) {
    const bytes = await deps.objects.getBytes(shard.key);
    if (bytes)
      current = mergeCurrent(current, JSON.parse(Buffer.from(bytes).toString('utf8')) as CurrentSummary);
  }
  const window = { files: input?.files ?? shards.length, firstKey: input?.firstKey, lastKey: input?.lastKey };
  const report = await reportWindow(deps, model, profile, current, input.runId, window);
  await deps.store.commitWindow(input.modelName, streamOf(model), input.runId);
  return report;
}
