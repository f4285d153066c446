/** Wires the monitoring ports to their AWS adapters from env, once per container. */
import { randomUUID } from 'node:crypto';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SFNClient } from '@aws-sdk/client-sfn';
import { ENV } from '../../contracts/env';
import { MONITORING_EVENT_SOURCE } from '../../contracts/events';
import { MonitoredModelSetting, MonitoringSettings } from '../../contracts/monitoring';
import { registryServiceFromEnv } from '../registry';
import {
  documentClient,
  dynamoDbClient,
  eventBridgeClient,
  requiredEnv,
  s3Client,
  withTimeouts,
} from '../shared/clients';
import { EventBridgePublisher } from '../shared/eventbridge-publisher';
import type { IdempotencyOptions } from '../shared/idempotency';
import { ssmModelSettingsFromEnv } from '../shared/ssm-model-settings';
import { CloudWatchMetricsSink, LoggedMetricsSink } from './adapters/cloudwatch-metrics';
import { DynamoDbMonitoringStore } from './adapters/dynamodb-monitoring-store';
import { S3ObjectStore } from './adapters/s3-object-store';
import { StepFunctionsFanOut } from './adapters/step-functions-fan-out';
import { fixedMonitoredModels, type MetricsSink, type MonitoringDeps } from './domain/ports';

const endpoint = (name: string) => process.env[name] || undefined;

/**
 * CloudWatch when it has an endpoint (AWS, or a local stand-in); in local mode without one (the
 * other stand-in endpoints are set, CloudWatch's is not) the metrics are logged instead.
 */
function metricsSink(): MetricsSink {
  const local = endpoint(ENV.s3Endpoint) !== undefined;
  const cloudWatch = endpoint(ENV.cloudWatchEndpoint);
  if (local && cloudWatch === undefined) return new LoggedMetricsSink();
  return new CloudWatchMetricsSink(new CloudWatchClient({ ...withTimeouts(), endpoint: cloudWatch }));
}

/**
 * Idempotency-Key support of the API function, the one monitoring function given the records
 * table (the scheduled, shard and merge functions share these deps but take no keyed requests).
 */
export function idempotencyFromEnv(): Pick<MonitoringHandlerDeps, 'idempotency'> {
  const tableName = endpoint(ENV.idempotencyTable);
  return tableName ? { idempotency: { tableName, client: dynamoDbClient() } } : {};
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
    objects: new S3ObjectStore(s3Client(), bucket),
    readableBuckets: offlineBucket && offlineBucket !== bucket ? [bucket, offlineBucket] : [bucket],
    store: new DynamoDbMonitoringStore(documentClient(), requiredEnv(ENV.monitoringTable)),
    registry: registryServiceFromEnv(),
    metrics: metricsSink(),
    events: new EventBridgePublisher(
      eventBridgeClient(),
      requiredEnv(ENV.eventBusName),
      MONITORING_EVENT_SOURCE,
    ),
    ...(stateMachineArn
      ? {
          fanOut: new StepFunctionsFanOut(
            new SFNClient({ ...withTimeouts(), endpoint: endpoint(ENV.stepFunctionsEndpoint) }),
            stateMachineArn,
          ),
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
