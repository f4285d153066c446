/**
 * The SageMaker backend of `ModelEndpoint`: the Triton container on GPU instances, one endpoint
 * whose config at rest has one production variant (the champion; a rollout adds the challenger
 * while it runs), data capture to the platform bucket, target-tracking autoscaling per variant. L1 resources on purpose: the alpha L2 has no
 * `deploymentConfig` (aws-cdk issue 23152) and the rollout derives configs from this one.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/triton.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling.html
 */

import { createHash } from 'node:crypto';
import { Aws, CustomResource, type RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
// cdk-nag's own flattening, so an acknowledgement matches the finding id exactly.
import { Construct } from 'constructs';
import {
  DATA_CAPTURE_PREFIX,
  ENDPOINT_METRICS_NAMESPACE,
  ENDPOINT_RESOURCE_TYPE,
  type EndpointResourceProperties,
  endpointConfigName,
  MODEL_PACKAGES_PREFIX,
  tritonContainerEnvironment,
  Variant,
  type VariantName,
  type VariantScalingSettings,
} from '../../contracts/serving';
import { platformStackName } from '../shared/capability-stack';
import { acknowledge, acknowledgeFindings } from '../shared/nag';
import { SERVING_DEFAULTS } from './defaults';
import type { VariantMetrics } from './endpoint-alarms';
import { EndpointProvider } from './endpoint-provider';
import { modelRoleArn, modelRoleName } from './sagemaker-arns';
import { tritonImageUri, tritonRepositoryArn } from './triton-image';
import { acknowledgeNvmeVolume, volumeKey } from './volume-key';

export interface SageMakerBackendProps {
  readonly modelName: string;
  readonly endpointName: string;
  readonly bucket: s3.IBucket;
  readonly modelDataKey: string;
  readonly encryptionKey: kms.IKey;
  readonly instanceType: string;
  readonly initialInstanceCount: number;
  readonly minInstanceCount: number;
  readonly maxInstanceCount: number;
  readonly targetInvocationsPerInstance: number;
  readonly dataCapturePercent: number;
  readonly tritonVersion: string;
  readonly removalPolicy: RemovalPolicy;
  /** The rollout lock's table, so a stack update never races a rollout. */
  readonly deploymentsTable?: dynamodb.ITable;
}

export class SageMakerBackend extends Construct {
  public readonly role: iam.Role;
  /**
   * The model role's ARN from its name, with no reference to the role: the rollout, in another
   * (nested) stack, grants PassRole on it without one stack parameter per endpoint (200 at most).
   */
  public readonly roleArn: string;
  public readonly model: sagemaker.CfnModel;
  public readonly endpointConfig: sagemaker.CfnEndpointConfig;
  /** The endpoint (its `Ref` is the endpoint name). */
  public readonly endpoint: CustomResource;
  /** Each variant's target tracking, which the endpoint resource registers (see `EndpointProvider`). */
  public readonly scaling: VariantScalingSettings;

  private readonly endpointName: string;

  constructor(scope: Construct, id: string, props: SageMakerBackendProps) {
    super(scope, id);
    this.endpointName = props.endpointName;
    const roleName = modelRoleName(platformStackName(this), props.endpointName);
    this.role = this.createRole(props, roleName);
    this.roleArn = modelRoleArn(this, props.endpointName);

    // Names under the prefixes the rollout's IAM allows, with a hash of what would replace the
    // resource, so a replacement never collides with the name it replaces.
    const hash = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 8);
    this.model = new sagemaker.CfnModel(this, 'InitialModel', {
      modelName: `${props.endpointName}-i${hash([props.modelDataKey, props.tritonVersion])}`,
      executionRoleArn: this.role.roleArn,
      primaryContainer: {
        image: tritonImageUri(this, props.tritonVersion),
        modelDataUrl: props.bucket.s3UrlForObject(props.modelDataKey),
        environment: tritonContainerEnvironment(props.modelName),
      },
    });
    this.model.node.addDependency(this.role);

    this.endpointConfig = new sagemaker.CfnEndpointConfig(this, 'InitialConfig', {
      endpointConfigName: endpointConfigName(
        props.endpointName,
        `i${hash([props.modelDataKey, props.tritonVersion, props.instanceType, props.initialInstanceCount, props.dataCapturePercent])}`,
      ),
      // The champion alone: a challenger's instances are paid for only while a rollout runs
      // (it adds the variant with UpdateEndpoint, and the promoted or restored config drops it).
      productionVariants: [
        {
          variantName: Variant.CHAMPION,
          modelName: this.model.attrModelName,
          instanceType: props.instanceType,
          initialInstanceCount: props.initialInstanceCount,
          initialVariantWeight: 100,
        },
      ],
      // Instance families with NVMe instance store refuse a volume key (the store is hardware-encrypted).
      ...volumeKey(props.instanceType, props.encryptionKey),
      dataCaptureConfig: {
        enableCapture: props.dataCapturePercent > 0,
        initialSamplingPercentage: Math.max(props.dataCapturePercent, 1),
        destinationS3Uri: props.bucket.s3UrlForObject(`${DATA_CAPTURE_PREFIX}`),
        kmsKeyId: props.encryptionKey.keyArn,
        captureOptions: [{ captureMode: 'Input' }, { captureMode: 'Output' }],
        captureContentTypeHeader: { jsonContentTypes: ['application/json'] },
      },
    });
    acknowledgeNvmeVolume(this.endpointConfig, props.instanceType);

    // A custom resource, not AWS::SageMaker::Endpoint: CloudFormation would put the endpoint back
    // on the initial model whenever this config changes, undoing every rollout since.
    const provider = EndpointProvider.of(this, {
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy,
      ...(props.deploymentsTable ? { deploymentsTable: props.deploymentsTable } : {}),
    });
    provider.grantEndpoint(props.endpointName, props.modelName);
    provider.grantInitialPackageCheck(props.bucket, props.modelDataKey, props.encryptionKey);
    // Autoscaling belongs to the endpoint resource too: SageMaker refuses an instance type change
    // of a registered variant, so the resource deregisters and registers it around that update.
    this.scaling = {
      minCapacity: props.minInstanceCount,
      maxCapacity: props.maxInstanceCount,
      targetInvocationsPerInstance: props.targetInvocationsPerInstance,
      scaleInCooldownSeconds: SERVING_DEFAULTS.scaleInCooldown.toSeconds(),
      scaleOutCooldownSeconds: SERVING_DEFAULTS.scaleOutCooldown.toSeconds(),
    };
    const properties: EndpointResourceProperties = {
      EndpointName: props.endpointName,
      EndpointConfigName: this.endpointConfig.attrEndpointConfigName,
      ModelName: props.modelName,
      Scaling: JSON.stringify(this.scaling),
      InitialPackageUrl: props.bucket.s3UrlForObject(props.modelDataKey),
    };
    this.endpoint = new CustomResource(this, 'Endpoint', {
      serviceToken: provider.serviceToken,
      resourceType: ENDPOINT_RESOURCE_TYPE,
      properties,
    });
  }

  /** The variant's ModelLatency p95 (microseconds), 5XX errors and invocations. */
  variantMetrics(variant: VariantName, period = SERVING_DEFAULTS.alarmPeriod): VariantMetrics {
    return {
      latencyP95: this.metric(variant, 'ModelLatency', 'p95', period),
      errors: this.metric(variant, 'Invocation5XXErrors', 'Sum', period),
      requests: this.metric(variant, 'Invocations', 'Sum', period),
    };
  }

  metric(variant: VariantName, metricName: string, statistic: string, period = SERVING_DEFAULTS.alarmPeriod) {
    return new cloudwatch.Metric({
      namespace: ENDPOINT_METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { EndpointName: this.endpointName, VariantName: variant },
      statistic,
      period,
    });
  }

  /**
   * The model's execution role: read its packages, write capture, pull the Triton image, log.
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html#sagemaker-roles-createmodel-perms
   */
  private createRole(props: SageMakerBackendProps, roleName: string): iam.Role {
    const role = new iam.Role(this, 'ModelRole', {
      roleName,
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `cdk-mlops ${props.endpointName} model execution role`,
    });
    const packages = props.bucket.arnForObjects(`${MODEL_PACKAGES_PREFIX}${props.modelName}/*`);
    role.addToPolicy(
      new iam.PolicyStatement({ sid: 'ReadPackages', actions: ['s3:GetObject'], resources: [packages] }),
    );
    const capture = props.bucket.arnForObjects(`${DATA_CAPTURE_PREFIX}${props.endpointName}/*`);
    role.addToPolicy(
      new iam.PolicyStatement({ sid: 'WriteCapture', actions: ['s3:PutObject'], resources: [capture] }),
    );
    props.encryptionKey.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey');
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'PullTriton',
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        resources: [tritonRepositoryArn(this)],
      }),
    );
    // GetAuthorizationToken has no resource-level permissions
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html).
    role.addToPolicy(
      new iam.PolicyStatement({ sid: 'EcrToken', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
    );
    const logGroups = `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:/aws/sagemaker/Endpoints/${props.endpointName}`;
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'Logs',
        actions: [
          'logs:CreateLogGroup',
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'logs:DescribeLogStreams',
        ],
        resources: [logGroups, `${logGroups}:log-stream:*`],
      }),
    );
    // PutMetricData has no resource-level permissions; the condition keeps it to SageMaker's namespace
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html).
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'Metrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringLike: { 'cloudwatch:namespace': ['/aws/sagemaker/*', 'AWS/SageMaker'] } },
      }),
    );
    const policy = role.node.findChild('DefaultPolicy');
    const ack = (finding: string, reason: string) =>
      acknowledge(policy, 'AwsSolutions-IAM5', reason, finding);
    ack(
      'Resource::*',
      'ecr:GetAuthorizationToken and cloudwatch:PutMetricData have no resource-level permissions; PutMetricData is limited by namespace.',
    );
    acknowledgeFindings(policy, 'AwsSolutions-IAM5', [
      [
        { arn: packages },
        'Packages are per version under the model prefix; the role reads only that prefix.',
      ],
      [{ arn: capture }, 'SageMaker writes capture files under dated keys below the endpoint prefix.'],
    ]);
    ack(
      `Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/sagemaker/Endpoints/${props.endpointName}:log-stream:*`,
      'Log streams are created per instance and restart.',
    );
    return role;
  }
}
