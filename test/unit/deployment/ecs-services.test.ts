/**
 * The ECS adapter against mocked SDK clients: the requests it sends (RegisterTaskDefinition copying
 * the template with another package URL, UpdateService, ModifyListener with forward weights), what
 * it reads back, and that a retried task sends nothing twice.
 */
import {
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import type { EcsServingTarget } from '../../../contracts/deployment';
import { EcsServiceControl } from '../../../lambdas/deployment/adapters/ecs-services';
import { taskDefinitionInput } from '../../helpers/fake-ecs';

const TD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/churn-challenger';
const TARGET: EcsServingTarget = {
  cluster: 'mlops-churn-cluster',
  services: { champion: 'churn-champion', challenger: 'churn-challenger' },
  listenerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/churn/1/1',
  targetGroupArns: { champion: 'tg-champion', challenger: 'tg-challenger' },
  taskDefinitionFamilies: { champion: 'churn-champion', challenger: 'churn-challenger' },
  initialTaskDefinitionArns: { champion: `${TD}:1`, challenger: `${TD}:1` },
};
const V1 = 's3://bucket/serving/packages/churn/1/model.tar.gz';
const V2 = 's3://bucket/serving/packages/churn/2/model.tar.gz';

const described = (revision: number, url: string) => ({
  ...taskDefinitionInput('churn-challenger', url),
  taskDefinitionArn: `${TD}:${revision}`,
  revision,
  status: 'ACTIVE' as const,
  compatibilities: ['EC2' as const],
  requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' }],
  registeredAt: new Date(0),
  registeredBy: 'arn:aws:iam::123456789012:role/cfn',
});

const ecsClient = new ECSClient({ region: 'us-east-1' });
const elbClient = new ElasticLoadBalancingV2Client({ region: 'us-east-1' });
const ecs = mockClient(ecsClient);
const elb = mockClient(elbClient);
const control = new EcsServiceControl(ecsClient, elbClient, TARGET);

beforeEach(() => {
  ecs.reset();
  elb.reset();
});

describe('registerTaskDefinitionLike', () => {
  it('registers the template with only the fetch sidecar URL changed, without the described-only fields', async () => {
    // Prepare: the family's latest revision is the template, on v1
    ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: described(1, V1) });
    ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: `${TD}:2` } });
    // Act
    const arn = await control.registerTaskDefinitionLike(`${TD}:1`, V2);
    // Assess
    expect(arn).toBe(`${TD}:2`);
    const sent = ecs.commandCalls(RegisterTaskDefinitionCommand)[0].args[0].input;
    expect(sent).toEqual(taskDefinitionInput('churn-challenger', V2));
    expect(
      ecs.commandCalls(DescribeTaskDefinitionCommand).map((c) => c.args[0].input.taskDefinition),
    ).toEqual([`${TD}:1`, 'churn-challenger']);
  });

  it('registers nothing when retried: the latest revision already loads the URL', async () => {
    // Prepare: a first attempt registered revision 2 on v2
    ecs
      .on(DescribeTaskDefinitionCommand, { taskDefinition: `${TD}:1` })
      .resolves({ taskDefinition: described(1, V1) });
    ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: 'churn-challenger' }).resolves({
      taskDefinition: described(2, V2),
    });
    // Act
    const arn = await control.registerTaskDefinitionLike(`${TD}:1`, V2);
    // Assess
    expect(arn).toBe(`${TD}:2`);
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
  });

  it('fails for a task definition without the fetch sidecar', async () => {
    const { containerDefinitions, ...rest } = described(1, V1);
    ecs
      .on(DescribeTaskDefinitionCommand)
      .resolves({ taskDefinition: { ...rest, containerDefinitions: [containerDefinitions[1]] } });
    await expect(control.registerTaskDefinitionLike(`${TD}:1`, V2)).rejects.toThrow(
      /no FetchModel container/,
    );
  });
});

