/**
 * The local SageMaker's resources, in the shapes of the SageMaker API (field names as the API
 * returns them), persisted as one JSON file so a restart restores every endpoint.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeEndpoint.html
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { readJsonState, writeJsonAtomic } from '../state-file';

export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';
export const arnOf = (kind: string, name: string) =>
  `arn:aws:sagemaker:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${kind}/${name.toLowerCase()}`;

export interface ContainerDefinition {
  readonly Image?: string;
  readonly ModelDataUrl?: string;
  readonly Environment?: Record<string, string>;
}

export interface ModelRecord {
  readonly ModelName: string;
  readonly ModelArn: string;
  readonly PrimaryContainer: ContainerDefinition;
  readonly ExecutionRoleArn?: string;
  readonly CreationTime: number;
}

export interface ProductionVariantConfig {
  readonly VariantName: string;
  readonly ModelName: string;
  readonly InitialVariantWeight?: number;
  readonly InitialInstanceCount?: number;
  readonly InstanceType?: string;
}

export interface DataCaptureConfig {
  readonly EnableCapture?: boolean;
  readonly InitialSamplingPercentage: number;
  readonly DestinationS3Uri: string;
  readonly CaptureOptions: ReadonlyArray<{ CaptureMode: 'Input' | 'Output' }>;
  readonly CaptureContentTypeHeader?: { CsvContentTypes?: string[]; JsonContentTypes?: string[] };
}

export interface EndpointConfigRecord {
  readonly EndpointConfigName: string;
  readonly EndpointConfigArn: string;
  readonly ProductionVariants: readonly ProductionVariantConfig[];
  readonly DataCaptureConfig?: DataCaptureConfig;
  readonly CreationTime: number;
}

export type EndpointStatus = 'Creating' | 'Updating' | 'InService' | 'Failed' | 'Deleting';

export interface VariantState {
  readonly VariantName: string;
  readonly ModelName: string;
  CurrentWeight: number;
  DesiredWeight: number;
  CurrentInstanceCount: number;
  DesiredInstanceCount: number;
}

export interface EndpointRecord {
  readonly EndpointName: string;
  readonly EndpointArn: string;
  EndpointConfigName: string;
  EndpointStatus: EndpointStatus;
  FailureReason?: string;
  ProductionVariants: VariantState[];
  readonly CreationTime: number;
  LastModifiedTime: number;
}

export type TransformJobStatus = 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped';

/** A transform job as CreateTransformJob took it, with its status (DescribeTransformJob's shape). */
export interface TransformJobRecord {
  readonly TransformJobName: string;
  readonly TransformJobArn: string;
  readonly ModelName: string;
  TransformJobStatus: TransformJobStatus;
  FailureReason?: string;
  readonly BatchStrategy?: 'SingleRecord' | 'MultiRecord';
  readonly MaxPayloadInMB?: number;
  readonly MaxConcurrentTransforms?: number;
  readonly Environment?: Record<string, string>;
  readonly TransformInput: {
    readonly DataSource: { readonly S3DataSource: { readonly S3DataType?: string; readonly S3Uri: string } };
    readonly ContentType?: string;
    readonly CompressionType?: string;
    readonly SplitType?: 'None' | 'Line' | 'RecordIO' | 'TFRecord';
  };
  readonly TransformOutput: {
    readonly S3OutputPath: string;
    readonly Accept?: string;
    readonly AssembleWith?: 'None' | 'Line';
  };
  readonly TransformResources: { readonly InstanceType: string; readonly InstanceCount: number };
  readonly DataProcessing?: {
    readonly InputFilter?: string;
    readonly OutputFilter?: string;
    readonly JoinSource?: 'Input' | 'None';
  };
  readonly CreationTime: number;
  TransformStartTime?: number;
  TransformEndTime?: number;
}

export interface SageMakerState {
  models: Record<string, ModelRecord>;
  endpointConfigs: Record<string, EndpointConfigRecord>;
  endpoints: Record<string, EndpointRecord>;
  transformJobs: Record<string, TransformJobRecord>;
}

export const emptyState = (): SageMakerState => ({
  models: {},
  endpointConfigs: {},
  endpoints: {},
  transformJobs: {},
});

/** Reads the state file; a missing file is an empty state. */
export function loadState(file: string | undefined): SageMakerState {
  if (!file) return emptyState();
  const saved = readJsonState<Partial<SageMakerState>>(file, {
    what: "the local SageMaker's state",
    recovery: 'delete it to start with no local models, endpoint configs or endpoints',
  });
  return { ...emptyState(), ...saved };
}

/** Writes atomically (temp file then rename) so a crash never leaves half a file. */
export function saveState(file: string | undefined, state: SageMakerState): void {
  if (!file) return;
  mkdirSync(dirname(file), { recursive: true });
  writeJsonAtomic(file, state);
}

/** Variants as an endpoint starts them from a config: weights and counts from the Initial* fields. */
export function variantsFromConfig(config: EndpointConfigRecord): VariantState[] {
  return config.ProductionVariants.map((v) => ({
    VariantName: v.VariantName,
    ModelName: v.ModelName,
    CurrentWeight: v.InitialVariantWeight ?? 1,
    DesiredWeight: v.InitialVariantWeight ?? 1,
    CurrentInstanceCount: v.InitialInstanceCount ?? 1,
    DesiredInstanceCount: v.InitialInstanceCount ?? 1,
  }));
}
