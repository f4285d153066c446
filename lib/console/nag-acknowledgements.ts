/**
 * The console's cdk-nag acknowledgements, each on the one construct it is about and each with
 * its reason, so a finding anywhere else in the console still fails synthesis. The invoke roles'
 * acknowledgements sit with the roles (`ConsoleAuth`).
 * @see https://github.com/cdklabs/cdk-nag/blob/main/RULES.md
 */
import { Aws, DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { acknowledge, acknowledgeFindings } from '../shared/nag';

/** What the acknowledgements name. */
export interface ConsoleNagScope {
  readonly distribution: cloudfront.Distribution;
  readonly deployment: s3deploy.BucketDeployment;
  readonly consoleBucket: s3.IBucket;
  /** A custom domain with its own certificate: CFR4 then holds (TLS 1.2 floor). */
  readonly customDomain: boolean;
  /** A web ACL in front: CFR2 then holds. */
  readonly webAcl: boolean;
}

const CDK_DEPLOYMENT =
  "CDK's BucketDeployment grant: read the staged asset zip, replace the console bucket's objects.";

export function acknowledgeConsoleFindings(p: ConsoleNagScope): void {
  acknowledge(
    p.distribution,
    'AwsSolutions-CFR1',
    'Operators sign in from wherever they work; every page needs a Cognito sign-in with MFA, and the data is behind the IAM-authenticated API.',
  );
  if (!p.webAcl) {
    acknowledge(
      p.distribution,
      'AwsSolutions-CFR2',
      'No web ACL configured (mlops:console.webAclArn): a CloudFront web ACL must live in us-east-1 and costs per month; the distribution serves static files only, and the API it calls has its own throttling and per-caller limits.',
    );
  }
  if (!p.customDomain) {
    acknowledge(
      p.distribution,
      'AwsSolutions-CFR4',
      'The console is served on its cloudfront.net name, whose certificate CloudFront owns; raising the TLS floor needs a custom domain with an ACM certificate in us-east-1 (mlops:console.customDomain).',
    );
  }

  // The deployment's function is a singleton at the stack's root, not below the deployment; its
  // grants are on the role given to it.
  const handler = Stack.of(p.deployment)
    .node.findAll()
    .find((c): c is lambda.Function => c instanceof lambda.Function && c.role === p.deployment.handlerRole);
  if (!handler) throw new Error('BucketDeployment has no handler function in its stack');
  acknowledge(
    handler,
    'AwsSolutions-L1',
    "CDK's BucketDeployment function; aws-cdk-lib picks its Python runtime and moves it with releases.",
  );
  acknowledgeFindings(p.deployment.handlerRole, 'AwsSolutions-IAM5', [
    ['Action::s3:GetObject*', CDK_DEPLOYMENT],
    ['Action::s3:GetBucket*', CDK_DEPLOYMENT],
    ['Action::s3:List*', CDK_DEPLOYMENT],
    ['Action::s3:Abort*', CDK_DEPLOYMENT],
    ['Action::s3:DeleteObject*', CDK_DEPLOYMENT],
    [{ arn: p.consoleBucket.arnForObjects('*') }, CDK_DEPLOYMENT],
    [
      { arn: stagedAssetsArn(Stack.of(p.deployment)) },
      'The CDK bootstrap assets bucket, where the console zip is staged under a content hash.',
    ],
  ]);
}

/**
 * The objects of the bootstrap bucket the deployment reads its zip from, as the default
 * synthesizer names it (account and Region literal when the stack has them).
 * @see https://docs.aws.amazon.com/cdk/v2/guide/bootstrapping-env.html
 */
function stagedAssetsArn(stack: Stack): string {
  const qualifier = stack.synthesizer.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  return `arn:${Aws.PARTITION}:s3:::cdk-${qualifier}-assets-${stack.account}-${stack.region}/*`;
}
