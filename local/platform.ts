/**
 * The whole platform on one machine: DynamoDB Local and s3rver as child processes, tables and
 * bucket from the same declarations the CDK stacks use, the local EventBridge, the audit stream
 * fed to the outbox publisher, and the API server in front of the same Lambda handlers.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import { parsePlatformConfig } from '../contracts/config';
import { ENV } from '../contracts/env';
import { AUDIT_TABLE, IDEMPOTENCY_TABLE, REGISTRY_TABLE } from '../contracts/tables';
import { LocalApiServer } from './api-server';
import { type CfnTemplate, synthesizePlatformTemplate } from './cdk-template';
import { LocalEventBus } from './event-bus';
import { LocalLambdaService } from './lambda-service';
import { LocalRules } from './rules';
import type { LocalCredential } from './sigv4';
import {
  ensureBuckets,
  ensureTables,
  LOCAL_DYNAMODB_CLIENT_CONFIG,
  localS3ClientConfig,
  startStandIns,
} from './stand-ins';
import { StreamPoller } from './stream-poller';

export const LOCAL_BUCKET = 'mlops-artifacts';
export const LOCAL_EVENT_BUS = 'mlops-platform';

export interface LocalPlatformOptions {
  /** Where DynamoDB, S3 objects, events and checkpoints persist; in memory/temp when unset. */
  readonly dataDir?: string;
  /** @default 0 (any free port) */
  readonly port?: number;
  readonly credentials: readonly LocalCredential[];
  /** cdk.json context to read the platform config from. @default - ./cdk.json */
  readonly context?: Record<string, unknown>;
}

export interface LocalPlatform {
  readonly url: string;
  readonly bus: LocalEventBus;
  readonly endpoints: { dynamoDb: string; s3: string; eventBridge: string };
  /** Child processes: DynamoDB Local (Java) and the S3 server. */
  readonly pids: { dynamoDb: number; s3: number };
  /** The synthesized platform template local mode runs from. */
  readonly template: CfnTemplate;
  readonly lambdas: LocalLambdaService;
  readonly rules: LocalRules;
  stop(): Promise<void>;
}

export async function startLocalPlatform(options: LocalPlatformOptions): Promise<LocalPlatform> {
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const context = options.context ?? readCdkContext();
  const config = parsePlatformConfig(context);

  // Java and s3rver boot in their own processes while this one synthesizes the template.
  const starting = startStandIns({ dataDir });
  let template: CfnTemplate;
  try {
    template = synthesizePlatformTemplate(context);
  } catch (err) {
    await (await starting).stop();
    throw err;
  }
  const standIns = await starting;
  const stops: Array<() => Promise<void>> = [() => standIns.stop()];
  try {
    const dynamoDb = new DynamoDBClient({
      ...LOCAL_DYNAMODB_CLIENT_CONFIG,
      endpoint: standIns.dynamoDbEndpoint,
    });
    await ensureTables(dynamoDb);
    await ensureBuckets(new S3Client(localS3ClientConfig(standIns.s3Endpoint)), [LOCAL_BUCKET]);

    const bus = new LocalEventBus(dataDir && join(dataDir, 'events.jsonl'));
    const eventBridge = await bus.listen();
    stops.unshift(() => bus.close());

    // Functions, rules and schedules come from the synthesized template, as on AWS.
    const lambdas = new LocalLambdaService(template);
    const lambdaEndpoint = await lambdas.listen();
    stops.unshift(() => lambdas.close());
    const rules = new LocalRules(template, { lambdas });
    stops.unshift(async () => rules.stop());

    // The handlers read only env, exactly as on Lambda; s3rver checks its own fixed key pair.
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      [ENV.dynamoDbEndpoint]: standIns.dynamoDbEndpoint,
      [ENV.s3Endpoint]: standIns.s3Endpoint,
      [ENV.eventBridgeEndpoint]: eventBridge,
      [ENV.lambdaEndpoint]: lambdaEndpoint,
      [ENV.registryTable]: REGISTRY_TABLE.id,
      [ENV.auditTable]: AUDIT_TABLE.id,
      [ENV.idempotencyTable]: IDEMPOTENCY_TABLE.id,
      [ENV.artifactsBucket]: LOCAL_BUCKET,
      [ENV.eventBusName]: LOCAL_EVENT_BUS,
      [ENV.governancePolicy]: JSON.stringify(config.governance),
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    });
    // Imported only now, so nothing reads env before it is set.
    const registry = await import('../lambdas/registry/handler');
    const publisherId = lambdas.logicalIdForEntry('lambdas/events/outbox-publisher.ts');
    if (!publisherId) throw new Error('the template has no outbox publisher function');

    const poller = new StreamPoller({
      dynamoDb,
      streams: new DynamoDBStreamsClient({
        ...LOCAL_DYNAMODB_CLIENT_CONFIG,
        endpoint: standIns.dynamoDbEndpoint,
      }),
      tableName: AUDIT_TABLE.id,
      handler: async (event) => (await lambdas.invoke(publisherId, event)) as DynamoDBBatchResponse,
      checkpointFile: dataDir && join(dataDir, 'audit-stream-checkpoint.json'),
    });
    poller.start();
    stops.unshift(() => poller.stop());

    const api = new LocalApiServer({
      handlers: { registry: registry.handler },
      credentials: options.credentials,
      extraRoutes: async (req, url) => {
        // Local only: the events the bus has seen, newest last (EventBridge has no such read API).
        if (req.method === 'GET' && url.pathname === '/_local/events') {
          const detailType = url.searchParams.get('detail-type');
          return {
            status: 200,
            body: { items: bus.events.filter((e) => !detailType || e['detail-type'] === detailType) },
          };
        }
        if (req.method === 'GET' && url.pathname === '/_local/rules') {
          return { status: 200, body: { items: rules.rules } };
        }
        // Local only: fire a rule now, as its schedule would (EventBridge has no such API).
        const run = /^\/_local\/rules\/([^/]+)\/run$/.exec(url.pathname);
        if (req.method === 'POST' && run) {
          if (!rules.rules.some((r) => r.id === run[1])) {
            return { status: 404, body: { error: { code: 'RULE_NOT_FOUND', message: `no rule ${run[1]}` } } };
          }
          await rules.runNow(run[1]);
          return { status: 202, body: { ruleId: run[1] } };
        }
        return undefined;
      },
    });
    const url = await api.listen(options.port ?? 0);
    stops.unshift(() => api.close());
    rules.start(bus);

    return {
      url,
      bus,
      endpoints: { dynamoDb: standIns.dynamoDbEndpoint, s3: standIns.s3Endpoint, eventBridge },
      pids: standIns.pids,
      template,
      lambdas,
      rules,
      stop: async () => {
        for (const stop of stops) await stop();
      },
    };
  } catch (err) {
    for (const stop of stops) await stop().catch(() => undefined);
    throw err;
  }
}

function readCdkContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(__dirname, '..', 'cdk.json'), 'utf8'));
  return cdkJson.context ?? {};
}
