/**
 * The monitoring construct on its own stack with cdk-nag: schedules from config, the Distributed
 * Map definition (JSONPath, ItemReader over the run manifest), alarms with the configured
 * thresholds, and least-privilege grants. Bundling is skipped: the handlers are tested elsewhere.
 */
import { App, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ENV } from '../../contracts/env';
import { DEFAULT_CAPTURE_PREFIX, MonitoredModel, type MonitoringConfig } from '../../contracts/monitoring';
import type { GovernancePolicy } from '../../contracts/registry';
import { EXPERIMENTS_TABLE, MONITORING_TABLE } from '../../contracts/tables';
import { ModelMonitoring } from '../../lib/monitoring/model-monitoring';
import { PlatformStorage } from '../../lib/storage/platform-storage';
import { SKIP_BUNDLING, throwawayStack, wildcardActions } from './helpers';

const CONFIG = {
  models: [
    {
      modelName: 'churn',
      endpointName: 'churn-endpoint',
      modelVersion: 3,
      schedule: 'rate(6 hours)',
      driftShareThreshold: 0.3,
      quality: { problemType: 'binary-classification', maxRelativeDrop: 0.08 },
    },
    { modelName: 'fraud', endpointName: 'fraud', modelVersion: 1 },
  ],
} as unknown as MonitoringConfig;

function monitoringStack(
  config: MonitoringConfig | undefined = CONFIG,
  governance?: GovernancePolicy,
  feedsExperiments = false,
) {
  const app = new App({ context: SKIP_BUNDLING });
  const stack = new Stack(app, 'MonitoringTest');
  const storage = new PlatformStorage(stack, 'Storage', { removalPolicy: RemovalPolicy.DESTROY });
  const monitoring = new ModelMonitoring(stack, 'Monitoring', {
    storage: {
      key: storage.key,
      artifactsBucket: storage.artifactsBucket,
      registryTable: storage.registryTable,
      auditTable: storage.auditTable,
      monitoringTable: storage.tables[MONITORING_TABLE.id],
      idempotencyTable: storage.idempotencyTable,
    },
    config,
    ...(governance ? { governance } : {}),
    ...(feedsExperiments ? { experimentsTable: storage.tables[EXPERIMENTS_TABLE.id] } : {}),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, monitoring };
}

let template: Template;
// biome-ignore lint/suspicious/noExplicitAny: the parsed ASL is checked field by field
let definition: Record<string, any>;

beforeAll(() => {
  const { stack } = monitoringStack();
  // Throws "Validation failed" on any unacknowledged cdk-nag finding.
  template = Template.fromStack(stack);
  const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0];
  const parts = machine.Properties.DefinitionString['Fn::Join'][1] as unknown[];
  definition = JSON.parse(
    parts
      .map((p) =>
        typeof p === 'string'
          ? p
          : 'Fn::GetAtt' in (p as object)
            ? 'arn:aws:lambda:us-east-1:123456789012:function:f'
            : 'aws',
      )
      .join(''),
  );
});

describe('schedules', () => {
  it('has one rule per monitored model with its expression and constant input', () => {
    template.resourceCountIs('AWS::Events::Rule', 2);
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(6 hours)',
      Targets: [Match.objectLike({ Input: JSON.stringify({ modelName: 'churn' }) })],
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      Targets: [Match.objectLike({ Input: JSON.stringify({ modelName: 'fraud' }) })],
    });
  });

  it('fails on a model listed twice', () => {
    expect(() =>
      monitoringStack({ models: [CONFIG.models[1], CONFIG.models[1]] } as unknown as MonitoringConfig),
    ).toThrow(/fraud is listed twice/);
  });

  it('fails on a bad schedule, naming the field', () => {
    const bad = { models: [{ ...CONFIG.models[1], schedule: 'every hour' }] } as unknown as MonitoringConfig;
    expect(() => monitoringStack(bad)).toThrow(/monitoring\.models\.0\.schedule/);
  });
});

