import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { PlatformConfig } from '../contracts/config';
import { PlatformApi } from './api/platform-api';
import { ModelRegistry } from './registry/model-registry';
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
  /** The IAM-authenticated HTTP API. */
  public readonly api: PlatformApi;

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
    this.api = new PlatformApi(this, 'Api', {
      functions: { registry: this.registry.handler },
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
