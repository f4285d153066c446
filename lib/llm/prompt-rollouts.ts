/**
 * Prompt rollouts on the stack: the rollout target of each prompt `mlops:llm` rolls out by canary
 * (the deployment capability's state machine drives it), and the alarms on the challenger's calls
 * that roll it back: error rate (failed calls per call), p95 latency and guardrail block rate.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
 */
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { DeploymentTargets } from '../../contracts/deployment';
import type { LlmConfig } from '../../contracts/llm';
import {
  PROMPT_ROLLOUT_BACKEND,
  PROMPT_ROLLOUT_METRICS,
  type PromptRolloutConfig,
  promptRolloutAlarmNames,
} from '../../contracts/llm-rollouts';
import { pascal } from '../shared/construct-id';
import { challengerAlarms, challengerMetric, llmRolloutTarget } from './challenger-alarms';

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
    out[r.prompt] = llmRolloutTarget(
      `prompt ${r.prompt}`,
      r.endpoint,
      PROMPT_ROLLOUT_BACKEND,
      r,
      promptRolloutAlarmNames(envName, r.prompt),
    );
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
      alarms[r.prompt] = challengerAlarms(this, pascal(r.prompt), {
        what: `prompt ${r.prompt}`,
        label: r.prompt,
        subject: { [PROMPT_ROLLOUT_METRICS.promptDimension]: r.prompt },
        names: promptRolloutAlarmNames(props.envName, r.prompt),
        settings: r,
      });
    }
    this.alarms = alarms;
  }

  /** One metric of the calls the challenger of `prompt` served, per minute. */
  public metricChallenger(prompt: string, metricName: string, statistic: string): cloudwatch.Metric {
    return challengerMetric({ [PROMPT_ROLLOUT_METRICS.promptDimension]: prompt }, metricName, statistic);
  }
}
