/**
 * The rollout's operations on an endpoint served by ECS: the variants' services (ECS) and the
 * listener that splits traffic between their target groups (ELBv2). A variant's model is the task
 * definition revision its service runs; a new model is a new revision whose fetch sidecar has
 * another package URL in its environment, and UpdateService rolls the service onto it.
 * @see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html
 * @see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ForwardActionConfig.html
 */
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  type TaskDefinition,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  type Action,
  DescribeListenersCommand,
  type ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ECS_MODEL_FETCH, type EcsServiceSpec, type EcsServingTarget } from '../../../contracts/deployment';
import type { VariantName } from '../../../contracts/serving';

/** An ECS service's deployment as a rollout reads it (the PRIMARY deployment and the rest). */
export interface ServiceState {
  /** ACTIVE, DRAINING or INACTIVE. */
  readonly status: string;
  /** Tasks the service keeps running: 0 for a challenger at rest, or before any package exists. */
  readonly desiredCount: number;
  readonly deployments: readonly ServiceDeployment[];
}

export interface ServiceDeployment {
  /** PRIMARY (the newest), ACTIVE (being replaced) or INACTIVE. */
  readonly status: string;
  readonly taskDefinition: string;
  /** IN_PROGRESS until steady, COMPLETED, or FAILED (the circuit breaker tripped). */
  readonly rolloutState?: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  readonly rolloutStateReason?: string;
  readonly desiredCount: number;
  readonly runningCount: number;
}

/**
 * The ECS and load balancer calls a rollout makes on one endpoint served by ECS: a service per
 * variant running a task definition whose fetch sidecar loads the model package, and a listener
 * splitting traffic between the variants' target groups.
 */
export interface ServiceControl {
  /** `undefined` when the variant's service does not exist. */
  describeService(variant: VariantName): Promise<ServiceState | undefined>;
  /** The package URL the task definition's fetch sidecar loads. */
  modelDataUrl(taskDefinitionArn: string): Promise<string>;
  /**
   * Registers a revision of `templateArn`'s family that differs only in the package URL, and
   * returns its ARN. When the family's latest revision already loads `modelDataUrl` (a retried
   * task), that revision is returned and nothing is registered.
   */
  registerTaskDefinitionLike(templateArn: string, modelDataUrl: string): Promise<string>;
  /**
   * Starts a deployment of the variant's service on the task definition and, when given, sets its
   * desired count (no-op where the service already runs, or deploys, that revision at that count).
   */
  updateService(variant: VariantName, taskDefinitionArn: string, desiredCount?: number): Promise<void>;
  /**
   * The variant's task definition as the stack declared it (CloudFormation's): a rollout never
   * deregisters it, and resets a challenger to it when it cannot tell what ran before.
   */
  initialTaskDefinition(variant: VariantName): string;
  /** Deregisters a revision; one already inactive is fine (retried tasks). */
  deregisterTaskDefinition(taskDefinitionArn: string): Promise<void>;
  /** Current listener weights (percent of traffic) of the variants' target groups. */
  getWeights(): Promise<{ champion: number; challenger: number }>;
  setWeights(weights: { champion: number; challenger: number }): Promise<void>;
}

/** What the endpoint's services custom resource does besides a rollout's calls: create and delete them. */
export interface ServiceAdmin extends ServiceControl {
  /** Creates the variant's service on the task definition with `desiredCount` tasks. */
  createService(
    variant: VariantName,
    spec: EcsServiceSpec,
    taskDefinitionArn: string,
    desiredCount: number,
  ): Promise<void>;
  /** Deletes the variant's service, stopping its tasks; a missing one is fine. */
  deleteService(variant: VariantName): Promise<void>;
}

/** What DescribeTaskDefinition returns that RegisterTaskDefinition does not take. */
const DESCRIBED_ONLY = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
] as const;

