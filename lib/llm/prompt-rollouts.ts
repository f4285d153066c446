/**
 * Prompt rollouts on the stack: the rollout target of each prompt `mlops:llm` rolls out by canary
 * (the deployment capability's state machine drives it), and the alarms on the challenger's calls
 * that roll it back: error rate (failed calls per call), p95 latency and guardrail block rate.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { CanarySteps, type DeploymentTargets } from '../../contracts/deployment';
import { LLM_METRICS_NAMESPACE, type LlmConfig } from '../../contracts/llm';
import {
  PROMPT_ROLLOUT_BACKEND,
  PROMPT_ROLLOUT_DEFAULTS,
  PROMPT_ROLLOUT_METRICS,
  type PromptRolloutConfig,
  promptRolloutAlarmNames,
} from '../../contracts/llm-rollouts';
import { pascal } from '../shared/construct-id';

/**
 * The rollout target of each prompt in `llm.promptRollouts`, by prompt name: the LLM endpoint its
 * calls go to, the canary steps and bake, and the alarms `PromptRolloutAlarms` makes.
 * @throws Error naming the prompt when its endpoint is not one of `llm.endpoints`, or its steps are bad
 */
export function promptRolloutTargets(llm: LlmConfig, envName: string): DeploymentTargets {
  const out: DeploymentTargets = {};
  for (const r of llm.promptRollouts) {
    if (!llm.endpoints.some((e) => e.name === r.endpoint)) {
      throw new Error(`promptRollouts ${r.prompt}: endpoint ${r.endpoint} is not one of mlops:llm endpoints`);
    }
    const steps = r.canarySteps ?? [...PROMPT_ROLLOUT_DEFAULTS.canarySteps];
    const parsed = CanarySteps.safeParse(steps);
    if (!parsed.success) {
      throw new Error(
        `canarySteps of prompt ${r.prompt} ${parsed.error.issues[0].message}, got ${JSON.stringify(steps)}`,
      );
    }
    out[r.prompt] = {
      endpointName: r.endpoint,
      backend: PROMPT_ROLLOUT_BACKEND,
      canarySteps: steps,
      bakeMinutes: r.bakeMinutes ?? PROMPT_ROLLOUT_DEFAULTS.bakeMinutes,
      alarmCheckSeconds: r.alarmCheckSeconds ?? PROMPT_ROLLOUT_DEFAULTS.alarmCheckSeconds,
      alarmNames: promptRolloutAlarmNames(envName, r.prompt),
    };
  }
  return out;
}

/** Properties of `PromptRolloutAlarms`. */
export interface PromptRolloutAlarmsProps {
  readonly rollouts: readonly PromptRolloutConfig[];
  /** Alarm names start `mlops-<envName>-prompt-`. */
  readonly envName: string;
}

/** The alarms each prompt rollout watches, on the calls the challenger served (or a guardrail refused). */
export class PromptRolloutAlarms extends Construct {
  /** Error rate, p95 latency and guardrail block rate alarms, by prompt name. */
  public readonly alarms: Readonly<Record<string, readonly cloudwatch.Alarm[]>>;

  constructor(scope: Construct, id: string, props: PromptRolloutAlarmsProps) {
    super(scope, id);
    const alarms: Record<string, cloudwatch.Alarm[]> = {};
    for (const r of props.rollouts) {
      const [errorRateName, latencyName, blockRateName] = promptRolloutAlarmNames(props.envName, r.prompt);
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
      const id = pascal(r.prompt);
      alarms[r.prompt] = [
        new cloudwatch.MathExpression({
          expression: '100 * errors / calls',
          usingMetrics: {
            errors: this.metricChallenger(r.prompt, PROMPT_ROLLOUT_METRICS.errors, 'Sum'),
            calls: this.metricChallenger(r.prompt, PROMPT_ROLLOUT_METRICS.calls, 'Sum'),
          },
          period: Duration.minutes(1),
          label: `${r.prompt} challenger error rate (%)`,
        }).createAlarm(this, `${id}ErrorRate`, {
          ...common,
          alarmName: errorRateName,
          alarmDescription: `Rollout of prompt ${r.prompt}: more than ${errorRatePercent}% of the challenger's calls failed`,
          threshold: errorRatePercent,
        }),
        this.metricChallenger(r.prompt, PROMPT_ROLLOUT_METRICS.latency, 'p95').createAlarm(
          this,
          `${id}LatencyP95`,
          {
            ...common,
            alarmName: latencyName,
            alarmDescription: `Rollout of prompt ${r.prompt}: the challenger's p95 latency is above ${latencyMs} ms`,
            threshold: latencyMs,
          },
        ),
        new cloudwatch.MathExpression({
          expression: '100 * blocks / calls',
          usingMetrics: {
            blocks: this.metricChallenger(r.prompt, PROMPT_ROLLOUT_METRICS.guardrailBlocks, 'Sum'),
            calls: this.metricChallenger(r.prompt, PROMPT_ROLLOUT_METRICS.calls, 'Sum'),
          },
          period: Duration.minutes(1),
          label: `${r.prompt} challenger guardrail block rate (%)`,
        }).createAlarm(this, `${id}GuardrailBlockRate`, {
          ...common,
          alarmName: blockRateName,
          alarmDescription: `Rollout of prompt ${r.prompt}: a guardrail refused or withheld more than ${blockRatePercent}% of the challenger's calls`,
          threshold: blockRatePercent,
        }),
      ];
    }
    this.alarms = alarms;
  }

  /** One metric of the calls the challenger of `prompt` served, per minute. */
  public metricChallenger(prompt: string, metricName: string, statistic: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: LLM_METRICS_NAMESPACE,
      metricName,
      dimensionsMap: {
        [PROMPT_ROLLOUT_METRICS.promptDimension]: prompt,
        [PROMPT_ROLLOUT_METRICS.variantDimension]: 'challenger',
      },
      statistic,
      period: Duration.minutes(1),
    });
  }
}
