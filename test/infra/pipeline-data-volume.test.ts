/**
 * The data-volume checks of the retraining pipeline: one schedule per watched model onto the check
 * function, and a role that only lists the watched views' manifests, touches only the watched
 * models' pipeline partitions and puts events only on the platform bus.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { RetrainingConfigs } from '../../contracts/pipeline';
import { GovernancePolicy } from '../../contracts/registry';
import { FEATURE_REGISTRY_TABLE, PIPELINE_TABLE } from '../../contracts/tables';
import { DeploymentTargetParameters } from '../../lib/deployment/target-parameters';
import { RetrainingPipeline } from '../../lib/pipeline/retraining-pipeline';
import { PlatformStorage } from '../../lib/storage/platform-storage';
import { SKIP_BUNDLING } from './helpers';

const data = (featureView?: string) => ({
  uri: 's3://bucket/churn.parquet',
  label: 'y',
  ...(featureView ? { featureView } : {}),
});
const WATCHED = [
  { modelName: 'churn', newRowsThreshold: 1000, trainingData: data('churn_features') },
  {
    modelName: 'fraud',
    newRowsThreshold: 50,
    newRowsCheckEveryMinutes: 60,
    trainingData: data('fraud_features'),
  },
];
const UNWATCHED = [
  { modelName: 'no-threshold', trainingData: data('churn_features') },
  {
    modelName: 'disabled',
    newRowsThreshold: 10,
    triggers: ['drift'],
    trainingData: data('churn_features'),
  },
];

function pipelineStack(options: { configs: unknown[]; nag?: boolean; offlineBucket?: boolean }) {
  const app = new App({ context: SKIP_BUNDLING });
  const stack = new Stack(app, 'DataVolumeTest');
  const storage = new PlatformStorage(stack, 'Storage', {});
  const deployment = new sfn.StateMachine(stack, 'Rollout', {
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Done')),
  });
  Validations.of(deployment).acknowledge(
    { id: 'AwsSolutions-SF1', reason: 'test stand-in for the deployment state machine' },
    { id: 'AwsSolutions-SF2', reason: 'test stand-in for the deployment state machine' },
  );
  const pipeline = new RetrainingPipeline(stack, 'Pipeline', {
    envName: 'test',
    storage: {
      ...storage,
      pipelineTable: storage.tables[PIPELINE_TABLE.id],
      featureRegistryTable: storage.tables[FEATURE_REGISTRY_TABLE.id],
      // A compliant bucket of the stack stands in for the feature store's offline bucket.
      ...(options.offlineBucket === false ? {} : { featureOfflineBucket: storage.artifactsBucket }),
    },
    eventBus: new events.EventBus(stack, 'Bus'),
    deploymentStateMachine: deployment,
    deploymentTargets: new DeploymentTargetParameters(stack, 'Targets', {
      parameterPath: '/cdk-mlops/test/deployment-targets',
      targets: {},
    }),
    configs: RetrainingConfigs.parse(options.configs),
    governance: GovernancePolicy.parse({}),
  });
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { pipeline, template: Template.fromStack(stack) };
}

/** Statements of the check function's role. */
function checkStatements(template: Template): Array<Record<string, unknown>> {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^PipelineDataVolumeCheckRole') }] },
  });
  return Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe('data-volume checks', () => {
  const { template, pipeline } = pipelineStack({ configs: [...WATCHED, ...UNWATCHED] });

  it('schedules one check per watched model, every 15 minutes unless configured', () => {
    // Prepare
    const rules = template.findResources('AWS::Events::Rule', {
      Properties: {
        Targets: [{ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PipelineDataVolumeCheck'), 'Arn'] } }],
      },
    });

    // Assess
    expect(pipeline.dataVolumeCheck).toBeDefined();
    expect(
      Object.values(rules)
        .map((r) => [r.Properties.ScheduleExpression, r.Properties.Targets[0].Input])
        .sort(),
    ).toEqual([
      ['rate(1 hour)', JSON.stringify({ modelName: 'fraud' })],
      ['rate(15 minutes)', JSON.stringify({ modelName: 'churn' })],
    ]);
  });

  it('lists only the watched views manifests and never reads an object', () => {
    // Act
    const statements = checkStatements(template);
    const list = statements.filter((s) => [s.Action].flat().includes('s3:ListBucket'));

    // Assess
    expect(list).toEqual([
      expect.objectContaining({
        Action: 's3:ListBucket',
        Condition: {
          StringLike: {
            's3:prefix': ['features/manifest/churn_features/*', 'features/manifest/fraud_features/*'],
          },
        },
      }),
    ]);
    expect(JSON.stringify(statements)).not.toMatch(/s3:GetObject|s3:PutObject/);
  });

  it('touches only the watched models partitions of the pipeline table, without deleting', () => {
    // Act
    const [table] = checkStatements(template).filter((s) => [s.Action].flat().includes('dynamodb:Query'));

    // Assess
    expect(table).toMatchObject({
      Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^StoragePipeline/), 'Arn'] },
      Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['MODEL#churn', 'MODEL#fraud'] } },
    });
  });

  it('puts events only on the platform bus', () => {
    // Act
    const [put] = checkStatements(template).filter((s) => [s.Action].flat().includes('events:PutEvents'));

    // Assess
    expect(put.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Bus/), 'Arn'] });
  });

  it('creates no check function when no model has one', () => {
    // Act
    const { pipeline: none } = pipelineStack({ configs: UNWATCHED });

    // Assess
    expect(none.dataVolumeCheck).toBeUndefined();
  });

  it('fails a threshold without a feature view to count', () => {
    // Act / Assess
    expect(() =>
      pipelineStack({ configs: [{ modelName: 'churn', newRowsThreshold: 5, trainingData: data() }] }),
    ).toThrow('newRowsThreshold of churn needs trainingData.featureView');
  });

  it('fails a check without the offline bucket', () => {
    // Act / Assess
    expect(() => pipelineStack({ configs: WATCHED, offlineBucket: false })).toThrow(
      'the data-volume checks of churn, fraud need storage.featureOfflineBucket',
    );
  });

  it('is cdk-nag clean', () => {
    // Act / Assess: a finding fails synthesis.
    expect(() => pipelineStack({ configs: WATCHED, nag: true })).not.toThrow();
  });
});
