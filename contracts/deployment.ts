/**
 * Deployment (canary rollout) contracts shared by the serving and deployment constructs, the
 * rollout route, the state machine's task Lambdas and local mode: the per-model endpoint config
 * (`mlops:endpoints`), the rollout request and status shapes, the state machine's input and the
 * alarm names every endpoint declares.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-blue-green-canary.html
 */
import * as z from 'zod';
import { storableNumber } from './dynamodb-number';
import { lazySchema } from './lazy-schema';
import { ModelName, VersionNumber } from './model-names';
import {
  DEFAULT_ERROR_RATE_THRESHOLD_PERCENT,
  DEFAULT_LATENCY_P95_THRESHOLD_MICROSECONDS,
  type VariantScalingSettings,
} from './serving';

/** Serving backends: SageMaker real-time endpoints (default) or ECS on GPU instances behind an ALB. */
export const ServingBackend = lazySchema(() => z.enum(['sagemaker', 'ecs']));
export type ServingBackend = z.infer<typeof ServingBackend>;

/**
 * What a rollout drives: a serving backend's two variants, (`prompt`) a prompt's versions, split
 * by the chat route between `production` and the rolled-out version, or (`llm-model`) a Bedrock LLM
 * endpoint's model ids, split by the chat route between the served model and a candidate (see
 * `llm-rollouts.ts`).
 */
export type RolloutBackend = ServingBackend | 'prompt' | 'llm-model';

/**
 * Canary traffic steps: the challenger's share in percent at each step, strictly increasing and
 * ending at 100 (full traffic before promotion).
 */
export const CanarySteps = lazySchema(() =>
  z
    .array(z.number().int().min(1).max(100))
    .min(1)
    .max(10)
    .refine((s) => s.every((v, i) => i === 0 || v > s[i - 1]), 'must be strictly increasing')
    .refine((s) => s[s.length - 1] === 100, 'must end at 100'),
);

/** Defaults of a model endpoint and its rollouts, in one place for config, constructs and docs. */
export const ENDPOINT_CONFIG_DEFAULTS = {
  backend: 'sagemaker',
  /** One NVIDIA A10G (24 GiB), the smallest g5: enough for ONNX models of this platform. */
  sageMakerInstanceType: 'ml.g5.xlarge',
  ecsInstanceType: 'g5.xlarge',
  initialInstanceCount: 1,
  minInstanceCount: 1,
  maxInstanceCount: 4,
  /** SageMakerVariantInvocationsPerInstance is per minute. */
  targetInvocationsPerInstance: 100,
  dataCapturePercent: 20,
  canarySteps: [5, 100],
  bakeMinutes: 10,
  /** How often the alarms are read while baking. */
  alarmCheckSeconds: 60,
} as const;

/**
 * On-demand USD per instance-hour by instance type (us-east-1, Linux, list prices of 2024), for
 * the model dashboards' cost estimate: SageMaker real-time inference `ml.*`, EC2 otherwise. An
 * estimate, not a bill: Regions, savings plans and reserved capacity change it; a type missing
 * here shows no cost. `mlops:instancePrices` overrides and extends it per type
 * ({@link InstancePricesConfig}).
 * @see https://aws.amazon.com/sagemaker/pricing/
 * @see https://aws.amazon.com/ec2/pricing/on-demand/
 */
export const INSTANCE_HOURLY_PRICE_USD: Readonly<Record<string, number>> = {
  'ml.g4dn.xlarge': 0.736,
  'ml.g5.xlarge': 1.408,
  'ml.g5.2xlarge': 1.515,
  'ml.g6.xlarge': 1.0064,
  'ml.m5.large': 0.115,
  'ml.m5.xlarge': 0.23,
  'ml.c5.xlarge': 0.204,
  'g4dn.xlarge': 0.526,
  'g5.xlarge': 1.006,
  'g5.2xlarge': 1.212,
  'g6.xlarge': 0.8048,
};

