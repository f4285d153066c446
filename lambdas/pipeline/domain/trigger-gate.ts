/**
 * The trigger gate, pure: turns whatever started an execution (an EventBridge event from
 * monitoring or the data-volume check, a schedule's constant input, the route's input) into one
 * `RetrainingTrigger`, and decides the keys and lifetimes of the three guards the store then
 * writes conditionally: the model's run lock, the per-reason cool-down, the per-event dedup key.
 */
import {
  MONITORING_EVENT_SOURCE,
  MonitoringEvent,
  PIPELINE_EVENT_SOURCE,
  PipelineEvent,
} from '../../../contracts/events';
import { ModelName } from '../../../contracts/model-names';
import {
  RETRAINING_DEFAULTS,
  type RetrainingConfig,
  type RetrainingReason,
  type RetrainingTrigger,
} from '../../../contracts/pipeline';
import { BadRequestError } from '../../shared/errors';

/** The execution's identity, from the context object (`$$.Execution`). */
export interface ExecutionContext {
  readonly name: string;
  readonly startTime: string;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

const EVENT_REASONS: Record<string, RetrainingReason> = {
  [`${MONITORING_EVENT_SOURCE}/${MonitoringEvent.DRIFT_DETECTED}`]: 'drift',
  [`${MONITORING_EVENT_SOURCE}/${MonitoringEvent.QUALITY_DEGRADED}`]: 'quality',
  [`${PIPELINE_EVENT_SOURCE}/${PipelineEvent.TRAINING_DATA_ACCUMULATED}`]: 'data-volume',
};

/**
 * Normalizes an execution input. Events are recognized by source and detail-type; their dedup
 * key is the report id (a monitoring event's audit record id) or check id, else the event id, so a
 * redelivered event starts nothing. A schedule's key is the model and the minute it fired.
 * @throws BadRequestError `INVALID_TRIGGER` for input that names no model or reason
 */
export function normalizeTrigger(input: unknown, execution: ExecutionContext): RetrainingTrigger {
  const raw = obj(input);
  const source = str(raw.source);
  const detailType = str(raw['detail-type']);
  if (source && detailType && raw.detail !== undefined) {
    const reason = EVENT_REASONS[`${source}/${detailType}`];
    const detail = obj(raw.detail);
    if (!reason) throw invalid(`events of ${source}/${detailType} do not start retraining`);
    const modelName = modelNameOf(detail.modelName);
    // A monitoring event is its report's audit record, whose id is the report id.
    const eventId =
      str(detail.reportId) ?? str(detail.checkId) ?? str(detail.id) ?? str(raw.id) ?? execution.name;
    return {
      modelName,
      reason,
      event: { id: eventId, source, detailType, time: str(raw.time) ?? execution.startTime },
      dedupKey: `${modelName}#${reason}#${eventId}`,
      requestedBy: `events:${source}`,
    };
  }
  const modelName = modelNameOf(raw.modelName);
  const reason = str(raw.reason);
  if (reason !== 'schedule' && reason !== 'manual')
    throw invalid(`reason must be schedule or manual, got ${JSON.stringify(raw.reason)}`);
  if (reason === 'schedule') {
    // A schedule's constant input has no id: the minute it fired identifies the tick.
    const minute = execution.startTime.slice(0, 16);
    return {
      modelName,
      reason,
      event: { id: minute, source: 'aws.events', detailType: 'Scheduled Event', time: execution.startTime },
      dedupKey: `${modelName}#schedule#${minute}`,
      requestedBy: 'events:schedule',
    };
  }
  const requestId = str(raw.requestId) ?? execution.name;
  return {
    modelName,
    reason,
    event: {
      id: requestId,
      source: 'cdk-mlops.api',
      detailType: 'StartRetrainingRun',
      time: execution.startTime,
    },
    dedupKey: `${modelName}#manual#${requestId}`,
    requestedBy: str(raw.requestedBy) ?? 'unknown',
  };
}

function modelNameOf(v: unknown): string {
  const parsed = ModelName.safeParse(v);
  if (!parsed.success) throw invalid(`modelName ${JSON.stringify(v)} ${parsed.error.issues[0].message}`);
  return parsed.data;
}

const invalid = (message: string) => new BadRequestError('INVALID_TRIGGER', message);

/** Why a trigger starts no run; `undefined` when it may go on to the guards. */
export function refusalByConfig(
  trigger: RetrainingTrigger,
  config: RetrainingConfig | undefined,
): string | undefined {
  if (!config) return `${trigger.modelName} has no retraining config (mlops:retraining)`;
  if (!config.triggers.includes(trigger.reason))
    return `${trigger.reason} triggers are disabled for ${trigger.modelName}`;
  return undefined;
}

/** Epoch seconds, as DynamoDB TTL wants them. */
const epoch = (at: Date) => Math.floor(at.getTime() / 1000);

/** The guards one admitted trigger writes, with their lifetimes. */
export interface GatePlan {
  readonly lockExpiresAt: number;
  /** Absent when the cool-down is 0 (manual runs have none: a person asked). */
  readonly cooldownExpiresAt?: number;
  readonly dedupExpiresAt: number;
  readonly now: number;
}

export function planGate(trigger: RetrainingTrigger, config: RetrainingConfig, now: Date): GatePlan {
  const minutes = (m: number) => new Date(now.getTime() + m * 60_000);
  const cooldown = trigger.reason === 'manual' ? 0 : config.cooldownMinutes;
  // A run's lock outlives its slowest path: training with every retry, then the canary.
  const lockMinutes = Math.max(RETRAINING_DEFAULTS.lockMinutes, config.training.maxRuntimeMinutes * 4);
  return {
    now: epoch(now),
    lockExpiresAt: epoch(minutes(lockMinutes)),
    ...(cooldown > 0 ? { cooldownExpiresAt: epoch(minutes(cooldown)) } : {}),
    dedupExpiresAt: epoch(minutes(RETRAINING_DEFAULTS.dedupDays * 24 * 60)),
  };
}

/** What the store found when it tried to take the guards, in the order it tries them. */
export type GateResult =
  | { readonly admitted: true }
  | { readonly admitted: false; readonly guard: 'dedup' | 'cooldown' | 'lock'; readonly holder?: string };

/** A one-line reason for a suppression, for the run record and the event. */
export function suppressionReason(
  trigger: RetrainingTrigger,
  result: GateResult | { admitted: false; guard: 'config'; reason: string },
): string {
  if (result.admitted) return '';
  switch (result.guard) {
    case 'dedup':
      return `trigger ${trigger.dedupKey} was already handled`;
    case 'cooldown':
      return `${trigger.reason} retraining of ${trigger.modelName} is cooling down`;
    case 'lock':
      return `run ${result.holder ?? 'unknown'} is in progress for ${trigger.modelName}`;
    case 'config':
      return result.reason;
  }
}
