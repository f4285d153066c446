import { type Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { alarmName, type ServingBackend, watchedAlarmNames } from '../../contracts/deployment';
import {
  endpointName as endpointNameOf,
  MODEL_PACKAGES_PREFIX,
  type VariantName,
} from '../../contracts/serving';
import { SERVING_DEFAULTS } from './defaults';
import { EcsBackend } from './ecs-backend';
import { createEndpointAlarms, type VariantMetrics, variantErrorRate } from './endpoint-alarms';
import { SageMakerBackend } from './sagemaker-backend';

/** Properties of `ModelEndpoint`. */
export interface ModelEndpointProps {
  /** The registry model this endpoint serves; names the endpoint `mlops-<envName>-<model>`. */
  readonly modelName: string;
  /**
   * The platform's environment (`mlops:envName`), in every physical name: the endpoint, its
   * configs, models and alarms, so environments side by side in one account never share one.
   */
  readonly envName: string;
  /** Bucket of model packages and data capture (the platform artifacts bucket). */
  readonly bucket: s3.IBucket;
  /** Key encrypting capture files, the endpoint's volumes (when the instance allows) and logs. */
  readonly encryptionKey: kms.IKey;
  /**
   * Key in `bucket` of the Triton package the champion starts with, before any rollout.
   * @default `serving/packages/<model>/initial/model.tar.gz`
   */
  readonly initialModelDataKey?: string;
  /**
   * Where the model runs.
   * @default 'sagemaker'
   */
  readonly backend?: ServingBackend;
  /**
   * GPU instance type (`ml.` prefix for SageMaker, none for ECS).
   * @default 'ml.g5.xlarge' (SageMaker) or 'g5.xlarge' (ECS)
   */
  readonly instanceType?: string;
  /**
   * Instances (SageMaker) or tasks (ECS) per variant at creation (1..20).
   * @default 1
   */
  readonly initialInstanceCount?: number;
  /**
   * Autoscaling lower bound per variant (1..20).
   * @default 1
   */
  readonly minInstanceCount?: number;
  /**
   * Autoscaling upper bound per variant (min..20).
   * @default 4
   */
  readonly maxInstanceCount?: number;
  /**
   * Target tracking: invocations per instance per minute (SageMaker) or requests per task (ECS).
   * @default 100
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-add-code-define.html
   */
  readonly targetInvocationsPerInstance?: number;
  /**
   * Share of requests captured (0..100; 0 turns capture off). SageMaker only: ECS has no capture.
   * @default 20
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture.html
   */
  readonly dataCapturePercent?: number;
  /**
   * p95 latency above which a variant alarms, in MICROseconds (SageMaker's ModelLatency unit).
   * @default 100000 (100 ms)
   */
  readonly latencyThresholdMicroseconds?: number;
  /**
   * 5XX error rate above which a variant alarms, in percent.
   * @default 0.1
   */
  readonly errorRateThresholdPercent?: number;
  /** @default Duration.minutes(1) */
  readonly alarmPeriod?: Duration;
  /** @default 3 */
  readonly alarmEvaluationPeriods?: number;
  /** @default 2 */
  readonly alarmDatapointsToAlarm?: number;
  /**
   * SageMaker Triton image version (`<version>-py3`).
   * @default '24.09'
   */
  readonly tritonVersion?: string;
  /**
   * ECS only: the VPC of the cluster and load balancer.
   * @default - a new VPC (2 AZs, 1 NAT gateway) with flow logs
   */
  readonly vpc?: ec2.IVpc;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * The rollout lock's table (the deployment construct's): a stack update of the endpoint waits
   * for a running rollout instead of racing it.
   */
  readonly deploymentsTable?: dynamodb.ITable;
}