/** An instance type: `ml.g5.xlarge` style (SageMaker) or `g5.xlarge` style (EC2, ECS). */
export const InstanceType = lazySchema(() =>
  z.string().regex(/^(ml\.)?[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'must be an instance type like ml.g5.xlarge'),
);

/**
 * `mlops:instancePrices`: USD per instance-hour by instance type, over
 * {@link INSTANCE_HOURLY_PRICE_USD} (your Region's or your negotiated price), or for a type the
 * table lacks, so its model dashboards estimate a cost. A positive price up to 1,000 USD/hour (the
 * largest GPU instances list near 100).
 */
export const InstancePricesConfig = lazySchema(() =>
  z.record(
    InstanceType,
    z.number().positive().max(1_000, 'must be at most 1000 USD per instance-hour'),
    // Zod's own words for a bad key are "Invalid key in record": say what a key must be.
    {
      error: (issue) =>
        issue.code === 'invalid_key' ? 'must be an instance type like ml.g5.xlarge' : undefined,
    },
  ),
);
export type InstancePricesConfig = z.infer<typeof InstancePricesConfig>;

/** The price table the dashboards use: the list prices with `overrides` laid over them. */
export function instanceHourlyPrices(overrides: InstancePricesConfig = {}): Readonly<Record<string, number>> {
  return { ...INSTANCE_HOURLY_PRICE_USD, ...overrides };
}

/**
 * What the rollout tasks report at each step, per model (dimension `ModelName`): the challenger's
 * traffic percent at each shift (0 when weights are restored or the challenger is gone), and a 1
 * per outcome (dimension `Outcome`: `PROMOTED` or `ROLLED_BACK`), the dashboards' rollout markers.
 */
export const ROLLOUT_METRICS = {
  namespace: 'cdk-mlops/Deployment',
  challengerWeight: 'ChallengerWeightPercent',
  outcome: 'RolloutOutcome',
  modelDimension: 'ModelName',
  outcomeDimension: 'Outcome',
} as const;

/** One `mlops:endpoints` entry: a model served by its own endpoint. */
export const ModelEndpointConfig = lazySchema(() =>
  z
    .strictObject({
      modelName: ModelName,
      backend: ServingBackend.default(ENDPOINT_CONFIG_DEFAULTS.backend),
      /** `ml.g5.xlarge` style for SageMaker, `g5.xlarge` style for ECS; defaults per backend. */
      instanceType: InstanceType.optional(),
      initialInstanceCount: z
        .number()
        .int()
        .min(1)
        .max(20)
        .default(ENDPOINT_CONFIG_DEFAULTS.initialInstanceCount),
      minInstanceCount: z.number().int().min(1).max(20).default(ENDPOINT_CONFIG_DEFAULTS.minInstanceCount),
      maxInstanceCount: z.number().int().min(1).max(20).default(ENDPOINT_CONFIG_DEFAULTS.maxInstanceCount),
      targetInvocationsPerInstance: z
        .number()
        .int()
        .min(1)
        .max(100_000)
        .default(ENDPOINT_CONFIG_DEFAULTS.targetInvocationsPerInstance),
      dataCapturePercent: z
        .number()
        .int()
        .min(0)
        .max(100)
        .default(ENDPOINT_CONFIG_DEFAULTS.dataCapturePercent),
      canarySteps: CanarySteps.default([...ENDPOINT_CONFIG_DEFAULTS.canarySteps]),
      bakeMinutes: storableNumber().min(1).max(1440).default(ENDPOINT_CONFIG_DEFAULTS.bakeMinutes),
      /**
       * How often a rollout reads the alarms while baking and the endpoint while it updates. SageMaker
       * publishes per-minute metrics, so below 60 on AWS re-reads the same datapoints; shorter intervals
       * suit local mode and demos. @default 60
       */
      alarmCheckSeconds: z.number().int().min(1).max(3600).optional(),
      /**
       * p95 latency above which a variant alarms, in microseconds (SageMaker's ModelLatency unit; the
       * ECS alarm divides by 10^6 for TargetResponseTime). @default 100000 (100 ms)
       */
      latencyThresholdMicroseconds: z.number().int().min(1_000).max(60_000_000).optional(),
      /** 5XX error rate above which a variant alarms, in percent. @default 0.1 */
      errorRateThresholdPercent: storableNumber().gt(0).max(100).optional(),
      /** One-minute periods each canary alarm looks back over. @default 3 */
      alarmEvaluationPeriods: z.number().int().min(1).max(10).optional(),
      /**
       * Bad periods among them that raise the alarm: 2 of 3 by default, so one slow minute (a cold
       * GPU, a GC pause) does not roll back; 1 of 1 judges a canary on its first bad minute. @default 2
       */
      alarmDatapointsToAlarm: z.number().int().min(1).max(10).optional(),
      /**
       * Key in the artifacts bucket of the Triton package the endpoint starts with (the champion),
       * before any rollout. Upload it before the first deploy.
       */
      initialModelDataKey: z.string().min(1).max(1024).optional(),
      /**
       * Feature views the model reads (its inputs' `view:feature` refs): its dashboard graphs their
       * freshness beside the drift. @default - no freshness graph
       */
      featureViews: z.array(z.string().min(1).max(128)).max(20).optional(),
    })
    .superRefine((c, ctx) => {
      if ((c.alarmDatapointsToAlarm ?? 2) > (c.alarmEvaluationPeriods ?? 3)) {
        ctx.addIssue({
          code: 'custom',
          path: ['alarmDatapointsToAlarm'],
          message: 'must be <= alarmEvaluationPeriods (3 unless given)',
        });
      }
      if (c.minInstanceCount > c.maxInstanceCount) {
        ctx.addIssue({ code: 'custom', path: ['minInstanceCount'], message: 'must be <= maxInstanceCount' });
      }
      if (c.instanceType && c.backend === 'sagemaker' && !c.instanceType.startsWith('ml.')) {
        ctx.addIssue({
          code: 'custom',
          path: ['instanceType'],
          message: 'SageMaker instance types start with ml.',
        });
      }
      if (c.instanceType && c.backend === 'ecs' && c.instanceType.startsWith('ml.')) {
        ctx.addIssue({
          code: 'custom',
          path: ['instanceType'],
          message: 'ECS instance types have no ml. prefix',
        });
      }
    }),
);
export type ModelEndpointConfig = z.infer<typeof ModelEndpointConfig>;

/** The `mlops:endpoints` list: model names must be unique. */
export const ModelEndpointsConfig = lazySchema(() =>
  z
    .array(ModelEndpointConfig)
    .max(20)
    .refine((l) => new Set(l.map((e) => e.modelName)).size === l.length, 'model names must be unique'),
);

// ---------------------------------------------------------------------------------------------
// Alarms: stable names, so the rollout can watch them without a lookup.
// ---------------------------------------------------------------------------------------------

export const AlarmKind = {
  LATENCY_P95: 'latency-p95',
  ERROR_RATE: 'error-rate',
} as const;

/** `<endpoint>-<variant>-<kind>` for a variant, `<endpoint>-endpoint-<kind>` for the endpoint. */
export const alarmName = (endpoint: string, scope: 'champion' | 'challenger' | 'endpoint', kind: string) =>
  `${endpoint}-${scope}-${kind}`;

/** The alarms a rollout watches: the challenger's and the endpoint's, latency and errors. */
export const watchedAlarmNames = (endpoint: string): string[] =>
  (['challenger', 'endpoint'] as const).flatMap((scope) =>
    Object.values(AlarmKind).map((kind) => alarmName(endpoint, scope, kind)),
  );

export const ALARM_THRESHOLDS = {
  latencyP95Microseconds: DEFAULT_LATENCY_P95_THRESHOLD_MICROSECONDS,
  errorRatePercent: DEFAULT_ERROR_RATE_THRESHOLD_PERCENT,
} as const;

// ---------------------------------------------------------------------------------------------
// The rollout route and the state machine input.
// ---------------------------------------------------------------------------------------------

/** `POST /models/{name}/deployments`: roll out a registered (READY) version. */
export const StartDeploymentRequest = lazySchema(() =>
  z.strictObject({
    version: VersionNumber,
    /** Overrides the endpoint's configured canary steps for this rollout. */
    canarySteps: CanarySteps.optional(),
    /** Overrides the endpoint's configured bake time per step. */
    bakeMinutes: storableNumber().min(0).max(1440).optional(),
  }),
);
export type StartDeploymentRequest = z.infer<typeof StartDeploymentRequest>;

export const DeploymentId = lazySchema(() =>
  z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'must be a deployment id'),
);

