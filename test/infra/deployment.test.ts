/**
 * The deployment construct's template: the rollout state machine (JSONPath, every branch state),
 * and least privilege for its task function (SageMaker only on the platform's endpoints, PassRole
 * only of the model role, to SageMaker) and for the route's function (its own state machine).
 * Each IAM check runs on the construct (must pass) and on a wrong policy (must fail).
 */
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { ROLLOUT_STATE_NAMES } from '../../contracts/deployment';
import type { CfnTemplate } from '../../local/cdk-template';
import { stateMachineDefinitions } from '../../local/state-machines/executor';
import { resolveIntrinsics } from '../../local/state-machines/intrinsics';
import { buildServingStack, type ServingStack } from '../helpers/serving-stack';
import { deploymentTargetValue } from './helpers';

/** The CloudFormation logical id of an L2 construct's resource. */
const logicalId = (construct: IConstruct): string =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
/** A stack for bad cases, in its own app without cdk-nag. */
const throwawayStack = () => new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Throwaway');

let built: ServingStack;
let template: Template;

beforeAll(() => {
  built = buildServingStack(
    [{ modelName: 'churn', canarySteps: [10, 50, 100], bakeMinutes: 15 }],
    {},
    { nag: true },
  );
  built.app.synth();
  template = Template.fromStack(built.stack);
});

/** An ARN as CloudFormation resolves it in the aws partition. */
const arn = (v: unknown) => resolveIntrinsics(v, template.toJSON() as CfnTemplate);

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

const statementsOf = (t: Template, roleLogicalIdPrefix: string): Statement[] =>
  Object.values(t.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleLogicalIdPrefix))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);

/** Fails unless every SageMaker action is on named platform resources (never `*`). */
function assertSageMakerScoped(statements: Statement[]): void {
  for (const s of statements) {
    if (![s.Action].flat().some((a) => a.startsWith('sagemaker:'))) continue;
    const resources = JSON.stringify(s.Resource);
    if (resources === '"*"' || !resources.includes('mlops-')) {
      throw new Error(`sagemaker statement ${s.Sid} is not scoped to platform resources: ${resources}`);
    }
  }
}

/** Fails unless iam:PassRole is granted only on `roleArn`, and only to SageMaker. */
function assertPassRoleScoped(statements: Statement[], role: unknown): void {
  const pass = statements.filter((s) => [s.Action].flat().includes('iam:PassRole'));
  if (pass.length !== 1) throw new Error(`expected one PassRole statement, got ${pass.length}`);
  expect(pass[0].Resource).toEqual(role);
  expect(pass[0].Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } });
}

describe('deployment state machine', () => {
  it('is JSONPath (the local executor mis-runs JSONata) and has every branch state', () => {
    // The stack's other machine is the endpoint provider framework's waiter.
    const definition = [...stateMachineDefinitions(template.toJSON() as CfnTemplate).values()].find(
      (d) => ROLLOUT_STATE_NAMES.bake in d.States,
    )!;
    expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    for (const name of Object.values(ROLLOUT_STATE_NAMES))
      expect(Object.keys(definition.States)).toContain(name);
    expect(definition.States[ROLLOUT_STATE_NAMES.bake]).toMatchObject({
      Type: 'Wait',
      SecondsPath: '$.checkIntervalSeconds',
    });
    expect(definition.States[ROLLOUT_STATE_NAMES.refused]).toMatchObject({
      Type: 'Fail',
      Error: 'DeploymentRefused',
    });
    // Forward tasks fall back to the rollback path on any error.
    expect(definition.States[ROLLOUT_STATE_NAMES.shiftTraffic].Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: ROLLOUT_STATE_NAMES.restoreWeights },
    ]);
    // The rollback's tasks and the promotion's last one retry any error (each re-reads what it
    // changes) before the execution may fail.
    for (const name of [
      'restoreWeights',
      'checkSettled',
      'restoreConfig',
      'checkRestored',
      'finishRollback',
      'finishPromotion',
    ] as const)
      expect(definition.States[ROLLOUT_STATE_NAMES[name]].Retry).toContainEqual({
        ErrorEquals: ['States.ALL'],
        IntervalSeconds: 2,
        MaxAttempts: 6,
        BackoffRate: 2,
      });
  });

  it('finishes a rollout whose execution stopped, timed out or failed: its status changes go to the task function', () => {
    const machine = Object.entries(template.findResources('AWS::StepFunctions::StateMachine')).find(([, r]) =>
      JSON.stringify(r).includes(ROLLOUT_STATE_NAMES.bake),
    )![0];
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { status: ['ABORTED', 'TIMED_OUT', 'FAILED'], stateMachineArn: [{ Ref: machine }] },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(built.deployment.tasks), 'Arn'] } })],
    });
  });

  it('starts an approved rollout: APPROVED decisions of rollout requests go to the route function', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['cdk-mlops.registry'],
        'detail-type': ['ApprovalDecided'],
        detail: { after: { status: ['APPROVED'], kind: ['rollout'] } },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(built.deployment.handler), 'Arn'] } })],
    });
  });

  it('logs every execution and traces it', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true, Destinations: Match.anyValue() },
    });
  });

  it('gives the route the configured canary steps, bake and alarms', () => {
    expect(deploymentTargetValue(template, 'churn')).toEqual({
      endpointName: 'mlops-dev-churn',
      backend: 'sagemaker',
      canarySteps: [10, 50, 100],
      bakeMinutes: 15,
      alarmCheckSeconds: 60,
      alarmNames: [
        'mlops-dev-churn-challenger-latency-p95',
        'mlops-dev-churn-challenger-error-rate',
        'mlops-dev-churn-endpoint-latency-p95',
        'mlops-dev-churn-endpoint-error-rate',
      ],
      initialEndpointConfigName: expect.stringMatching(/^mlops-dev-churn-i[0-9a-f]{8}$/),
      // Registered when a promotion ends (an endpoint the first rollout created has none).
      scaling: {
        minCapacity: 1,
        maxCapacity: 4,
        targetInvocationsPerInstance: 100,
        scaleInCooldownSeconds: 300,
        scaleOutCooldownSeconds: 60,
      },
    });
  });
});

