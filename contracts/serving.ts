/**
 * Serving contracts shared by the serving construct, the deployment state machine and its task
 * Lambdas, the predict handler, the reference trainer and the local SageMaker: names of
 * endpoints, variants, SageMaker models and packages; the Triton package layout; the metrics an
 * endpoint emits and their units; the data-capture record. Schema-free but for
 * `VariantScalingSettings`: the inference bodies and the trainer's evaluation are in
 * `inference-protocol.ts`, so the many functions naming an endpoint build none of them.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/realtime-endpoints.html
 * @see https://github.com/kserve/open-inference-protocol/blob/main/specification/protocol/inference_rest.md
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { lazySchema } from './lazy-schema';

// ---------------------------------------------------------------------------------------------
// Names. Every SageMaker name the platform makes starts with its endpoint's name,
// `mlops-<envName>-<model>`, so two environments of the platform in one account and Region never
// share a name, and IAM scopes a model's resources by that prefix. SageMaker endpoint,
// endpoint-config and model names are at most 63 characters of `[a-zA-Z0-9](-*[a-zA-Z0-9])*`;
// registry model names also allow `_` and `.`, so a name made from one is sanitized and, when
// sanitizing changed it, suffixed with a short hash so two registry names never share an endpoint.
// Nothing is cut: a name that would not fit is a synth error naming the model.
// ---------------------------------------------------------------------------------------------

/** The production variants: the champion always, the challenger only while a rollout runs. */
export const Variant = {
  CHAMPION: 'champion',
  CHALLENGER: 'challenger',
} as const;
export type VariantName = (typeof Variant)[keyof typeof Variant];

/**
 * SageMaker's limit on endpoint, endpoint-config and model names.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpoint.html
 */
export const SAGEMAKER_NAME_MAX_LENGTH = 63;

/** The longest suffix put after an endpoint name: `-` and a 16-character config step id. */
const LONGEST_NAME_SUFFIX = 17;

/** The longest endpoint name: room is left for every config and model name made from it. */
export const ENDPOINT_NAME_MAX_LENGTH = SAGEMAKER_NAME_MAX_LENGTH - LONGEST_NAME_SUFFIX;

/** What every physical name of one environment's endpoints starts with: `mlops-<envName>-`. */
export const endpointNamePrefix = (envName: string): string => `mlops-${envName}-`;

function sagemakerSafe(modelName: string): string {
  const cleaned = modelName
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  if (cleaned === modelName) return cleaned;
  const hash = createHash('sha256').update(modelName).digest('hex').slice(0, 8);
  return cleaned ? `${cleaned}-${hash}` : `m-${hash}`;
}

/**
 * The endpoint serving a registry model in one environment: `mlops-<envName>-<model>`. One
 * endpoint per model; its variant at rest is `champion`, joined by `challenger` while a rollout
 * runs. The endpoint's configs, models and alarms are named after it.
 * @throws Error naming the model when the name is longer than `ENDPOINT_NAME_MAX_LENGTH`.
 */
export function endpointName(envName: string, modelName: string): string {
  const name = `${endpointNamePrefix(envName)}${sagemakerSafe(modelName)}`;
  if (name.length > ENDPOINT_NAME_MAX_LENGTH) {
    throw new Error(
      `model ${modelName}: endpoint name ${name} is ${name.length} characters, at most ${ENDPOINT_NAME_MAX_LENGTH} ` +
        `leave room for the ${SAGEMAKER_NAME_MAX_LENGTH}-character SageMaker config and model names made from it; ` +
        `shorten the model name or mlops:envName (${envName})`,
    );
  }
  return name;
}

/** The SageMaker endpoint of LMI LLM endpoint `name`: `mlops-<envName>-llm-<name>`. */
export const llmEndpointName = (envName: string, name: string): string =>
  endpointName(envName, `llm-${name}`);

/** The SageMaker model for one registry version: `<endpoint>-v<version>`. */
export const sagemakerModelName = (endpoint: string, version: number): string => `${endpoint}-v${version}`;

/** The registry version a SageMaker model of the endpoint serves; none for the stack's initial model. */
export function versionOfSagemakerModel(endpoint: string, model: string): number | undefined {
  const match = model.startsWith(`${endpoint}-v`) ? /^\d+$/.exec(model.slice(endpoint.length + 2)) : null;
  return match ? Number(match[0]) : undefined;
}

/**
 * An endpoint config name, unique per deployment step: `<endpoint>-<suffix>`. SageMaker endpoint
 * configs are immutable, so each change of variants makes a new one.
 * @param suffix e.g. the deployment id and step, `[a-zA-Z0-9-]`, at most 16 characters.
 */
export const endpointConfigName = (endpoint: string, suffix: string): string =>
  `${endpoint}-${suffix.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 16)}`;