/** What the route hands the state machine; every task reads its settings from here. */
export interface RolloutInput {
  readonly deploymentId: string;
  readonly modelName: string;
  readonly version: number;
  readonly endpointName: string;
  readonly steps: number[];
  /** Alarm reads per step: ceil(bake / check interval); at least 1. */
  readonly checksPerStep: number;
  readonly checkIntervalSeconds: number;
  readonly alarmNames: string[];
  /** Polls of DescribeEndpoint before an update counts as failed. */
  readonly maxEndpointPolls: number;
  readonly requestedBy: string;
  /**
   * The API request that started the rollout (its correlation id): the audit records and events
   * of the whole rollout carry it. @default - the deployment id (a rollout no request started)
   */
  readonly requestId?: string;
  /** The APPROVED request (a model that asks for sign-off): the promotion at the end shows it. */
  readonly approvalId?: string;
  /**
   * The stack's initial endpoint config: a first rollout creates the endpoint from it when the
   * endpoint does not exist (local mode; an endpoint deleted by hand).
   */
  readonly initialEndpointConfigName?: string;
  /** The variants' autoscaling (SageMaker), registered when a promotion ends. */
  readonly scaling?: VariantScalingSettings;
  /**
   * A model rollout of an LLM endpoint (backend `llm-model`): the model id it moves the endpoint
   * to. Such a rollout has no registry version (`version` is 0): its tasks check, name and promote
   * nothing in the registry.
   */
  readonly candidateModel?: string;
}

