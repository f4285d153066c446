/**
 * Model rollouts of LLM endpoints on the stack: the rollout target of each endpoint that declares
 * `candidateModels` (the deployment capability's state machine drives it, keyed by
 * `modelRolloutSubject`), and the alarms on the candidate's calls that roll it back, named and
 * computed as a prompt rollout's. A Bedrock endpoint's calls are split by the chat route; an LMI
 * endpoint's by SageMaker, between its champion and challenger variants (the target's `lmi`).
 */
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { DeploymentTargets, LmiRolloutTarget } from '../../contracts/deployment';
import { candidateModelIds, type LlmConfig, type LlmEndpointConfig } from '../../contracts/llm';
import {
  MODEL_ROLLOUT_BACKEND,
  MODEL_ROLLOUT_METRICS,
  modelRolloutAlarmNames,
  modelRolloutSubject,
} from '../../contracts/llm-rollouts';
import { pascal } from '../shared/construct-id';
import { challengerAlarms, challengerMetric, llmRolloutTarget } from './challenger-alarms';
import { type LmiEndpointConfig, lmiNames } from './lmi-names';

/** The endpoints a model rollout may move, Bedrock or LMI: those that declare candidates. */
export const rolloutEndpoints = (llm: Pick<LlmConfig, 'endpoints'>): LlmEndpointConfig[] =>
  llm.endpoints.filter((e) => candidateModelIds(e).length > 0);

/** The LMI endpoints a model rollout may move: their variants are what the rollout drives. */
export const lmiRolloutEndpoints = (llm: Pick<LlmConfig, 'endpoints'>): LmiEndpointConfig[] =>
  rolloutEndpoints(llm).filter((e): e is LmiEndpointConfig => e.backend === 'sagemaker');

/**
 * The rollout target of each endpoint with candidates, by its rollout subject: the endpoint, its
 * configured model (served until a promotion), the steps and bake, the alarms `ModelRolloutAlarms`
 * makes; for an LMI endpoint also its SageMaker endpoint, the stack's config and each candidate's
 * artifact (`lmi`).
 * @param artifactsBucket holds the LMI endpoints' candidate artifacts (its URLs may be tokens)
 * @throws Error naming the endpoint when its canary steps are bad
 */
export function modelRolloutTargets(
  llm: Pick<LlmConfig, 'endpoints'>,
  envName: string,
  artifactsBucket: ArtifactUrls,
): DeploymentTargets {
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
      ...(e.backend === 'sagemaker' ? { lmi: lmiRolloutTarget(e, envName, artifactsBucket) } : {}),
    };
  }
  return out;
}

/** Where the artifacts live: the stack's bucket, or any with the same `s3://` URLs. */
export type ArtifactUrls = Pick<s3.IBucket, 's3UrlForObject'>;

/** What the rollout needs of an LMI endpoint's SageMaker side; the URLs may hold the bucket's token. */
function lmiRolloutTarget(e: LmiEndpointConfig, envName: string, bucket: ArtifactUrls): LmiRolloutTarget {
  const names = lmiNames(envName, e);
  return {
    sageMakerEndpointName: names.sageMakerEndpointName,
    initialEndpointConfigName: names.endpointConfigName,
    candidatePackageUrls: Object.fromEntries(
      (e.candidateModels ?? []).map((c) => [c.model, bucket.s3UrlForObject(c.modelArtifactKey)]),
    ),
  };
}

/** Properties of `ModelRolloutAlarms`. */
export interface ModelRolloutAlarmsProps {
  readonly llm: Pick<LlmConfig, 'endpoints'>;
  /** Alarm names start `mlops-<envName>-llm-`. */
  readonly envName: string;
}

/** The alarms each endpoint with candidates, Bedrock or LMI, watches while a candidate takes calls. */
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
