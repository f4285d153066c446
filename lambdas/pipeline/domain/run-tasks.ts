/**
 * Task functions that open and close a run: admit a trigger (gate), validate the training window
 * and write the channels, and finish with an outcome. Each takes the execution state and returns
 * it updated; Choice states branch on what they set.
 */
import { createHash } from 'node:crypto';
import type { AuditRecord } from '../../../contracts/events';
import { PipelineEvent, type PipelineEventType } from '../../../contracts/events';
import {
  pipelineKeys,
  RETRAINING_DEFAULTS,
  type RetrainingRun,
  type RunOutcome,
  trainingJobBaseName,
} from '../../../contracts/pipeline';
import { formatOf, parseTabular } from '../../monitoring';
import { type Row, splitHoldout, validateTrainingWindow } from './data-validation';
import type { PipelineDeps } from './ports';
import { type RunState, runRecord } from './state';
import { normalizeTrigger, planGate, refusalByConfig, suppressionReason } from './trigger-gate';

export function pipelineAudit(
  deps: Pick<PipelineDeps, 'newId'>,
  run: Pick<RetrainingRun, 'runId' | 'modelName' | 'trigger'>,
  at: string,
  action: PipelineEventType,
  after: Record<string, unknown>,
): AuditRecord {
  return {
    id: deps.newId(),
    at,
    actor: run.trigger.requestedBy,
    action,
    modelName: run.modelName,
    requestId: run.runId,
    after: { runId: run.runId, reason: run.trigger.reason, triggerEvent: run.trigger.event, ...after },
  };
}

const configOf = (deps: PipelineDeps, modelName: string) => deps.configs.get(modelName);

/** Admits or suppresses the trigger; an admitted run holds the model's lock from here on. */
export async function admit(deps: PipelineDeps, state: RunState): Promise<RunState> {
  const trigger = normalizeTrigger(state.input, state.execution);
  const config = await configOf(deps, trigger.modelName);
  const now = deps.now();
  const at = now.toISOString();
  const runId = state.execution.name;
  const jobName = trainingJobBaseName(deps.envName, trigger.modelName, runId);
  const bucket = deps.objects.bucket;
  const training = {
    jobName,
    image: config?.training.imageUri ?? deps.defaultTrainingImage,
    instanceType: config?.training.instanceType ?? RETRAINING_DEFAULTS.instanceType,
    hyperparameters: {
      ...Object.fromEntries(
        Object.entries(config?.training.hyperparameters ?? {}).map(([k, v]) => [k, String(v)]),
      ),
      target: config?.trainingData.label ?? 'target',
    },
    maxRuntimeSeconds: (config?.training.maxRuntimeMinutes ?? RETRAINING_DEFAULTS.maxRuntimeMinutes) * 60,
    trainChannelUri: `s3://${bucket}/${pipelineKeys.trainChannel(trigger.modelName, runId)}`,
    holdoutChannelUri: `s3://${bucket}/${pipelineKeys.holdoutChannel(trigger.modelName, runId)}`,
    outputUri: `s3://${bucket}/${pipelineKeys.output(trigger.modelName, runId)}`,
  };
  const admitted: RunState = {
    ...state,
    run: { runId, modelName: trigger.modelName, startedAt: at, trigger, training },
  };
  const record = runRecord(admitted, at);

  const suppress = async (reason: string): Promise<RunState> => {
    const done = {
      ...record,
      status: 'SUCCEEDED' as const,
      phase: 'DONE',
      outcome: 'Suppressed' as const,
      reason,
      finishedAt: at,
    };
    await deps.store.recordSuppressed(
      done,
      pipelineAudit(deps, done, at, PipelineEvent.RETRAINING_SUPPRESSED, {
        outcome: 'Suppressed',
        why: reason,
      }),
    );
    return { ...admitted, gate: { admitted: false, reason }, outcome: { outcome: 'Suppressed', reason } };
  };
  const refused = refusalByConfig(trigger, config);
  if (refused || !config) return suppress(refused ?? 'no config');
  if (!(await deps.deploymentTargets.get(trigger.modelName))) {
    return suppress(`${trigger.modelName} has no endpoint to canary on; add it to mlops:endpoints`);
  }
  const result = await deps.store.admit({
    run: record,
    plan: planGate(trigger, config, now),
    audit: pipelineAudit(deps, record, at, PipelineEvent.RETRAINING_STARTED, { dedupKey: trigger.dedupKey }),
  });
  if (!result.admitted) return suppress(suppressionReason(trigger, result));
  return { ...admitted, gate: { admitted: true } };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const isMissing = (v: unknown) =>
  v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));

/** Numeric CSV of the given columns; rows missing any value are left out (the trainer takes no nulls). */
function toCsv(rows: readonly Row[], columns: readonly string[]): { text: string; kept: number } {
  const kept = rows.filter((r) => columns.every((c) => !isMissing(r[c])));
  return {
    text: `${columns.join(',')}\n${kept.map((r) => columns.map((c) => Number(r[c])).join(',')).join('\n')}\n`,
    kept: kept.length,
  };
}

/**
 * Reads the training window, validates it and, when valid, writes the training and holdout
 * channels (CSV, the label last) the training job reads. An invalid window writes nothing.
 */
