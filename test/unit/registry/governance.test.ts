import { GovernancePolicyOverride } from '../../../contracts/governance-policy';
import {
  effectivePolicy,
  evaluateGovernance,
  failedChecks,
} from '../../../lambdas/registry/domain/governance';
import { aVersion, strictPolicy } from './fixtures';

describe('evaluateGovernance', () => {
  it('passes a version that meets every check', () => {
    // Prepare
    const version = aVersion();
    // Act
    const checks = evaluateGovernance(strictPolicy, version);
    // Assess
    expect(checks.map((c) => c.check)).toEqual([
      'metricFloor:accuracy',
      'fairness:demographicParityDifference',
      'modelCard',
      'securityScan',
      'loadTest',
    ]);
    expect(failedChecks(checks)).toEqual([]);
  });

  it('accepts a metric exactly at its floor and a parity difference exactly at the limit', () => {
    const version = aVersion({
      metrics: { accuracy: 0.85 },
      governance: { ...aVersion().governance, demographicParityDifference: 0.1 },
    });
    expect(failedChecks(evaluateGovernance(strictPolicy, version))).toEqual([]);
  });

  it('fails and lists every failed check, not only the first', () => {
    // Prepare
    const version = aVersion({
      metrics: { accuracy: 0.84 },
      governance: { securityScan: 'FAILED', demographicParityDifference: 0.15 },
    });
    // Act
    const failed = failedChecks(evaluateGovernance(strictPolicy, version));
    // Assess
    expect(failed.map((c) => c.check)).toEqual([
      'metricFloor:accuracy',
      'fairness:demographicParityDifference',
      'modelCard',
      'securityScan',
      'loadTest',
    ]);
    expect(failed[0].message).toBe('metric accuracy is 0.84; must be >= 0.85');
    expect(failed[4].message).toBe('load test is NOT_RUN; must be PASSED');
  });

  it('fails a missing metric and a missing fairness measurement', () => {
    const version = aVersion({
      metrics: {},
      governance: { ...aVersion().governance, demographicParityDifference: undefined },
    });
    const failed = failedChecks(evaluateGovernance(strictPolicy, version)).map((c) => c.message);
    expect(failed).toEqual([
      'metric accuracy is missing; must be >= 0.85',
      'demographic parity difference is missing; must be <= 0.1',
    ]);
  });

  it('skips checks the policy does not require', () => {
    const policy = {
      metricFloors: {},
      requireModelCard: false,
      requireSecurityScan: false,
      requireLoadTest: false,
    };
    expect(evaluateGovernance(policy, aVersion({ governance: {} }))).toEqual([]);
  });
});

describe('effectivePolicy', () => {
  it('lays a model override over the platform default, merging metric floors', () => {
    // Act
    const policy = effectivePolicy(strictPolicy, {
      governance: { metricFloors: { auc: 0.9 }, requireLoadTest: false },
    });
    // Assess
    expect(policy.metricFloors).toEqual({ accuracy: 0.85, auc: 0.9 });
    expect(policy.requireLoadTest).toBe(false);
    expect(policy.requireModelCard).toBe(true);
  });

  it('keeps the platform value of every field an override, as a request gives it, leaves out', () => {
    // Prepare: a platform that relaxed the evidence checks, and a model that only sets a floor
    const relaxed = { ...strictPolicy, requireModelCard: false, requireSecurityScan: false };
    const governance = GovernancePolicyOverride.parse({ metricFloors: { auc: 0.9 } });
    // Act
    const policy = effectivePolicy(relaxed, { governance });
    // Assess: nothing the request left out was filled in and laid over the platform's choice
    expect(governance).toEqual({ metricFloors: { auc: 0.9 } });
    expect(policy).toMatchObject({
      requireModelCard: false,
      requireSecurityScan: false,
      requireLoadTest: true,
    });
  });

  it('lets a model raise a platform floor', () => {
    const policy = effectivePolicy(strictPolicy, { governance: { metricFloors: { accuracy: 0.95 } } });
    expect(failedChecks(evaluateGovernance(policy, aVersion())).map((c) => c.check)).toEqual([
      'metricFloor:accuracy',
    ]);
  });
});

describe('effectivePolicy of a prompt', () => {
  it('keeps only the sign-off: a prompt is gated by its evaluation score floors instead', () => {
    // Prepare
    const platform = {
      metricFloors: { accuracy: 0.85 },
      maxDemographicParityDifference: 0.1,
      requireModelCard: true,
      requireSecurityScan: true,
      requireLoadTest: true,
      approval: { approvers: ['arn:aws:iam::123456789012:user/bob'], quorum: 1 },
    };
    // Act
    const prompt = effectivePolicy(platform as never, { tags: { 'mlops:kind': 'prompt' } });
    const model = effectivePolicy(platform as never, { tags: { team: 'geo' } });
    // Assess
    expect(prompt).toEqual({
      metricFloors: {},
      requireModelCard: false,
      requireSecurityScan: false,
      requireLoadTest: false,
      approval: platform.approval,
    });
    expect(model).toEqual(platform);
  });
});
