/**
 * Results from stored aggregates: per arm n, mean or rate and its interval; per metric the
 * treatment's absolute and relative effect with intervals, raw and adjusted p-values, fixed-horizon
 * or always-valid; the sample ratio test; whether the planned sample size is reached; guardrail
 * breaches; and a verdict that stays hidden while the split is broken.
 */
import type {
  ArmAggregate,
  ArmResult,
  BetterDirection,
  Experiment,
  ExperimentResults,
  MetricResult,
} from '../../../contracts/experiments';
import { EXPERIMENT_DEFAULTS } from '../../../contracts/experiments';
import { normalQuantile, studentTQuantile } from './distributions';
import { armsOf, metricSpecs } from './experiments';
import { benjaminiHochberg, holm } from './multiple-testing';
import type { MetricSpec, StoredAggregates } from './ports';
import { sequentialInference } from './sequential';
import { sampleRatioMismatch } from './srm';
import { type Interval, proportionTest, relativeLift, welchTest } from './tests';

const EMPTY: ArmAggregate = { n: 0, sum: 0, sumSquares: 0 };

/** Mean (shift restored) and sample variance of stored sums. */
export function moments(a: ArmAggregate, shift: number): { mean: number; variance: number; n: number } {
  const m = a.n > 0 ? a.sum / a.n : 0;
  const variance = a.n > 1 ? Math.max(0, (a.sumSquares - a.sum * m) / (a.n - 1)) : Number.NaN;
  return { mean: shift + m, variance, n: a.n };
}

function armResult(
  arm: string,
  kind: MetricSpec['kind'],
  a: ArmAggregate,
  shift: number,
  alpha: number,
): ArmResult {
  const { mean, variance, n } = moments(a, shift);
  if (n < 2) return { arm, n, mean, interval: { lower: Number.NaN, upper: Number.NaN } };
  const se = kind === 'proportion' ? Math.sqrt((mean * (1 - mean)) / n) : Math.sqrt(variance / n);
  const q = kind === 'proportion' ? -normalQuantile(alpha / 2) : studentTQuantile(1 - alpha / 2, n - 1);
  return { arm, n, mean, interval: { lower: mean - q * se, upper: mean + q * se } };
}

interface Effect {
  absolute: number;
  absoluteInterval: Interval;
  relative: number;
  relativeInterval: Interval;
  statistic: number;
  pValue: number;
}

function effectOf(
  spec: MetricSpec,
  t: ArmAggregate,
  c: ArmAggregate,
  alpha: number,
  sequential: boolean,
): Effect | undefined {
  if (t.n < 2 || c.n < 2) return undefined;
  const mt = moments(t, spec.shift);
  const mc = moments(c, spec.shift);
  const test =
    spec.kind === 'proportion'
      ? proportionTest({ successes: t.sum, n: t.n }, { successes: c.sum, n: c.n }, alpha)
      : welchTest(
          { mean: mt.mean, std: Math.sqrt(mt.variance), n: t.n },
          { mean: mc.mean, std: Math.sqrt(mc.variance), n: c.n },
          alpha,
        );
  const vt = spec.kind === 'proportion' ? (mt.mean * (1 - mt.mean)) / t.n : mt.variance / t.n;
  const vc = spec.kind === 'proportion' ? (mc.mean * (1 - mc.mean)) / c.n : mc.variance / c.n;
  const lift = relativeLift(mt.mean, mc.mean, [vt, vc], alpha);
  if (!sequential) {
    return {
      absolute: test.effect,
      absoluteInterval: test.interval,
      relative: lift.lift,
      relativeInterval: lift.interval,
      statistic: test.statistic,
      pValue: test.pValue,
    };
  }
  const units = t.n + c.n;
  const absolute = sequentialInference(
    test.effect,
    vt + vc,
    units,
    alpha,
    EXPERIMENT_DEFAULTS.sequentialTuningUnits,
  );
  const relative = sequentialInference(
    lift.lift,
    lift.standardError * lift.standardError,
    units,
    alpha,
    EXPERIMENT_DEFAULTS.sequentialTuningUnits,
  );
  return {
    absolute: test.effect,
    absoluteInterval: absolute.interval,
    relative: lift.lift,
    relativeInterval: relative.interval,
    statistic: test.statistic,
    pValue: absolute.pValue,
  };
}

/** Signed so that positive is better. */
const better = (direction: BetterDirection, x: number) => (direction === 'higher' ? x : -x);

