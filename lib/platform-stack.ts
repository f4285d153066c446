import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { PlatformConfig } from '../contracts/config';
import { deploymentTargetsPath } from '../contracts/deployment';
import {
  DEPLOYMENTS_TABLE,
  FEATURE_REGISTRY_TABLE,
  MONITORING_TABLE,
  ONLINE_STORE_TABLE,
  PIPELINE_TABLE,
} from '../contracts/tables';
import { PlatformApi } from './api/platform-api';
import { ModelDeployment } from './deployment/model-deployment';
import { FeatureStore } from './features/feature-store';
import { ModelMonitoring } from './monitoring/model-monitoring';
import { RetrainingPipeline } from './pipeline/retraining-pipeline';
import { Predictions } from './predictions/predictions';
import { ModelRegistry } from './registry/model-registry';
import { ModelEndpoint } from './serving/model-endpoint';
import { PlatformStorage } from './storage/platform-storage';

/** Properties of `PlatformStack`. */
export interface PlatformStackProps extends StackProps {
  /** The validated platform config (see `parsePlatformConfig`). */
  readonly config: PlatformConfig;
}

/**
 * The whole platform in one stack: storage, the model registry and the HTTP API in front of it.
 * It only composes constructs; each capability's behaviour lives in its construct.
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

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = toRemovalPolicy(config.removalPolicy);

    this.storage = new PlatformStorage(this, 'Storage', { removalPolicy });
    this.registry = new ModelRegistry(this, 'Registry', {
      storage: this.storage,
      governance: config.governance,
      removalPolicy,
    });
    this.monitoring = new ModelMonitoring(this, 'Monitoring', {
      storage: {
        key: this.storage.key,
        artifactsBucket: this.storage.artifactsBucket,
        registryTable: this.storage.registryTable,
        auditTable: this.storage.auditTable,
        monitoringTable: this.storage.tables[MONITORING_TABLE.id],
      },
      eventBus: this.registry.eventBus,
      config: config.monitoring,
      governance: config.governance,
      removalPolicy,
    });
    const endpoints: Record<string, ModelEndpoint> = {};
    for (const e of config.endpoints) {
      endpoints[e.modelName] = new ModelEndpoint(this, `Endpoint${pascal(e.modelName)}`, {
        ...e,
        bucket: this.storage.artifactsBucket,
        encryptionKey: this.storage.key,
        removalPolicy,
        deploymentsTable: this.storage.tables[DEPLOYMENTS_TABLE.id],
      });
    }
    this.endpoints = endpoints;
    this.deployment = new ModelDeployment(this, 'Deployment', {
      storage: { ...this.storage, deploymentsTable: this.storage.tables[DEPLOYMENTS_TABLE.id] },
      targets: config.endpoints.map((e) => ({
        endpoint: endpoints[e.modelName],
        canarySteps: e.canarySteps,
        bakeMinutes: e.bakeMinutes,
        alarmCheckSeconds: e.alarmCheckSeconds,
      })),
      governance: config.governance,
      targetsParameterPath: deploymentTargetsPath(config.envName),
      removalPolicy,
    });
    this.features = new FeatureStore(this, 'Features', {
      storage: {
        ...this.storage,
        featureRegistryTable: this.storage.tables[FEATURE_REGISTRY_TABLE.id],
        onlineStoreTable: this.storage.tables[ONLINE_STORE_TABLE.id],
      },
      featureViews: config.featureViews,
      removalPolicy,
    });
    this.predictions = new Predictions(this, 'Predictions', {
      encryptionKey: this.storage.key,
      removalPolicy,
      // Enrichment: entity keys in, the model's features read from the online store.
      featureStore: {
        onlineTable: this.storage.tables[ONLINE_STORE_TABLE.id],
        registryTable: this.storage.tables[FEATURE_REGISTRY_TABLE.id],
      },
      modelRegistryTable: this.storage.registryTable,
    });
    this.pipeline = new RetrainingPipeline(this, 'Pipeline', {
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
      governance: config.governance,
      removalPolicy,
    });
    this.api = new PlatformApi(this, 'Api', {
      functions: {
        registry: this.registry.handler,
        monitoring: this.monitoring.apiHandler,
        deployment: this.deployment.handler,
        serving: this.predictions.handler,
        features: this.features.handler,
        pipeline: this.pipeline.handler,
      },
      throttlingRateLimit: config.apiThrottlingRateLimit,
      throttlingBurstLimit: config.apiThrottlingBurstLimit,
      encryptionKey: this.storage.key,
      removalPolicy,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the platform API' });
    new CfnOutput(this, 'ArtifactsBucketName', { value: this.storage.artifactsBucket.bucketName });
    new CfnOutput(this, 'EventBusName', { value: this.registry.eventBus.eventBusName });
    new CfnOutput(this, 'RegistryTableName', { value: this.storage.registryTable.tableName });
  }
}

/**
 * Maps the config's removal policy onto CDK's.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
 */
export function toRemovalPolicy(policy: PlatformConfig['removalPolicy']): RemovalPolicy {
  return policy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
}

/** `churn-model_v2` -> `ChurnModelV2`: a construct id part from a model name. */
function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
}
