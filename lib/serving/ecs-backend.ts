/**
 * The ECS backend of `ModelEndpoint`: the same SageMaker Triton image on GPU container instances
 * (g5, ECS GPU-optimized AMI) through an ASG capacity provider, one service per variant, and an
 * internal Application Load Balancer whose listener forwards to the two target groups by weight.
 * A one-shot sidecar fetches and unpacks the model package into the volume Triton serves from
 * (SageMaker does this itself; ECS does not). The services are a custom resource
 * (`Custom::MlopsEcsServices`), not `AWS::ECS::Service`: CloudFormation would put them back on the
 * stack's task definitions (the initial package) whenever those change, and reset their task
 * counts on any update. At rest the challenger service runs no task; the champion runs none until
 * its package exists, so the first deploy needs none.
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-gpu.html
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#forward-actions
 */
import { CustomResource, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';
import {
  ECS_MODEL_FETCH,
  ECS_SERVICES_RESOURCE_TYPE,
  type EcsServiceSpec,
  type EcsServicesResourceProperties,
  type EcsServingTarget,
  type PerVariant,
} from '../../contracts/deployment';
import {
  MODEL_PACKAGES_PREFIX,
  tritonContainerEnvironment,
  Variant,
  type VariantName,
  type VariantScalingSettings,
} from '../../contracts/serving';
import { acknowledge as acknowledgeNag } from '../shared/nag';
import { SERVING_DEFAULTS } from './defaults';
import { EcsServicesProvider } from './ecs-services-provider';
import type { VariantMetrics } from './endpoint-alarms';
import { tritonImageUri, tritonRepositoryArn } from './triton-image';

/** The AWS CLI image the fetch sidecar runs, pinned. */
const AWS_CLI_IMAGE = 'public.ecr.aws/aws-cli/aws-cli:2.22.35';
const MODEL_DIR = '/opt/ml/model';
const TRITON_PORT = 8080;

export interface EcsBackendProps {
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
  readonly tritonVersion: string;
  readonly vpc?: ec2.IVpc;
  readonly removalPolicy: RemovalPolicy;
  /** The rollout lock's table, so a stack update never races a rollout. */
  readonly deploymentsTable?: dynamodb.ITable;
}

/** A variant's service: the custom resource's, named `<endpoint>-<variant>`. */
export interface EcsVariantService {
  readonly serviceName: string;
  readonly serviceArn: string;
}

export class EcsBackend extends Construct {
  public readonly vpc: ec2.IVpc;
  public readonly cluster: ecs.Cluster;
  public readonly autoScalingGroup: autoscaling.AutoScalingGroup;
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  public readonly listener: elbv2.ApplicationListener;
  public readonly targetGroups: Record<VariantName, elbv2.ApplicationTargetGroup>;
  public readonly services: Record<VariantName, EcsVariantService>;
  /** The stack's task definition of each variant; rollouts register revisions of their families. */
  public readonly taskDefinitions: Record<VariantName, ecs.Ec2TaskDefinition>;
  /** The custom resource owning both services. */
  public readonly servicesResource: CustomResource;
  /** Each variant's request-count target tracking, registered while it runs tasks. */
  public readonly scaling: VariantScalingSettings;

  constructor(scope: Construct, id: string, props: EcsBackendProps) {
    super(scope, id);
    this.vpc = props.vpc ?? this.createVpc(props);
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: this.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    // Two variants, each up to maxInstanceCount tasks of one GPU: room for both at full scale.
    // A launch template, not a launch configuration: new accounts can no longer create those.
    const instanceRole = new iam.Role(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `${props.endpointName} GPU container instances`,
    });
    const launchTemplate = new ec2.LaunchTemplate(this, 'GpuLaunchTemplate', {
      instanceType: new ec2.InstanceType(props.instanceType),
      machineImage: ecs.EcsOptimizedImage.amazonLinux2(ecs.AmiHardwareType.GPU),
      userData: ec2.UserData.forLinux(),
      role: instanceRole,
      requireImdsv2: true,
      securityGroup: new ec2.SecurityGroup(this, 'InstanceSecurityGroup', {
        vpc: this.vpc,
        description: `${props.endpointName} GPU container instances`,
      }),
      blockDevices: [
        { deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(100, { encrypted: true }) },
      ],
    });
    // Two variants, each up to maxInstanceCount tasks of one GPU: room for both at full scale.
    this.autoScalingGroup = new autoscaling.AutoScalingGroup(this, 'GpuInstances', {
      vpc: this.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      launchTemplate,
      minCapacity: 2 * props.minInstanceCount,
      maxCapacity: 2 * props.maxInstanceCount,
      // In-service instances are what the endpoint costs: the model dashboard prices them.
      groupMetrics: [new autoscaling.GroupMetrics(autoscaling.GroupMetric.IN_SERVICE_INSTANCES)],
    });
    // ecs:DiscoverPollEndpoint and ecr:GetAuthorizationToken have no resource-level permissions
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html,
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html); CDK conditions ecs:Poll and
    // ecs:StartTelemetrySession on the cluster ARN. Its logs:CreateLogStream/PutLogEvents on "*" stay:
    // AsgCapacityProvider has no option to narrow them (containers log through the execution role).
    acknowledge(instanceRole, {
      'AwsSolutions-IAM5[Action::ecs:Submit*]':
        "CDK's ECS container-instance policy: the agent reports task and container state.",
      'AwsSolutions-IAM5[Resource::*]':
        'ECS agent actions (ecs:DiscoverPollEndpoint, ecs:Poll, ecr:GetAuthorizationToken...) have no resource-level permissions.',
    });
    acknowledge(this.autoScalingGroup, {
      'AwsSolutions-AS3':
        'Scaling is driven by the capacity provider; its activity is in ECS events and the ASG history.',
      'AwsSolutions-IAM5[Action::ecs:Submit*]':
        "CDK's ECS container-instance policy: the agent reports task and container state.",
      'AwsSolutions-IAM5[Resource::*]':
        'ECS agent and drain-hook actions (ecs:DiscoverPollEndpoint, ec2:DescribeInstances...) have no resource-level permissions.',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
        "CDK's instance-drain hook function (part of the ECS ASG pattern) uses the basic execution role.",
      'AwsSolutions-L1': "CDK's instance-drain hook function; its runtime is set by aws-cdk-lib.",
      'AwsSolutions-SNS3': "CDK's lifecycle-hook topic; only the Auto Scaling service publishes to it.",
    });
    acknowledgeNag(
      this.autoScalingGroup,
      'AwsSolutions-IAM5',
      "CDK's drain hook completes lifecycle actions of this group only (any group id of its name).",
      {
        arn: Stack.of(this).formatArn({
          service: 'autoscaling',
          resource: 'autoScalingGroup:*:autoScalingGroupName',
          resourceName: this.autoScalingGroup.autoScalingGroupName,
        }),
      },
    );
    const capacityProvider = new ecs.AsgCapacityProvider(this, 'GpuCapacity', {
      autoScalingGroup: this.autoScalingGroup,
      enableManagedTerminationProtection: false,
    });
    this.cluster.addAsgCapacityProvider(capacityProvider);

    const lbSecurityGroup = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc: this.vpc,
      description: `${props.endpointName} load balancer: HTTP from inside the VPC`,
    });
    lbSecurityGroup.addIngressRule(
      ec2.Peer.ipv4(this.vpc.vpcCidrBlock),
      ec2.Port.tcp(80),
      'callers in the VPC',
    );
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: this.vpc,
      internetFacing: false,
      securityGroup: lbSecurityGroup,
      dropInvalidHeaderFields: true,
    });
    acknowledgeNag(
      lbSecurityGroup,
      'AwsSolutions-EC23',
      'Ingress is the VPC CIDR only (a token at synth, which the rule cannot read), never 0.0.0.0/0.',
    );
    acknowledgeNag(
      this.loadBalancer,
      'AwsSolutions-ELB2',
      'Internal inference traffic; request metrics per target group feed the alarms, payloads are not logged.',
    );

    const logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.encryptionKey,
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: props.removalPolicy,
    });
    const champion = this.variant(Variant.CHAMPION, props, logGroup);
    const challenger = this.variant(Variant.CHALLENGER, props, logGroup);
    this.targetGroups = { champion: champion.targetGroup, challenger: challenger.targetGroup };
    this.taskDefinitions = { champion: champion.taskDefinition, challenger: challenger.taskDefinition };
    const stack = Stack.of(this);
    const serviceNameOf = (v: VariantName) => `${props.endpointName}-${v}`;
    this.services = {
      champion: this.serviceOf(serviceNameOf(Variant.CHAMPION)),
      challenger: this.serviceOf(serviceNameOf(Variant.CHALLENGER)),
    };

    this.listener = this.loadBalancer.addListener('Http', {
      port: 80,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: false,
      defaultAction: elbv2.ListenerAction.weightedForward([
        { targetGroup: champion.targetGroup, weight: 100 },
        { targetGroup: challenger.targetGroup, weight: 0 },
      ]),
    });

    // The services' tasks: reached by the load balancer only.
    const taskSecurityGroup = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: this.vpc,
      description: `${props.endpointName} Triton tasks`,
    });
    taskSecurityGroup.addIngressRule(lbSecurityGroup, ec2.Port.tcp(TRITON_PORT), 'load balancer to Triton');
    this.scaling = {
      minCapacity: props.minInstanceCount,
      maxCapacity: props.maxInstanceCount,
      targetInvocationsPerInstance: props.targetInvocationsPerInstance,
      scaleInCooldownSeconds: SERVING_DEFAULTS.scaleInCooldown.toSeconds(),
      scaleOutCooldownSeconds: SERVING_DEFAULTS.scaleOutCooldown.toSeconds(),
    };
    const subnets = this.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds;
    const spec = (v: VariantName): EcsServiceSpec => ({
      serviceName: serviceNameOf(v),
      loadBalancers: [
        {
          targetGroupArn: this.targetGroups[v].targetGroupArn,
          containerName: 'Triton',
          containerPort: TRITON_PORT,
        },
      ],
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets,
          securityGroups: [taskSecurityGroup.securityGroupId],
          assignPublicIp: 'DISABLED',
        },
      },
      capacityProviderStrategy: [{ capacityProvider: capacityProvider.capacityProviderName, weight: 1 }],
      // Triton loads the model after the fetch sidecar: give it time before health checks count.
      healthCheckGracePeriodSeconds: 300,
    });
    const each = <T>(of: (v: VariantName) => T): PerVariant<T> => ({
      champion: of(Variant.CHAMPION),
      challenger: of(Variant.CHALLENGER),
    });
    const provider = EcsServicesProvider.of(this, {
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy,
      ...(props.deploymentsTable ? { deploymentsTable: props.deploymentsTable } : {}),
    });
    provider.grantServices({
      clusterName: this.cluster.clusterName,
      serviceNames: [serviceNameOf(Variant.CHAMPION), serviceNameOf(Variant.CHALLENGER)],
      roleArns: [Variant.CHAMPION, Variant.CHALLENGER].flatMap((v) => [
        this.taskDefinitions[v].taskRole.roleArn,
        this.taskDefinitions[v].obtainExecutionRole().roleArn,
      ]),
    });
    provider.grantInitialPackageCheck(props.bucket, props.modelDataKey, props.encryptionKey);
    const properties: EcsServicesResourceProperties = {
      ModelName: props.modelName,
      Cluster: this.cluster.clusterName,
      Services: stack.toJsonString(each(spec)),
      TaskDefinitions: stack.toJsonString(each((v) => this.taskDefinitions[v].taskDefinitionArn)),
      InitialPackageUrl: props.bucket.s3UrlForObject(props.modelDataKey),
      InitialCount: String(props.initialInstanceCount),
      Scaling: stack.toJsonString({ settings: this.scaling, resourceLabels: this.scalingResourceLabels() }),
    };
    this.servicesResource = new CustomResource(this, 'Services', {
      serviceToken: provider.serviceToken,
      resourceType: ECS_SERVICES_RESOURCE_TYPE,
      properties,
    });
    // ECS needs the target groups behind a listener and the cluster's capacity provider in place.
    this.servicesResource.node.addDependency(this.listener, this.cluster);
  }

  private serviceOf(serviceName: string): EcsVariantService {
    return {
      serviceName,
      serviceArn: Stack.of(this).formatArn({
        service: 'ecs',
        resource: 'service',
        resourceName: `${this.cluster.clusterName}/${serviceName}`,
      }),
    };
  }

  /** Each variant's `ALBRequestCountPerTarget` resource label. */
  private scalingResourceLabels(): PerVariant<string> {
    const label = (v: VariantName) =>
      `${this.loadBalancer.loadBalancerFullName}/${this.targetGroups[v].targetGroupFullName}`;
    return { champion: label(Variant.CHAMPION), challenger: label(Variant.CHALLENGER) };
  }

  /** What a rollout drives: the services, the weighted listener and the task definitions. */
  rolloutTarget(): EcsServingTarget {
    const each = <T>(of: (v: VariantName) => T) => ({
      champion: of('champion'),
      challenger: of('challenger'),
    });
    return {
      cluster: this.cluster.clusterName,
      services: each((v) => this.services[v].serviceName),
      listenerArn: this.listener.listenerArn,
      targetGroupArns: each((v) => this.targetGroups[v].targetGroupArn),
      taskDefinitionFamilies: each((v) => this.taskDefinitions[v].family),
      initialTaskDefinitionArns: each((v) => this.taskDefinitions[v].taskDefinitionArn),
      scalingResourceLabels: this.scalingResourceLabels(),
    };
  }

  /** TargetResponseTime p95 (seconds), target 5XX count and request count of a variant's target group. */
  variantMetrics(variant: VariantName, period = SERVING_DEFAULTS.alarmPeriod): VariantMetrics {
    const tg = this.targetGroups[variant];
    return {
      latencyP95: tg.metrics.targetResponseTime({ statistic: 'p95', period }),
      errors: tg.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { statistic: 'Sum', period }),
      requests: tg.metrics.requestCount({ statistic: 'Sum', period }),
    };
  }

  private variant(variant: VariantName, props: EcsBackendProps, logGroup: logs.ILogGroup) {
    const title = variant === Variant.CHAMPION ? 'Champion' : 'Challenger';
    const taskDefinition = new ecs.Ec2TaskDefinition(this, `${title}Task`, {
      networkMode: ecs.NetworkMode.AWS_VPC,
    });
    taskDefinition.addVolume({ name: 'model' });
    const packages = props.bucket.arnForObjects(`${MODEL_PACKAGES_PREFIX}${props.modelName}/*`);
    acknowledgeNag(
      taskDefinition,
      'AwsSolutions-IAM5',
      'Packages are per version under the model prefix; the task reads only that prefix.',
      { arn: packages },
    );
    acknowledgeNag(
      taskDefinition,
      'AwsSolutions-ECS2',
      'The only variables are the Triton model name and the package URL, not secrets.',
    );
    taskDefinition.addToTaskRolePolicy(
      new iam.PolicyStatement({ sid: 'ReadPackages', actions: ['s3:GetObject'], resources: [packages] }),
    );
    props.encryptionKey.grant(taskDefinition.taskRole, 'kms:Decrypt');
    taskDefinition.obtainExecutionRole().addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PullTriton',
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        resources: [tritonRepositoryArn(this)],
      }),
    );
    const logging = ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: `${props.endpointName}-${variant}` });
    // The package URL is an environment variable, not part of the command: a rollout registers a
    // revision of this task definition that differs only there.
    const urlVariable = ECS_MODEL_FETCH.modelDataUrlVariable;
    const fetch = taskDefinition.addContainer(ECS_MODEL_FETCH.containerName, {
      image: ecs.ContainerImage.fromRegistry(AWS_CLI_IMAGE),
      essential: false,
      memoryLimitMiB: 512,
      environment: { [urlVariable]: props.bucket.s3UrlForObject(props.modelDataKey) },
      entryPoint: ['sh', '-c'],
      command: [
        `aws s3 cp "$${urlVariable}" /tmp/model.tar.gz && tar -xzf /tmp/model.tar.gz -C ${MODEL_DIR}`,
      ],
      logging,
    });
    fetch.addMountPoints({ containerPath: MODEL_DIR, sourceVolume: 'model', readOnly: false });
    const triton = taskDefinition.addContainer('Triton', {
      image: ecs.ContainerImage.fromRegistry(tritonImageUri(this, props.tritonVersion)),
      command: ['serve'],
      gpuCount: SERVING_DEFAULTS.ecsGpuCount,
      memoryLimitMiB: SERVING_DEFAULTS.ecsMemoryLimitMiB,
      environment: tritonContainerEnvironment(props.modelName),
      portMappings: [{ containerPort: TRITON_PORT }],
      logging,
    });
    triton.addMountPoints({ containerPath: MODEL_DIR, sourceVolume: 'model', readOnly: true });
    triton.addContainerDependencies({
      container: fetch,
      condition: ecs.ContainerDependencyCondition.SUCCESS,
    });

    // Tasks register themselves (the services' load balancer configuration), by IP (awsvpc).
    const targetGroup = new elbv2.ApplicationTargetGroup(this, `${title}Targets`, {
      vpc: this.vpc,
      port: TRITON_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      healthCheck: { path: '/ping', port: String(TRITON_PORT) },
    });
    return { targetGroup, taskDefinition };
  }

  private createVpc(props: EcsBackendProps): ec2.Vpc {
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      encryptionKey: props.encryptionKey,
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: props.removalPolicy,
    });
    vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs) });
    return vpc;
  }
}

/** Acknowledges cdk-nag findings on a construct and its children, each with its reason. */
function acknowledge(scope: IConstruct, findings: Record<string, string>): void {
  for (const [id, reason] of Object.entries(findings)) acknowledgeNag(scope, id, reason);
}
