/**
 * The privacy construct on its own stack with cdk-nag (every finding acknowledged with a reason):
 * the worker writes only under the offline and capture prefixes, appends audit records with
 * PutItem only, and is invoked asynchronously by the API function, which it names in its env.
 * Bundling is skipped: the handlers are tested elsewhere.
 */
import { App, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ENV } from '../../contracts/env';
import { outermostPrefixes } from '../../contracts/monitoring';
import { GovernancePolicy } from '../../contracts/registry';
import { Privacy } from '../../lib/privacy/privacy';
import { SKIP_BUNDLING } from './helpers';

let template: Template;

beforeAll(() => {
  const app = new App({ context: SKIP_BUNDLING });
  const stack = new Stack(app, 'PrivacyTest', { env: { account: '111122223333', region: 'eu-west-1' } });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const table = (id: string) =>
    new dynamodb.TableV2(stack, id, {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
  const bucket = (id: string) =>
    new s3.Bucket(stack, id, { enforceSSL: true, serverAccessLogsPrefix: 'logs/', encryptionKey: key });
  new Privacy(stack, 'Privacy', {
    storage: {
      key,
      featureRegistryTable: table('Views'),
      onlineStoreTable: table('Online'),
      featureOfflineBucket: bucket('Offline'),
      artifactsBucket: bucket('Artifacts'),
      monitoringTable: table('Monitoring'),
      experimentsTable: table('Experiments'),
      registryTable: table('Registry'),
      auditTable: table('Audit'),
      idempotencyTable: table('Idempotency'),
    },
    governance: GovernancePolicy.parse({}),
    envName: 'dev',
    monitoringCapturePrefix: 'external/capture/',
    removalPolicy: RemovalPolicy.DESTROY,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  // Throws on any cdk-nag finding left unacknowledged.
  template = Template.fromStack(stack);
});

describe('Privacy', () => {
  /** Each S3 statement: its actions and the object prefixes it names. */
  const s3Statements = () =>
    Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as Array<{ Action: string[] | string; Resource: unknown }>)
        .filter((st) => JSON.stringify(st.Action).includes('s3:'))
        .map((st) => ({
          actions: [st.Action].flat(),
          prefixes: JSON.stringify(st.Resource).match(/"\/[^"]*\*"/g) ?? [],
        })),
    );

  it("lets the worker write offline files, manifests, capture files (serving's and monitoring's prefix) and its runs' found inference ids, each under its prefix, and only read training sets", () => {
    const byPrefix = Object.fromEntries(s3Statements().map((st) => [st.prefixes.join(','), st.actions]));
    expect(Object.keys(byPrefix).sort()).toEqual([
      '"/external/capture/*"',
      '"/features/manifest/*"',
      '"/features/offline/*"',
      '"/features/training/*"',
      '"/privacy/erasure-runs/*"',
      '"/serving/data-capture/*"',
    ]);
    const writable = [
      '"/features/manifest/*"',
      '"/features/offline/*"',
      '"/serving/data-capture/*"',
      '"/privacy/erasure-runs/*"',
    ];
    for (const prefix of [...writable, '"/external/capture/*"']) {
      expect(byPrefix[prefix]).toEqual(expect.arrayContaining(['s3:PutObject', 's3:DeleteObject*']));
    }
    expect(byPrefix['"/features/training/*"']).toEqual(['s3:GetObject*', 's3:GetBucket*', 's3:List*']);
  });

  it('appends audit records with PutItem only', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AppendAudit',
            Action: 'dynamodb:PutItem',
            Resource: Match.objectLike({ 'Fn::GetAtt': [Match.stringLikeRegexp('Audit'), 'Arn'] }),
          }),
        ]),
      },
    });
  });

  it('names the worker in the API function, which may invoke it', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.privacyErasureWorkerFunction]: Match.anyValue() }) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: 'lambda:InvokeFunction' })]),
      },
    });
  });

  it('lets the worker hand over to itself, by a policy of its own (the default one would be a cycle)', () => {
    const handOver = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([, p]) =>
      JSON.stringify(p.Properties.PolicyDocument).includes('HandOverErasure'),
    );
    expect(handOver).toHaveLength(1);
    const [id, policy] = handOver[0];
    expect(id).toMatch(/ErasureWorkerHandOver/);
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Action: 'lambda:InvokeFunction',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^PrivacyErasureWorker/), 'Arn'] },
      }),
    ]);
    expect(JSON.stringify(policy.Properties.Roles)).toMatch(/PrivacyErasureWorker.*Role/);
  });

  it('gives the worker the experiments table, whose items name the erased units', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('erasure of entities'),
      Environment: { Variables: Match.objectLike({ [ENV.experimentsTable]: Match.anyValue() }) },
    });
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Array<{ Action: unknown; Resource: unknown }>,
    );
    const onExperiments = statements.filter((st) => JSON.stringify(st.Resource).includes('"Experiments'));
    expect(onExperiments.flatMap((st) => [st.Action].flat())).toEqual(
      expect.arrayContaining(['dynamodb:Scan', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']),
    );
  });

  it('gives the worker every capture prefix, the one containing another once', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [ENV.privacyCapturePrefixes]: JSON.stringify(['external/capture/', 'serving/data-capture/']),
        }),
      },
    });
    expect(outermostPrefixes(['a/b/', 'a/', 'c/', 'a/'])).toEqual(['a/', 'c/']);
  });
});
