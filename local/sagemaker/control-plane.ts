/**
 * The SageMaker control-plane operations the platform uses, with SageMaker's validation and
 * error types, over the persisted state. Endpoint creation and update run in the background as on
 * AWS (Creating/Updating, then InService or Failed): callers poll DescribeEndpoint.
 * UpdateEndpointWeightsAndCapacities applies at once, so the next invocation sees the new weights.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_Operations_Amazon_SageMaker_Service.html
 */

import {
  arnOf,
  type ContainerDefinition,
  type EndpointConfigRecord,
  type EndpointRecord,
  type ModelRecord,
  type SageMakerState,
  type TransformJobRecord,
  variantsFromConfig,
} from './state';
import { checkEndpointConfigInput, requireName, validation } from './validation';

const nowSeconds = () => Date.now() / 1000;

/** Starts (or replaces) the model servers of an endpoint; rejects with a failure reason. */
export type DeployVariants = (endpoint: EndpointRecord, config: EndpointConfigRecord) => Promise<void>;

/** Runs a transform job to its end; rejects with its FailureReason. */
export type RunTransform = (
  job: TransformJobRecord,
  model: ModelRecord,
  signal: AbortSignal,
) => Promise<void>;

export interface ControlPlaneDeps {
  readonly state: SageMakerState;
  readonly save: () => void;
  readonly deploy: DeployVariants;
  readonly undeploy: (endpointName: string) => Promise<void>;
  /** @default - CreateTransformJob is refused */
  readonly transform?: RunTransform;
}

export class SageMakerControlPlane {
  /** Background deployments and transform jobs, awaited by `settled()` (tests, shutdown). */
  private readonly inFlight = new Set<Promise<void>>();
  private readonly transformAborts = new Map<string, AbortController>();

  constructor(private readonly deps: ControlPlaneDeps) {}

  private get state() {
    return this.deps.state;
  }