describe('least privilege', () => {
  const tasksRole = () => logicalId(built.deployment.tasks.role!);

  it('lets the task function call SageMaker only on the platform endpoint, its configs and models', () => {
    const statements = statementsOf(template, tasksRole());
    assertSageMakerScoped(statements);
    const update = statements.find((s) => [s.Action].flat().includes('sagemaker:UpdateEndpoint'));
    expect(arn(update?.Resource)).toEqual(
      'arn:aws:sagemaker:us-east-1:123456789012:endpoint/mlops-dev-churn',
    );
    expect([update?.Action].flat().sort()).toEqual([
      'sagemaker:CreateEndpoint',
      'sagemaker:DeleteEndpoint',
      'sagemaker:DescribeEndpoint',
      'sagemaker:UpdateEndpoint',
      'sagemaker:UpdateEndpointWeightsAndCapacities',
    ]);
  });

  it('fails the SageMaker scope check for sagemaker:* on *', () => {
    const bad = throwawayStack();
    const role = new iam.Role(bad, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(
      new iam.PolicyStatement({ sid: 'All', actions: ['sagemaker:UpdateEndpoint'], resources: ['*'] }),
    );
    expect(() => assertSageMakerScoped(statementsOf(Template.fromStack(bad), 'Role'))).toThrow(/not scoped/);
  });

  it('lets the task function pass only the model role, only to SageMaker', () => {
    // By its name: the endpoint's (nested) stack names the role, and the rollout's ARN is that name.
    const role = template.findResources('AWS::IAM::Role')[logicalId(built.endpoints.churn.sageMaker!.role)];
    expect(role.Properties.RoleName).toBe('Serving-mlops-dev-churn');
    const pass = statementsOf(template, tasksRole()).filter((s) =>
      [s.Action].flat().includes('iam:PassRole'),
    );
    expect(pass.map((s) => arn(s.Resource))).toEqual([
      'arn:aws:iam::123456789012:role/Serving-mlops-dev-churn',
    ]);
    assertPassRoleScoped(statementsOf(template, tasksRole()), pass[0].Resource);
  });

  it('fails the PassRole check for PassRole on *', () => {
    const bad = throwawayStack();
    const r = new iam.Role(bad, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    r.addToPolicy(new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: ['*'] }));
    expect(() =>
      assertPassRoleScoped(statementsOf(Template.fromStack(bad), 'Role'), {
        'Fn::GetAtt': ['ModelRole', 'Arn'],
      }),
    ).toThrow();
  });

  it("lets the task function read only the endpoint's alarms, canary and target tracking", () => {
    const alarms = statementsOf(template, tasksRole()).filter((s) =>
      [s.Action].flat().includes('cloudwatch:DescribeAlarms'),
    );
    expect(alarms.flatMap((s) => [s.Resource].flat().map(arn)).sort()).toEqual([
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:TargetTracking-endpoint/mlops-dev-churn/*',
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:mlops-dev-churn-*',
    ]);
  });

  it('lets rollouts only append to the audit trail (no update or delete of a record)', () => {
    const auditArn = { 'Fn::GetAtt': [logicalId(built.storage.auditTable), 'Arn'] };
    for (const role of [tasksRole(), logicalId(built.deployment.handler.role!)]) {
      const onAudit = statementsOf(template, role).filter((s) =>
        JSON.stringify(s.Resource).includes(JSON.stringify(auditArn)),
      );
      const actions = onAudit.flatMap((s) => [s.Action].flat());
      expect(actions.length).toBeGreaterThan(0);
      expect(actions.filter((a) => /UpdateItem|DeleteItem|BatchWriteItem/.test(a))).toEqual([]);
    }
  });

  it('lets the route start and read executions of its state machine only', () => {
    const statements = statementsOf(template, logicalId(built.deployment.handler.role!));
    const start = statements.find((s) => [s.Action].flat().includes('states:StartExecution'));
    expect(start?.Resource).toEqual({ Ref: logicalId(built.deployment.stateMachine) });
    expect(statements.some((s) => [s.Action].flat().some((a) => a.startsWith('sagemaker:')))).toBe(false);
  });
});
