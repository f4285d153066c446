/**
 * The predictions function on its own stack with cdk-nag: InvokeEndpoint and DescribeEndpoint on
 * the platform's endpoints only, feature-store reads only when given its tables. Bundling is
 * skipped: the handler is tested elsewhere.
 */
import { App, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks } from 'cdk-nag';
import { featureKeys } from '../../contracts/tables';
import { Predictions } from '../../lib/predictions/predictions';
import { SKIP_BUNDLING } from './helpers';

function predictionsStack(withFeatures: boolean, withExperiments = false) {
  const app = new App({ context: SKIP_BUNDLING });
  const stack = new Stack(app, 'PredictionsTest', { env: { account: '111122223333', region: 'eu-west-1' } });
  const encryptionKey = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const table = (id: string) =>
    new dynamodb.TableV2(stack, id, {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
  new Predictions(stack, 'Predictions', {
    envName: 'dev',
    encryptionKey,
    removalPolicy: RemovalPolicy.DESTROY,
    ...(withFeatures
      ? { featureStore: { onlineTable: table('Online'), registryTable: table('Views') } }
      : {}),
    ...(withExperiments ? { experimentsTable: table('Experiments') } : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return Template.fromStack(stack);
}

describe('Predictions', () => {
  it("may invoke only its environment's endpoints, with no SageMaker control-plane action", () => {
    // Act
    const template = predictionsStack(false);

    // Assess
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: 'sagemaker:InvokeEndpoint',
            Resource: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':sagemaker:',
                  { Ref: 'AWS::Region' },
                  ':',
                  { Ref: 'AWS::AccountId' },
                  ':endpoint/mlops-dev-*',
                ],
              ],
            },
          },
        ]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Environment: { Variables: Match.objectLike({ MLOPS_ENV_NAME: 'dev' }) },
    });
    const actions = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(actions).not.toMatch(/sagemaker:(Describe|List|Update)/);
  });

  it('reads the online store only when given it', () => {
    // Act
    const without = predictionsStack(false);
    const withStore = predictionsStack(true);

    // Assess
    const dynamoActions = (t: Template) =>
      JSON.stringify(t.findResources('AWS::IAM::Policy')).match(/dynamodb:BatchGetItem/g)?.length ?? 0;
    expect(dynamoActions(without)).toBe(0);
    expect(dynamoActions(withStore)).toBe(1);
    // Reads only: no Scan, Query, or write on either table, and no index; the one write is the
    // capture key's put, held to its partition key.
    const statements = Object.values(withStore.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement,
    );
    const put = statements.filter((st) => [st.Action].flat().includes('dynamodb:PutItem'));
    expect(put).toEqual([
      expect.objectContaining({
        Sid: 'CreateCaptureKey',
        Condition: {
          'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [featureKeys.captureKey.pk] },
        },
      }),
    ]);
    const policies = JSON.stringify(statements.filter((st) => st.Sid !== 'CreateCaptureKey'));
    expect(policies).not.toMatch(/dynamodb:(Scan|Query|PutItem|UpdateItem|DeleteItem|BatchWriteItem)/);
    expect(policies).not.toContain('/index/');
    withStore.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          ONLINE_STORE_TABLE_NAME: Match.anyValue(),
          FEATURE_REGISTRY_TABLE_NAME: Match.anyValue(),
        }),
      },
    });
  });

  it('records exposures (PutItem on the experiments table, nothing else) only when given the table', () => {
    // Act
    const without = predictionsStack(false);
    const withTable = predictionsStack(false, true);

    // Assess
    const policies = (t: Template) => JSON.stringify(t.findResources('AWS::IAM::Policy'));
    expect(policies(without)).not.toContain('RecordExposures');
    withTable.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'RecordExposures',
            Effect: 'Allow',
            Action: ['dynamodb:PutItem', 'dynamodb:ConditionCheckItem'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Experiments'), 'Arn'] },
          },
        ]),
      },
    });
    withTable.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ EXPERIMENTS_TABLE_NAME: Match.anyValue() }) },
    });
  });
});