const urlOf = (td: TaskDefinition): string | undefined =>
  td.containerDefinitions
    ?.find((c) => c.name === ECS_MODEL_FETCH.containerName)
    ?.environment?.find((e) => e.name === ECS_MODEL_FETCH.modelDataUrlVariable)?.value;

export class EcsServiceControl implements ServiceAdmin {
  constructor(
    private readonly ecs: ECSClient,
    private readonly elb: ElasticLoadBalancingV2Client,
    private readonly target: EcsServingTarget,
  ) {}

  async describeService(variant: VariantName): Promise<ServiceState | undefined> {
    const out = await this.ecs.send(
      new DescribeServicesCommand({
        cluster: this.target.cluster,
        services: [this.target.services[variant]],
      }),
    );
    const service = out.services?.[0];
    if (!service) return undefined;
    return {
      status: service.status ?? 'INACTIVE',
      desiredCount: service.desiredCount ?? 0,
      deployments: (service.deployments ?? []).map(
        (d): ServiceDeployment => ({
          status: d.status ?? '',
          taskDefinition: d.taskDefinition ?? '',
          ...(d.rolloutState ? { rolloutState: d.rolloutState } : {}),
          ...(d.rolloutStateReason ? { rolloutStateReason: d.rolloutStateReason } : {}),
          desiredCount: d.desiredCount ?? 0,
          runningCount: d.runningCount ?? 0,
        }),
      ),
    };
  }

  async modelDataUrl(taskDefinitionArn: string): Promise<string> {
    const td = await this.taskDefinition(taskDefinitionArn);
    const url = urlOf(td);
    if (!url) throw new Error(this.noFetchContainer(taskDefinitionArn));
    return url;
  }

  async registerTaskDefinitionLike(templateArn: string, modelDataUrl: string): Promise<string> {
    const template = await this.taskDefinition(templateArn);
    if (!urlOf(template)) throw new Error(this.noFetchContainer(templateArn));
    // RegisterTaskDefinition always adds a revision: a retried task reuses the one it registered.
    const latest = await this.taskDefinition(template.family!);
    if (urlOf(latest) === modelDataUrl) return latest.taskDefinitionArn!;
    const input = { ...template } as Record<string, unknown>;
    for (const key of DESCRIBED_ONLY) delete input[key];
    input.containerDefinitions = template.containerDefinitions?.map((c) =>
      c.name === ECS_MODEL_FETCH.containerName
        ? {
            ...c,
            environment: c.environment?.map((e) =>
              e.name === ECS_MODEL_FETCH.modelDataUrlVariable ? { ...e, value: modelDataUrl } : e,
            ),
          }
        : c,
    );
    const out = await this.ecs.send(
      new RegisterTaskDefinitionCommand(input as unknown as RegisterTaskDefinitionCommandInput),
    );
    return out.taskDefinition!.taskDefinitionArn!;
  }

  async updateService(variant: VariantName, taskDefinitionArn: string, desiredCount?: number): Promise<void> {
    const current = await this.describeService(variant);
    // A service already deploying (or running) the revision keeps its deployment.
    const sameRevision =
      current?.deployments.find((d) => d.status === 'PRIMARY')?.taskDefinition === taskDefinitionArn;
    const sameCount = desiredCount === undefined || current?.desiredCount === desiredCount;
    if (sameRevision && sameCount) return;
    await this.ecs.send(
      new UpdateServiceCommand({
        cluster: this.target.cluster,
        service: this.target.services[variant],
        ...(sameRevision ? {} : { taskDefinition: taskDefinitionArn }),
        ...(desiredCount === undefined ? {} : { desiredCount }),
      }),
    );
  }