/**
 * The custom resource that owns a SageMaker endpoint on AWS (`lib/serving/sagemaker-backend.ts`,
 * handled by `lambdas/deployment/endpoint-resource*.ts`): CloudFormation's own
 * `AWS::SageMaker::Endpoint` would put the endpoint back on the stack's initial model on any
 * update of the endpoint config, undoing every rollout since.
 */
export const ENDPOINT_RESOURCE_TYPE = 'Custom::MlopsSageMakerEndpoint';

/** Its properties, as CloudFormation passes them (strings). */
export interface EndpointResourceProperties {
  /** The endpoint (`mlops-<envName>-<model>`); its physical id. */
  readonly EndpointName: string;
  /** The stack's current endpoint config: settings to apply, and the initial models. */
  readonly EndpointConfigName: string;
  /** The registry model, whose rollout lock an update takes. */
  readonly ModelName: string;
  /** JSON of `VariantScalingSettings`, applied to each variant while it exists; absent: no autoscaling. */
  readonly Scaling?: string;
  /**
   * The initial model's package (`s3://`). While it does not exist the endpoint is not created:
   * the first rollout creates it, on the version it deploys (the bucket is the stack's own, so
   * nothing can be uploaded before the first deploy).
   */
  readonly InitialPackageUrl?: string;
  /**
   * `'true'`: no rollout creates this endpoint (an LLM endpoint serves its configured artifact first;
   * no registry version rolls out to it), so a missing initial package fails the deploy, naming the
   * object to upload, rather than leaving the endpoint to a first rollout that never comes.
   */
  readonly InitialPackageRequired?: 'true';
}

/**
 * Target tracking per variant on invocations per instance. The endpoint custom resource owns it
 * (not CloudFormation's scalable targets): an instance type change must deregister it first.
 */
export const VariantScalingSettings = lazySchema(() =>
  z.object({
    minCapacity: z.number().int().min(1),
    maxCapacity: z.number().int().min(1),
    targetInvocationsPerInstance: z.number().positive(),
    scaleInCooldownSeconds: z.number().int().min(0),
    scaleOutCooldownSeconds: z.number().int().min(0),
  }),
);
export type VariantScalingSettings = z.infer<typeof VariantScalingSettings>;

// ---------------------------------------------------------------------------------------------
// Packages: model.tar.gz in the Triton model repository layout, one per registry version.
// ---------------------------------------------------------------------------------------------

/** Packaged models in the artifacts bucket: `serving/packages/<model>/<version>/model.tar.gz`. */
export const MODEL_PACKAGES_PREFIX = 'serving/packages/';
export const modelPackageKey = (modelName: string, version: number): string =>
  `${MODEL_PACKAGES_PREFIX}${modelName}/${version}/model.tar.gz`;

/** The registry version of a package URL or key (`.../<model>/<version>/model.tar.gz`); none for others. */
export function versionOfPackage(urlOrKey: string): number | undefined {
  const match = /\/(\d+)\/model\.tar\.gz$/.exec(urlOrKey);
  return match ? Number(match[1]) : undefined;
}

/**
 * Triton layout inside model.tar.gz: `<model>/config.pbtxt` and `<model>/<version>/model.onnx`.
 * The version directory is the REGISTRY version (Triton wants a positive integer directory, and a
 * registry version is one), so Triton and the local model server both answer with
 * `model_version` = the registry version, and the predict route reports it without a lookup.
 * @see https://docs.nvidia.com/deeplearning/triton-inference-server/user-guide/docs/user_guide/model_repository.html
 */
export const tritonPackagePaths = (modelName: string, version: number) =>
  ({
    config: `${modelName}/config.pbtxt`,
    model: `${modelName}/${version}/model.onnx`,
  }) as const;

/**
 * Container environment for CreateModel: the Triton container serves the one model in the
 * package under this name.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/triton.html
 */
export const tritonContainerEnvironment = (modelName: string): Record<string, string> => ({
  SAGEMAKER_TRITON_DEFAULT_MODEL_NAME: modelName,
});

/**
 * Local only: environment keys the local model server honours when they are set in a SageMaker
 * model's `PrimaryContainer.Environment`, so a test or demo can make a variant slow or failing
 * (a canary that must roll back). Triton ignores them on AWS.
 */
export const LocalModelFault = {
  /** Added to every invocation, in milliseconds. */
  extraLatencyMs: 'MLOPS_FAULT_EXTRA_LATENCY_MS',
  /** Share of invocations answered 500, 0..100; deterministic (every k-th call). */
  errorPercent: 'MLOPS_FAULT_ERROR_PERCENT',
} as const;

// ---------------------------------------------------------------------------------------------
// Metrics: what an endpoint emits per variant, as SageMaker does.
// ---------------------------------------------------------------------------------------------

/**
 * Namespace and dimensions of endpoint invocation metrics.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html#cloudwatch-metrics-endpoint-invocation
 */
export const ENDPOINT_METRICS_NAMESPACE = 'AWS/SageMaker';
export const endpointMetricDimensions = (endpoint: string, variant: string) => [
  { Name: 'EndpointName', Value: endpoint },
  { Name: 'VariantName', Value: variant },
];

