import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type { Construct } from 'constructs';
import type { PlatformConfig } from '../contracts/config';
import { deploymentTargetsPath } from '../contracts/deployment';
import { monitoredModelsPath } from '../contracts/monitoring';
import { retrainingConfigsPath } from '../contracts/pipeline';
import { endpointName } from '../contracts/serving';
import {
  BATCH_PREDICTIONS_TABLE,
  DEPLOYMENTS_TABLE,
  EXPERIMENTS_TABLE,
  FEATURE_REGISTRY_TABLE,
  LLM_TABLE,
  MONITORING_TABLE,
  ONLINE_STORE_TABLE,
  PIPELINE_TABLE,
  RATE_LIMITS_TABLE,
  TRACKING_TABLE,
} from '../contracts/tables';
import { PlatformApi } from './api/platform-api';
import { BatchPredictions } from './batch-predictions/batch-predictions';
import { WebConsole } from './console';
import { ModelDeployment } from './deployment/model-deployment';
import { Experiments } from './experiments/experiments';
import { FeatureStore } from './features/feature-store';
import { LlmOps } from './llm/llm-ops';
import { modelRolloutTargets, rolloutEndpoints } from './llm/model-rollouts';
import { promptRolloutTargets } from './llm/prompt-rollouts';
import { ModelMonitoring } from './monitoring/model-monitoring';
import { PlatformObservability } from './observability/platform-observability';
import { RetrainingPipeline } from './pipeline/retraining-pipeline';
import { Predictions } from './predictions/predictions';
import { Privacy } from './privacy/privacy';
import { ModelRegistry } from './registry/model-registry';
import { groupEndpoints } from './serving/endpoint-groups';
import { ModelEndpoint } from './serving/model-endpoint';
import { CapabilityStack } from './shared/capability-stack';
import { pascal } from './shared/construct-id';
import { PlatformStorage } from './storage/platform-storage';
import { ExperimentTracking } from './tracking/experiment-tracking';

/** Properties of `PlatformStack`. */
export interface PlatformStackProps extends StackProps {
  /** The validated platform config (see `parsePlatformConfig`). */
  readonly config: PlatformConfig;
}

/**
 * The whole platform: one nested stack per capability (`StorageStack`, `RegistryStack`, ...,
 * `ApiStack`) and the model endpoints in `EndpointsStack<N>` groups, each template far below
 * CloudFormation's limits. It only composes constructs; each capability's behaviour lives in its
 * construct, whose id inside its nested stack is the one it always had.
 */
export class PlatformStack extends Stack {
  /** The key, artifacts bucket and tables. */
  public readonly storage: PlatformStorage;
  /** The registry functions, event bus and outbox. */
  public readonly registry: ModelRegistry;
  /** Drift and quality monitoring: API, scheduled checks, fan-out, metrics and alarms. */
  public readonly monitoring: ModelMonitoring;
  /** The IAM-authenticated HTTP API. */
  public readonly api: PlatformApi;
  /** One GPU endpoint per `mlops:endpoints` entry, by model name. */
  public readonly endpoints: Readonly<Record<string, ModelEndpoint>>;
  /** Canary rollouts: the state machine, its task function and the rollout route's function. */
  public readonly deployment: ModelDeployment;
  /** Feature views, online and offline stores, training sets, materialization. */
  public readonly features: FeatureStore;
  /** The OIP v2 predict route's function. */
  public readonly predictions: Predictions;
  /** Retraining: the state machine from trigger to promoted model, its rules and routes. */
  public readonly pipeline: RetrainingPipeline;
  /** Erasure of entities (the right to erasure): the route's function and its worker. */
  public readonly privacy: Privacy;
  /** A/B experiments on model versions: routes, outcomes, results and the guardrail schedule. */
  public readonly experiments: Experiments;
  /** Experiment tracking behind MLflow's REST API 2.0. */
  public readonly tracking: ExperimentTracking;
  /** Alert topics, every alarm routed to them, the platform's and models' alarms, dashboards. */
  public readonly observability: PlatformObservability;
  /** Batch predictions: the API, the two-engine state machine, its worker and schedules. */
  public readonly batchPredictions: BatchPredictions;
  /** LLMOps: prompts, chat completions on LLM endpoints, usage and cost. */
  public readonly llm: LlmOps;
  /** The web console on CloudFront with Cognito sign-in, unless `mlops:console` turns it off. */
  public readonly console?: WebConsole;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = toRemovalPolicy(config.removalPolicy);