export { STACK_UPDATE_LOCK_PREFIX } from './endpoint-locks';

/**
 * Per-model rollout settings the route, the rollout tasks and the retraining tasks read: one SSM
 * String parameter per model, `<deploymentTargetsPath(envName)>/<model>`, holding this as JSON.
 * Parameters rather than environment variables: Lambda allows 4 KB of environment per function and
 * a target takes about 0.4 KB (SageMaker) to 1.5 KB (ECS, with its ARNs).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
 */
export interface DeploymentTarget {
  /** The endpoint; for a prompt, the LLM endpoint its calls are watched on. */
  readonly endpointName: string;
  readonly backend: RolloutBackend;
  readonly canarySteps: number[];
  readonly bakeMinutes: number;
  readonly alarmCheckSeconds: number;
  readonly alarmNames: string[];
  /** See `RolloutInput.initialEndpointConfigName`. */
  readonly initialEndpointConfigName?: string;
  /** See `RolloutInput.scaling`. */
  readonly scaling?: VariantScalingSettings;
  /** Backend `ecs`: the services, load balancer listener and task definitions a rollout drives. */
  readonly ecs?: EcsServingTarget;
  /**
   * Backend `llm-model`: the model id the LLM endpoint is configured with, what it serves until a
   * promotion writes its served-model record.
   */
  readonly configuredModel?: string;
  /**
   * Backend `llm-model` of a SageMaker LMI endpoint: the candidate serves as the endpoint's
   * challenger variant (SageMaker splits the traffic), where a Bedrock endpoint's is split by the
   * chat route. Absent for a Bedrock endpoint.
   */
  readonly lmi?: LmiRolloutTarget;
}

/** The SageMaker side of an LMI endpoint's model rollouts (`DeploymentTarget.lmi`). */
export interface LmiRolloutTarget {
  /** The SageMaker endpoint (`mlops-<envName>-llm-<name>`), whose variants are `champion`/`challenger`. */
  readonly sageMakerEndpointName: string;
  /** The stack's endpoint config (the champion alone, on the configured model's artifact). */
  readonly initialEndpointConfigName: string;
  /** Each candidate model id's artifact, as `s3://<artifacts bucket>/<modelArtifactKey>`. */
  readonly candidatePackageUrls: Readonly<Record<string, string>>;
}
export type DeploymentTargets = Record<string, DeploymentTarget>;

/**
 * The SSM path of an environment's deployment targets (no trailing slash: GetParametersByPath is
 * authorized against the path as given).
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-retrieval-authorization.html
 */
export const deploymentTargetsPath = (envName: string): string => `/cdk-mlops/${envName}/deployment-targets`;

/** The parameter holding one model's target under `path`. */
export const deploymentTargetParameterName = (path: string, modelName: string): string =>
  `${path}/${modelName}`;

/** Something each variant of an ECS-served endpoint has, champion and challenger. */
export interface PerVariant<T> {
  readonly champion: T;
  readonly challenger: T;
}

