/**
 * The feature store construct in the platform stack: offline bucket, Glue database and encrypted
 * Athena workgroup, a schedule and a freshness alarm per declared view, the custom resource that
 * declares views, least-privilege grants, and cdk-nag with views declared. A good and a bad case
 * per check, as cdk-nag tests its rules.
 */
import { App, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as events from 'aws-cdk-lib/aws-events';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parsePlatformConfig } from '../../contracts/config';
import { DeclaredFeatureViews } from '../../contracts/features';
import { FEATURE_REGISTRY_TABLE, ONLINE_STORE_TABLE } from '../../contracts/tables';
import { FeatureStore } from '../../lib/features/feature-store';
import { PlatformStorage } from '../../lib/storage/platform-storage';
import { cdkJsonContext, logicalId, SKIP_BUNDLING, throwawayStack } from './helpers';

const VIEWS = [
  {
    name: 'driver_stats',
    entities: [{ name: 'driver_id', valueType: 'int64' }],
    features: [{ name: 'conv_rate', dtype: 'float64' }],
    expectedIntervalSeconds: 3600,
    materializeEveryMinutes: 30,
  },
  {
    name: 'zones',
    entities: [{ name: 'zone', valueType: 'string' }],
    features: [{ name: 'demand', dtype: 'int64' }],
  },
];

let stack: { storage: PlatformStorage; features: FeatureStore };
let template: Template;

