import { RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  AUDIT_TABLE,
  EXPERIMENTS_TABLE,
  IDEMPOTENCY_TABLE,
  REGISTRY_TABLE,
  TABLES,
} from '../../contracts/tables';
import type { PlatformStack } from '../../lib/platform-stack';
import { PlatformStorage } from '../../lib/storage/platform-storage';
import {
  assertBucketProtected,
  assertTablesProtected,
  logicalId,
  PROD_LIKE_CONTEXT,
  SKIP_BUNDLING,
  synthPlatform,
  throwawayStack,
} from './helpers';

let stack: PlatformStack;
let template: Template;
let keyId: string;

beforeAll(() => {
  ({ stack, template } = synthPlatform({ ...PROD_LIKE_CONTEXT, ...SKIP_BUNDLING }));
  keyId = logicalId(stack.storage.key);
});

describe('key', () => {
  it('is one customer-managed key for the data, with rotation and an alias', () => {
    // The other key is the alert topics': CloudWatch may use it to publish alarms, and so must
    // not be able to use the one that encrypts the platform's data.
    template.resourceCountIs('AWS::KMS::Key', 2);
    template.allResourcesProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/cdk-mlops/Mlops-prod',
      TargetKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
  });
});

describe('tables', () => {
  it('creates one table per declaration, each on-demand, KMS-encrypted with the key and with PITR', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', TABLES.length);
    assertTablesProtected(template, keyId);
    expect(Object.keys(stack.storage.tables).sort()).toEqual(TABLES.map((t) => t.id).sort());
  });

  it('fails the protection check for a table with the default encryption and no PITR', () => {
    const bad = throwawayStack();
    new dynamodb.Table(bad, 'Plain', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    expect(() => assertTablesProtected(Template.fromStack(bad), 'AnyKey')).toThrow();
  });

  it('follows the declarations: keys, GSI, outbox stream, TTL', () => {
    const table = (id: string) =>
      template.findResources('AWS::DynamoDB::Table')[logicalId(stack.storage.tables[id])];
    expect(table(REGISTRY_TABLE.id).Properties).toEqual(
      expect.objectContaining({
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [expect.objectContaining({ IndexName: 'byKind' })],
      }),
    );
    expect(table(REGISTRY_TABLE.id).Properties.StreamSpecification).toBeUndefined();
    expect(table(AUDIT_TABLE.id).Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    expect(table(IDEMPOTENCY_TABLE.id).Properties.TimeToLiveSpecification).toEqual({
      AttributeName: 'expiration',
      Enabled: true,
    });
    // Exposures of predictions waiting for their ground truth expire.
    expect(table(EXPERIMENTS_TABLE.id).Properties.TimeToLiveSpecification).toEqual({
      AttributeName: 'expiresAt',
      Enabled: true,
    });
  });

  it('retains tables and turns on deletion protection under removalPolicy retain', () => {
    template.allResources('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });
});

describe('artifacts bucket', () => {
  it('is versioned, encrypted with the key (bucket key on), private and TLS-only', () => {
    assertBucketProtected(template, logicalId(stack.storage.artifactsBucket), keyId);
  });

  it('fails the protection check for a bucket with default settings', () => {
    const bad = throwawayStack();
    const bucket = new s3.Bucket(bad, 'Plain');
    expect(() => assertBucketProtected(Template.fromStack(bad), logicalId(bucket), 'AnyKey')).toThrow();
  });

  it('disables ACLs and logs server access to the access-logs bucket', () => {
    const accessLogsId = logicalId(stack.storage.accessLogsBucket);
    template.hasResourceProperties('AWS::S3::Bucket', {
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: accessLogsId },
        LogFilePrefix: 'artifacts-bucket/',
      },
    });
  });
});

describe('access-logs bucket', () => {
  it('is SSE-S3 (log delivery cannot use KMS), private, ACL-free and expires logs', () => {
    const accessLogs = template.findResources('AWS::S3::Bucket')[logicalId(stack.storage.accessLogsBucket)];
    expect(accessLogs.Properties).toEqual(
      expect.objectContaining({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: 365 })] },
        PublicAccessBlockConfiguration: expect.objectContaining({ BlockPublicPolicy: true }),
      }),
    );
  });

  it('accepts logs from the artifacts bucket through its policy, not an ACL', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(stack.storage.accessLogsBucket) },
      PolicyDocument: {
        // arrayWith keeps order: the TLS deny comes first.
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
            Condition: Match.objectLike({
              ArnLike: {
                'aws:SourceArn': { 'Fn::GetAtt': [logicalId(stack.storage.artifactsBucket), 'Arn'] },
              },
            }),
          }),
        ]),
      },
    });
  });
});

describe('props', () => {
  it('fails for removalPolicy SNAPSHOT, which none of its resources supports', () => {
    expect(
      () => new PlatformStorage(throwawayStack(), 'Storage', { removalPolicy: RemovalPolicy.SNAPSHOT }),
    ).toThrow('removalPolicy must be DESTROY or RETAIN, got SNAPSHOT');
  });

  it('empties buckets and drops deletion protection under DESTROY', () => {
    const dev = throwawayStack();
    new PlatformStorage(dev, 'Storage', { removalPolicy: RemovalPolicy.DESTROY });
    const devTemplate = Template.fromStack(dev);
    devTemplate.resourceCountIs('Custom::S3AutoDeleteObjects', 2);
    devTemplate.allResourcesProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
  });
});