/** Computes the results of an experiment from its aggregates. */
export function analyze(e: Experiment, stored: StoredAggregates, computedAt: string): ExperimentResults {
  const { control, treatment } = armsOf(e);
  const sequential = e.analysis === 'sequential';
  const specs = metricSpecs(e);
  const roles = new Map<
    string,
    { role: MetricResult['role']; betterDirection: BetterDirection; maxDegradation?: number }
  >([
    [e.primaryMetric.name, { role: 'primary', betterDirection: e.primaryMetric.betterDirection }],
    ...e.secondaryMetrics.map(
      (m) => [m.name, { role: 'secondary' as const, betterDirection: m.betterDirection }] as const,
    ),
    ...e.guardrailMetrics.map(
      (m) =>
        [
          m.name,
          {
            role: 'guardrail' as const,
            betterDirection: m.betterDirection,
            maxDegradation: m.maxRelativeDegradationPercent / 100,
          },
        ] as const,
    ),
  ]);
  const rows = specs.map((spec) => {
    const aggregates = stored.metrics[spec.name] ?? {};
    const c = aggregates[control.name] ?? EMPTY;
    const t = aggregates[treatment.name] ?? EMPTY;
    const role = roles.get(spec.name)!;
    return {
      spec,
      role,
      arms: [
        armResult(control.name, spec.kind, c, spec.shift, e.alpha),
        armResult(treatment.name, spec.kind, t, spec.shift, e.alpha),
      ],
      effect: effectOf(spec, t, c, e.alpha, sequential),
    };
  });
  // Holm and BH over the primary and secondary metrics that have a p-value.
  const family = rows.filter((r) => r.role.role !== 'guardrail' && r.effect);
  const holmAdjusted = holm(
    family.map((r) => r.effect!.pValue),
    e.alpha,
  ).adjusted;
  const bhAdjusted = benjaminiHochberg(
    family.map((r) => r.effect!.pValue),
    e.alpha,
  ).adjusted;
  const metrics: MetricResult[] = rows.map((r) => {
    const i = family.indexOf(r);
    const breached =
      r.role.role === 'guardrail'
        ? r.effect !== undefined && isBreached(r.role.betterDirection, r.effect, r.role.maxDegradation ?? 0)
        : undefined;
    return {
      metric: r.spec.name,
      kind: r.spec.kind,
      role: r.role.role,
      betterDirection: r.role.betterDirection,
      arms: r.arms,
      ...(r.effect
        ? {
            effect: {
              ...r.effect,
              ...(i >= 0 ? { pValueHolm: holmAdjusted[i], pValueBenjaminiHochberg: bhAdjusted[i] } : {}),
            },
          }
        : {}),
      ...(breached === undefined ? {} : { breached }),
    };
  });
  const units = {
    [control.name]: stored.units[control.name] ?? 0,
    [treatment.name]: stored.units[treatment.name] ?? 0,
  };
  const srm = sampleRatioMismatch(
    [units[control.name], units[treatment.name]],
    [control.trafficPercent, treatment.trafficPercent],
  );
  const reached = Object.entries(e.sampleSize.perArm).every(([arm, needed]) => (units[arm] ?? 0) >= needed);
  return {
    name: e.name,
    status: e.status,
    analysis: e.analysis,
    alpha: e.alpha,
    units,
    sampleRatio: { statistic: srm.statistic, pValue: srm.pValue, mismatch: srm.mismatch },
    sampleSize: { required: e.sampleSize.perArm, reached },
    metrics,
    verdict: verdictOf(metrics[0], srm.mismatch, sequential || reached, e.alpha),
    computedAt,
  };
}

/**
 * A guardrail is breached when the treatment is significantly worse than control (its interval
 * of the relative change lies wholly on the bad side) and the estimate is worse than allowed.
 */
function isBreached(direction: BetterDirection, effect: Effect, maxDegradation: number): boolean {
  const upper = better(
    direction,
    direction === 'higher' ? effect.relativeInterval.upper : effect.relativeInterval.lower,
  );
  return upper < 0 && better(direction, effect.relative) < -maxDegradation;
}

function verdictOf(
  primary: MetricResult,
  mismatch: boolean,
  readable: boolean,
  alpha: number,
): ExperimentResults['verdict'] {
  if (mismatch) return 'HIDDEN';
  if (!readable) return 'NOT_READY';
  if (!primary.effect || primary.effect.pValue > alpha) return 'INCONCLUSIVE';
  return better(primary.betterDirection, primary.effect.absolute) > 0
    ? 'TREATMENT_BETTER'
    : 'TREATMENT_WORSE';
}
