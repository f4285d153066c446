/**
 * The whole platform on one machine: DynamoDB Local and s3rver as child processes, tables and
 * bucket from the same declarations the CDK stacks use, the local EventBridge, the audit stream
 * fed to the outbox publisher, and the API server in front of the same Lambda handlers.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import { parsePlatformConfig } from '../contracts/config';
import { LOCAL_CONSOLE_PATH } from '../contracts/console-config';
import { EXECUTION_STATUS_CHANGE } from '../contracts/pipeline';
import { AUDIT_TABLE } from '../contracts/tables';
import { withTimeouts } from '../lambdas/shared/clients';
import type { HttpResult } from '../lambdas/shared/http';
import { apiMetricsRecorder, httpApiStage } from './api-metrics';
import { LocalApiServer } from './api-server';
import { type CfnTemplate, synthesizePlatformTemplate } from './cdk-template';
import { type LocalAlert, LocalAlertSink } from './cloudwatch/alert-sink';
import { dashboardsFromTemplate, renderDashboardPage } from './cloudwatch/dashboard-page';
import { alarmsFromTemplate, LocalCloudWatch } from './cloudwatch/server';
import { consolePages } from './console-host';
import { createCustomResources } from './custom-resources';
import { LocalEventBus } from './event-bus';
import { type LocalFeatureStream, startLocalFeatureStream } from './feature-stream';
import { LOCAL_BUCKET, LOCAL_EVENT_BUS, LOCAL_FEATURES_BUCKET } from './function-environment';
import { LocalLambdaService } from './lambda-service';
import { LocalLlm } from './llm/server';
import { retrainingTaskOverrides } from './pipeline/task-overrides';
import { LocalRules } from './rules';
import { type LocalSageMaker, startLocalSageMaker } from './sagemaker/server';
import {
  createTemplateEndpoints,
  registerTemplateSageMakerResources,
  uploadLmiArtifacts,
} from './sagemaker-resources';
import type { LocalCredential } from './sigv4';
import { LocalSsm, parametersFromTemplate } from './ssm/server';
import {
  ensureBuckets,
  ensureTables,
  LOCAL_DYNAMODB_CLIENT_CONFIG,
  localS3ClientConfig,
  startStandIns,
} from './stand-ins';
import { LOCAL_REGION, localArn, resolveIntrinsics } from './state-machines/intrinsics';
import { s3MapObjects } from './state-machines/s3-map-objects';
import { sageMakerIntegrations } from './state-machines/sagemaker-integrations';
import { LocalStepFunctions } from './state-machines/server';
import { StreamPoller } from './stream-poller';

export { LOCAL_BUCKET, LOCAL_EVENT_BUS, LOCAL_FEATURES_BUCKET };

/** The parent's own SDK clients sign for the stand-ins, which take any key pair. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface LocalPlatformOptions {
  /** Where DynamoDB, S3 objects, events and checkpoints persist; in memory/temp when unset. */
  readonly dataDir?: string;
  /** @default 0 (any free port) */
  readonly port?: number;
  readonly credentials: readonly LocalCredential[];
  /** cdk.json context to read the platform config from. @default - ./cdk.json */
  readonly context?: Record<string, unknown>;
  /** Called with each alert the alert topics would have sent (npm start prints them). */
  readonly onAlert?: (alert: LocalAlert) => void;
  /** How often the local CloudWatch evaluates the alarms. @default 2000 */
  readonly alarmEvaluationMs?: number;
}

export interface LocalPlatform {
  readonly url: string;
  readonly bus: LocalEventBus;
  readonly endpoints: {
    dynamoDb: string;
    s3: string;
    eventBridge: string;
    /** The local Lambda Invoke API and Step Functions API (SDK clients take these as `endpoint`). */
    lambda: string;
    stepFunctions: string;
  };
  /** Child processes: DynamoDB Local (Java) and the S3 server. */
  readonly pids: { dynamoDb: number; s3: number };
  /** The synthesized platform template local mode runs from. */
  readonly template: CfnTemplate;
  readonly lambdas: LocalLambdaService;
  readonly rules: LocalRules;
  /** The local SageMaker (control plane and runtime; endpoints run model-server children). */
  readonly sagemaker: LocalSageMaker;
  /** The local CloudWatch: metrics from the functions, the local SageMaker and the API server; the template's alarms. */
  readonly cloudWatch: LocalCloudWatch;
  /** What the alert topics would have sent: alarms with actions changing state. */
  readonly alerts: LocalAlertSink;
  /** The local Step Functions API running the template's state machines (the rollout). */
  readonly stepFunctions: LocalStepFunctions;
  /** The local Parameter Store: the template's parameters (the rollout targets). */
  readonly ssm: LocalSsm;
  /** Kinesalite and the local event source mapping, when a declared view is fed by the stream. */
  readonly featureStream?: LocalFeatureStream;
  stop(): Promise<void>;
}

