import { App, CfnOutput, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { flattenTemplates, type TemplateSections } from '../../../local/flatten-template';
import { stackTemplates } from '../../../local/synthesize-template';

/**
 * Two levels: `Data` holds a bucket and, nested in it, `Queues` with a queue named after the
 * bucket; `Compute` holds a role reading the bucket. Both `Data` and `Compute` hold a `Shared`
 * topic-like queue, whose logical id is the same in each.
 */
function twoLevelApp() {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const parent = new Stack(app, 'Parent');
  const data = new NestedStack(parent, 'Data');
  const bucket = new s3.Bucket(data, 'Bucket');
  new sqs.Queue(data, 'Shared');
  const queues = new NestedStack(data, 'Queues');
  const queue = new sqs.Queue(queues, 'Jobs', { queueName: Fn.join('-', [bucket.bucketName, 'jobs']) });
  const compute = new NestedStack(parent, 'Compute');
  const role = new iam.Role(compute, 'Reader', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  bucket.grantRead(role);
  queue.grantConsumeMessages(role);
  new sqs.Queue(compute, 'Shared');
  new CfnOutput(parent, 'BucketName', { value: bucket.bucketName });
  const assembly = app.synth();
  return { parent, template: flattenTemplates(stackTemplates(assembly, parent)), ids: { data, compute } };
}

const idOf = (template: TemplateSections, prefix: string, type: string) =>
  Object.keys(template.Resources).filter(
    (id) => id.startsWith(prefix) && template.Resources[id].Type === type,
  );

describe('flattenTemplates on a synthesized two-level app', () => {
  const { template, parent, ids } = twoLevelApp();
  const bucketId = idOf(template, 'Bucket', 'AWS::S3::Bucket')[0];

  it('merges every nested stack and drops the stack resources', () => {
    // Assess
    expect(Object.values(template.Resources).map((r) => r.Type)).not.toContain('AWS::CloudFormation::Stack');
    expect(bucketId).toBeDefined();
    expect(idOf(template, 'Jobs', 'AWS::SQS::Queue')).toHaveLength(1);
    expect(idOf(template, 'Reader', 'AWS::IAM::Role')).toHaveLength(1);
  });

  it("resolves a sibling's reference to the resource itself, not a parameter", () => {
    // Assess
    const policy = Object.values(template.Resources).find((r) => r.Type === 'AWS::IAM::Policy')!;
    const text = JSON.stringify(policy.Properties);
    expect(text).toContain(JSON.stringify({ 'Fn::GetAtt': [bucketId, 'Arn'] }));
    expect(text).not.toMatch(/referenceto|Outputs\./);
  });

  it('resolves a grandchild parameter through its parent', () => {
    // Assess
    const jobs = template.Resources[idOf(template, 'Jobs', 'AWS::SQS::Queue')[0]];
    expect(jobs.Properties?.QueueName).toEqual({ 'Fn::Join': ['-', [{ Ref: bucketId }, 'jobs']] });
  });

  it('keeps unique ids and prefixes a shared one with its stack id', () => {
    // Assess
    const shared = idOf(template, 'Shared', 'AWS::SQS::Queue');
    const computeId = parent.getLogicalId(ids.compute.nestedStackResource!);
    expect(shared).toHaveLength(1);
    expect(Object.keys(template.Resources)).toContain(`${computeId}${shared[0]}`);
  });

  it("resolves the root's outputs and keeps only its parameters", () => {
    // Assess
    expect(template.Outputs?.BucketName.Value).toEqual({ Ref: bucketId });
    expect(Object.keys(template.Parameters ?? {}).filter((p) => p.startsWith('referenceto'))).toEqual([]);
  });
});

describe('flattenTemplates on written templates', () => {
  const child: TemplateSections = {
    Parameters: { BucketArn: { Type: 'String' }, Ami: { Type: 'String', Default: '/aws/ami' } },
    Resources: {
      Shared: { Type: 'AWS::SQS::Queue' },
      Fn: {
        Type: 'AWS::Lambda::Function',
        DependsOn: ['Shared'],
        Properties: {
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
          Policy: { 'Fn::Sub': 'read ${BucketArn}/* for ${Shared.Arn} in ${AWS::Region}' },
          Image: { Ref: 'Ami' },
        },
      },
    },
    Outputs: { FnArn: { Value: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
  };
  const parent: TemplateSections = {
    Resources: {
      Shared: { Type: 'AWS::SQS::Queue' },
      Child: {
        Type: 'AWS::CloudFormation::Stack',
        Properties: { Parameters: { BucketArn: { 'Fn::GetAtt': ['Bucket', 'Arn'] } } },
      },
      Bucket: { Type: 'AWS::S3::Bucket' },
      Alarm: { Type: 'X::Alarm', Properties: { Target: { 'Fn::GetAtt': ['Child', 'Outputs.FnArn'] } } },
    },
  };

  it('rewrites Fn::Sub, DependsOn and defaulted parameters', () => {
    // Act
    const flat = flattenTemplates({ template: parent, nested: { Child: { template: child, nested: {} } } });
    // Assess
    expect(flat.Resources.Fn.DependsOn).toEqual(['ChildShared']);
    expect(flat.Resources.Fn.Properties?.Policy).toEqual({
      'Fn::Sub': [
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
        'read ${BucketArn}/* for ${ChildShared.Arn} in ${AWS::Region}',
        { BucketArn: { 'Fn::GetAtt': ['Bucket', 'Arn'] } },
      ],
    });
    expect(flat.Resources.Fn.Properties?.Image).toEqual({ Ref: 'Ami' });
    expect(flat.Parameters).toEqual({ Ami: { Type: 'String', Default: '/aws/ami' } });
    expect(flat.Resources.Alarm.Properties?.Target).toEqual({ 'Fn::GetAtt': ['Fn', 'Arn'] });
  });

  it('fails for a parameter its parent passes nothing for and that has no default', () => {
    // Prepare
    const bare = {
      ...parent,
      Resources: { ...parent.Resources, Child: { Type: 'AWS::CloudFormation::Stack' } },
    };
    // Act & Assess
    expect(() =>
      flattenTemplates({ template: bare, nested: { Child: { template: child, nested: {} } } }),
    ).toThrow(/gets no value for its parameter BucketArn/);
  });
});