    const stack = (capability: string, what: string) =>
      new CapabilityStack(this, capability, `cdk-mlops ${config.envName}: ${what}`);

    // The feature store shares the storage stack: its offline bucket logs to the access-logs
    // bucket, whose policy names each source bucket (aws:SourceArn), which CDK can only write when
    // both buckets are in one template (across stacks it would leave the condition out).
    const storageStack = stack('Storage', 'key, buckets, tables and the feature store');
    this.storage = new PlatformStorage(storageStack, 'Storage', {
      removalPolicy,
    });
    this.registry = new ModelRegistry(stack('Registry', 'model registry and event outbox'), 'Registry', {
      storage: this.storage,
      governance: config.governance,
      removalPolicy,
    });
    this.monitoring = new ModelMonitoring(stack('Monitoring', 'drift and quality monitoring'), 'Monitoring', {
      storage: {
        key: this.storage.key,
        artifactsBucket: this.storage.artifactsBucket,
        registryTable: this.storage.registryTable,
        auditTable: this.storage.auditTable,
        monitoringTable: this.storage.tables[MONITORING_TABLE.id],
        idempotencyTable: this.storage.idempotencyTable,
      },
      experimentsTable: this.storage.tables[EXPERIMENTS_TABLE.id],
      config: config.monitoring,
      modelsParameterPath: monitoredModelsPath(config.envName),
      endpointNameOf: (modelName) => endpointName(config.envName, modelName),
      governance: config.governance,
      removalPolicy,
    });
    const endpoints: Record<string, ModelEndpoint> = {};
    groupEndpoints(config.endpoints).forEach((group, i) => {
      const scope = stack(`Endpoints${i + 1}`, `model endpoints ${group.map((e) => e.modelName).join(', ')}`);
      for (const e of group) {
        endpoints[e.modelName] = new ModelEndpoint(scope, `Endpoint${pascal(e.modelName)}`, {
          ...e,
          envName: config.envName,
          bucket: this.storage.artifactsBucket,
          encryptionKey: this.storage.key,
          removalPolicy,
          deploymentsTable: this.storage.tables[DEPLOYMENTS_TABLE.id],
        });
      }
    });
    this.endpoints = endpoints;
    this.deployment = new ModelDeployment(stack('Deployment', 'canary rollouts'), 'Deployment', {
      storage: {
        ...this.storage,
        deploymentsTable: this.storage.tables[DEPLOYMENTS_TABLE.id],
        llmTable: this.storage.tables[LLM_TABLE.id],
      },
      targets: config.endpoints.map((e) => ({
        endpoint: endpoints[e.modelName],
        canarySteps: e.canarySteps,
        bakeMinutes: e.bakeMinutes,
        alarmCheckSeconds: e.alarmCheckSeconds,
      })),
      promptTargets: promptRolloutTargets(config.llm, config.envName),
      modelRolloutTargets: modelRolloutTargets(config.llm, config.envName, this.storage.artifactsBucket),
      governance: config.governance,
      eventBus: this.registry.eventBus,
      envName: config.envName,
      targetsParameterPath: deploymentTargetsPath(config.envName),
      removalPolicy,
    });
    this.features = new FeatureStore(storageStack, 'Features', {
      storage: {
        ...this.storage,
        featureRegistryTable: this.storage.tables[FEATURE_REGISTRY_TABLE.id],
        onlineStoreTable: this.storage.tables[ONLINE_STORE_TABLE.id],
      },
      featureViews: config.featureViews,
      removalPolicy,
    });
    this.predictions = new Predictions(stack('Predictions', 'online predictions'), 'Predictions', {
      envName: config.envName,
      encryptionKey: this.storage.key,
      removalPolicy,
      // Enrichment: entity keys in, the model's features read from the online store.
      featureStore: {
        onlineTable: this.storage.tables[ONLINE_STORE_TABLE.id],
        registryTable: this.storage.tables[FEATURE_REGISTRY_TABLE.id],
      },
      modelRegistryTable: this.storage.registryTable,
      deploymentsTable: this.storage.tables[DEPLOYMENTS_TABLE.id],
      experimentsTable: this.storage.tables[EXPERIMENTS_TABLE.id],
      discovery: {
        deploymentTargets: this.deployment.targetParameters,
        artifactsBucket: this.storage.artifactsBucket,
      },
    });
    this.pipeline = new RetrainingPipeline(stack('Pipeline', 'retraining pipeline'), 'Pipeline', {
      envName: config.envName,
      storage: {
        ...this.storage,
        pipelineTable: this.storage.tables[PIPELINE_TABLE.id],
        featureRegistryTable: this.storage.tables[FEATURE_REGISTRY_TABLE.id],
        featureOfflineBucket: this.features.offlineBucket,
      },
      eventBus: this.registry.eventBus,
      deploymentStateMachine: this.deployment.stateMachine,
      // The rollout settings the deployment route reads, so a nested rollout plans the same way.
      deploymentTargets: this.deployment.targetParameters,
      configs: config.retraining,
      configsParameterPath: retrainingConfigsPath(config.envName),
      governance: config.governance,
      removalPolicy,
    });
    this.privacy = new Privacy(stack('Privacy', 'erasure of entities'), 'Privacy', {
      storage: {
        ...this.storage,
        featureRegistryTable: this.storage.tables[FEATURE_REGISTRY_TABLE.id],
        onlineStoreTable: this.storage.tables[ONLINE_STORE_TABLE.id],
        featureOfflineBucket: this.features.offlineBucket,
        monitoringTable: this.storage.tables[MONITORING_TABLE.id],
        experimentsTable: this.storage.tables[EXPERIMENTS_TABLE.id],
      },
      governance: config.governance,
      envName: config.envName,
      ...(config.monitoring ? { monitoringCapturePrefix: config.monitoring.capturePrefix } : {}),
      removalPolicy,
    });
    this.tracking = new ExperimentTracking(
      stack('Tracking', 'experiment tracking (MLflow REST API)'),
      'Tracking',
      {
        storage: { ...this.storage, trackingTable: this.storage.tables[TRACKING_TABLE.id] },
        // MLflow's registry routes act on the platform's one registry, under its governance.
        registry: { ...this.storage, governance: config.governance },
        removalPolicy,
      },
    );
    this.experiments = new Experiments(
      stack('Experiments', 'A/B experiments on model versions'),
      'Experiments',
      {
        storage: {
          ...this.storage,
          experimentsTable: this.storage.tables[EXPERIMENTS_TABLE.id],
          deploymentsTable: this.storage.tables[DEPLOYMENTS_TABLE.id],
        },
        deployment: this.deployment,
        envName: config.envName,
        removalPolicy,
      },
    );
    this.batchPredictions = new BatchPredictions(
      stack('BatchPredictions', 'batch predictions (Distributed Map, Batch Transform)'),
      'BatchPredictions',
      {
        storage: { ...this.storage, batchPredictionsTable: this.storage.tables[BATCH_PREDICTIONS_TABLE.id] },
        config: config.batchPredictions,
        governance: config.governance,
        // Jobs over a feature view and an entity list, enriched from the offline store.
        featureStore: {
          registryTable: this.storage.tables[FEATURE_REGISTRY_TABLE.id],
          offlineBucket: this.features.offlineBucket,
          workGroup: this.features.workGroup,
          glueDatabase: this.features.glueDatabase,
        },
        removalPolicy,
      },
    );
    this.llm = new LlmOps(stack('Llm', 'LLMOps: prompts, LLM endpoints, usage'), 'Llm', {
      storage: {
        ...this.storage,
        llmTable: this.storage.tables[LLM_TABLE.id],
        deploymentsTable: this.storage.tables[DEPLOYMENTS_TABLE.id],
      },
      config: config.llm,
      governance: config.governance,
      envName: config.envName,
      removalPolicy,
    });
    // Prompt and model rollouts: the routes start them, the chat path reads a prompt's split.
    if (config.llm.promptRollouts.length > 0 || rolloutEndpoints(config.llm).length > 0)
      this.deployment.grantLlmRollouts(this.llm.handler);
    // Every route on the one HTTP API (API Gateway allows 300 routes per API by default).
    const routeFunctions = {
      registry: this.registry.handler,
      monitoring: this.monitoring.apiHandler,
      deployment: this.deployment.handler,
      serving: this.predictions.handler,
      features: this.features.handler,
      pipeline: this.pipeline.handler,
      privacy: this.privacy.handler,
      tracking: this.tracking.handler,
      experiments: this.experiments.handler,
      batch: this.batchPredictions.handler,
      llm: this.llm.handler,
    };
    this.api = new PlatformApi(stack('Api', 'HTTP API and its routes'), 'Api', {
      functions: routeFunctions,
      throttlingRateLimit: config.apiThrottlingRateLimit,
      throttlingBurstLimit: config.apiThrottlingBurstLimit,
      rateLimits: { table: this.storage.tables[RATE_LIMITS_TABLE.id], limits: config.rateLimits },
      encryptionKey: this.storage.key,
      removalPolicy,
      // Any origin: the console's CloudFront name is not known before its distribution exists,
      // which itself names the API in its CSP. CORS guards ambient credentials (cookies), and
      // this API has none: every request is SigV4-signed by a caller that holds credentials.
      corsAllowOrigins: config.console.enabled ? ['*'] : undefined,
    });
    if (config.console.enabled) {
      const consoleScope = stack('Console', 'web console (CloudFront, S3, Cognito)');
      const { customDomain } = config.console;
      this.console = new WebConsole(consoleScope, 'Console', {
        api: this.api,
        domainPrefix: config.console.domainPrefix,
        callbackUrls: config.console.callbackUrls,
        threatProtection: config.console.threatProtection,
        ...(customDomain
          ? {
              customDomain: {
                domainName: customDomain.domainName,
                certificate: acm.Certificate.fromCertificateArn(
                  consoleScope,
                  'ConsoleCertificate',
                  customDomain.certificateArn,
                ),
              },
            }
          : {}),
        webAclArn: config.console.webAclArn,
        encryptionKey: this.storage.key,
        removalPolicy,
      });
    }

