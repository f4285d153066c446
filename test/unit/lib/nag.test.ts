import { App, NestedStack, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { acknowledge, acknowledgeFindings } from '../../../lib/shared/nag';

const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] };
const XRAY = 'X-Ray has no resource-level permissions.';

/**
 * A role in a nested stack reading objects of a bucket in a sibling nested stack: the wildcard
 * finding names the parameter the reference became, not the bucket's logical id.
 */
function appWithCrossStackWildcard(ack: (role: iam.Role, bucket: s3.IBucket) => void): App {
  const app = new App({ context: SKIP_BUNDLING });
  const parent = new Stack(app, 'Parent');
  const bucket = new s3.Bucket(new NestedStack(parent, 'Data'), 'Bucket', {
    enforceSSL: true,
    serverAccessLogsPrefix: 'logs/',
  });
  acknowledge(bucket, 'AwsSolutions-S1', 'test: the bucket logs to itself');
  const role = new iam.Role(new NestedStack(parent, 'Compute'), 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  role.addToPolicy(
    new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('in/*')] }),
  );
  role.addToPolicy(new iam.PolicyStatement({ actions: ['xray:PutTraceSegments'], resources: ['*'] }));
  ack(role, bucket);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

describe('acknowledge', () => {
  it('covers a resource finding on an ARN of a sibling nested stack', () => {
    // Prepare
    const app = appWithCrossStackWildcard((role, bucket) =>
      acknowledgeFindings(role, 'AwsSolutions-IAM5', [
        [{ arn: bucket.arnForObjects('in/*') }, 'test: objects are keyed per run'],
        ['Resource::*', XRAY],
      ]),
    );
    // Act & Assess
    expect(() => app.synth()).not.toThrow();
  });

  it('fails synthesis for a nested stack finding left unacknowledged', () => {
    // Prepare: only the X-Ray finding acknowledged
    const app = appWithCrossStackWildcard((role) =>
      acknowledge(role, 'AwsSolutions-IAM5', XRAY, 'Resource::*'),
    );
    // Act & Assess: cdk-nag walks nested stacks too, and the bucket wildcard stops synth
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5\[Resource::<referenceto.*Arn>\/in\/\*\]/);
  });

  it('fails synthesis when a literal finding does not match', () => {
    // Prepare
    const app = appWithCrossStackWildcard((role) =>
      acknowledgeFindings(role, 'AwsSolutions-IAM5', [
        [{ arn: 'arn:aws:s3:::other/*' }, 'test: another bucket'],
        ['Resource::*', XRAY],
      ]),
    );
    // Act & Assess
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5/);
  });
});
