/**
 * What a canary rollout on an LLM endpoint (a prompt's or a model's) watches, and how its target
 * reads: the alarms on the challenger's calls, error rate (failed calls per call), p95 latency and
 * guardrail block rate, and the rollout target the deployment state machine runs it from.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { CanarySteps, type DeploymentTarget, type RolloutBackend } from '../../contracts/deployment';
import { LLM_METRICS_NAMESPACE } from '../../contracts/llm';
import {
  type LlmRolloutSettings,
  PROMPT_ROLLOUT_DEFAULTS,
  PROMPT_ROLLOUT_METRICS,
} from '../../contracts/llm-rollouts';

/** One metric of the calls a rollout's challenger served, per minute, by `subject`'s dimensions. */
export function challengerMetric(
  subject: Readonly<Record<string, string>>,
  metricName: string,
  statistic: string,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: LLM_METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { ...subject, [PROMPT_ROLLOUT_METRICS.variantDimension]: 'challenger' },
    statistic,
    period: Duration.minutes(1),
  });
}

/** What one rollout's alarms watch and are called. */
export interface ChallengerAlarmsProps {
  /** For descriptions, e.g. `prompt support`. */
  readonly what: string;
  /** For the math expressions' labels, e.g. `support`. */
  readonly label: string;
  /** The dimensions (without `Variant`) of the calls it counts, e.g. `{ Prompt: 'support' }`. */
  readonly subject: Readonly<Record<string, string>>;
  /** Error rate, p95 latency and guardrail block rate alarm names, in that order. */
  readonly names: readonly string[];
  readonly settings: LlmRolloutSettings;
}

/** The three alarms of one rollout, with construct ids `<idPrefix>ErrorRate`, `...LatencyP95`, `...GuardrailBlockRate`. */
export function challengerAlarms(
  scope: Construct,
  idPrefix: string,
  props: ChallengerAlarmsProps,
): cloudwatch.Alarm[] {
  const [errorRateName, latencyName, blockRateName] = props.names;
  const { settings: r, subject, what, label } = props;
  const d = PROMPT_ROLLOUT_DEFAULTS;
  const common = {
    evaluationPeriods: r.alarmEvaluationPeriods ?? d.alarmEvaluationPeriods,
    datapointsToAlarm: r.alarmDatapointsToAlarm ?? d.alarmDatapointsToAlarm,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    // No calls of the challenger in a minute is no evidence against it.
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  };
  const errorRatePercent = r.errorRateThresholdPercent ?? d.errorRateThresholdPercent;
  const latencyMs = r.latencyThresholdMs ?? d.latencyThresholdMs;
  const blockRatePercent = r.guardrailBlockRateThresholdPercent ?? d.guardrailBlockRateThresholdPercent;
  const m = PROMPT_ROLLOUT_METRICS;
  return [
    new cloudwatch.MathExpression({
      expression: '100 * errors / calls',
      usingMetrics: {
        errors: challengerMetric(subject, m.errors, 'Sum'),
        calls: challengerMetric(subject, m.calls, 'Sum'),
      },
      period: Duration.minutes(1),
      label: `${label} challenger error rate (%)`,
    }).createAlarm(scope, `${idPrefix}ErrorRate`, {
      ...common,
      alarmName: errorRateName,
      alarmDescription: `Rollout of ${what}: more than ${errorRatePercent}% of the challenger's calls failed`,
      threshold: errorRatePercent,
    }),
    challengerMetric(subject, m.latency, 'p95').createAlarm(scope, `${idPrefix}LatencyP95`, {
      ...common,
      alarmName: latencyName,
      alarmDescription: `Rollout of ${what}: the challenger's p95 latency is above ${latencyMs} ms`,
      threshold: latencyMs,
    }),
    new cloudwatch.MathExpression({
      expression: '100 * blocks / calls',
      usingMetrics: {
        blocks: challengerMetric(subject, m.guardrailBlocks, 'Sum'),
        calls: challengerMetric(subject, m.calls, 'Sum'),
      },
      period: Duration.minutes(1),
      label: `${label} challenger guardrail block rate (%)`,
    }).createAlarm(scope, `${idPrefix}GuardrailBlockRate`, {
      ...common,
      alarmName: blockRateName,
      alarmDescription: `Rollout of ${what}: a guardrail refused or withheld more than ${blockRatePercent}% of the challenger's calls`,
      threshold: blockRatePercent,
    }),
  ];
}

/**
 * The rollout target of a rollout on LLM endpoint `endpointName`: its steps (checked), bake, alarm
 * reads and the alarms it watches.
 * @throws Error naming `what` when its canary steps are bad
 */
export function llmRolloutTarget(
  what: string,
  endpointName: string,
  backend: RolloutBackend,
  settings: LlmRolloutSettings,
  alarmNames: string[],
): DeploymentTarget {
  const steps = settings.canarySteps ?? [...PROMPT_ROLLOUT_DEFAULTS.canarySteps];
  const parsed = CanarySteps.safeParse(steps);
  if (!parsed.success) {
    throw new Error(`canarySteps of ${what} ${parsed.error.issues[0].message}, got ${JSON.stringify(steps)}`);
  }
  return {
    endpointName,
    backend,
    canarySteps: steps,
    bakeMinutes: settings.bakeMinutes ?? PROMPT_ROLLOUT_DEFAULTS.bakeMinutes,
    alarmCheckSeconds: settings.alarmCheckSeconds ?? PROMPT_ROLLOUT_DEFAULTS.alarmCheckSeconds,
    alarmNames,
  };
}