  /** Resolves when no endpoint is Creating or Updating. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private endpoint(name: unknown): EndpointRecord {
    const endpoint = this.state.endpoints[String(name)];
    if (!endpoint) throw validation(`Could not find endpoint "${String(name)}".`);
    return endpoint;
  }

  private config(name: unknown): EndpointConfigRecord {
    const config = this.state.endpointConfigs[String(name)];
    if (!config) throw validation(`Could not find endpoint configuration "${String(name)}".`);
    return config;
  }

  CreateModel(input: Record<string, unknown>) {
    const name = requireName(input.ModelName, 'modelName');
    if (this.state.models[name])
      throw validation(`Cannot create already existing model "${arnOf('model', name)}".`);
    const container = (input.PrimaryContainer ??
      (input.Containers as ContainerDefinition[] | undefined)?.[0]) as ContainerDefinition | undefined;
    if (!container) throw validation('PrimaryContainer or Containers is required');
    if (container.ModelDataUrl !== undefined && !/^s3:\/\/[^/]+\/.+/.test(container.ModelDataUrl)) {
      throw validation(`ModelDataUrl must be an S3 URL, got ${container.ModelDataUrl}`);
    }
    const model = {
      ModelName: name,
      ModelArn: arnOf('model', name),
      PrimaryContainer: container,
      ...(input.ExecutionRoleArn ? { ExecutionRoleArn: String(input.ExecutionRoleArn) } : {}),
      CreationTime: nowSeconds(),
    };
    this.state.models[name] = model;
    this.deps.save();
    return { ModelArn: model.ModelArn };
  }

  DescribeModel(input: Record<string, unknown>) {
    const model = this.state.models[String(input.ModelName)];
    if (!model) throw validation(`Could not find model "${arnOf('model', String(input.ModelName))}".`);
    return model;
  }

  DeleteModel(input: Record<string, unknown>) {
    this.DescribeModel(input);
    delete this.state.models[String(input.ModelName)];
    this.deps.save();
    return {};
  }

  CreateEndpointConfig(input: Record<string, unknown>) {
    const name = requireName(input.EndpointConfigName, 'endpointConfigName');
    if (this.state.endpointConfigs[name]) {
      throw validation(
        `Cannot create already existing endpoint configuration "${arnOf('endpoint-config', name)}".`,
      );
    }
    const { variants, capture } = checkEndpointConfigInput(
      input,
      (model) => this.state.models[model] !== undefined,
    );
    const config: EndpointConfigRecord = {
      EndpointConfigName: name,
      EndpointConfigArn: arnOf('endpoint-config', name),
      ProductionVariants: variants,
      ...(capture ? { DataCaptureConfig: capture } : {}),
      CreationTime: nowSeconds(),
    };
    this.state.endpointConfigs[name] = config;
    this.deps.save();
    return { EndpointConfigArn: config.EndpointConfigArn };
  }

  DescribeEndpointConfig(input: Record<string, unknown>) {
    return this.config(input.EndpointConfigName);
  }

  DeleteEndpointConfig(input: Record<string, unknown>) {
    this.config(input.EndpointConfigName);
    delete this.state.endpointConfigs[String(input.EndpointConfigName)];
    this.deps.save();
    return {};
  }

  /**
   * Deploys the config's variants in the background. The endpoint ends up with exactly the
   * config's variants: one the config adds starts with its Initial* weight and count, one it drops
   * is gone. With `retained` properties (RetainAllVariantProperties less the excluded ones), a
   * variant the endpoint had keeps its weight and instance count.
   */
  private runDeployment(
    endpoint: EndpointRecord,
    config: EndpointConfigRecord,
    retained: { weight: boolean; count: boolean },
    previous?: EndpointRecord,
  ) {
    const job = this.deps
      .deploy(endpoint, config)
      .then(() => {
        const before = new Map(endpoint.ProductionVariants.map((v) => [v.VariantName, v]));
        endpoint.ProductionVariants = variantsFromConfig(config).map((v) => {
          const old = before.get(v.VariantName);
          if (!old) return v;
          return {
            ...v,
            ...(retained.weight
              ? { CurrentWeight: old.CurrentWeight, DesiredWeight: old.DesiredWeight }
              : {}),
            ...(retained.count
              ? {
                  CurrentInstanceCount: old.CurrentInstanceCount,
                  DesiredInstanceCount: old.DesiredInstanceCount,
                }
              : {}),
          };
        });
        endpoint.EndpointConfigName = config.EndpointConfigName;
        endpoint.EndpointStatus = 'InService';
        delete endpoint.FailureReason;
      })
      .catch((err: Error) => {
        // A failed update leaves the endpoint serving its previous config, as SageMaker does.
        endpoint.EndpointStatus = previous ? 'InService' : 'Failed';
        endpoint.FailureReason = err.message;
      })
      .finally(() => {
        endpoint.LastModifiedTime = nowSeconds();
        this.deps.save();
        this.inFlight.delete(job);
      });
    this.inFlight.add(job);
  }

  CreateEndpoint(input: Record<string, unknown>) {
    const name = requireName(input.EndpointName, 'endpointName');
    if (this.state.endpoints[name])
      throw validation(`Cannot create already existing endpoint "${arnOf('endpoint', name)}".`);
    const config = this.config(input.EndpointConfigName);
    const endpoint: EndpointRecord = {
      EndpointName: name,
      EndpointArn: arnOf('endpoint', name),
      EndpointConfigName: config.EndpointConfigName,
      EndpointStatus: 'Creating',
      ProductionVariants: [],
      CreationTime: nowSeconds(),
      LastModifiedTime: nowSeconds(),
    };
    this.state.endpoints[name] = endpoint;
    this.deps.save();
    this.runDeployment(endpoint, config, { weight: false, count: false });
    return { EndpointArn: endpoint.EndpointArn };
  }