/**
 * A model's real-time endpoint on GPU. At rest it serves the champion alone (SageMaker: one
 * production variant; ECS: the challenger service at 0 tasks), so a model costs its champion's
 * instances; a rollout adds the `challenger` variant, shifts traffic to it by weight and leaves
 * the winner alone again. Variants autoscale while they exist; the canary alarms (p95 latency,
 * 5XX rate per variant and for the endpoint) treat missing data as not breaching, so the
 * challenger's alarms stay OK while it does not exist. Backend `sagemaker` (Triton on SageMaker) or
 * `ecs` (Triton on ECS GPU instances behind an ALB); both have the same props and alarms.
 *
 * After creation the deployment state machine owns the variants' models and weights: a stack
 * update applies the endpoint config's settings and keeps them (the SageMaker endpoint is a custom
 * resource, see `EndpointProvider`).
 */
export class ModelEndpoint extends Construct {
  public readonly modelName: string;
  /** `mlops-<envName>-<model>`: the SageMaker endpoint's name (ECS: the name in alarms and logs). */
  public readonly endpointName: string;
  public readonly backend: ServingBackend;
  /** Each variant's instance type (`ml.g5.xlarge` on SageMaker, `g5.xlarge` on ECS). */
  public readonly instanceType: string;
  /** The fewest instances a variant that exists keeps (autoscaling's floor). */
  public readonly minInstanceCount: number;
  /** The SageMaker resources (backend `sagemaker`). */
  public readonly sageMaker?: SageMakerBackend;
  /** The ECS resources (backend `ecs`). */
  public readonly ecs?: EcsBackend;
  /** Canary alarms by name. */
  public readonly alarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** The alarms a rollout watches: the challenger's and the endpoint's. */
  public readonly watchedAlarmNames: readonly string[];
  private readonly variantMetricsOf: (variant: VariantName) => VariantMetrics;

  constructor(scope: Construct, id: string, props: ModelEndpointProps) {
    super(scope, id);
    const d = SERVING_DEFAULTS;
    this.modelName = props.modelName;
    this.endpointName = endpointNameOf(props.envName, props.modelName);
    this.backend = props.backend ?? d.backend;
    const sageMaker = this.backend === 'sagemaker';
    const instanceType = props.instanceType ?? (sageMaker ? d.sageMakerInstanceType : d.ecsInstanceType);
    const settings = {
      modelName: props.modelName,
      endpointName: this.endpointName,
      bucket: props.bucket,
      modelDataKey:
        props.initialModelDataKey ?? `${MODEL_PACKAGES_PREFIX}${props.modelName}/initial/model.tar.gz`,
      encryptionKey: props.encryptionKey,
      instanceType,
      initialInstanceCount: props.initialInstanceCount ?? d.initialInstanceCount,
      minInstanceCount: props.minInstanceCount ?? d.minInstanceCount,
      maxInstanceCount: props.maxInstanceCount ?? d.maxInstanceCount,
      targetInvocationsPerInstance: props.targetInvocationsPerInstance ?? d.targetInvocationsPerInstance,
      dataCapturePercent: props.dataCapturePercent ?? d.dataCapturePercent,
      tritonVersion: props.tritonVersion ?? d.tritonVersion,
    };
    checkProps(settings, sageMaker, props);
    this.instanceType = instanceType;
    this.minInstanceCount = settings.minInstanceCount;

    let metrics: (variant: VariantName) => VariantMetrics;
    const period = props.alarmPeriod ?? d.alarmPeriod;
    const latencyMicroseconds = props.latencyThresholdMicroseconds ?? d.latencyThresholdMicroseconds;
    if (sageMaker) {
      const backend = new SageMakerBackend(this, 'SageMaker', {
        ...settings,
        removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
        ...(props.deploymentsTable ? { deploymentsTable: props.deploymentsTable } : {}),
      });
      this.sageMaker = backend;
      metrics = (v) => backend.variantMetrics(v, period);
    } else {
      const backend = new EcsBackend(this, 'Ecs', {
        ...settings,
        ...(props.vpc ? { vpc: props.vpc } : {}),
        removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
        ...(props.deploymentsTable ? { deploymentsTable: props.deploymentsTable } : {}),
      });
      this.ecs = backend;
      metrics = (v) => backend.variantMetrics(v, period);
    }
    this.alarms = createEndpointAlarms(this, {
      endpointName: this.endpointName,
      variants: { champion: metrics('champion'), challenger: metrics('challenger') },
      // SageMaker reports ModelLatency in microseconds; the ALB's TargetResponseTime is in seconds.
      latencyThreshold: sageMaker ? latencyMicroseconds : latencyMicroseconds / 1_000_000,
      errorRateThresholdPercent: props.errorRateThresholdPercent ?? d.errorRateThresholdPercent,
      period,
      evaluationPeriods: props.alarmEvaluationPeriods ?? d.alarmEvaluationPeriods,
      datapointsToAlarm: props.alarmDatapointsToAlarm ?? d.alarmDatapointsToAlarm,
    });
    this.watchedAlarmNames = watchedAlarmNames(this.endpointName);
    this.variantMetricsOf = metrics;
  }

