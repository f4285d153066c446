/**
 * The SageMaker Triton inference image for the stack's Region, from a CloudFormation mapping of
 * the Deep Learning Containers registry accounts, so one template deploys to any listed Region.
 */
import { Aws, CfnMapping, Fn, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { TRITON_REGISTRY_ACCOUNTS, TRITON_REPOSITORY } from './defaults';

const MAPPING_ID = 'TritonImageRegistry';

/** The stack's one mapping (Region -> account), created on first use. */
function registryMapping(scope: Construct): CfnMapping {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(MAPPING_ID);
  if (existing) return existing as CfnMapping;
  const mapping: Record<string, Record<string, string>> = {};
  for (const [region, account] of Object.entries(TRITON_REGISTRY_ACCOUNTS)) mapping[region] = { account };
  return new CfnMapping(stack, MAPPING_ID, { mapping });
}

/** The registry account holding the image in the stack's Region (a token unless the Region is known). */
export function tritonRegistryAccount(scope: Construct): string {
  return registryMapping(scope).findInMap(Stack.of(scope).region, 'account');
}

/** `<account>.dkr.ecr.<region>.<url suffix>/sagemaker-tritonserver:<version>-py3`. */
export function tritonImageUri(scope: Construct, version: string): string {
  return Fn.join('', [
    tritonRegistryAccount(scope),
    '.dkr.ecr.',
    Aws.REGION,
    '.',
    Aws.URL_SUFFIX,
    `/${TRITON_REPOSITORY}:${version}-py3`,
  ]);
}

/** The ECR repository ARN of the image, for pull permissions. */
export function tritonRepositoryArn(scope: Construct): string {
  return Fn.join('', [
    'arn:',
    Aws.PARTITION,
    ':ecr:',
    Aws.REGION,
    ':',
    tritonRegistryAccount(scope),
    `:repository/${TRITON_REPOSITORY}`,
  ]);
}
