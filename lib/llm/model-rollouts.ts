/**
 * Model rollouts of Bedrock LLM endpoints on the stack: the rollout target of each Bedrock endpoint
 * that declares `candidateModels` (the deployment capability's state machine drives it, keyed by
 * `modelRolloutSubject`), and the alarms on the candidate's calls that roll it back, named and
 * computed as a prompt rollout's.
 */
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { DeploymentTargets } from '../../contracts/deployment';
import type { LlmConfig, LlmEndpointConfig } from '../../contracts/llm';
import {
  MODEL_ROLLOUT_BACKEND,
  MODEL_ROLLOUT_METRICS,
  modelRolloutAlarmNames,
  modelRolloutSubject,
} from '../../contracts/llm-rollouts';
import { pascal } from '../shared/construct-id';
import { challengerAlarms, challengerMetric, llmRolloutTarget } from './challenger-alarms';

type BedrockEndpoint = Extract<LlmEndpointConfig, { backend: 'bedrock' }>;

/** The Bedrock endpoints a model rollout may move: those that declare candidates. */
export const rolloutEndpoints = (llm: Pick<LlmConfig, 'endpoints'>): BedrockEndpoint[] =>
  llm.endpoints.filter(
    (e): e is BedrockEndpoint => e.backend === 'bedrock' && (e.candidateModels?.length ?? 0) > 0,
  );

/**
 * The rollout target of each Bedrock endpoint with candidates, by its rollout subject: the endpoint,
 * its configured model (served until a promotion), the steps and bake, the alarms
 * `ModelRolloutAlarms` makes.
 * @throws Error naming the endpoint when its canary steps are bad
 */
export function modelRolloutTargets(llm: Pick<LlmConfig, 'endpoints'>, envName: string): DeploymentTargets {
  const out: DeploymentTargets = {};
  for (const e of rolloutEndpoints(llm)) {
    out[modelRolloutSubject(e.name)] = {
      ...llmRolloutTarget(
        `the model of LLM endpoint ${e.name}`,
        e.name,
        MODEL_ROLLOUT_BACKEND,
        e.modelRollout ?? {},
        modelRolloutAlarmNames(envName, e.name),
      ),
      configuredModel: e.model,
    };
  }
  return out;
}

/** Properties of `ModelRolloutAlarms`. */
export interface ModelRolloutAlarmsProps {
  readonly llm: Pick<LlmConfig, 'endpoints'>;
  /** Alarm names start `mlops-<envName>-llm-`. */
  readonly envName: string;
}

/** The alarms each Bedrock endpoint with candidates watches while a candidate takes calls. */
export class ModelRolloutAlarms extends Construct {
  /** Error rate, p95 latency and guardrail block rate alarms, by LLM endpoint name. */
  public readonly alarms: Readonly<Record<string, readonly cloudwatch.Alarm[]>>;

  constructor(scope: Construct, id: string, props: ModelRolloutAlarmsProps) {
    super(scope, id);
    const alarms: Record<string, cloudwatch.Alarm[]> = {};
    for (const e of rolloutEndpoints(props.llm)) {
      alarms[e.name] = challengerAlarms(this, pascal(e.name), {
        what: `the model of LLM endpoint ${e.name}`,
        label: e.name,
        subject: { [MODEL_ROLLOUT_METRICS.endpointDimension]: e.name },
        names: modelRolloutAlarmNames(props.envName, e.name),
        settings: e.modelRollout ?? {},
      });
    }
    this.alarms = alarms;
  }

  /** One metric of the calls the candidate served on `endpoint`, per minute. */
  public metricChallenger(endpoint: string, metricName: string, statistic: string): cloudwatch.Metric {
    return challengerMetric({ [MODEL_ROLLOUT_METRICS.endpointDimension]: endpoint }, metricName, statistic);
  }
}
