/**
 * Governance checks a version must pass to reach Production: metric floors, fairness, model
 * card, security scan and load test, as the enterprise scenario requires. Every check is
 * evaluated (not just the first failure) so a refusal lists everything there is to fix.
 */
import { PROMPT_KIND, PROMPT_TAGS } from '../../../contracts/llm-names';
import type { GovernancePolicy, Model, ModelVersion } from '../../../contracts/registry';

export interface GovernanceCheck {
  readonly check: string;
  readonly passed: boolean;
  readonly message: string;
}

/**
 * The policy in force for a model: the platform default with the model's overrides on top. A
 * prompt's versions carry no model metrics nor evidence: their release gate is the evaluation score
 * floors the LLM routes check (`mlops:llm.scoreFloors`), so for a prompt only the sign-off applies.
 */
export function effectivePolicy(
  platform: GovernancePolicy,
  model: Pick<Model, 'governance'> & { readonly tags?: Readonly<Record<string, string>> },
): GovernancePolicy {
  const own = model.governance ?? {};
  const policy = {
    ...platform,
    ...own,
    metricFloors: { ...platform.metricFloors, ...(own.metricFloors ?? {}) },
  };
  if (model.tags?.[PROMPT_TAGS.kind] !== PROMPT_KIND) return policy;
  return {
    metricFloors: {},
    requireModelCard: false,
    requireSecurityScan: false,
    requireLoadTest: false,
    ...(policy.approval ? { approval: policy.approval } : {}),
  };
}

/** Evaluates every check of the policy against the version's metrics and evidence. */
export function evaluateGovernance(policy: GovernancePolicy, version: ModelVersion): GovernanceCheck[] {
  const checks: GovernanceCheck[] = [];
  for (const [metric, floor] of Object.entries(policy.metricFloors)) {
    const value = version.metrics[metric];
    checks.push({
      check: `metricFloor:${metric}`,
      passed: value !== undefined && value >= floor,
      message:
        value === undefined
          ? `metric ${metric} is missing; must be >= ${floor}`
          : `metric ${metric} is ${value}; must be >= ${floor}`,
    });
  }
  if (policy.maxDemographicParityDifference !== undefined) {
    const dpd = version.governance.demographicParityDifference;
    const max = policy.maxDemographicParityDifference;
    checks.push({
      check: 'fairness:demographicParityDifference',
      passed: dpd !== undefined && dpd <= max,
      message:
        dpd === undefined
          ? `demographic parity difference is missing; must be <= ${max}`
          : `demographic parity difference is ${dpd}; must be <= ${max}`,
    });
  }
  if (policy.requireModelCard) {
    const url = version.governance.modelCardUrl;
    checks.push({
      check: 'modelCard',
      passed: url !== undefined,
      message: url === undefined ? 'model card URL is missing' : `model card at ${url}`,
    });
  }
  if (policy.requireSecurityScan) {
    const scan = version.governance.securityScan ?? 'NOT_RUN';
    checks.push({
      check: 'securityScan',
      passed: scan === 'PASSED',
      message: `security scan is ${scan}; must be PASSED`,
    });
  }
  if (policy.requireLoadTest) {
    const load = version.governance.loadTest ?? 'NOT_RUN';
    checks.push({
      check: 'loadTest',
      passed: load === 'PASSED',
      message: `load test is ${load}; must be PASSED`,
    });
  }
  return checks;
}

export const failedChecks = (checks: GovernanceCheck[]) => checks.filter((c) => !c.passed);
