/** `GET /experiments/{name}/results` and its HTML page, from stored aggregates and snapshots. */
import type { ExperimentResults } from '../../../contracts/experiments';
import { analyze } from './analysis';
import { armsOf, getExperiment } from './experiments';
import { type EffectPoint, resultsHtml } from './html-report';
import type { ExperimentsDeps } from './ports';

export async function experimentResults(deps: ExperimentsDeps, name: string): Promise<ExperimentResults> {
  const e = await getExperiment(deps, name);
  return analyze(e, await deps.store.aggregates(name), deps.now().toISOString());
}

export async function experimentReport(deps: ExperimentsDeps, name: string): Promise<string> {
  const e = await getExperiment(deps, name);
  const now = analyze(e, await deps.store.aggregates(name), deps.now().toISOString());
  const history: EffectPoint[] = [];
  for (const s of await deps.store.snapshots(name)) {
    const effect = analyze(e, s, s.at).metrics[0].effect;
    if (effect)
      history.push({
        at: s.at,
        relative: effect.relative,
        lower: effect.relativeInterval.lower,
        upper: effect.relativeInterval.upper,
      });
  }
  const current = now.metrics[0].effect;
  if (current)
    history.push({
      at: now.computedAt,
      relative: current.relative,
      lower: current.relativeInterval.lower,
      upper: current.relativeInterval.upper,
    });
  const { control, treatment } = armsOf(e);
  const total = Object.values(now.units).reduce((a, b) => a + b, 0);
  return resultsHtml(now, history, [
    (total * control.trafficPercent) / 100,
    (total * treatment.trafficPercent) / 100,
  ]);
}
