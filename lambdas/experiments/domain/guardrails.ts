/**
 * The scheduled evaluation of running experiments: each gets a snapshot of its aggregates (the
 * effect-over-time chart) and is stopped at once, reason recorded, when the split is broken
 * (sample ratio mismatch, also audited as `SampleRatioMismatch`), a guardrail metric is
 * significantly worse than control beyond its allowance, or an alarm of the endpoint fires.
 */
import type { ExperimentResults } from '../../../contracts/experiments';
import { analyze } from './analysis';
import { type Actor, mismatchAudit, stopExperiment } from './experiments';
import type { ExperimentsDeps } from './ports';

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

export async function evaluateRunningExperiments(deps: ExperimentsDeps): Promise<GuardrailOutcome[]> {
  const outcomes: GuardrailOutcome[] = [];
  for (const e of await deps.store.listByStatus('RUNNING')) {
    const at = deps.now().toISOString();
    const stored = await deps.store.aggregates(e.name);
    await deps.store.putSnapshot(e.name, { at, ...stored });
    const results = analyze(e, stored, at);
    const alarm = await deps.alarms?.firing(e.modelName);
    const reason = stopReason(results) ?? (alarm ? `alarm ${alarm} is in ALARM` : undefined);
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
