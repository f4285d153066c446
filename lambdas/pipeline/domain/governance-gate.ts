/**
 * Governance before registration: the challenger must be able to reach Production under the
 * model's policy, judged by the registry's own rules (`registry/domain/governance.ts`) on the
 * version it would register, so the pipeline never canaries a model the registry would refuse to
 * promote at the end.
 */
import type { GovernanceEvidence, GovernancePolicy, Model, ModelVersion } from '../../../contracts/registry';
import { effectivePolicy, evaluateGovernance, failedChecks, type GovernanceCheck } from '../../registry';

export interface GovernanceVerdict {
  readonly passed: boolean;
  readonly failed: readonly GovernanceCheck[];
  readonly reason: string;
}

export function governanceVerdict(input: {
  platformPolicy: GovernancePolicy;
  model: Pick<Model, 'governance'>;
  metrics: Readonly<Record<string, number>>;
  evidence: GovernanceEvidence;
}): GovernanceVerdict {
  const policy = effectivePolicy(input.platformPolicy, input.model);
  // Only metrics and evidence are read by the checks; the rest of a version does not matter here.
  const candidate = { metrics: { ...input.metrics }, governance: input.evidence } as unknown as ModelVersion;
  const failed = failedChecks(evaluateGovernance(policy, candidate));
  // Sign-off is no check here: a model that asks for it waits for its approvers after registering.
  return {
    passed: failed.length === 0,
    failed,
    reason:
      failed.length === 0
        ? 'passes every governance check'
        : `fails ${failed.length} governance check(s): ${failed.map((c) => c.message).join('; ')}`,
  };
}
