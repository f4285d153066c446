import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { ENV } from '../../contracts/env';
import type { PlatformStack } from '../../lib/platform-stack';
import { ModelRegistry } from '../../lib/registry/model-registry';
import { PlatformStorage } from '../../lib/storage/platform-storage';
import {
  assertFunctionsOnTarget,
  assertOutboxMappingResilient,
  inlineFunction,
  logicalId,
  PROD_LIKE_CONTEXT,
  SKIP_BUNDLING,
  synthPlatform,
  throwawayStack,
  wildcardActions,
} from './helpers';

let stack: PlatformStack;
let template: Template;

beforeAll(() => {
  // Without bundling, which only places each function's code: test/infra/handler-bundles.test.ts
  // builds real bundles (minified, source maps, the SDK inside, imported by a fresh Node), and
  // `cdk synth` in npm test bundles every handler of the app.
  ({ stack, template } = synthPlatform({ ...PROD_LIKE_CONTEXT, ...SKIP_BUNDLING }));
});

/** The statements of the default policy of `fn`'s role. */
const statementsOf = (fn: lambda.Function): Array<Record<string, unknown>> => {
  const policy = fn.role?.node.findChild('DefaultPolicy') as iam.Policy;
  return template.findResources('AWS::IAM::Policy')[logicalId(policy)].Properties.PolicyDocument.Statement;
};

describe('IAM', () => {
  it('has no statement allowing * or a whole service', () => {
    expect(wildcardActions(template)).toEqual([]);
  });

  it('fails the wildcard check for a policy with s3:*', () => {
    const bad = throwawayStack();
    const role = new iam.Role(bad, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*', 'dynamodb:GetItem'], resources: ['*'] }));
    expect(wildcardActions(Template.fromStack(bad))).toEqual([expect.stringMatching(/: s3:\*$/)]);
  });

  it('attaches no managed policies (no AWSLambdaBasicExecutionRole)', () => {
    template.allResourcesProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });

  it('lets the registry touch artifact objects under artifacts/ only, and create but never overwrite', () => {
    const s3Statements = statementsOf(stack.registry.handler).filter((s) =>
      [s.Action].flat().some((a) => String(a).startsWith('s3:')),
    );
    const bucketArn = { 'Fn::GetAtt': [logicalId(stack.storage.artifactsBucket), 'Arn'] };
    const objects = { 'Fn::Join': ['', [bucketArn, '/artifacts/*']] };
    expect(s3Statements).toEqual([
      expect.objectContaining({ Action: 's3:GetObject', Resource: objects }),
      expect.objectContaining({
        Action: 's3:PutObject',
        Resource: objects,
        Condition: { Null: { 's3:if-none-match': 'false' } },
      }),
      expect.objectContaining({ Action: 's3:ListBucket', Resource: bucketArn }),
    ]);
  });

  it('lets only the publisher put events, on the platform bus only', () => {
    const putEvents = (fn: lambda.Function) =>
      statementsOf(fn).filter((s) => [s.Action].flat().includes('events:PutEvents'));
    expect(putEvents(stack.registry.publisher)).toEqual([
      expect.objectContaining({
        Resource: { 'Fn::GetAtt': [logicalId(stack.registry.eventBus), 'Arn'] },
      }),
    ]);
    expect(putEvents(stack.registry.handler)).toEqual([]);
  });
});

describe('functions', () => {
  it("all run on arm64, and nodejs22.x but for CDK's BucketDeployment function (Python)", () => {
    // Every function of the platform, not only the registry's two; the web console's files are
    // deployed by CDK's own function, whose runtime aws-cdk-lib picks.
    expect(Object.keys(template.findResources('AWS::Lambda::Function')).length).toBeGreaterThanOrEqual(2);
    assertFunctionsOnTarget(template);
  });

  it('fails the runtime check for a nodejs24.x x86_64 function', () => {
    const bad = throwawayStack();
    inlineFunction(bad, 'Other', {
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.X86_64,
    });
    expect(() => assertFunctionsOnTarget(Template.fromStack(bad))).toThrow();
  });

  it('configures the registry function from contracts/env.ts names', () => {
    const ref = (c: Parameters<typeof logicalId>[0]) => ({ Ref: logicalId(c) });
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 512,
      Timeout: 30,
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: {
          [ENV.registryTable]: ref(stack.storage.registryTable),
          [ENV.auditTable]: ref(stack.storage.auditTable),
          [ENV.idempotencyTable]: ref(stack.storage.idempotencyTable),
          [ENV.artifactsBucket]: ref(stack.storage.artifactsBucket),
          [ENV.eventBusName]: Match.anyValue(),
          [ENV.governancePolicy]: JSON.stringify(stack.node.tryGetContext('mlops:governance')),
          [ENV.uploadUrlTtlSeconds]: '900',
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
    });
  });
});