beforeAll(() => {
  // Storage and the feature store alone, with cdk-nag: Template.fromStack throws on any
  // unacknowledged finding. (The whole app is nag-checked in cdk-nag.test.ts.)
  const app = new App({ context: SKIP_BUNDLING });
  const s = new Stack(app, 'Features');
  const storage = new PlatformStorage(s, 'Storage', { removalPolicy: RemovalPolicy.DESTROY });
  const features = new FeatureStore(s, 'Features', {
    storage: {
      ...storage,
      featureRegistryTable: storage.tables[FEATURE_REGISTRY_TABLE.id],
      onlineStoreTable: storage.tables[ONLINE_STORE_TABLE.id],
    },
    featureViews: DeclaredFeatureViews.parse(VIEWS),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  stack = { storage, features };
  template = Template.fromStack(s);
});

/** Fails unless some workgroup enforces its config and encrypts results with KMS. */
function assertWorkGroupEncrypted(t: Template): void {
  t.hasResourceProperties('AWS::Athena::WorkGroup', {
    WorkGroupConfiguration: {
      EnforceWorkGroupConfiguration: true,
      ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_KMS' } },
    },
  });
}

/** Fails unless a rule invokes the materializer for `view` on a rate schedule. */
function assertMaterializeSchedule(t: Template, view: string, rate: string): void {
  t.hasResourceProperties('AWS::Events::Rule', {
    ScheduleExpression: rate,
    Targets: [{ Input: JSON.stringify({ featureView: view }) }],
  });
}

const statementsOf = (
  fn: lambda.Function,
): Array<{ Action: string | string[]; Resource: unknown; Sid?: string }> => {
  const policy = fn.role?.node.findChild('DefaultPolicy') as iam.Policy;
  return template.findResources('AWS::IAM::Policy')[logicalId(policy)].Properties.PolicyDocument.Statement;
};
const actionsOf = (fn: lambda.Function) => statementsOf(fn).flatMap((s) => [s.Action].flat());

describe('FeatureStore', () => {
  it('passes cdk-nag with views declared (custom resource, schedules, alarms included)', () => {
    expect(template.resourceCountIs('AWS::Athena::WorkGroup', 1)).toBeUndefined();
  });

  it('encrypts Athena results with the platform key and enforces the workgroup config', () => {
    assertWorkGroupEncrypted(template);
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: {
        ResultConfiguration: {
          EncryptionConfiguration: { KmsKey: { 'Fn::GetAtt': [logicalId(stack.storage.key), 'Arn'] } },
        },
      },
    });
  });

  it('fails the workgroup check for a workgroup without encryption', () => {
    const bad = throwawayStack();
    new athena.CfnWorkGroup(bad, 'Plain', {
      name: 'plain',
      workGroupConfiguration: { enforceWorkGroupConfiguration: true },
    });
    expect(() => assertWorkGroupEncrypted(Template.fromStack(bad))).toThrow();
  });

  it('keeps the offline bucket KMS-encrypted with the platform key, private and logged', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [logicalId(stack.storage.key), 'Arn'] },
            },
          },
        ],
      },
      LoggingConfiguration: { LogFilePrefix: 'features-bucket/' },
    });
  });

  it('schedules materialization per declared view, from its config', () => {
    assertMaterializeSchedule(template, 'driver_stats', 'rate(30 minutes)');
    expect(Object.keys(stack.features.schedules)).toEqual(['driver_stats']);
  });

  it('fails the schedule check for a view that declared no schedule', () => {
    expect(() => assertMaterializeSchedule(template, 'zones', 'rate(30 minutes)')).toThrow();
    const bad = throwawayStack();
    new events.Rule(bad, 'Other', { schedule: events.Schedule.rate(Duration.hours(1)) });
    expect(() =>
      assertMaterializeSchedule(Template.fromStack(bad), 'driver_stats', 'rate(30 minutes)'),
    ).toThrow();
  });

  it('alarms when the newest row is older than the view expects; missing data counts as stale', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'cdk-mlops/FeatureStore',
      MetricName: 'FeatureFreshnessSeconds',
      Dimensions: [{ Name: 'FeatureView', Value: 'driver_stats' }],
      Threshold: 3600,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'breaching',
    });
    expect(Object.keys(stack.features.freshnessAlarms)).toEqual(['driver_stats']);
  });

  it('declares the views with a custom resource backed by the feature code', () => {
    template.hasResourceProperties('AWS::CloudFormation::CustomResource', {
      views: JSON.stringify(buildViews()),
    });
  });

  it('gives Athena and Glue rights to the worker only, scoped to its workgroup and database', () => {
    expect(actionsOf(stack.features.handler).filter((a) => /^(athena|glue):/.test(a))).toEqual([]);
    const run = statementsOf(stack.features.trainingSetWorker).find((s) => s.Sid === 'RunQueries')!;
    expect(run.Resource).toEqual(expect.objectContaining({ 'Fn::Join': expect.anything() }));
    expect(JSON.stringify(run.Resource)).toContain('workgroup/');
  });

  it('lets the API append to the audit trail but never change it, and invoke the worker', () => {
    const audit = statementsOf(stack.features.handler).find((s) => s.Sid === 'AppendAudit')!;
    expect(audit.Action).toBe('dynamodb:PutItem');
    expect(actionsOf(stack.features.handler)).toContain('lambda:InvokeFunction');
    expect(actionsOf(stack.features.materializer)).not.toContain('lambda:InvokeFunction');
  });

  it('reads declared views from the config, and fails naming the field for a bad one', () => {
    const good = parsePlatformConfig(cdkJsonContext({ 'mlops:featureViews': JSON.stringify(VIEWS) }));
    expect(good.featureViews.map((v) => v.name)).toEqual(['driver_stats', 'zones']);
    const bad = [{ ...VIEWS[0], features: [{ name: 'Conv Rate', dtype: 'float64' }] }];
    expect(() => parsePlatformConfig(cdkJsonContext({ 'mlops:featureViews': JSON.stringify(bad) }))).toThrow(
      /mlops:featureViews\.0\.features\.0\.name/,
    );
  });

  it('fails construction for a bad declared view given directly', () => {
    const s = throwawayStack();
    const storage = new PlatformStorage(s, 'Storage');
    const props = {
      ...storage,
      featureRegistryTable: storage.registryTable,
      onlineStoreTable: storage.registryTable,
    };
    const bad = [{ ...VIEWS[0], ttlSeconds: -1 }] as never;
    expect(() => new FeatureStore(s, 'F', { storage: props, featureViews: bad })).toThrow(
      /featureViews\.0\.ttlSeconds/,
    );
  });
});

/** The declared views as the config parser defaults them. */
const buildViews = () => DeclaredFeatureViews.parse(VIEWS);