  /**
   * A variant's p95 latency: ModelLatency in microseconds (SageMaker) or TargetResponseTime in
   * seconds (ECS).
   * @default - p95 over 1 minute
   */
  public metricLatencyP95(variant: VariantName): cloudwatch.IMetric {
    return this.variantMetricsOf(variant).latencyP95;
  }

  /**
   * A variant's requests: Invocations (SageMaker) or RequestCount (ECS).
   * @default - sum over 1 minute
   */
  public metricInvocations(variant: VariantName): cloudwatch.IMetric {
    return this.variantMetricsOf(variant).requests;
  }

  /**
   * A variant's server errors: Invocation5XXErrors (SageMaker) or HTTPCode_Target_5XX_Count (ECS).
   * @default - sum over 1 minute
   */
  public metricServerErrors(variant: VariantName): cloudwatch.IMetric {
    return this.variantMetricsOf(variant).errors;
  }

  /**
   * A variant's 5XX error rate in percent (metric math: 100 * errors / requests).
   * @default - over 1 minute
   */
  public metricErrorRate(variant: VariantName): cloudwatch.IMetric {
    return variantErrorRate(this.variantMetricsOf(variant), SERVING_DEFAULTS.alarmPeriod, `${variant} 5XX %`);
  }

  /** The alarm of a variant (or the endpoint) and kind, e.g. `('challenger', 'latency-p95')`. */
  public alarm(scope: VariantName | 'endpoint', kind: string): cloudwatch.Alarm {
    const found = this.alarms[alarmName(this.endpointName, scope, kind)];
    if (!found) throw new Error(`${this.endpointName} has no ${scope} ${kind} alarm`);
    return found;
  }
}

function checkProps(
  s: {
    instanceType: string;
    initialInstanceCount: number;
    minInstanceCount: number;
    maxInstanceCount: number;
    targetInvocationsPerInstance: number;
    dataCapturePercent: number;
  },
  sageMaker: boolean,
  props: ModelEndpointProps,
): void {
  const range = (name: string, value: number, min: number, max: number) => {
    if (Token.isUnresolved(value)) return;
    if (!Number.isFinite(value) || value < min || value > max) {
      throw new Error(`${name} must be ${min}..${max}, got ${value}`);
    }
  };
  range('initialInstanceCount', s.initialInstanceCount, 1, 20);
  range('minInstanceCount', s.minInstanceCount, 1, 20);
  range('maxInstanceCount', s.maxInstanceCount, s.minInstanceCount, 20);
  range('targetInvocationsPerInstance', s.targetInvocationsPerInstance, 1, 100_000);
  range('dataCapturePercent', s.dataCapturePercent, 0, 100);
  range('latencyThresholdMicroseconds', props.latencyThresholdMicroseconds ?? 1, 1, 60_000_000);
  range('errorRateThresholdPercent', props.errorRateThresholdPercent ?? 0.1, 0, 100);
  if (sageMaker && !s.instanceType.startsWith('ml.')) {
    throw new Error(
      `instanceType must be a SageMaker instance type (ml.*) for backend sagemaker, got ${s.instanceType}`,
    );
  }
  if (!sageMaker && s.instanceType.startsWith('ml.')) {
    throw new Error(
      `instanceType must be an EC2 instance type (no ml.) for backend ecs, got ${s.instanceType}`,
    );
  }
}
