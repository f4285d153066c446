/** Wires the monitoring ports to their AWS adapters from env, once per container. */
import { randomUUID } from 'node:crypto';
import { ENV } from '../../contracts/env';
import { MonitoredModelSetting, MonitoringSettings } from '../../contracts/monitoring';
import { groundTruthFeedFromEnv } from '../experiments';
import { registryServiceFromEnv } from '../registry';
import { documentClient, dynamoDbClient, requiredEnv } from '../shared/clients';
import type { IdempotencyOptions } from '../shared/idempotency';
import { lazyPort } from '../shared/lazy-port';
import { ssmModelSettingsFromEnv } from '../shared/model-settings-from-env';
import { LoggedMetricsSink } from './adapters/cloudwatch-metrics';
import { DynamoDbMonitoringStore } from './adapters/dynamodb-monitoring-store';
import {
  type FanOut,
  fixedMonitoredModels,
  type MetricsSink,
  type MonitoringDeps,
  type ObjectStore,
} from './domain/ports';

const endpoint = (name: string) => process.env[name] || undefined;

/** S3, CloudWatch and Step Functions adapters, imported with their clients on first use. */
const onDemand = () => import('./on-demand');

/**
 * CloudWatch when it has an endpoint (AWS, or a local stand-in); in local mode without one (the
 * other stand-in endpoints are set, CloudWatch's is not) the metrics are logged instead.
 */
function metricsSink(): MetricsSink {
  const local = endpoint(ENV.s3Endpoint) !== undefined;
  const cloudWatch = endpoint(ENV.cloudWatchEndpoint);
  if (local && cloudWatch === undefined) return new LoggedMetricsSink();
  return lazyPort<MetricsSink>(async () => (await onDemand()).cloudWatchMetricsSink(cloudWatch), {});
}

/**
 * Idempotency-Key support of the API function, the one monitoring function given the records
 * table (the scheduled, shard and merge functions share these deps but take no keyed requests).
 */
export function idempotencyFromEnv(): Pick<MonitoringHandlerDeps, 'idempotency'> {
  const tableName = endpoint(ENV.idempotencyTable);
  return tableName ? { idempotency: { tableName, client: dynamoDbClient() } } : {};
}

/**
 * The experiments fed by the ground-truth route, for the API function given the experiments
 * table (the checks take no labels).
 */
export function experimentsFromEnv(): Pick<MonitoringDeps, 'experiments'> {
  const feed = groundTruthFeedFromEnv();
  return feed ? { experiments: feed } : {};
}

/** The monitoring ports, and what the API function adds to them. */
export interface MonitoringHandlerDeps extends MonitoringDeps {
  /** Idempotency-Key support; without it the header is ignored. */
  readonly idempotency?: IdempotencyOptions;
}

export function defaultDeps(): MonitoringHandlerDeps {
  const bucket = requiredEnv(ENV.artifactsBucket);
  const settings = MonitoringSettings.parse(JSON.parse(process.env[ENV.monitoringSettings] ?? '{}'));
  const stateMachineArn = endpoint(ENV.monitoringStateMachineArn);
  const offlineBucket = endpoint(ENV.featureOfflineBucket);
  return {
    objects: lazyPort<ObjectStore>(async () => (await onDemand()).objectStore(bucket), { bucket }),
    readableBuckets: offlineBucket && offlineBucket !== bucket ? [bucket, offlineBucket] : [bucket],
    store: new DynamoDbMonitoringStore(
      documentClient(),
      requiredEnv(ENV.monitoringTable),
      requiredEnv(ENV.auditTable),
    ),
    registry: registryServiceFromEnv(),
    metrics: metricsSink(),
    ...(stateMachineArn
      ? {
          fanOut: lazyPort<FanOut>(async () => (await onDemand()).stepFunctionsFanOut(stateMachineArn), {}),
        }
      : {}),
    // One SSM parameter per monitored model, read by name; none when the stack monitors none.
    models:
      ssmModelSettingsFromEnv(ENV.monitoredModelsPath, MonitoredModelSetting) ?? fixedMonitoredModels([]),
    capturePrefix: settings.capturePrefix,
    maxFilesPerLambda: settings.maxFilesPerLambda,
    now: () => new Date(),
    newId: randomUUID,
  };
}
