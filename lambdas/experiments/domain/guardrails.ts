/**
 * The scheduled evaluation of running experiments: each gets a snapshot of its aggregates (the
 * effect-over-time chart) and is stopped at once, reason recorded, when the split is broken
 * (sample ratio mismatch, also audited as `SampleRatioMismatch`), a guardrail metric is
 * significantly worse than control beyond its allowance, or an alarm of the treatment's variant
 * (latency, errors) is in ALARM. Variant steps a route left waiting (deploy, removal, the winner's
 * rollout) are moved on here.
 */
import type { ExperimentResults } from '../../../contracts/experiments';
import { analyze } from './analysis';
import { type Actor, advanceExperiment, mismatchAudit, stopExperiment } from './experiments';
import type { ExperimentsDeps } from './ports';
import { hasPendingStep } from './treatment-variant';

/** What the schedule did to one experiment. */
export interface GuardrailOutcome {
  readonly name: string;
  readonly stopped: boolean;
  readonly reason?: string;
}

const SCHEDULE: Actor = { principal: 'experiments-guardrail-schedule' };

/** Why the results stop the experiment, if they do. */
export function stopReason(r: ExperimentResults): string | undefined {
  if (r.sampleRatio.mismatch)
    return `sample ratio mismatch: chi-square ${r.sampleRatio.statistic.toPrecision(4)}, p = ${r.sampleRatio.pValue.toExponential(2)}`;
  const breached = r.metrics.find((m) => m.breached);
  if (breached?.effect)
    return `guardrail ${breached.metric} breached: relative change ${(breached.effect.relative * 100).toPrecision(3)}%`;
  return undefined;
}

/**
 * Moves each experiment's treatment variant on (deployed, removed, the winner's rollout started),
 * then evaluates the running ones and stops those whose split, guardrails or treatment alarms fail.
 */
export async function evaluateRunningExperiments(deps: ExperimentsDeps): Promise<GuardrailOutcome[]> {
  const outcomes: GuardrailOutcome[] = [];
  // Experiments started before `bySchedule` existed are not in it until they are put there.
  await deps.store.backfillScheduled();
  for (const found of await deps.store.listScheduled()) {
    // An ended experiment whose variant is still being removed, or whose winner waits for the
    // endpoint or its approval: its step, nothing to evaluate.
    if (found.status !== 'RUNNING') {
      if (hasPendingStep(found)) await advanceExperiment(deps, SCHEDULE, found);
      continue;
    }
    const e = hasPendingStep(found) ? await advanceExperiment(deps, SCHEDULE, found) : found;
    if (e.status !== 'RUNNING') {
      outcomes.push({ name: e.name, stopped: true, ...(e.reason ? { reason: e.reason } : {}) });
      continue;
    }
    const at = deps.now().toISOString();
    const stored = await deps.store.aggregates(e.name);
    await deps.store.putSnapshot(e.name, { at, ...stored });
    const results = analyze(e, stored, at);
    // The treatment's alarms mean something only while it takes traffic.
    const serving = !e.treatmentVariant || e.treatmentVariant.phase === 'SERVING';
    const alarm = serving ? await deps.alarms?.firing(e.modelName) : undefined;
    const reason =
      stopReason(results) ??
      (alarm
        ? `alarm ${alarm.name} of the treatment variant is in ALARM${alarm.reason ? `: ${alarm.reason}` : ''}`
        : undefined);
    if (!reason) {
      outcomes.push({ name: e.name, stopped: false });
      continue;
    }
    await stopExperiment(
      deps,
      SCHEDULE,
      e.name,
      reason,
      results.sampleRatio.mismatch ? mismatchAudit(deps, SCHEDULE, results.sampleRatio) : undefined,
    );
    outcomes.push({ name: e.name, stopped: true, reason });
  }
  return outcomes;
}
