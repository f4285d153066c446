/**
 * What the predict path needs from the outside world: an endpoint to invoke (SageMaker Runtime on
 * AWS, the local SageMaker locally), the endpoint's name and traffic split, and, for enrichment,
 * the online feature store.
 */
import type { ExperimentExposure, ExperimentRouting } from '../../../contracts/experiments';
import { PlatformError, type PlatformErrorOptions } from '../../shared/errors';
import type { ModelCatalog } from './discovery';
import type { WeightedVariant } from './routing';

export interface EndpointInvocation {
  /** The variant that answered, from `x-amzn-invoked-production-variant`. */
  readonly variant: string;
  readonly body: unknown;
}

/**
 * The variant a request targeted is not on the endpoint: the split it was chosen from is older
 * than the endpoint (a rollout or experiment just removed it). Routing is re-read once on this.
 */
export class TargetVariantGoneError extends PlatformError {
  constructor(endpointName: string, variant: string, options?: PlatformErrorOptions) {
    // A 503 if it outlives the re-read: the split and the endpoint disagree only while one changes.
    super('ENDPOINT_UNAVAILABLE', `variant ${variant} is not on endpoint ${endpointName} right now`, options);
    this.name = 'TargetVariantGoneError';
  }
}

export interface EndpointInvoker {
  /**
   * Sends an OIP v2 JSON body to the endpoint. Throws NotFoundError when there is no endpoint,
   * TargetVariantGoneError when the targeted variant is not on it, BadRequestError when the model
   * refused the input (4xx), a 502 PlatformError when it failed.
   */
  invoke(
    endpointName: string,
    body: unknown,
    options: { targetVariant?: string; inferenceId?: string },
  ): Promise<EndpointInvocation>;
}

/** Which endpoint serves a model and how its traffic is split, without a control-plane call. */
export interface EndpointRouting {
  /** The model's endpoint (`mlops-<envName>-<model>`). */
  endpointName(modelName: string): string;
  /** The variants and weights a routing key maps through; the champion alone at rest. */
  variants(modelName: string): Promise<readonly WeightedVariant[]>;
  /** The experiment running on the model's endpoint, whose assignment overrides the weights. */
  experiment?(modelName: string): Promise<ExperimentRouting | undefined>;
  /** Drops what is remembered of the model's split, so the next read is the table's. */
  forget?(modelName: string): void;
}

/** Feature values for entity rows, one row per entity, columns in the order of `features`. */
export interface FeatureReader {
  /**
   * @param features Feast feature refs `view:feature`, in the model's input column order
   * @param entities join-key columns of equal length
   * @returns one row per entity; `null` where a value is missing or too old
   */
  read(
    features: readonly string[],
    entities: Record<string, ReadonlyArray<string | number>>,
  ): Promise<Array<Array<number | null>>>;
}

/** The feature refs a model takes, as registered on the model (`MODEL_FEATURES_TAG`). */
export interface ModelFeatureList {
  featureRefs(modelName: string): Promise<string[] | undefined>;
}

/** Where predictions served inside a running experiment are kept for their ground truth. */
export interface ExposureRecorder {
  /**
   * Keeps the exposure by model and inference id. Resolves whether or not it was kept: a
   * prediction already served is answered, and its label then feeds no experiment. False when the
   * unit was erased (nothing kept of it), nothing when the write failed.
   */
  record(modelName: string, inferenceId: string, exposure: ExperimentExposure): Promise<boolean | undefined>;
}

/** The platform's capture key (`captureKeyHash`), read once per container. */
export interface CaptureKeySource {
  secret(): Promise<string>;
}

export interface ServingDeps {
  readonly endpoints: EndpointInvoker;
  readonly routing: EndpointRouting;
  /** Discovery's view of the served models; without it no model is served (404). */
  readonly catalog?: ModelCatalog;
  /** Absent when the platform has no online store; enrichment is then a 400. */
  readonly features?: FeatureReader;
  /**
   * Hashes the entity keys of an enriched prediction onto its request, so an erasure finds its
   * capture record; without it the record holds the features only.
   */
  readonly captureKey?: CaptureKeySource;
  /** Where a model's registered feature list is read; without it callers list the features. */
  readonly modelFeatures?: ModelFeatureList;
  /** Without it, ground truth of an experiment's predictions feeds none of its metrics. */
  readonly exposures?: ExposureRecorder;
}