/** Metric names and their CloudWatch units. Latencies are MICROseconds, as on AWS. */
export const EndpointMetric = {
  INVOCATIONS: { name: 'Invocations', unit: 'None' },
  INVOCATION_4XX_ERRORS: { name: 'Invocation4XXErrors', unit: 'None' },
  INVOCATION_5XX_ERRORS: { name: 'Invocation5XXErrors', unit: 'None' },
  MODEL_LATENCY: { name: 'ModelLatency', unit: 'Microseconds' },
  OVERHEAD_LATENCY: { name: 'OverheadLatency', unit: 'Microseconds' },
  INVOCATIONS_PER_INSTANCE: { name: 'InvocationsPerInstance', unit: 'None' },
} as const;

/**
 * What the predict path reports of each answer, per model and variant (dimensions `ModelName`,
 * `VariantName`; nothing per request, so the metrics stay few): `PredictionValue`, each row's
 * score, and `PredictionConfidence`, each row's confidence, both from the answer's first
 * floating-point output (see `lambdas/serving/domain/prediction-metrics.ts` for the exact rule).
 */
export const PREDICTION_METRICS = {
  namespace: 'cdk-mlops/Serving',
  value: 'PredictionValue',
  confidence: 'PredictionConfidence',
  modelDimension: 'ModelName',
  variantDimension: 'VariantName',
} as const;

/** Alarm rules of the canary: p95 ModelLatency above 100 ms, 5XX rate above 0.1%. */
export const DEFAULT_LATENCY_P95_THRESHOLD_MICROSECONDS = 100_000;
export const DEFAULT_ERROR_RATE_THRESHOLD_PERCENT = 0.1;

// ---------------------------------------------------------------------------------------------
// Data capture, in SageMaker's JSON Lines format and S3 layout.
// ---------------------------------------------------------------------------------------------

/** Default capture destination prefix in the artifacts bucket. */
export const DATA_CAPTURE_PREFIX = 'serving/data-capture/';

/**
 * S3 key of a capture file: `<prefix><endpoint>/<variant>/yyyy/mm/dd/hh/<mm-ss-SSS>-<uuid>.jsonl`
 * (UTC), SageMaker's layout.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-endpoint.html
 */
export function dataCaptureKey(
  prefix: string,
  endpoint: string,
  variant: string,
  at: Date,
  id: string,
): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const base = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  return (
    `${base}${endpoint}/${variant}/${at.getUTCFullYear()}/${p(at.getUTCMonth() + 1)}/${p(at.getUTCDate())}/` +
    `${p(at.getUTCHours())}/${p(at.getUTCMinutes())}-${p(at.getUTCSeconds())}-${p(at.getUTCMilliseconds(), 3)}-${id}.jsonl`
  );
}

/** One captured payload: JSON/CSV content is stored as text, anything else base64. */
export interface CapturedPayload {
  readonly observedContentType: string;
  readonly mode: 'INPUT' | 'OUTPUT';
  readonly data: string;
  readonly encoding: 'JSON' | 'CSV' | 'BASE64';
}

/** One line of a data-capture file. */
export interface DataCaptureRecord {
  readonly captureData: {
    readonly endpointInput?: CapturedPayload;
    readonly endpointOutput?: CapturedPayload;
  };
  readonly eventMetadata: {
    readonly eventId: string;
    readonly inferenceTime: string;
    readonly inferenceId?: string;
  };
  readonly eventVersion: '0';
}

// ---------------------------------------------------------------------------------------------
// Reference trainer: the SageMaker training contract it follows and the metrics it prints.
// ---------------------------------------------------------------------------------------------

/**
 * Metric definitions for CreateTrainingJob: the trainer prints one `name=value;` per line, e.g.
 * `validation:auc=0.9957;`.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/training-metrics.html
 */
export const TRAINER_METRIC_DEFINITIONS = [
  'train:loss',
  'train:accuracy',
  'validation:accuracy',
  'validation:precision',
  'validation:recall',
  'validation:f1',
  'validation:auc',
].map((name) => ({ Name: name, Regex: `${name}=([-+0-9.eE]+);` }));

/** Tensor names of the reference model: `features` FP32 [N, D] in, `probability` FP32 [N, 1] out. */
export const REFERENCE_MODEL_TENSORS = { input: 'features', output: 'probability' } as const;

/** Triton's platform name for ONNX models, which every model of the platform is. */
export const ONNX_PLATFORM = 'onnxruntime_onnx';

/** Response headers of the predict route: which variant answered (as InvokeEndpoint reports). */
export const PREDICT_VARIANT_HEADER = 'x-amzn-invoked-production-variant';

/**
 * Registry model tag listing the feature refs (`view:feature`, comma-separated, in input order) a
 * model takes, so a prediction given only entity keys is built from the online store.
 */
export const MODEL_FEATURES_TAG = 'mlops:features';