describe('services', () => {
  const deployments = (taskDefinition: string) => ({
    services: [
      {
        status: 'ACTIVE',
        desiredCount: 2,
        deployments: [
          {
            status: 'PRIMARY',
            taskDefinition,
            rolloutState: 'IN_PROGRESS' as const,
            desiredCount: 2,
            runningCount: 1,
          },
        ],
      },
    ],
  });

  it('reads the deployments of the variant service in the cluster', async () => {
    // Prepare
    ecs.on(DescribeServicesCommand).resolves(deployments(`${TD}:2`));
    // Act
    const state = await control.describeService('challenger');
    // Assess
    expect(ecs.commandCalls(DescribeServicesCommand)[0].args[0].input).toEqual({
      cluster: 'mlops-churn-cluster',
      services: ['churn-challenger'],
    });
    expect(state).toEqual({
      status: 'ACTIVE',
      desiredCount: 2,
      deployments: [
        {
          status: 'PRIMARY',
          taskDefinition: `${TD}:2`,
          rolloutState: 'IN_PROGRESS',
          desiredCount: 2,
          runningCount: 1,
        },
      ],
    });
  });

  it('updates the service to the revision, once: a retry finds it deploying and sends nothing', async () => {
    // Prepare
    ecs
      .on(DescribeServicesCommand)
      .resolvesOnce(deployments(`${TD}:1`))
      .resolves(deployments(`${TD}:2`));
    ecs.on(UpdateServiceCommand).resolves({});
    // Act
    await control.updateService('challenger', `${TD}:2`);
    await control.updateService('challenger', `${TD}:2`);
    // Assess
    expect(ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input)).toEqual([
      { cluster: 'mlops-churn-cluster', service: 'churn-challenger', taskDefinition: `${TD}:2` },
    ]);
  });

  it('sets the desired count alone when the service already runs the revision', async () => {
    ecs.on(DescribeServicesCommand).resolves(deployments(`${TD}:2`));
    ecs.on(UpdateServiceCommand).resolves({});
    await control.updateService('challenger', `${TD}:2`, 0);
    await control.updateService('challenger', `${TD}:2`, 2);
    expect(ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input)).toEqual([
      { cluster: 'mlops-churn-cluster', service: 'churn-challenger', desiredCount: 0 },
    ]);
  });

  it('deregisters a revision, and takes an already inactive one as done', async () => {
    ecs
      .on(DeregisterTaskDefinitionCommand)
      .resolvesOnce({})
      .rejects(
        Object.assign(new Error('The specified task definition is already INACTIVE.'), {
          name: 'ClientException',
        }),
      );
    await control.deregisterTaskDefinition(`${TD}:2`);
    await expect(control.deregisterTaskDefinition(`${TD}:2`)).resolves.toBeUndefined();
  });
});

describe('listener weights', () => {
  const listener = (champion: number, challenger: number) => ({
    Listeners: [
      {
        DefaultActions: [
          {
            Type: 'forward' as const,
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: 'tg-champion', Weight: champion },
                { TargetGroupArn: 'tg-challenger', Weight: challenger },
              ],
              TargetGroupStickinessConfig: { Enabled: false },
            },
          },
        ],
      },
    ],
  });

  it('sets the weights as one forward action to both target groups, keeping the stickiness setting', async () => {
    // Prepare
    elb.on(DescribeListenersCommand).resolves(listener(100, 0));
    elb.on(ModifyListenerCommand).resolves({});
    // Act
    await control.setWeights({ champion: 95, challenger: 5 });
    // Assess
    expect(elb.commandCalls(ModifyListenerCommand)[0].args[0].input).toEqual({
      ListenerArn: TARGET.listenerArn,
      DefaultActions: [
        {
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: 'tg-champion', Weight: 95 },
              { TargetGroupArn: 'tg-challenger', Weight: 5 },
            ],
            TargetGroupStickinessConfig: { Enabled: false },
          },
        },
      ],
    });
  });

  it('reads the weights as percent of traffic', async () => {
    elb.on(DescribeListenersCommand).resolves(listener(3, 1));
    expect(await control.getWeights()).toEqual({ champion: 75, challenger: 25 });
  });
});