  async createService(
    variant: VariantName,
    spec: EcsServiceSpec,
    taskDefinitionArn: string,
    desiredCount: number,
  ): Promise<void> {
    await this.ecs.send(
      new CreateServiceCommand({
        cluster: this.target.cluster,
        serviceName: this.target.services[variant],
        taskDefinition: taskDefinitionArn,
        desiredCount,
        loadBalancers: [...spec.loadBalancers],
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: [...spec.networkConfiguration.awsvpcConfiguration.subnets],
            securityGroups: [...spec.networkConfiguration.awsvpcConfiguration.securityGroups],
            assignPublicIp: 'DISABLED',
          },
        },
        capacityProviderStrategy: [...spec.capacityProviderStrategy],
        healthCheckGracePeriodSeconds: spec.healthCheckGracePeriodSeconds,
        // A deployment whose tasks never get healthy fails and goes back to the last good one.
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
        deploymentController: { type: 'ECS' },
        enableECSManagedTags: true,
        propagateTags: 'SERVICE',
      }),
    );
  }

  async deleteService(variant: VariantName): Promise<void> {
    try {
      await this.ecs.send(
        new DeleteServiceCommand({
          cluster: this.target.cluster,
          service: this.target.services[variant],
          force: true,
        }),
      );
    } catch (err) {
      if (
        !/not found|ServiceNotFound|ServiceNotActive/i.test(
          `${(err as Error)?.name} ${(err as Error)?.message}`,
        )
      )
        throw err;
    }
  }

  initialTaskDefinition(variant: VariantName): string {
    return this.target.initialTaskDefinitionArns[variant];
  }

  async deregisterTaskDefinition(taskDefinitionArn: string): Promise<void> {
    try {
      await this.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }));
    } catch (err) {
      // Already INACTIVE (a retried task): nothing left to do.
      if (!/inactive|not found|does not exist|unable to describe/i.test(String((err as Error)?.message)))
        throw err;
    }
  }

  async getWeights(): Promise<{ champion: number; challenger: number }> {
    const targetGroups = (await this.forwardAction()).ForwardConfig?.TargetGroups ?? [];
    const weightOf = (variant: VariantName) =>
      targetGroups.find((g) => g.TargetGroupArn === this.target.targetGroupArns[variant])?.Weight ?? 0;
    const champion = weightOf('champion');
    const challenger = weightOf('challenger');
    const total = champion + challenger;
    // Weights are relative (0..999); the platform writes percentages, but read them as shares.
    if (total === 0) return { champion: 0, challenger: 0 };
    return { champion: (100 * champion) / total, challenger: (100 * challenger) / total };
  }

  async setWeights(weights: { champion: number; challenger: number }): Promise<void> {
    const current = await this.forwardAction();
    const stickiness = current.ForwardConfig?.TargetGroupStickinessConfig;
    await this.elb.send(
      new ModifyListenerCommand({
        ListenerArn: this.target.listenerArn,
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: (['champion', 'challenger'] as const).map((v) => ({
                TargetGroupArn: this.target.targetGroupArns[v],
                Weight: weights[v],
              })),
              // Kept as it is: the weights are all a rollout changes.
              ...(stickiness ? { TargetGroupStickinessConfig: stickiness } : {}),
            },
          },
        ],
      }),
    );
  }

  private async taskDefinition(taskDefinition: string): Promise<TaskDefinition> {
    const out = await this.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }));
    if (!out.taskDefinition) throw new Error(`task definition ${taskDefinition} not found`);
    return out.taskDefinition;
  }

  /** The listener's default forward action (the endpoint's only action). */
  private async forwardAction(): Promise<Action> {
    const out = await this.elb.send(
      new DescribeListenersCommand({ ListenerArns: [this.target.listenerArn] }),
    );
    const action = out.Listeners?.[0]?.DefaultActions?.find((a) => a.Type === 'forward');
    if (!action) throw new Error(`listener ${this.target.listenerArn} has no forward action`);
    return action;
  }

  private noFetchContainer(taskDefinitionArn: string): string {
    return `task definition ${taskDefinitionArn} has no ${ECS_MODEL_FETCH.containerName} container with ${ECS_MODEL_FETCH.modelDataUrlVariable}`;
  }
}