export async function validateData(deps: PipelineDeps, state: RunState): Promise<RunState> {
  const run = requireRun(state);
  const config = await configOf(deps, run.modelName);
  if (!config) throw new Error(`${run.modelName} lost its retraining config mid-run`);
  const { uri, label, exclude, featureView, holdoutPercent } = config.trainingData;
  await record(deps, state, { phase: 'VALIDATING' });
  const bytes = await deps.objects.get(uri);
  const rows = await parseTabular(bytes, formatOf(uri));
  const declared = featureView ? await deps.featureView(featureView) : undefined;
  const report = validateTrainingWindow({ rows, label, exclude, validation: config.validation, declared });
  const problems =
    featureView && !declared
      ? [
          ...report.problems,
          { check: 'required' as const, message: `feature view ${featureView} does not exist` },
        ]
      : report.problems;
  const base = {
    rowCount: report.rowCount,
    problems,
    datasetUri: uri,
    datasetSha256: sha256(bytes),
    features: report.features,
  };
  if (problems.length > 0) return { ...state, validation: { ...base, valid: false } };

  const split = splitHoldout(rows, holdoutPercent, run.runId);
  const columns = [...report.features, label];
  const train = toCsv(split.train, columns);
  const holdout = toCsv(split.holdout, columns);
  const channelKey = (channelUri: string) =>
    `${channelUri.replace(`s3://${deps.objects.bucket}/`, '')}data.csv`;
  await deps.objects.put(channelKey(run.training.trainChannelUri), train.text, 'text/csv');
  await deps.objects.put(channelKey(run.training.holdoutChannelUri), holdout.text, 'text/csv');
  // The training job comes next and cannot record progress itself.
  await record(deps, state, { phase: 'TRAINING' });
  return { ...state, validation: { ...base, valid: true, trainRows: train.kept, holdoutRows: holdout.kept } };
}

/** Records progress on the run (no event: phases are not facts others act on). */
export async function record(
  deps: PipelineDeps,
  state: RunState,
  changes: Partial<RetrainingRun>,
): Promise<void> {
  const run = requireRun(state);
  const current = await deps.store.getRun(run.modelName, run.runId);
  const at = deps.now().toISOString();
  await deps.store.updateRun({
    ...(current ?? runRecord(state, at)),
    ...runRecord(state, at, changes),
    status: 'RUNNING',
  });
}

/** The reason an outcome's run ended with, from what the state holds. */
function reasonFor(outcome: RunOutcome, state: RunState): string {
  switch (outcome) {
    case 'DataInvalid':
      return (
        (state.validation?.problems ?? []).map((p) => p.message).join('; ') ||
        'the training window is invalid'
      );
    case 'TrainingFailed':
      return state.error
        ? `${state.error.Error ?? 'error'}: ${causeText(state.error.Cause)}`
        : 'training failed';
    case 'NotImproved':
    case 'GovernanceRefused':
      return state.decision?.reason ?? outcome;
    case 'Promoted':
      return `version ${state.registration?.version} promoted after its canary`;
    case 'RolledBack':
      return `version ${state.registration?.version} rolled back: ${
        state.canary?.result?.outcome?.reason ||
        state.canary?.result?.outcome?.alarm ||
        causeText(state.error?.Cause) ||
        'the rollout did not promote'
      }`;
    case 'NotApproved':
      return `version ${state.registration?.version} not promoted: ${
        state.error ? `${state.error.Error ?? 'error'}: ${causeText(state.error.Cause)}` : 'not approved'
      }`;
    case 'Suppressed':
      return state.gate?.reason ?? 'suppressed';
    case 'Stopped':
      return state.error
        ? `${state.error.Error ?? 'stopped'}: ${causeText(state.error.Cause)}`
        : 'the execution stopped';
  }
}

/** A Catch's Cause is often JSON with an errorMessage or FailureReason; show the message. */
function causeText(cause: string | undefined): string {
  if (!cause) return '';
  try {
    const parsed = JSON.parse(cause) as Record<string, unknown>;
    return String(parsed.errorMessage ?? parsed.FailureReason ?? parsed.message ?? cause);
  } catch {
    return cause;
  }
}

/** Ends the run: final record, the RetrainingFinished event and audit record, the lock released. */
export async function finish(deps: PipelineDeps, state: RunState, outcome: RunOutcome): Promise<RunState> {
  requireRun(state);
  const at = deps.now().toISOString();
  const reason = reasonFor(outcome, state);
  const failed = outcome === 'TrainingFailed' || outcome === 'DataInvalid' || outcome === 'Stopped';
  const done = runRecord(state, at, {
    status: failed ? 'FAILED' : 'SUCCEEDED',
    phase: 'DONE',
    outcome,
    reason,
    finishedAt: at,
  });
  await deps.store.finishRun(
    done,
    pipelineAudit(deps, done, at, PipelineEvent.RETRAINING_FINISHED, {
      outcome,
      why: reason,
      ...(done.registeredVersion ? { registeredVersion: done.registeredVersion } : {}),
      ...(done.metrics ? { metrics: done.metrics } : {}),
    }),
  );
  return { ...state, outcome: { outcome, reason } };
}

export function requireRun(state: RunState): NonNullable<RunState['run']> {
  if (!state.run) throw new Error('the run has not been admitted');
  return state.run;
}
