/**
 * Rollouts of an ECS-served model in the template: the deployment target names its services,
 * listener, target groups and task definitions (for the route and the task function); the task
 * function may update and read only those services, modify only that listener and pass only
 * their task roles, only to ECS tasks; the fetch sidecar takes the package URL from its
 * environment. Each IAM check runs on the construct (must pass) and on a wrong policy (must fail).
 */
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { ECS_MODEL_FETCH } from '../../contracts/deployment';
import { buildServingStack, type ServingStack } from '../helpers/serving-stack';
import { deploymentTargetValue } from './helpers';

const logicalId = (construct: IConstruct): string =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
const ref = (construct: IConstruct) => ({ Ref: logicalId(construct) });

interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}
const statementsOf = (t: Template, roleLogicalId: string): Statement[] =>
  Object.values(t.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleLogicalId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
const actionsOf = (s: Statement) => [s.Action].flat();

/** Fails unless ECS service and listener writes are on named resources, never `*`. */
function assertEcsWritesScoped(statements: Statement[]): void {
  for (const s of statements) {
    const writes = actionsOf(s).filter((a) =>
      ['ecs:UpdateService', 'ecs:DescribeServices', 'elasticloadbalancing:ModifyListener'].includes(a),
    );
    if (writes.length > 0 && [s.Resource].flat().includes('*'))
      throw new Error(`${writes.join(', ')} on * (statement ${s.Sid})`);
  }
}

let built: ServingStack;
let template: Template;

beforeAll(() => {
  built = buildServingStack(
    [{ modelName: 'churn' }, { modelName: 'fraud', backend: 'ecs' }],
    {},
    { nag: true },
  );
  built.app.synth(); // cdk-nag AwsSolutions: throws on an unacknowledged finding
  template = Template.fromStack(built.stack);
});

const tasksRole = () => logicalId(built.deployment.tasks.role!);
const ecs = () => built.endpoints.fraud.ecs!;

describe('ECS deployment target', () => {
  it('names the services, listener, target groups and task definitions, for the route and the tasks', () => {
    const target = ecs().rolloutTarget();
    const resolved = built.stack.resolve(built.deployment.targets.fraud);
    expect(resolved).toMatchObject({ backend: 'ecs', endpointName: 'mlops-dev-fraud' });
    expect(resolved.ecs).toEqual({
      cluster: ref(ecs().cluster),
      services: { champion: 'mlops-dev-fraud-champion', challenger: 'mlops-dev-fraud-challenger' },
      listenerArn: ref(ecs().listener),
      targetGroupArns: {
        champion: ref(ecs().targetGroups.champion),
        challenger: ref(ecs().targetGroups.challenger),
      },
      taskDefinitionFamilies: target.taskDefinitionFamilies,
      initialTaskDefinitionArns: {
        champion: ref(ecs().taskDefinitions.champion),
        challenger: ref(ecs().taskDefinitions.challenger),
      },
      scalingResourceLabels: built.stack.resolve(target.scalingResourceLabels),
    });
    expect(JSON.stringify(resolved.ecs.scalingResourceLabels.challenger)).toContain('ChallengerTargets');
    expect(JSON.stringify(deploymentTargetValue(template, 'fraud'))).toContain(logicalId(ecs().listener));
    for (const fn of [built.deployment.tasks, built.deployment.handler]) {
      const env =
        template.findResources('AWS::Lambda::Function')[logicalId(fn)].Properties.Environment.Variables;
      expect(env.DEPLOYMENT_TARGETS_PATH).toBe(built.deployment.targetParameters.parameterPath);
    }
  });

  it("gives each variant's fetch sidecar the package URL in its environment, read by its command", () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: Match.arrayWith([
        Match.objectLike({
          Name: ECS_MODEL_FETCH.containerName,
          Environment: Match.arrayWith([
            { Name: ECS_MODEL_FETCH.modelDataUrlVariable, Value: Match.anyValue() },
          ]),
          Command: [Match.stringLikeRegexp(`aws s3 cp "\\$${ECS_MODEL_FETCH.modelDataUrlVariable}"`)],
        }),
      ]),
    });
  });
});

describe('ECS rollout permissions', () => {
  it('lets the task function update and read only the variant services', () => {
    const services = statementsOf(template, tasksRole()).find((s) =>
      actionsOf(s).includes('ecs:UpdateService'),
    );
    expect(actionsOf(services!).sort()).toEqual(['ecs:DescribeServices', 'ecs:UpdateService']);
    expect(services?.Resource).toEqual([
      built.stack.resolve(ecs().services.champion.serviceArn),
      built.stack.resolve(ecs().services.challenger.serviceArn),
    ]);
    assertEcsWritesScoped(statementsOf(template, tasksRole()));
  });

  it('fails the ECS scope check for UpdateService on *', () => {
    const bad = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Throwaway');
    const role = new iam.Role(bad, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(
      new iam.PolicyStatement({ sid: 'All', actions: ['ecs:UpdateService'], resources: ['*'] }),
    );
    expect(() => assertEcsWritesScoped(statementsOf(Template.fromStack(bad), 'Role'))).toThrow(/on \*/);
  });

  it('lets the task function modify only the endpoint listener', () => {
    const modify = statementsOf(template, tasksRole()).find((s) =>
      actionsOf(s).includes('elasticloadbalancing:ModifyListener'),
    );
    expect(modify).toMatchObject({
      Action: 'elasticloadbalancing:ModifyListener',
      Resource: ref(ecs().listener),
    });
  });

  it('lets the task function pass only the task and execution roles, only to ECS tasks', () => {
    const pass = statementsOf(template, tasksRole()).filter(
      (s) => actionsOf(s).includes('iam:PassRole') && JSON.stringify(s.Condition).includes('ecs-tasks'),
    );
    expect(pass).toHaveLength(1);
    const roles = (['champion', 'challenger'] as const).flatMap((v) => [
      { 'Fn::GetAtt': [logicalId(ecs().taskDefinitions[v].taskRole), 'Arn'] },
      { 'Fn::GetAtt': [logicalId(ecs().taskDefinitions[v].executionRole!), 'Arn'] },
    ]);
    expect(pass[0].Resource).toEqual(roles);
    expect(pass[0].Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
  });

  it('grants on * only the task definition and listener reads that have no resource-level permissions', () => {
    const unscoped = statementsOf(template, tasksRole())
      .filter((s) => [s.Resource].flat().includes('*'))
      .flatMap(actionsOf)
      .filter((a) => a.startsWith('ecs:') || a.startsWith('elasticloadbalancing:'));
    expect(unscoped.sort()).toEqual([
      'ecs:DeregisterTaskDefinition',
      'ecs:DescribeTaskDefinition',
      'ecs:RegisterTaskDefinition',
      'elasticloadbalancing:DescribeListeners',
    ]);
  });

  it('gives the ECS-served model no SageMaker access', () => {
    const sageMaker = statementsOf(template, tasksRole()).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('sagemaker:')),
    );
    expect(sageMaker.length).toBeGreaterThan(0);
    expect(JSON.stringify(sageMaker)).not.toContain('mlops-dev-fraud');
    expect(JSON.stringify(sageMaker)).toContain('mlops-dev-churn');
  });
});