    // Last: it watches every function, state machine and table composed above, and routes every alarm.
    this.observability = new PlatformObservability(
      stack('Observability', 'alert topics and dashboards'),
      'Observability',
      {
        envName: config.envName,
        alerts: config.alerts,
        removalPolicy,
        root: this,
        outbox: this.registry,
        httpApi: this.api.httpApi,
        ...(this.deployment.approvedRolloutFailures
          ? { approvedRolloutFailures: this.deployment.approvedRolloutFailures }
          : {}),
        apiUrl: this.api.url,
        ...(this.console ? { consoleUrl: this.console.url } : {}),
        routeFunctions,
        endpoints: this.endpoints,
        monitoringAlarms: this.monitoring.alarms,
        freshnessAlarms: this.features.freshnessAlarms,
        instancePricesUsd: config.instancePrices,
        modelFeatureViews: Object.fromEntries(
          config.endpoints.map((e) => [
            e.modelName,
            (e.featureViews ?? []).map((name) => ({
              name,
              expectedIntervalSeconds: config.featureViews.find((v) => v.name === name)
                ?.expectedIntervalSeconds,
            })),
          ]),
        ),
      },
    );

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the platform API' });
    new CfnOutput(this, 'ArtifactsBucketName', { value: this.storage.artifactsBucket.bucketName });
    new CfnOutput(this, 'EventBusName', { value: this.registry.eventBus.eventBusName });
    new CfnOutput(this, 'RegistryTableName', { value: this.storage.registryTable.tableName });
    if (this.features.stream) {
      new CfnOutput(this, 'FeatureStreamName', {
        value: this.features.stream.streamName,
        description: 'Kinesis stream the stream feature views ingest (producers put events here)',
      });
    }
    if (this.console) {
      const { auth } = this.console;
      new CfnOutput(this, 'ConsoleUrl', { value: this.console.url, description: 'The web console' });
      new CfnOutput(this, 'ConsoleUserPoolId', {
        value: auth.userPool.userPoolId,
        description: 'Console users: admin-create-user here, then add them to operators or viewers',
      });
      new CfnOutput(this, 'ConsoleUserPoolClientId', { value: auth.userPoolClient.userPoolClientId });
      new CfnOutput(this, 'ConsoleIdentityPoolId', { value: auth.identityPool.ref });
      new CfnOutput(this, 'ConsoleSignInUrl', { value: auth.signInUrl });
    }
  }
}

/**
 * Maps the config's removal policy onto CDK's.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
 */
export function toRemovalPolicy(policy: PlatformConfig['removalPolicy']): RemovalPolicy {
  return policy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
}