/**
 * The ECS resources of one endpoint, as a rollout needs them: one service per variant in the
 * cluster, the listener that forwards to the variants' target groups by weight, and the stack's
 * own task definitions (revisions a rollout did not register, which it never deregisters).
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#forward-actions
 */
export interface EcsServingTarget {
  readonly cluster: string;
  readonly services: PerVariant<string>;
  readonly listenerArn: string;
  readonly targetGroupArns: PerVariant<string>;
  readonly taskDefinitionFamilies: PerVariant<string>;
  readonly initialTaskDefinitionArns: PerVariant<string>;
  /**
   * Each variant's `ALBRequestCountPerTarget` resource label (`app/<lb>/<id>/targetgroup/<tg>/<id>`),
   * for the request-count target tracking a rollout registers while the challenger runs tasks.
   * @see https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PredefinedMetricSpecification.html
   */
  readonly scalingResourceLabels?: PerVariant<string>;
}

/**
 * The custom resource that owns an ECS-served endpoint's two services on AWS
 * (`lib/serving/ecs-services.ts`, handled by `lambdas/deployment/ecs-services-resource*.ts`):
 * CloudFormation's `AWS::ECS::Service` would put a service back on the stack's task definition (the
 * initial package) whenever it changes, and reset the desired count on any update.
 */
export const ECS_SERVICES_RESOURCE_TYPE = 'Custom::MlopsEcsServices';

/** How the resource creates one variant's service: CreateService's input but its task definition and count. */
export interface EcsServiceSpec {
  readonly serviceName: string;
  readonly loadBalancers: ReadonlyArray<{
    readonly targetGroupArn: string;
    readonly containerName: string;
    readonly containerPort: number;
  }>;
  readonly networkConfiguration: {
    readonly awsvpcConfiguration: {
      readonly subnets: readonly string[];
      readonly securityGroups: readonly string[];
      readonly assignPublicIp: 'DISABLED';
    };
  };
  readonly capacityProviderStrategy: ReadonlyArray<{
    readonly capacityProvider: string;
    readonly weight: number;
  }>;
  readonly healthCheckGracePeriodSeconds: number;
}

/** Its properties, as CloudFormation passes them (strings). */
export interface EcsServicesResourceProperties {
  /** The registry model, whose rollout lock an update takes. */
  readonly ModelName: string;
  readonly Cluster: string;
  /** JSON of `PerVariant<EcsServiceSpec>`. */
  readonly Services: string;
  /** JSON of `PerVariant<string>`: the stack's task definition of each variant. */
  readonly TaskDefinitions: string;
  /** The initial package (`s3://`): while it does not exist the services run no task. */
  readonly InitialPackageUrl: string;
  /** The champion's tasks once the initial package exists (the challenger runs none at rest). */
  readonly InitialCount: string;
  /** JSON of `VariantScalingSettings` (requests per task) and `PerVariant<string>` resource labels. */
  readonly Scaling?: string;
}

/**
 * The ECS task's model fetch sidecar: it copies the Triton package at `modelDataUrl` (an `s3://`
 * URL) into the volume Triton serves. A rollout registers a revision with another URL here.
 */
export const ECS_MODEL_FETCH = {
  containerName: 'FetchModel',
  modelDataUrlVariable: 'MODEL_DATA_URL',
} as const;

// ---------------------------------------------------------------------------------------------
// The rollout state machine: its task names (what a Task state sends the task Lambda) and state
// names (the definition's, and the local executor's keys). lib/ builds the definition from them,
// lambdas/ dispatches on them, tests and local mode find states by them.
// ---------------------------------------------------------------------------------------------

/** The rollout's tasks, in the order a promotion runs them, then the rollback's. */
export const ROLLOUT_TASK_NAMES = [
  'acquireLock',
  'createChallenger',
  'checkChallenger',
  'shiftTraffic',
  'checkAlarms',
  'promote',
  'checkPromotion',
  'finishPromotion',
  'restoreWeights',
  'checkSettled',
  'restoreConfig',
  'checkRestored',
  'finishRollback',
] as const;
export type RolloutTaskName = (typeof ROLLOUT_TASK_NAMES)[number];