  UpdateEndpoint(input: Record<string, unknown>) {
    const endpoint = this.endpoint(input.EndpointName);
    const config = this.config(input.EndpointConfigName);
    if (endpoint.EndpointStatus !== 'InService') {
      throw validation(`Cannot update in-progress endpoint "${endpoint.EndpointArn}".`);
    }
    endpoint.EndpointStatus = 'Updating';
    this.deps.save();
    this.runDeployment(endpoint, config, retainedProperties(input), { ...endpoint });
    return { EndpointArn: endpoint.EndpointArn };
  }

  UpdateEndpointWeightsAndCapacities(input: Record<string, unknown>) {
    const endpoint = this.endpoint(input.EndpointName);
    if (endpoint.EndpointStatus !== 'InService')
      throw validation(`Cannot update in-progress endpoint "${endpoint.EndpointArn}".`);
    const desired = input.DesiredWeightsAndCapacities as Array<{
      VariantName: string;
      DesiredWeight?: number;
      DesiredInstanceCount?: number;
    }>;
    if (!Array.isArray(desired) || desired.length === 0)
      throw validation('DesiredWeightsAndCapacities is required');
    for (const d of desired) {
      if (!endpoint.ProductionVariants.some((v) => v.VariantName === d.VariantName)) {
        throw validation(`The variant name(s) [${d.VariantName}] is/are not present in the endpoint.`);
      }
      if (d.DesiredWeight !== undefined && !(d.DesiredWeight >= 0))
        throw validation('DesiredWeight must be >= 0');
    }
    const after = endpoint.ProductionVariants.map((v) => {
      const d = desired.find((x) => x.VariantName === v.VariantName);
      return {
        ...v,
        DesiredWeight: d?.DesiredWeight ?? v.DesiredWeight,
        DesiredInstanceCount: d?.DesiredInstanceCount ?? v.DesiredInstanceCount,
      };
    });
    if (after.every((v) => v.DesiredWeight === 0))
      throw validation('At least one variant must have a weight greater than 0.');
    endpoint.ProductionVariants = after.map((v) => ({
      ...v,
      CurrentWeight: v.DesiredWeight,
      CurrentInstanceCount: v.DesiredInstanceCount,
    }));
    endpoint.LastModifiedTime = nowSeconds();
    this.deps.save();
    return { EndpointArn: endpoint.EndpointArn };
  }

  DescribeEndpoint(input: Record<string, unknown>) {
    const endpoint = this.endpoint(input.EndpointName);
    const capture = this.state.endpointConfigs[endpoint.EndpointConfigName]?.DataCaptureConfig;
    return {
      ...endpoint,
      ProductionVariants: endpoint.ProductionVariants.map((v) => {
        const { ModelName: _model, ...rest } = v;
        const image = this.state.models[v.ModelName]?.PrimaryContainer.Image;
        return { ...rest, DeployedImages: image ? [{ SpecifiedImage: image, ResolvedImage: image }] : [] };
      }),
      ...(capture
        ? {
            DataCaptureConfig: {
              EnableCapture: capture.EnableCapture ?? true,
              CaptureStatus: capture.EnableCapture === false ? 'Stopped' : 'Started',
              CurrentSamplingPercentage: capture.InitialSamplingPercentage,
              DestinationS3Uri: capture.DestinationS3Uri,
            },
          }
        : {}),
    };
  }

  async DeleteEndpoint(input: Record<string, unknown>) {
    const endpoint = this.endpoint(input.EndpointName);
    endpoint.EndpointStatus = 'Deleting';
    await this.deps.undeploy(endpoint.EndpointName);
    delete this.state.endpoints[endpoint.EndpointName];
    this.deps.save();
    return {};
  }