describe('fan-out state machine', () => {
  it('is JSONPath with a Distributed Map reading the run manifest from S3', () => {
    expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    const map = definition.States.SummarizeShards;
    expect(map.Type).toBe('Map');
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(map.ItemReader).toMatchObject({
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSON' },
      Parameters: { 'Bucket.$': '$.bucket', 'Key.$': '$.manifestKey' },
    });
    expect(map.ItemSelector).toEqual({
      'key.$': '$$.Map.Item.Value.key',
      'index.$': '$$.Map.Item.Index',
      'runId.$': '$.runId',
      'modelVersion.$': '$.modelVersion',
      'modelName.$': '$.modelName',
    });
    expect(map.ResultPath).toBeNull();
    expect(map.Next).toBe('MergeAndReport');
    expect(definition.States.MergeAndReport.End).toBe(true);
  });
});

describe('alarms', () => {
  it('alarms on drift share at the configured threshold', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'CdkMlops/Monitoring',
      MetricName: 'DriftShare',
      Dimensions: [{ Name: 'ModelName', Value: 'churn' }],
      Threshold: 0.3,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DriftShare',
      Dimensions: [{ Name: 'ModelName', Value: 'fraud' }],
      Threshold: 0.5,
    });
  });

  it('alarms on a quality drop only where quality is configured', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'QualityRelativeDrop',
      Dimensions: [{ Name: 'ModelName', Value: 'churn' }],
      Threshold: 0.08,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
  });
});

describe('grants', () => {
  it('has no statement allowing * or a whole service', () => {
    expect(wildcardActions(template)).toEqual([]);
  });

  it('scopes PutMetricData to the monitoring namespace', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'cloudwatch:PutMetricData',
            Condition: { StringEquals: { 'cloudwatch:namespace': 'CdkMlops/Monitoring' } },
          }),
        ]),
      },
    });
  });

  it('writes S3 objects under monitoring/ only', () => {
    const puts = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) =>
      (
        p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>
      ).filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:Put'))),
    );
    expect(puts.length).toBeGreaterThan(0);
    for (const s of puts) expect(JSON.stringify(s.Resource)).toContain('/monitoring/*');
  });

  it('fails the least-privilege check on a policy with s3:*', () => {
    const stack = throwawayStack();
    const role = new iam.Role(stack, 'Bad', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
    expect(wildcardActions(Template.fromStack(stack))).toHaveLength(1);
  });
});

describe('ground truth fed to experiments', () => {
  it('gives the API function alone the experiments table, with the item actions the feed takes', () => {
    // Prepare
    const { stack, monitoring } = monitoringStack(CONFIG, undefined, true);
    const t = Template.fromStack(stack);
    const fnOf = (f: lambda.IFunction) =>
      t.findResources('AWS::Lambda::Function')[stack.getLogicalId(f.node.defaultChild as lambda.CfnFunction)];

    // Act
    const api = fnOf(monitoring.apiHandler);
    const check = fnOf(monitoring.checkFunction);

    // Assess
    expect(api.Properties.Environment.Variables[ENV.experimentsTable]).toEqual({
      Ref: expect.stringMatching(/^StorageExperiments/),
    });
    expect(check.Properties.Environment.Variables[ENV.experimentsTable]).toBeUndefined();
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'FeedExperiments',
            Effect: 'Allow',
            Action: [
              'dynamodb:BatchGetItem',
              'dynamodb:GetItem',
              'dynamodb:PutItem',
              'dynamodb:UpdateItem',
              'dynamodb:ConditionCheckItem',
            ],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^StorageExperiments'), 'Arn'] },
          },
        ]),
      },
    });
  });
});

