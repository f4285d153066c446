/**
 * The feature stream in the feature store construct: an encrypted Kinesis stream, the consumer's
 * event source mapping with tumbling windows, bisection, report-batch-item-failures and an
 * on-failure queue, least-privilege reads, cdk-nag clean. A good and a bad case per check.
 */
import { App, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DeclaredFeatureViews } from '../../contracts/features';
import { FEATURE_REGISTRY_TABLE, ONLINE_STORE_TABLE } from '../../contracts/tables';
import { FeatureStore, type FeatureStoreProps } from '../../lib/features/feature-store';
import { PlatformStorage } from '../../lib/storage/platform-storage';
import { SKIP_BUNDLING } from './helpers';

const STREAM_VIEW = {
  name: 'user_txn',
  entities: [{ name: 'user_id', valueType: 'int64' }],
  features: [{ name: 'amount', dtype: 'float64' }],
  source: {
    type: 'stream',
    aggregations: [
      { function: 'count', windowSeconds: 300 },
      { function: 'sum', field: 'amount', windowSeconds: 86_400 },
    ],
  },
};

function synth(props: Partial<FeatureStoreProps>): Template {
  const app = new App({ context: SKIP_BUNDLING });
  const s = new Stack(app, 'Features');
  const storage = new PlatformStorage(s, 'Storage', { removalPolicy: RemovalPolicy.DESTROY });
  new FeatureStore(s, 'Features', {
    storage: {
      ...storage,
      featureRegistryTable: storage.tables[FEATURE_REGISTRY_TABLE.id],
      onlineStoreTable: storage.tables[ONLINE_STORE_TABLE.id],
    },
    removalPolicy: RemovalPolicy.DESTROY,
    ...props,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return Template.fromStack(s);
}

let template: Template;
beforeAll(() => {
  template = synth({ featureViews: DeclaredFeatureViews.parse([STREAM_VIEW]) });
});

describe('FeatureStore feature stream', () => {
  it('creates a KMS-encrypted stream for a declared stream view, and passes cdk-nag', () => {
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamEncryption: { EncryptionType: 'KMS', KeyId: Match.anyValue() },
    });
  });

  it('maps the stream with tumbling windows, bisection, batch item failures and a failure queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      TumblingWindowInSeconds: 60,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      StartingPosition: 'TRIM_HORIZON',
    });
  });

  it('puts a heartbeat on the stream every minute, with the stream name and only ListShards and writes on it', () => {
    const heartbeat = Object.entries(template.findResources('AWS::Lambda::Function')).find(([, r]) =>
      String(r.Properties.Description).includes('feature stream heartbeat'),
    );
    expect(heartbeat).toBeDefined();
    const [fnId, fn] = heartbeat!;
    const [streamId] = Object.keys(template.findResources('AWS::Kinesis::Stream'));
    expect(fn.Properties.Environment.Variables.FEATURE_STREAM_NAME).toEqual({ Ref: streamId });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [
        Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2 } }),
      ],
    });
    const role = fn.Properties.Role['Fn::GetAtt'][0];
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    const onStream = statements.filter((st) => JSON.stringify(st.Resource).includes(streamId));
    expect(onStream.flatMap((st) => [st.Action].flat()).sort()).toEqual([
      'kinesis:ListShards',
      'kinesis:PutRecords',
    ]);
    const onKey = statements.filter((st) => [st.Action].flat().some((a: string) => a.startsWith('kms:')));
    expect(onKey.flatMap((st) => [st.Action].flat())).toEqual(['kms:GenerateDataKey']);
    // Nothing read from the stream.
    expect(
      statements.some((st) => [st.Action].flat().some((a: string) => /GetRecords|GetShardIterator/.test(a))),
    ).toBe(false);
  });

  it("expires the stream's tile buckets with the online table's TTL on expiresAt", () => {
    const tables = template.findResources('AWS::DynamoDB::Table');
    const online = Object.entries(tables).filter(([id]) => id.includes(ONLINE_STORE_TABLE.id));
    expect(online).toHaveLength(1);
    expect(online[0][1].Properties.TimeToLiveSpecification).toEqual({
      AttributeName: 'expiresAt',
      Enabled: true,
    });
  });

  it('fails with no stream when no view is fed by it', () => {
    const t = synth({});
    t.resourceCountIs('AWS::Kinesis::Stream', 0);
    t.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
    t.resourceCountIs('AWS::Events::Rule', 0);
  });

  it('fails a tumbling window past Lambda’s 15 minutes', () => {
    expect(() => synth({ featureStream: true, streamTumblingWindow: Duration.minutes(16) })).toThrow(
      'streamTumblingWindow must be 1..900 seconds, got 960',
    );
  });
});
