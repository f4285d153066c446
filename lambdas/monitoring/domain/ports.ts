/**
 * Ports of the monitoring domain: what its use cases need from S3, DynamoDB, the registry,
 * CloudWatch and Step Functions (events go out through the audit outbox), implemented by `adapters/` on AWS and locally alike.
 */
import type { AuditRecord } from '../../../contracts/events';
import type { MonitoredModelSetting } from '../../../contracts/monitoring';
import type { Page, ReportEntry } from '../../../contracts/monitoring-reports';
import type { ModelVersion } from '../../../contracts/registry';

export type { Page, ReportEntry };

/** One object of a listing. */
export interface ObjectEntry {
  readonly key: string;
  readonly size: number;
}

/** The platform bucket: profiles, reports, run shards; capture files are read from it too. */
export interface ObjectStore {
  readonly bucket: string;
  /** `undefined` when there is no such object. */
  getBytes(key: string, bucket?: string): Promise<Uint8Array | undefined>;
  putText(key: string, body: string, contentType: string): Promise<void>;
  /** Keys under `prefix` strictly after `startAfter`, ascending, at most `limit`. */
  list(
    prefix: string,
    options?: { startAfter?: string; limit?: number; bucket?: string },
  ): Promise<ObjectEntry[]>;
}

/** A stream's watermark: the last key a finished check covered, and the lease of one in flight. */
export interface WindowState {
  readonly lastKey?: string;
  readonly pending?: { readonly runId: string; readonly toKey: string; readonly leaseUntil: string };
}

/** Monitoring state in DynamoDB: watermarks, the report index and ground-truth labels. */
export interface MonitoringStore {
  /** The last capture key a finished check of this stream covered, and any check in flight. */
  getWatermark(modelName: string, stream: string): Promise<WindowState>;
  /**
   * Leases the window after `expectedLastKey` up to `toKey` for `runId` until `leaseUntil`.
   * Fails with a `ConflictError` while another check holds an unexpired lease or the watermark
   * moved, so a window is reported by one check at a time; an expired lease is taken over, so a
   * check that died mid-way loses nothing.
   */
  claimWindow(
    modelName: string,
    stream: string,
    claim: { expectedLastKey?: string; runId: string; toKey: string; leaseUntil: string; now: string },
  ): Promise<void>;
  /** Moves the watermark to the leased window's end once its report is stored; idempotent. */
  commitWindow(modelName: string, stream: string, runId: string): Promise<void>;
  /**
   * Indexes a report; with `event`, its audit record commits in the same transaction, so the
   * outbox announces every stored report that warrants it, once stored, and none that was not.
   */
  putReport(entry: ReportEntry, event?: AuditRecord): Promise<void>;
  listReports(modelName: string, page: { limit: number; nextToken?: string }): Promise<Page<ReportEntry>>;
  putLabels(
    modelName: string,
    labels: ReadonlyArray<{ inferenceId: string; label: number | string }>,
    at: string,
  ): Promise<void>;
  /** Labels of the given inference ids (missing ones are absent from the map). */
  getLabels(modelName: string, inferenceIds: readonly string[]): Promise<Map<string, number | string>>;
}

/** What monitoring reads from (and tags in) the model registry (the registry's `RegistryService`). */
export interface RegistryPort {
  /** The model, whatever its status; `undefined` when there is none. */
  getModel(modelName: string): Promise<unknown | undefined>;
  getVersion(modelName: string, version: number): Promise<ModelVersion | undefined>;
  /** The version an alias points at; `undefined` when the alias is not set. */
  aliasVersion(modelName: string, alias: string): Promise<number | undefined>;
  /** Adds tags to a version, keeping its other tags, through the registry's domain (audited, evented). */
  tagVersion(
    modelName: string,
    version: number,
    tags: Record<string, string>,
    actor: { readonly principal: string; readonly requestId?: string },
  ): Promise<void>;
}

/** One CloudWatch datum. */
export interface MetricDatum {
  readonly name: string;
  readonly value: number;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly unit?: 'None' | 'Count';
}

export interface MetricsSink {
  publish(data: readonly MetricDatum[], timestamp: Date): Promise<void>;
}

/** Starts the Distributed Map state machine for a large window. */
export interface FanOut {
  start(input: FanOutInput): Promise<{ readonly executionArn: string }>;
}

/** Input of the fan-out state machine. */
export interface FanOutInput {
  readonly runId: string;
  readonly modelName: string;
  /** S3 key of the JSON array of `{ "key": ... }` items its ItemReader reads. */
  readonly manifestKey: string;
  readonly bucket: string;
  /** The version whose profile the check compares with, resolved once when it started. */
  readonly modelVersion?: number;
}

/**
 * Where the monitored models' settings are (one SSM parameter per model on AWS and locally), read
 * by model name: the stack decides them, a check names only its model.
 */
export interface MonitoringConfigSource {
  /** The model's settings; `undefined` when the model is not monitored. */
  get(modelName: string): Promise<MonitoredModelSetting | undefined>;
}

/** A fixed list of monitored models: tests, and a stack that monitors none. */
export function fixedMonitoredModels(models: readonly MonitoredModelSetting[]): MonitoringConfigSource {
  return { get: async (modelName) => models.find((m) => m.modelName === modelName) };
}

/**
 * Running experiments whose ground-truth metrics take labels of the model's predictions (the
 * experiments capability's feed): a label for a prediction served outside any running experiment
 * adds nothing, one sent again adds nothing more.
 */
export interface ExperimentGroundTruth {
  ingest(
    modelName: string,
    labels: ReadonlyArray<{ inferenceId: string; label: number | string }>,
  ): Promise<{ readonly accepted: number; readonly duplicates: number }>;
}

/** Everything the monitoring use cases take. */
export interface MonitoringDeps {
  readonly objects: ObjectStore;
  /** Buckets data sources may name: the platform bucket and the feature store's offline bucket. */
  readonly readableBuckets: readonly string[];
  readonly store: MonitoringStore;
  readonly registry: RegistryPort;
  readonly metrics: MetricsSink;
  readonly fanOut?: FanOut;
  /** Where ground truth also feeds experiments; without it labels are only stored. */
  readonly experiments?: ExperimentGroundTruth;
  readonly models: MonitoringConfigSource;
  readonly capturePrefix: string;
  readonly maxFilesPerLambda: number;
  readonly now: () => Date;
  readonly newId: () => string;
}
