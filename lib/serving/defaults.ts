/**
 * Defaults of `ModelEndpoint`, in one place so the props' `@default` docs and the code agree,
 * and the SageMaker Triton image registry per Region.
 */
import { Duration } from 'aws-cdk-lib';
import { ALARM_THRESHOLDS, ENDPOINT_CONFIG_DEFAULTS } from '../../contracts/deployment';

export const SERVING_DEFAULTS = {
  backend: ENDPOINT_CONFIG_DEFAULTS.backend,
  sageMakerInstanceType: ENDPOINT_CONFIG_DEFAULTS.sageMakerInstanceType,
  ecsInstanceType: ENDPOINT_CONFIG_DEFAULTS.ecsInstanceType,
  initialInstanceCount: ENDPOINT_CONFIG_DEFAULTS.initialInstanceCount,
  minInstanceCount: ENDPOINT_CONFIG_DEFAULTS.minInstanceCount,
  maxInstanceCount: ENDPOINT_CONFIG_DEFAULTS.maxInstanceCount,
  targetInvocationsPerInstance: ENDPOINT_CONFIG_DEFAULTS.targetInvocationsPerInstance,
  dataCapturePercent: ENDPOINT_CONFIG_DEFAULTS.dataCapturePercent,
  latencyThresholdMicroseconds: ALARM_THRESHOLDS.latencyP95Microseconds,
  errorRateThresholdPercent: ALARM_THRESHOLDS.errorRatePercent,
  /** One-minute periods: the resolution SageMaker publishes invocation metrics at. */
  alarmPeriod: Duration.minutes(1),
  /** Two bad minutes out of three: one slow minute (a cold GPU, a GC pause) does not roll back. */
  alarmEvaluationPeriods: 3,
  alarmDatapointsToAlarm: 2,
  tritonVersion: '24.09',
  /** Triton on ECS: per-task GPU and memory (one A10G per task on g5). */
  ecsGpuCount: 1,
  ecsMemoryLimitMiB: 12_288,
  scaleInCooldown: Duration.minutes(5),
  scaleOutCooldown: Duration.minutes(1),
} as const;

/**
 * AWS Deep Learning Containers registry accounts of the SageMaker Triton image
 * (`<account>.dkr.ecr.<region>.<suffix>/sagemaker-tritonserver:<version>-py3`), as listed by the
 * SageMaker Python SDK (`image_uri_config/sagemaker-tritonserver.json`, versions 23.12..24.09).
 * @see https://github.com/aws/sagemaker-python-sdk/blob/master/src/sagemaker/image_uri_config/sagemaker-tritonserver.json
 * @see https://github.com/aws/deep-learning-containers/blob/master/available_images.md#nvidia-triton-inference-containers-sm-support-only
 */
export const TRITON_REGISTRY_ACCOUNTS: Readonly<Record<string, string>> = {
  'af-south-1': '626614931356',
  'il-central-1': '780543022126',
  'ap-east-1': '871362719292',
  'ap-northeast-1': '763104351884',
  'ap-northeast-2': '763104351884',
  'ap-northeast-3': '364406365360',
  'ap-south-1': '763104351884',
  'ap-southeast-1': '763104351884',
  'ap-southeast-2': '763104351884',
  'ap-southeast-3': '907027046896',
  'ca-central-1': '763104351884',
  'ca-west-1': '204538143572',
  'cn-north-1': '727897471807',
  'cn-northwest-1': '727897471807',
  'eu-central-1': '763104351884',
  'eu-north-1': '763104351884',
  'eu-west-1': '763104351884',
  'eu-west-2': '763104351884',
  'eu-west-3': '763104351884',
  'eu-south-1': '692866216735',
  'me-south-1': '217643126080',
  'sa-east-1': '763104351884',
  'us-east-1': '763104351884',
  'us-east-2': '763104351884',
  'us-west-1': '763104351884',
  'us-west-2': '763104351884',
};

export const TRITON_REPOSITORY = 'sagemaker-tritonserver';

/**
 * Instance families with local NVMe storage: SageMaker refuses a storage-volume KMS key for them
 * (their instance store is encrypted by the hardware).
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html#sagemaker-CreateEndpointConfig-request-KmsKeyId
 */
export const LOCAL_NVME_FAMILIES = /^ml\.(g4dn|g5|g6|g6e|p3dn|p4d|p4de|p5|p5e|m5d|c5d|r5d|inf2|trn1|trn1n)\./;