describe('outbox', () => {
  it('consumes the audit stream in bisected, retried batches and parks failures in the DLQ', () => {
    assertOutboxMappingResilient(template);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId(stack.storage.auditTable), 'StreamArn'] },
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(stack.registry.deadLetterQueue), 'Arn'] } },
      },
    });
  });

  it('fails the resilience check for a mapping with no failure destination', () => {
    const bad = throwawayStack();
    const table = new dynamodb.Table(bad, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      stream: dynamodb.StreamViewType.NEW_IMAGE,
    });
    inlineFunction(bad, 'Fn').addEventSource(
      new DynamoEventSource(table, { startingPosition: lambda.StartingPosition.TRIM_HORIZON }),
    );
    expect(() => assertOutboxMappingResilient(Template.fromStack(bad))).toThrow();
  });

  it('encrypts the dead-letter queue with the platform key and refuses plain HTTP', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [logicalId(stack.storage.key), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('props', () => {
  const registryIn = (props: Partial<ConstructorParameters<typeof ModelRegistry>[2]>) => {
    const scope = throwawayStack();
    const storage = new PlatformStorage(scope, 'Storage');
    return () =>
      new ModelRegistry(scope, 'Registry', {
        storage,
        governance: {
          metricFloors: {},
          requireModelCard: true,
          requireSecurityScan: true,
          requireLoadTest: true,
        },
        ...props,
      });
  };

  it('fails for an upload URL TTL beyond a role session, naming the prop', () => {
    expect(registryIn({ uploadUrlTtl: Duration.hours(24) })).toThrow(
      'uploadUrlTtl must be 60..43200 seconds, got 86400',
    );
  });

  it('fails for an archive asked of a bus it did not create', () => {
    const eventBus = events.EventBus.fromEventBusName(throwawayStack(), 'Bus', 'shared');
    expect(registryIn({ eventBus, eventArchiveRetention: Duration.days(30) })).toThrow(
      'eventArchiveRetention applies only to a bus this construct creates',
    );
  });

  it('fails for a governance policy that does not parse, naming the field', () => {
    const governance = { metricFloors: {}, maxDemographicParityDifference: 2 } as never;
    expect(registryIn({ governance })).toThrow(/governance\.maxDemographicParityDifference/);
  });
});

describe('outputs', () => {
  it.each(['ApiUrl', 'ArtifactsBucketName', 'EventBusName', 'RegistryTableName'])('exports %s', (name) => {
    template.hasOutput(name, { Value: Match.anyValue() });
  });
});

describe('audit trail access', () => {
  it('lets the registry function only append to and read the audit table', () => {
    // Prepare
    const auditTableId = logicalId(stack.storage.auditTable);
    // Act
    const actions = statementsOf(stack.registry.handler)
      .filter((st) => JSON.stringify(st.Resource).includes(auditTableId))
      .flatMap((st) => ([] as string[]).concat(st.Action as string | string[]));
    // Assess
    expect(actions.sort()).toEqual(['dynamodb:PutItem', 'dynamodb:Query']);
  });
});
