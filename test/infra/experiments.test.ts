/**
 * The experiments construct on its own stack with cdk-nag: the guardrail schedule, and each
 * function's DynamoDB access named table by table and index by index (the API's listing index,
 * the schedule's sparse one), with the actions its stores call and no wildcard. Bundling is
 * skipped: the handlers are tested elsewhere.
 */
import { App, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Experiments, type ExperimentsProps } from '../../lib/experiments/experiments';
import { PlatformFunction } from '../../lib/shared/platform-function';
import { SKIP_BUNDLING, throwawayStack } from './helpers';

function experimentsStack(props: Partial<ExperimentsProps> = {}) {
  const app = new App({ context: SKIP_BUNDLING });
  const stack = new Stack(app, 'ExperimentsTest', { env: { account: '111122223333', region: 'eu-west-1' } });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const table = (id: string) =>
    dynamodb.Table.fromTableAttributes(stack, id, { tableName: id.toLowerCase() });
  new Experiments(stack, 'Experiments', {
    storage: {
      key,
      experimentsTable: table('ExperimentsTable'),
      deploymentsTable: table('DeploymentsTable'),
      registryTable: table('RegistryTable'),
      auditTable: table('AuditTable'),
      idempotencyTable: table('IdempotencyTable'),
    },
    envName: 'dev',
    removalPolicy: RemovalPolicy.DESTROY,
    ...props,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, template: Template.fromStack(stack) };
}

interface Statement {
  readonly Sid?: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** The DynamoDB statements of the policies on roles whose logical id starts with `role`. */
function dynamoDbStatements(template: Template, role: RegExp): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).match(role))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
    .filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));
}

/**
 * What makes DynamoDB access broader than named: a wildcard action, a resource that is not a table
 * or one named index (`table/x/index/*`, `*`), or a Scan.
 */
function broadDynamoDbAccess(statements: readonly Statement[]): string[] {
  const found: string[] = [];
  for (const s of statements) {
    for (const action of [s.Action].flat())
      if (action.includes('*') || action === 'dynamodb:Scan') found.push(`${s.Sid ?? '?'}: ${action}`);
    for (const resource of [s.Resource].flat()) {
      const text = JSON.stringify(resource);
      if (text === '"*"' || text.includes('/index/*') || text.includes('*"'))
        found.push(`${s.Sid ?? '?'}: ${text}`);
    }
  }
  return found;
}

const resources = (statements: readonly Statement[], sid: string) =>
  JSON.stringify(statements.filter((s) => s.Sid === sid).map((s) => s.Resource));

describe('Experiments', () => {
  it('passes cdk-nag with each finding acknowledged', () => {
    expect(() => experimentsStack().app.synth()).not.toThrow();
  });

  it('invokes the guardrail function on its schedule, every 5 minutes by default', () => {
    // Act
    const byDefault = experimentsStack().template;
    const hourly = experimentsStack({ guardrailInterval: Duration.hours(1) }).template;

    // Assess
    byDefault.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ExperimentsGuardrailCheck'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2 },
        }),
      ],
    });
    hourly.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)' });
  });

  it('fails on a guardrail interval outside 1..1440 minutes', () => {
    expect(() => experimentsStack({ guardrailInterval: Duration.days(2) })).toThrow(
      'guardrailInterval must be 1..1440 minutes, got 2880',
    );
  });

  it('names each table and index its functions use, with the actions their stores call', () => {
    // Act
    const { template } = experimentsStack();
    const api = dynamoDbStatements(template, /ExperimentsHandler/);
    const schedule = dynamoDbStatements(template, /ExperimentsGuardrailCheck/);

    // Assess
    expect(broadDynamoDbAccess(api)).toEqual([]);
    expect(broadDynamoDbAccess(schedule)).toEqual([]);
    expect(api.find((s) => s.Sid === 'Experiments')?.Action).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:Query',
      'dynamodb:ConditionCheckItem',
    ]);
    // The API lists by status; the schedule reads its sparse index, and byStatus for the one-off
    // backfill of experiments written before that index existed.
    expect(resources(api, 'Experiments')).toContain('/index/byStatus');
    expect(resources(api, 'Experiments')).not.toContain('/index/bySchedule');
    expect(resources(schedule, 'Experiments')).toContain('/index/bySchedule');
    expect(resources(schedule, 'Experiments')).toContain('/index/byStatus');
    // The lock and routing record: no Query, no index of the deployments table.
    expect(api.find((s) => s.Sid === 'EndpointLock')?.Action).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:DeleteItem',
    ]);
    expect(resources(api, 'EndpointLock')).not.toContain('/index/');
    expect(schedule.map((s) => s.Sid)).not.toContain('Idempotency');
    // No rollout to promote through: no approval request is ever written to the registry table.
    expect([...api, ...schedule].map((s) => s.Sid)).not.toContain('ApprovalRequests');
  });

  it('writes approval requests to the registry table only when it promotes through the rollout', () => {
    // Act
    const { template } = experimentsStack({ deployment: { grantExperimentServing: () => undefined } });
    const api = dynamoDbStatements(template, /ExperimentsHandler/);

    // Assess
    expect(api.find((s) => s.Sid === 'ApprovalRequests')?.Action).toEqual([
      'dynamodb:PutItem',
      'dynamodb:ConditionCheckItem',
    ]);
    expect(resources(api, 'ApprovalRequests')).toContain('table/registrytable');
    expect(broadDynamoDbAccess(api)).toEqual([]);
  });

  it('fails the check on a function given a whole table by grantReadWriteData', () => {
    // Prepare
    const stack = throwawayStack();
    const key = new kms.Key(stack, 'Key');
    const fn = new PlatformFunction(stack, 'Broad', {
      entry: 'lambdas/experiments/guardrail-check.ts',
      description: 'broad',
      encryptionKey: key,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const table = new dynamodb.Table(stack, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    });
    table.addGlobalSecondaryIndex({
      indexName: 'byX',
      partitionKey: { name: 'x', type: dynamodb.AttributeType.STRING },
    });
    table.grantReadWriteData(fn);

    // Act
    const found = broadDynamoDbAccess(dynamoDbStatements(Template.fromStack(stack), /Broad/));

    // Assess
    expect(found.some((f) => f.includes('/index/*'))).toBe(true);
  });
});