describe('the registry service monitoring tags versions through', () => {
  const policy = {
    metricFloors: { auc: 0.8 },
    requireModelCard: true,
    requireSecurityScan: false,
    requireLoadTest: false,
  } as GovernancePolicy;

  it('runs with the configured governance policy', () => {
    // Prepare
    const { stack } = monitoringStack(CONFIG, policy);
    // Act
    const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: { [ENV.monitoringSettings]: Match.anyValue() } } },
    });
    // Assess
    const policies = Object.values(functions).map(
      (f) => f.Properties.Environment.Variables.GOVERNANCE_POLICY,
    );
    expect(policies.length).toBeGreaterThan(0);
    expect(policies.every((p) => p === JSON.stringify(policy))).toBe(true);
  });

  it('gives the API function the registry table and read access, so ground truth for an unknown model is a 404', () => {
    // Prepare
    const { stack, monitoring } = monitoringStack();
    const t = Template.fromStack(stack);
    const fnId = stack.getLogicalId(monitoring.apiHandler.node.defaultChild as lambda.CfnFunction);
    const fn = t.findResources('AWS::Lambda::Function')[fnId];
    const role = fn.Properties.Role['Fn::GetAtt'][0];
    // Act
    const statements = Object.values(t.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    const registryArn = { 'Fn::GetAtt': [expect.stringMatching(/^StorageRegistry/), 'Arn'] };
    // Assess
    expect(fn.Properties.Environment.Variables[ENV.registryTable]).toEqual({
      Ref: expect.stringMatching(/^StorageRegistry/),
    });
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: expect.arrayContaining(['dynamodb:GetItem']),
        Resource: expect.arrayContaining([registryArn]),
      }),
    );
  });

  it('sets no variable (the registry default) when no policy is given', () => {
    const variables = Object.values(template.findResources('AWS::Lambda::Function')).map(
      (f) => f.Properties.Environment?.Variables ?? {},
    );
    expect(variables.some((v) => 'GOVERNANCE_POLICY' in v)).toBe(false);
  });
});

describe('monitored models in Parameter Store', () => {
  const PATH = '/cdk-mlops/MonitoringTest/monitored-models';
  const monitoringFunctions = (t: Template) =>
    Object.values(
      t.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: { [ENV.monitoringSettings]: Match.anyValue() } } },
      }),
    );
  const functions = () => monitoringFunctions(template);
  const ssmStatements = (t: Template) =>
    Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p) =>
      (
        p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>
      ).filter((s) => [s.Action].flat().some((a) => a.startsWith('ssm:'))),
    );

  it('holds each monitored model as JSON in one Standard String parameter under the path', () => {
    const parameters = Object.values(template.findResources('AWS::SSM::Parameter')).map((p) => p.Properties);
    expect(parameters.map((p) => [p.Name, p.Type, p.Tier])).toEqual([
      [`${PATH}/churn`, 'String', 'Standard'],
      [`${PATH}/fraud`, 'String', 'Standard'],
    ]);
    expect(parameters.map((p) => JSON.parse(p.Value))).toEqual(
      CONFIG.models.map((m) => MonitoredModel.parse(m)),
    );
  });

  it('gives every function the path and the fixed-size settings, never the models', () => {
    expect(functions()).toHaveLength(4);
    for (const f of functions()) {
      const variables = f.Properties.Environment.Variables;
      expect(variables[ENV.monitoredModelsPath]).toBe(PATH);
      expect(JSON.parse(variables[ENV.monitoringSettings])).toEqual({
        capturePrefix: DEFAULT_CAPTURE_PREFIX,
        maxFilesPerLambda: 20,
      });
      expect(JSON.stringify(variables)).not.toContain('churn-endpoint');
    }
  });

  it("lets each function read the path's parameters, and nothing else of Parameter Store", () => {
    const statements = ssmStatements(template);
    expect(statements).toHaveLength(functions().length);
    for (const s of statements) {
      expect(s.Action).toBe('ssm:GetParameter');
      expect(JSON.stringify(s.Resource)).toMatch(
        /":parameter\/cdk-mlops\/MonitoringTest\/monitored-models\/\*"\]\]\}$/,
      );
    }
  });

  it('has no parameter, path or grant when no model is monitored', () => {
    // Prepare / Act
    const none = Template.fromStack(monitoringStack({} as MonitoringConfig).stack);
    // Assess
    none.resourceCountIs('AWS::SSM::Parameter', 0);
    expect(ssmStatements(none)).toEqual([]);
    expect(monitoringFunctions(none)).toHaveLength(4);
    for (const f of monitoringFunctions(none)) {
      expect(f.Properties.Environment.Variables[ENV.monitoredModelsPath]).toBeUndefined();
    }
  });
});
