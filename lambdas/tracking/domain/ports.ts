/** The ports the tracking domain needs; adapters implement them over DynamoDB and S3. */
import type {
  CreateModelRequest,
  Model,
  ModelAlias,
  ModelVersion,
  RegisterVersionRequest,
  TransitionStageRequest,
  UpdateModelRequest,
  UpdateVersionRequest,
} from '../../../contracts/registry';
import type { FileInfo } from '../../../contracts/tracking-responses';
import type { ExperimentRecord, LoggedModelRecord, MetricPoint, RunRecord } from './records';

export interface TrackingStore {
  /** A new experiment id, never issued before (decimal, from 1; `0` is the Default experiment). */
  nextExperimentId(): Promise<string>;
  /** Creates the experiment and claims its name; `false` when the name is taken. */
  createExperiment(experiment: ExperimentRecord): Promise<boolean>;
  getExperiment(experimentId: string): Promise<ExperimentRecord | undefined>;
  experimentIdByName(name: string): Promise<string | undefined>;
  listExperiments(): Promise<ExperimentRecord[]>;
  /**
   * Replaces the experiment if its stored `rev` is still `expectedRev` (moving the name claim
   * when `previousName` differs); `false` when it changed meanwhile or the new name is taken.
   */
  putExperiment(experiment: ExperimentRecord, expectedRev: number, previousName?: string): Promise<boolean>;
  /** Creates the run and the pointer to its experiment in one transaction. */
  createRun(run: RunRecord): Promise<void>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  /** Replaces the run if its stored `rev` is still `expectedRev`; `false` otherwise. */
  putRun(run: RunRecord, expectedRev: number): Promise<boolean>;
  /** Every run of an experiment, in any lifecycle stage. */
  listRuns(experimentId: string): Promise<RunRecord[]>;
  /** Appends points to the run's metric history (the same point twice is one). */
  appendMetricPoints(runId: string, points: readonly MetricPoint[]): Promise<void>;
  /** A page of a metric's history, by step then timestamp. */
  metricHistory(
    runId: string,
    key: string,
    page: { readonly maxResults: number; readonly pageToken?: string },
  ): Promise<{ points: MetricPoint[]; nextPageToken?: string }>;
  /** Creates the logged model and the pointer to its experiment in one transaction. */
  createLoggedModel(model: LoggedModelRecord): Promise<void>;
  getLoggedModel(modelId: string): Promise<LoggedModelRecord | undefined>;
  /** Replaces the logged model if its stored `rev` is still `expectedRev`; `false` otherwise. */
  putLoggedModel(model: LoggedModelRecord, expectedRev: number): Promise<boolean>;
  listLoggedModels(experimentId: string): Promise<LoggedModelRecord[]>;
}

/** Run artifacts in the platform bucket. */
export interface ArtifactStore {
  /** `s3://<bucket>/<prefix>`: where experiments' artifacts go unless one names another place in the bucket. */
  readonly root: string;
  /** Files and directories right under `uri` (an `s3://` URI in the bucket). */
  list(uri: string, pageToken?: string): Promise<{ files: FileInfo[]; nextPageToken?: string }>;
  presignUpload(uri: string): Promise<{ url: string; headers: Record<string, string> }>;
  presignDownload(uri: string): Promise<{ url: string; headers: Record<string, string> }>;
  /** The object's bytes; `undefined` when there is none at `uri`. */
  read(uri: string): Promise<Uint8Array | undefined>;
  /** The object's size in bytes; `undefined` when there is none at `uri`. */
  size(uri: string): Promise<number | undefined>;
  write(uri: string, bytes: Uint8Array): Promise<void>;
  /** Starts a multipart upload; one presigned UploadPart URL per part, numbered from 1. */
  createMultipart(uri: string, parts: number): Promise<{ uploadId: string; urls: string[] }>;
  completeMultipart(
    uri: string,
    uploadId: string,
    parts: readonly { partNumber: number; etag: string }[],
  ): Promise<void>;
  abortMultipart(uri: string, uploadId: string): Promise<void>;
  /** Deletes the object at `uri` and every object under `uri/`; nothing there is no error. */
  deleteTree(uri: string): Promise<void>;
}

/** Who is acting, for the registry's audit records. */
export interface Actor {
  readonly principal: string;
  readonly requestId?: string;
}

/**
 * The platform's registry as MLflow's registry routes use it (`RegistryService` satisfies it):
 * its own checks, audit records and events apply to every change made through MLflow.
 */
export interface ModelRegistry {
  getModel(name: string): Promise<Model | undefined>;
  getVersion(name: string, version: number): Promise<ModelVersion | undefined>;
  aliasVersion(name: string, alias: string): Promise<number | undefined>;
  listAliases(name: string): Promise<ModelAlias[]>;
  createModel(req: CreateModelRequest, actor: Actor): Promise<Model>;
  registerStored(
    name: string,
    req: RegisterVersionRequest,
    artifact: Uint8Array,
    actor: Actor,
  ): Promise<ModelVersion>;
  setAlias(name: string, alias: string, version: number, actor: Actor): Promise<void>;
  deleteAlias(name: string, alias: string, actor: Actor): Promise<void>;
  transitionStage(
    name: string,
    version: number,
    req: TransitionStageRequest,
    actor: Actor,
  ): Promise<ModelVersion>;
  listModels(page: RegistryPage): Promise<{ items: Model[]; nextToken?: string }>;
  listVersions(name: string, page: RegistryPage): Promise<{ items: ModelVersion[]; nextToken?: string }>;
  updateModel(name: string, req: UpdateModelRequest, actor: Actor): Promise<Model>;
  patchModelTags(name: string, patch: Readonly<Record<string, string | null>>, actor: Actor): Promise<Model>;
  deleteModel(name: string, actor: Actor): Promise<void>;
  renameModel(name: string, newName: string, actor: Actor): Promise<Model>;
  updateVersion(
    name: string,
    version: number,
    req: UpdateVersionRequest,
    actor: Actor,
  ): Promise<ModelVersion>;
  deleteVersion(name: string, version: number, actor: Actor): Promise<void>;
}

/** A page of the registry's listings. */
export interface RegistryPage {
  readonly limit: number;
  readonly nextToken?: string;
}

export interface TrackingDeps {
  readonly store: TrackingStore;
  readonly artifacts: ArtifactStore;
  readonly now: () => number;
  readonly newRunId: () => string;
  /** The registry behind MLflow's registry routes. @default - those routes answer 404 */
  readonly registry?: ModelRegistry;
}