/** States of the rollout definition, in the order they appear. */
export const ROLLOUT_STATE_NAMES = {
  acquireLock: 'AcquireLock',
  refused: 'RolloutRefused',
  createChallenger: 'CreateChallenger',
  waitForChallenger: 'WaitForChallenger',
  checkChallenger: 'CheckChallenger',
  shiftTraffic: 'ShiftTraffic',
  bake: 'Bake',
  checkAlarms: 'CheckAlarms',
  promote: 'Promote',
  waitForPromotion: 'WaitForPromotion',
  checkPromotion: 'CheckPromotion',
  finishPromotion: 'FinishPromotion',
  promoted: 'Promoted',
  restoreWeights: 'RestoreWeights',
  waitForSettle: 'WaitForSettle',
  checkSettled: 'CheckSettled',
  restoreConfig: 'RestoreConfig',
  waitForRestore: 'WaitForRestore',
  checkRestored: 'CheckRestored',
  finishRollback: 'FinishRollback',
  rolledBack: 'RolledBack',
} as const;

export const DeploymentStatus = lazySchema(() =>
  z.enum(['RUNNING', 'PROMOTED', 'ROLLED_BACK', 'REFUSED', 'FAILED']),
);
export type DeploymentStatus = z.infer<typeof DeploymentStatus>;

/** A rollout as the status route reports it. */
export interface Deployment {
  readonly deploymentId: string;
  readonly modelName: string;
  readonly version: number;
  readonly endpointName: string;
  readonly status: DeploymentStatus;
  readonly phase: string;
  readonly steps: number[];
  readonly weights?: { readonly champion: number; readonly challenger: number };
  readonly executionArn?: string;
  readonly previousVersion?: number;
  /** A model rollout of an LLM endpoint: the model id rolled out (see `RolloutInput`). */
  readonly candidateModel?: string;
  /** A model rollout of an LLM endpoint: the model id the endpoint served when it started. */
  readonly previousModel?: string;
  readonly alarm?: string;
  readonly reason?: string;
  readonly requestedBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * An endpoint's current traffic split, as the predict path routes sticky keys by it. The rollout
 * writes it (deployments table, `deploymentKeys.routing`) right after each weight change on the
 * backend and before it removes a variant; the predictions function reads it with one GetItem,
 * cached for seconds, so no SageMaker control-plane call (DescribeEndpoint, throttled far below
 * prediction rates) sits on the predict path. No item: the endpoint is at rest, the champion
 * takes all traffic.
 */
export interface EndpointRouting {
  readonly modelName: string;
  readonly endpointName: string;
  readonly weights: { readonly champion: number; readonly challenger: number };
  /** The rollout that set the weights. */
  readonly deploymentId: string;
  readonly updatedAt: string;
}

// ---------------------------------------------------------------------------------------------
// Inventory: a model's deployments, and every configured endpoint as it serves now.
// ---------------------------------------------------------------------------------------------

/** `GET /models/{name}/deployments` and `GET /endpoints`: a page, as every list route takes it. */
export const ListPageQuery = lazySchema(() =>
  z.strictObject({
    limit: z.coerce.number().int().min(1).max(100).default(50),
    nextToken: z.string().max(2048).optional(),
  }),
);
export type ListPageQuery = z.infer<typeof ListPageQuery>;

/** One variant of an endpoint as it serves now. */
export interface EndpointVariantSummary {
  readonly name: string;
  /** The registry version it serves; absent on the stack's initial package. */
  readonly version?: number;
  /** Its share of traffic in percent. */
  readonly weight: number;
  /** Instances (SageMaker) or running tasks (ECS). */
  readonly instanceCount: number;
}

/** The rollout holding the model's lock, as `GET /endpoints` reports it. */
export interface RunningRollout {
  readonly deploymentId: string;
  readonly version: number;
  readonly phase: string;
  readonly weights?: { readonly champion: number; readonly challenger: number };
}

/** One configured endpoint: `GET /endpoints`. */
export interface EndpointSummary {
  readonly modelName: string;
  readonly endpointName: string;
  readonly backend: ServingBackend;
  /**
   * SageMaker's EndpointStatus (`InService`, `Updating`, ...), the same words for ECS
   * (`InService` when every variant with traffic runs its tasks, `Updating` while a service
   * deploys), or `NotCreated` before the first rollout created it.
   */
  readonly status: string;
  readonly variants: EndpointVariantSummary[];
  readonly rollout?: RunningRollout;
}