export async function startLocalPlatform(options: LocalPlatformOptions): Promise<LocalPlatform> {
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const context = options.context ?? readCdkContext();
  // A bad config fails here, with the field's name, before anything starts.
  const config = parsePlatformConfig(context);

  // Synthesize first: it holds the event loop for seconds, which would starve the stand-ins'
  // readiness checks if they were starting meanwhile.
  const template: CfnTemplate = synthesizePlatformTemplate(context);
  const standIns = await startStandIns({ dataDir });
  const stops: Array<() => Promise<void>> = [() => standIns.stop()];
  try {
    const dynamoDb = new DynamoDBClient({
      ...withTimeouts(),
      ...LOCAL_DYNAMODB_CLIENT_CONFIG,
      endpoint: standIns.dynamoDbEndpoint,
    });
    await ensureTables(dynamoDb);
    await ensureBuckets(new S3Client(localS3ClientConfig(standIns.s3Endpoint)), [
      LOCAL_BUCKET,
      LOCAL_FEATURES_BUCKET,
    ]);

    const bus = new LocalEventBus(dataDir && join(dataDir, 'events.jsonl'));
    const eventBridge = await bus.listen();
    stops.unshift(() => bus.close());

    // Functions, rules and schedules come from the synthesized template, as on AWS.
    const lambdas = new LocalLambdaService(template);
    const lambdaEndpoint = await lambdas.listen();
    stops.unshift(() => lambdas.close());
    let alerts: LocalAlertSink | undefined;
    const rules = new LocalRules(template, {
      lambdas,
      // Approval notifications: shown where the alert topics' alarms are.
      publish: (topicId, message, event) => {
        const name = template.Resources[topicId]?.Properties?.TopicName;
        alerts?.notify(
          typeof name === 'string' ? localArn(template, topicId).replace(/[^:]*$/, name) : topicId,
          String(event['detail-type'] ?? 'notification'),
          typeof message === 'string' ? message : JSON.stringify(message),
        );
      },
      // State machine targets (the retraining triggers) start executions on the local Step Functions.
      startExecution: async (id, input) =>
        stepFunctions.startExecution({
          stateMachineArn: localArn(template, id),
          input: JSON.stringify(input),
        }),
    });
    stops.unshift(async () => rules.stop());
    // Alarms and state machines come from the template too. MLOPS_LOCAL_WAIT_MS shortens every
    // Wait state (a rollout's bakes) for demos.
    const cloudWatch = new LocalCloudWatch({ alarms: alarmsFromTemplate(template) });
    const cloudWatchEndpoint = await cloudWatch.listen();
    stops.unshift(() => cloudWatch.close());
    alerts = new LocalAlertSink({
      ...(dataDir ? { file: join(dataDir, 'alerts.jsonl') } : {}),
      ...(options.onAlert ? { onAlert: options.onAlert } : {}),
    });
    cloudWatch.startAlerting(alerts, options.alarmEvaluationMs);
    const dashboards = dashboardsFromTemplate(template);
    // Parameters too (the rollout targets), their values resolved as CloudFormation would.
    const ssm = new LocalSsm(parametersFromTemplate(template));
    const ssmEndpoint = await ssm.listen();
    stops.unshift(() => ssm.close());
    const waitMs = process.env.MLOPS_LOCAL_WAIT_MS;
    // Built once the local SageMaker listens, below; executions start only after that.
    let sageMakerClient: SageMakerClient | undefined;
    const s3 = new S3Client(localS3ClientConfig(standIns.s3Endpoint));
    const stepFunctions: LocalStepFunctions = new LocalStepFunctions(
      template,
      (id, payload) => lambdas.invoke(id, payload),
      {
        runOptions: {
          ...(waitMs === undefined ? {} : { waitMs: Number(waitMs) }),
          // The monitoring fan-out's ItemReader reads its manifest from the S3 stand-in.
          readItems: async (bucket, key) => {
            const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
            return JSON.parse(await got.Body!.transformToString());
          },
          // Batch predictions' Distributed Maps read CSV/JSON Lines or list a prefix, and write their
          // ResultWriter files.
          objects: s3MapObjects(s3),
          // Batch Transform's CreateModel and CreateTransformJob (.sync) on the local SageMaker.
          integrations: sageMakerIntegrations(() => sageMakerClient!),
          // Retraining: SageMaker training runs the reference trainer; the canary is a nested execution.
          taskOverrides: retrainingTaskOverrides({
            s3,
            stepFunctions: () => stepFunctions,
          }),
        },
        // As Step Functions does on the default bus, so the retraining safe stop runs locally too.
        onExecutionEnded: (execution) =>
          void bus
            .put({
              Source: 'aws.states',
              DetailType: EXECUTION_STATUS_CHANGE,
              Detail: JSON.stringify(execution),
              Resources: [execution.executionArn],
            })
            .catch((err) => console.error('status change event failed:', err)),
      },
    );
    const stepFunctionsEndpoint = await stepFunctions.listen();
    stops.unshift(() => stepFunctions.close());

    // SageMaker endpoints run the model server as child processes; state persists in dataDir.
    const sagemaker = await startLocalSageMaker({
      s3: new S3Client(localS3ClientConfig(standIns.s3Endpoint)),
      dataDir,
      cloudWatchEndpoint,
    });
    stops.unshift(() => sagemaker.stop());
    // No GPU and no weights here: a word trigram model trained now from the repo's corpus serves
    // every Bedrock LLM endpoint over the chat-completions protocol vLLM speaks (an LMI endpoint is
    // a local SageMaker endpoint hosting the same stand-in, trained from its artifact).
    const llm = new LocalLlm();
    const llmEndpoint = await llm.listen();
    stops.unshift(() => llm.close());
    // Every function's environment is its template's, pointed at these (see function-environment.ts).
    lambdas.useEndpoints({
      dynamoDb: standIns.dynamoDbEndpoint,
      s3: standIns.s3Endpoint,
      eventBridge,
      sageMaker: sagemaker.url,
      cloudWatch: cloudWatchEndpoint,
      ssm: ssmEndpoint,
      stepFunctions: stepFunctionsEndpoint,
      llm: llmEndpoint,
    });
    sageMakerClient = new SageMakerClient({
      ...withTimeouts(),
      endpoint: sagemaker.url,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    // The stack's initial models and configs, so a model's first rollout can create its endpoint.
    await registerTemplateSageMakerResources(template, sageMakerClient, { bucket: LOCAL_BUCKET });
    // LMI LLM endpoints serve from the start, as after a deploy: their artifacts (a corpus the
    // stand-in trains on, where AWS has weights) first, then every endpoint whose model exists.
    await uploadLmiArtifacts(config.llm.endpoints, s3, LOCAL_BUCKET);
    await createTemplateEndpoints(template, sageMakerClient, s3, { bucket: LOCAL_BUCKET });
    await sagemaker.settled();
    // Declared feature views, through the template's custom resource function as `cdk deploy` does.
    await createCustomResources(template, lambdas);
    // The feature stream after the views exist, so its first records find their view.
    const consumerId = lambdas.logicalIdForEntry('lambdas/features/stream-consumer.ts');
    const featureStream = consumerId
      ? await startLocalFeatureStream({ template, invoke: (e) => lambdas.invoke(consumerId, e), dataDir })
      : undefined;
    if (featureStream) {
      stops.unshift(() => featureStream.stop());
      // The stream's heartbeat (a scheduled function) puts its records on kinesalite.
      lambdas.useEndpoints({ kinesis: featureStream.endpoint });
    }
    const publisherId = lambdas.logicalIdForEntry('lambdas/events/outbox-publisher.ts');
    if (!publisherId) throw new Error('the template has no outbox publisher function');

    // Its own clients with a request timeout: one call that never answers (DynamoDB Local under a
    // loaded machine) would otherwise stall the outbox for good; a timed-out tick is just retried.
    const pollerClient = {
      ...LOCAL_DYNAMODB_CLIENT_CONFIG,
      endpoint: standIns.dynamoDbEndpoint,
      requestHandler: { requestTimeout: 10_000, connectionTimeout: 3_000 },
    };
    const pollerDynamoDb = new DynamoDBClient(pollerClient);
    const pollerStreams = new DynamoDBStreamsClient(pollerClient);
    stops.unshift(async () => {
      pollerDynamoDb.destroy();
      pollerStreams.destroy();
    });
    const poller = new StreamPoller({
      dynamoDb: pollerDynamoDb,
      streams: pollerStreams,
      tableName: AUDIT_TABLE.id,
      handler: async (event) => (await lambdas.invoke(publisherId, event)) as DynamoDBBatchResponse,
      checkpointFile: dataDir && join(dataDir, 'audit-stream-checkpoint.json'),
    });
    poller.start();
    stops.unshift(() => poller.stop());

    const consolePage = consolePages({ credential: options.credentials[0]!, region: LOCAL_REGION });
    // API Gateway's own metrics of each request, into the local CloudWatch the alarms read.
    const apiStage = httpApiStage(template);
    const api = new LocalApiServer({
      ...(apiStage ? { onRequest: apiMetricsRecorder(apiStage, cloudWatch.metrics) } : {}),
      // As API Gateway's Lambda proxy integration: the route's function in the template.
      invoke: async ({ routeKey: key }, event) => {
        const fn = lambdas.functionForRoute(key);
        if (!fn) return { statusCode: 404, body: JSON.stringify({ message: 'Not Found' }) };
        return (await lambdas.invoke(fn, event)) as HttpResult;
      },
      credentials: options.credentials,
      // Local only, unsigned so a browser opens it (the server listens on 127.0.0.1): the
      // template's dashboards drawn from the local metrics, and the web console.
      publicPages: async (req, url) => {
        if (url.pathname !== '/_local/dashboards') return consolePage(req, url);
        const minutes = Number(url.searchParams.get('minutes') ?? 30);
        return {
          status: 200,
          contentType: 'text/html; charset=utf-8',
          text: renderDashboardPage(dashboards, cloudWatch.metrics, {
            now: Date.now(),
            windowMs: (Number.isFinite(minutes) && minutes > 0 ? Math.min(minutes, 24 * 60) : 30) * 60_000,
          }),
        };
      },
      extraRoutes: async (req, url) => {
        // Local only: the events the bus has seen, newest last (EventBridge has no such read API).
        if (req.method === 'GET' && url.pathname === '/_local/events') {
          const detailType = url.searchParams.get('detail-type');
          return {
            status: 200,
            body: { items: bus.events.filter((e) => !detailType || e['detail-type'] === detailType) },
          };
        }
        // Local only: what the alert topics would have sent (SNS has no such read API).
        if (req.method === 'GET' && url.pathname === '/_local/alerts') {
          const state = url.searchParams.get('state');
          return { status: 200, body: { items: alerts.alerts.filter((a) => !state || a.state === state) } };
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
    // Approval notifications link the stack's API and console: here, the local ones.
    const output = (name: string) => {
      const value = template.Outputs?.[name]?.Value;
      return value === undefined ? '' : String(resolveIntrinsics(value, template));
    };
    rules.start(bus, {
      urls: [
        [output('ApiUrl'), `${url}/`],
        [output('ConsoleUrl'), `${url}${LOCAL_CONSOLE_PATH.slice(0, -1)}`],
      ],
    });

    return {
      url,
      bus,
      endpoints: {
        dynamoDb: standIns.dynamoDbEndpoint,
        s3: standIns.s3Endpoint,
        eventBridge,
        lambda: lambdaEndpoint,
        stepFunctions: stepFunctionsEndpoint,
      },
      pids: standIns.pids,
      template,
      lambdas,
      rules,
      sagemaker,
      cloudWatch,
      alerts,
      stepFunctions,
      ssm,
      ...(featureStream ? { featureStream } : {}),
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
