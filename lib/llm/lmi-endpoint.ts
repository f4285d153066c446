/**
 * One `sagemaker` LLM endpoint: a SageMaker real-time endpoint running the LMI container with vLLM
 * on its GPU instances. The endpoint is the platform's endpoint custom resource (as a model
 * endpoint's, `lib/serving/sagemaker-backend.ts`), not `AWS::SageMaker::Endpoint`: CloudFormation
 * would put the endpoint back on the configured model on any update of the config, undoing a
 * promoted model rollout, and would race a running one. The resource's update takes the rollout
 * lock of the endpoint's rollout subject, so a deploy waits for a running rollout.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/large-model-inference-container-docs.html
 */
import { Aws, CustomResource, type RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { modelRolloutSubject } from '../../contracts/llm-rollouts';
import { ENDPOINT_RESOURCE_TYPE, type EndpointResourceProperties, Variant } from '../../contracts/serving';
import { EndpointProvider } from '../serving/endpoint-provider';
import { modelRoleName } from '../serving/sagemaker-arns';
import { acknowledgeNvmeVolume, volumeKey } from '../serving/volume-key';
import { platformStackName } from '../shared/capability-stack';
import { acknowledgeFindings } from '../shared/nag';
import { type LmiEndpointConfig, type LmiNames, lmiNames } from './lmi-names';

/** Properties of `LmiEndpoint`. */
export interface LmiEndpointProps {
  readonly config: LmiEndpointConfig;
  readonly envName: string;
  /** Holds the configured model's and the candidates' artifacts. */
  readonly artifactsBucket: s3.IBucket;
  readonly encryptionKey: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
  /**
   * The rollout lock's table: a stack update of the endpoint waits for a running model rollout.
   * @default - updates take no lock
   */
  readonly deploymentsTable?: dynamodb.ITable;
}

export class LmiEndpoint extends Construct {
  /** The endpoint, model and config names (`lmiNames`). */
  public readonly names: LmiNames;
  /**
   * The models' execution role, named `<platform stack>-<endpoint>` (`modelRoleName`) so the
   * rollout's task function passes it by name: a candidate's model runs with the champion's role.
   */
  public readonly role: iam.Role;
  public readonly model: sagemaker.CfnModel;
  public readonly endpointConfig: sagemaker.CfnEndpointConfig;
  /** The endpoint custom resource (its `Ref` is the endpoint name). */
  public readonly endpoint: CustomResource;

  constructor(scope: Construct, id: string, props: LmiEndpointProps) {
    super(scope, id);
    const e = props.config;
    this.names = lmiNames(props.envName, e);
    const { sageMakerEndpointName: name, image } = this.names;
    const packageUrl = (key: string) => props.artifactsBucket.s3UrlForObject(key);
    this.role = this.createRole(props);
    this.model = new sagemaker.CfnModel(this, 'Model', {
      modelName: this.names.modelName,
      executionRoleArn: this.role.roleArn,
      primaryContainer: {
        image,
        modelDataUrl: packageUrl(e.modelArtifactKey),
        environment: {
          OPTION_ROLLING_BATCH: 'vllm',
          OPTION_TENSOR_PARALLEL_DEGREE: String(e.tensorParallelDegree),
          OPTION_MODEL_ID: '/opt/ml/model',
        },
      },
    });
    this.model.node.addDependency(this.role);
    // Every LMI GPU family has NVMe instance storage, for which SageMaker refuses a volume key
    // (the store is encrypted by the hardware); a family without one gets the platform key.
    this.endpointConfig = new sagemaker.CfnEndpointConfig(this, 'Config', {
      endpointConfigName: this.names.endpointConfigName,
      ...volumeKey(e.instanceType, props.encryptionKey),
      // The champion alone: a rollout adds the candidate as the challenger while it runs.
      productionVariants: [
        {
          variantName: Variant.CHAMPION,
          modelName: this.model.attrModelName,
          instanceType: e.instanceType,
          initialInstanceCount: e.initialInstanceCount,
          initialVariantWeight: 100,
          containerStartupHealthCheckTimeoutInSeconds: 900,
          modelDataDownloadTimeoutInSeconds: 1800,
        },
      ],
    });
    acknowledgeNvmeVolume(this.endpointConfig, e.instanceType);

    const provider = EndpointProvider.of(this, {
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy,
      ...(props.deploymentsTable ? { deploymentsTable: props.deploymentsTable } : {}),
    });
    const subject = modelRolloutSubject(e.name);
    provider.grantEndpoint(name, subject);
    provider.grantInitialPackageCheck(props.artifactsBucket, e.modelArtifactKey, props.encryptionKey);
    // No autoscaling: one GPU instance holds the whole model, and a second is paid for by the hour.
    const properties: EndpointResourceProperties = {
      EndpointName: name,
      EndpointConfigName: this.endpointConfig.attrEndpointConfigName,
      ModelName: subject,
      InitialPackageUrl: packageUrl(e.modelArtifactKey),
      // A rollout moves an existing LMI endpoint to a candidate; none creates it.
      InitialPackageRequired: 'true',
    };
    this.endpoint = new CustomResource(this, 'Endpoint', {
      serviceToken: provider.serviceToken,
      resourceType: ENDPOINT_RESOURCE_TYPE,
      properties,
    });
  }

  /**
   * Reads the configured and the candidates' artifacts (their keys only), pulls the LMI image.
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html#sagemaker-roles-createmodel-perms
   */
  private createRole(props: LmiEndpointProps): iam.Role {
    const e = props.config;
    const role = new iam.Role(this, 'Role', {
      roleName: modelRoleName(platformStackName(this), this.names.sageMakerEndpointName),
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `cdk-mlops ${this.names.sageMakerEndpointName} LMI model execution role`,
    });
    const keys = [e.modelArtifactKey, ...(e.candidateModels ?? []).map((c) => c.modelArtifactKey)];
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadModelArtifacts',
        actions: ['s3:GetObject'],
        resources: [...new Set(keys)].map((k) => props.artifactsBucket.arnForObjects(k)),
      }),
    );
    props.encryptionKey.grant(role, 'kms:Decrypt');
    // https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html (CreateModel: ECR pull)
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'EcrAuthorization',
        actions: ['ecr:GetAuthorizationToken'],
        resources: ['*'],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'PullLmiImage',
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        resources: [ecrRepositoryArn(this.names.image, `llm endpoint ${e.name}: imageUri`)],
      }),
    );
    acknowledgeFindings(role.node.findChild('DefaultPolicy'), 'AwsSolutions-IAM5', [
      ['Resource::*', 'ecr:GetAuthorizationToken has no resource-level permission.'],
    ]);
    return role;
  }
}

/**
 * The ECR repository of an image URI (`<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>`),
 * so the endpoint's role pulls that image's layers only.
 */
function ecrRepositoryArn(imageUri: string, what: string): string {
  const m = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)[:@]/.exec(imageUri);
  if (!m)
    throw new Error(
      `${what} must be an ECR image URI (<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>), got ${imageUri}`,
    );
  return `arn:${Aws.PARTITION}:ecr:${m[2]}:${m[1]}:repository/${m[3]}`;
}
