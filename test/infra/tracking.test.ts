/**
 * The tracking function on its own stack with cdk-nag: the tracking table with the calls its store
 * makes and no index or Scan, artifacts under `mlflow/` only, its environment from `ENV` names,
 * and the presigned URL lifetime checked up front. Bundling is skipped: the handler is tested
 * elsewhere.
 */
import { App, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ENV } from '../../contracts/env';
import { GovernancePolicy } from '../../contracts/registry';
import { ExperimentTracking, type ExperimentTrackingProps } from '../../lib/tracking/experiment-tracking';
import { SKIP_BUNDLING } from './helpers';

function trackingStack(
  props: Partial<ExperimentTrackingProps> = {},
  registry?: (stack: Stack) => ExperimentTrackingProps['registry'],
) {
  const app = new App({ context: SKIP_BUNDLING });
  const stack = new Stack(app, 'TrackingTest', { env: { account: '111122223333', region: 'eu-west-1' } });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const table = (id: string) =>
    new dynamodb.TableV2(stack, id, {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
  const artifactsBucket = s3.Bucket.fromBucketName(stack, 'Artifacts', 'platform-artifacts');
  new ExperimentTracking(stack, 'Tracking', {
    storage: {
      key,
      artifactsBucket,
      trackingTable: table('TrackingTable'),
      idempotencyTable: table('Idempotency'),
    },
    removalPolicy: RemovalPolicy.DESTROY,
    ...(registry ? { registry: registry(stack) } : {}),
    ...props,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, template: Template.fromStack(stack) };
}

describe('ExperimentTracking', () => {
  it('passes cdk-nag with each finding acknowledged', () => {
    // Act / Assess: a finding fails synthesis
    expect(() => trackingStack().app.synth()).not.toThrow();
  });

  it('may call only what the store uses on the tracking table, and no index', () => {
    // Act
    const { template } = trackingStack();
    // Assess
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'TrackingTable',
            Action: [
              'dynamodb:GetItem',
              'dynamodb:PutItem',
              'dynamodb:UpdateItem',
              'dynamodb:DeleteItem',
              'dynamodb:Query',
              'dynamodb:BatchWriteItem',
              'dynamodb:ConditionCheckItem',
            ],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TrackingTable'), 'Arn'] },
          }),
        ]),
      },
    });
    const onTrackingTable = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: unknown; Resource: unknown }>)
      .filter((s) => JSON.stringify(s.Resource).includes('TrackingTable'));
    expect(onTrackingTable).toHaveLength(1);
    expect(JSON.stringify(onTrackingTable)).not.toMatch(/dynamodb:Scan|\/index\//);
  });

  it('reads and writes artifacts under mlflow/ of the platform bucket only', () => {
    // Act
    const { template } = trackingStack();
    // Assess
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'RunArtifacts',
            Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
            Resource: {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::platform-artifacts/mlflow/*']],
            },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 1024,
      Environment: {
        Variables: Match.objectLike({
          [ENV.trackingTable]: Match.anyValue(),
          [ENV.idempotencyTable]: Match.anyValue(),
          [ENV.artifactsBucket]: 'platform-artifacts',
          [ENV.uploadUrlTtlSeconds]: '900',
        }),
      },
    });
  });

  it("acts on the registry's table, audit trail and artifacts/ only when given the registry", () => {
    // Prepare
    const registryAccess = (stack: Stack) => ({
      registryTable: dynamodb.Table.fromTableName(stack, 'Registry', 'registry'),
      auditTable: dynamodb.Table.fromTableName(stack, 'Audit', 'audit'),
      governance: GovernancePolicy.parse({}),
    });
    // Act
    const without = trackingStack().template;
    const withRegistry = trackingStack({}, registryAccess).template;
    // Assess
    const sids = (t: Template) =>
      Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p) =>
        (p.Properties.PolicyDocument.Statement as Array<{ Sid?: string }>).map((s) => s.Sid),
      );
    expect(sids(without)).not.toEqual(expect.arrayContaining(['RegistryTable']));
    expect(sids(withRegistry)).toEqual(
      expect.arrayContaining(['RegistryTable', 'AuditTrail', 'ModelArtifacts']),
    );
    withRegistry.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [ENV.registryTable]: 'registry',
          [ENV.auditTable]: 'audit',
          [ENV.governancePolicy]: Match.stringLikeRegexp('requireModelCard'),
        }),
      },
    });
  });

  it.each([Duration.seconds(59), Duration.hours(13)])('fails an artifact URL lifetime of %s', (ttl) => {
    expect(() => trackingStack({ artifactUrlTtl: ttl })).toThrow(/artifactUrlTtl must be 60..43200 seconds/);
  });
});
