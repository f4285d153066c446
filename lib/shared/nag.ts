/**
 * cdk-nag acknowledgements, in one shape: a rule, its reason, and optionally the one finding it
 * covers. A finding on a resource ARN is computed as cdk-nag computes it, from the ARN as the
 * acknowledging construct's stack writes it, and only once the app is prepared: by then a
 * reference to a sibling (nested) stack's resource has become that stack's parameter, which is
 * what cdk-nag sees.
 * @see https://github.com/cdklabs/cdk-nag/blob/main/RULES.md
 * @see https://docs.aws.amazon.com/cdk/v2/guide/policy-validation-synthesis.html
 */
import { Stack, Validations } from 'aws-cdk-lib';
// cdk-nag's own flattening (not exported from its index): the finding ids must match exactly.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { IConstruct } from 'constructs';

/**
 * The finding of a rule an acknowledgement covers: literal (`Action::s3:GetObject*`,
 * `Resource::*`, `Policy::arn:<AWS::Partition>:...`) or a resource ARN, which becomes
 * `Resource::<flattened ARN>` (tokens as `<LogicalId.Arn>`).
 */
export type Finding = string | { readonly arn: string };

/**
 * Acknowledges `rule` on `scope` and everything below it, with its reason. With `appliesTo` it
 * covers that one finding only (`AwsSolutions-IAM5[Resource::*]`); a rule with per-finding
 * results (IAM4, IAM5) covers none without it.
 *
 * @param rule e.g. `AwsSolutions-IAM5`, `AwsSolutions-L1`
 * @param appliesTo the one finding covered
 * @default appliesTo - every finding of the rule
 */
export function acknowledge(scope: IConstruct, rule: string, reason: string, appliesTo?: Finding): void {
  if (appliesTo === undefined || typeof appliesTo === 'string') {
    const id = appliesTo === undefined ? rule : `${rule}[${appliesTo}]`;
    Validations.of(scope).acknowledge({ id, reason });
    return;
  }
  // Tree validation runs after references are resolved and before the validation plugins.
  let done = false;
  scope.node.addValidation({
    validate: () => {
      if (!done) {
        done = true;
        Validations.of(scope).acknowledge({
          id: `${rule}[${resourceFinding(scope, appliesTo.arn)}]`,
          reason,
        });
      }
      return [];
    },
  });
}

/** `Resource::<flattened ARN>`: an ARN's finding as cdk-nag names it in `scope`'s stack now. */
export function resourceFinding(scope: IConstruct, arn: string): string {
  return `Resource::${flattenCfnReference(Stack.of(scope).resolve(arn))}`;
}

/** Acknowledges each `[finding, reason]` of `rule` on `scope`, one finding at a time. */
export function acknowledgeFindings(
  scope: IConstruct,
  rule: string,
  findings: ReadonlyArray<readonly [Finding, string]>,
): void {
  for (const [finding, reason] of findings) acknowledge(scope, rule, reason, finding);
}
