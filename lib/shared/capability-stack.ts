/**
 * Where a capability's resources go: a nested stack of the platform stack, one per capability
 * (mirroring `lib/<capability>/`), so each template stays far below CloudFormation's 500
 * resources and 1 MB while the platform grows. References between capabilities become nested
 * stack parameters and outputs, which CDK writes; keep them few.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.NestedStack.html
 */
import { NestedStack, Stack } from 'aws-cdk-lib';
import type { Construct, IConstruct } from 'constructs';

/**
 * A capability's nested stack. Its construct id is `<Capability>Stack` and the capability's
 * construct inside keeps the id it had in the platform stack, so resources keep their logical ids
 * (a logical id is made from the path below its stack).
 */
export class CapabilityStack extends NestedStack {
  constructor(scope: Construct, capability: string, description: string) {
    super(scope, `${capability}Stack`, { description });
  }
}

/**
 * The name of the top-level stack `scope` is in, through any nested stacks: the platform's
 * `Mlops-<env>`, a literal, where `Stack.of(scope).stackName` in a nested stack is a token of a
 * generated name. Physical names made of it (key alias, Glue database) stay what they were.
 */
export function platformStackName(scope: IConstruct): string {
  let stack = Stack.of(scope);
  while (stack.nestedStackParent) stack = stack.nestedStackParent;
  return stack.stackName;
}