  /**
   * Starts the job in the background (InProgress, then Completed, Failed or Stopped); callers poll
   * DescribeTransformJob, as Step Functions' `.sync` integration does.
   * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTransformJob.html
   */
  CreateTransformJob(input: Record<string, unknown>) {
    const name = requireName(input.TransformJobName, 'transformJobName');
    const run = this.deps.transform;
    if (!run) throw validation('transform jobs do not run in this local SageMaker');
    if (this.state.transformJobs[name])
      throw validation(
        `Job name must be unique within an AWS account and region, and a job with this name already exists (${arnOf('transform-job', name)})`,
      );
    const model = this.state.models[String(input.ModelName)];
    if (!model) throw validation(`Could not find model "${arnOf('model', String(input.ModelName))}".`);
    const given = input as unknown as TransformJobRecord;
    if (!given.TransformInput?.DataSource?.S3DataSource?.S3Uri)
      throw validation('TransformInput is required');
    if (!given.TransformOutput?.S3OutputPath) throw validation('TransformOutput.S3OutputPath is required');
    if (!given.TransformResources?.InstanceType) throw validation('TransformResources is required');
    if (given.MaxPayloadInMB !== undefined && !(given.MaxPayloadInMB >= 0 && given.MaxPayloadInMB <= 100))
      throw validation('MaxPayloadInMB must be 0..100');
    const job: TransformJobRecord = {
      ...given,
      TransformJobName: name,
      TransformJobArn: arnOf('transform-job', name),
      TransformJobStatus: 'InProgress',
      CreationTime: nowSeconds(),
      TransformStartTime: nowSeconds(),
    };
    this.state.transformJobs[name] = job;
    this.deps.save();
    const abort = new AbortController();
    this.transformAborts.set(name, abort);
    const done = run(job, model, abort.signal)
      .then(() => {
        job.TransformJobStatus = abort.signal.aborted ? 'Stopped' : 'Completed';
      })
      .catch((err: Error) => {
        if (abort.signal.aborted) job.TransformJobStatus = 'Stopped';
        else {
          job.TransformJobStatus = 'Failed';
          job.FailureReason = err.message.slice(0, 1024);
        }
      })
      .finally(() => {
        job.TransformEndTime = nowSeconds();
        this.transformAborts.delete(name);
        this.deps.save();
        this.inFlight.delete(done);
      });
    this.inFlight.add(done);
    return { TransformJobArn: job.TransformJobArn };
  }

  DescribeTransformJob(input: Record<string, unknown>) {
    const job = this.state.transformJobs[String(input.TransformJobName)];
    if (!job) throw validation(`Could not find requested job with name ${String(input.TransformJobName)}`);
    return job;
  }

  StopTransformJob(input: Record<string, unknown>) {
    const job = this.DescribeTransformJob(input);
    if (job.TransformJobStatus === 'InProgress') {
      job.TransformJobStatus = 'Stopping';
      this.transformAborts.get(job.TransformJobName)?.abort();
      this.deps.save();
    }
    return {};
  }

  ListEndpoints() {
    return {
      Endpoints: Object.values(this.state.endpoints).map((e) => ({
        EndpointName: e.EndpointName,
        EndpointArn: e.EndpointArn,
        EndpointStatus: e.EndpointStatus,
        CreationTime: e.CreationTime,
        LastModifiedTime: e.LastModifiedTime,
      })),
    };
  }
}

/**
 * Which variant properties an UpdateEndpoint keeps: all with RetainAllVariantProperties, less the
 * ExcludeRetainedVariantProperties, which the new config's values override.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateEndpoint.html
 */
function retainedProperties(input: Record<string, unknown>): { weight: boolean; count: boolean } {
  if (input.RetainAllVariantProperties !== true) return { weight: false, count: false };
  const excluded = new Set(
    ((input.ExcludeRetainedVariantProperties ?? []) as Array<{ VariantPropertyType?: string }>).map(
      (p) => p.VariantPropertyType,
    ),
  );
  return { weight: !excluded.has('DesiredWeight'), count: !excluded.has('DesiredInstanceCount') };
}
