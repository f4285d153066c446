import { governanceVerdict } from '../../../lambdas/pipeline/domain/governance-gate';

const platformPolicy = {
  metricFloors: { accuracy: 0.85 },
  maxDemographicParityDifference: 0.1,
  requireModelCard: true,
  requireSecurityScan: true,
  requireLoadTest: true,
};
const evidence = {
  modelCardUrl: 'https://example.com/card',
  securityScan: 'PASSED' as const,
  loadTest: 'PASSED' as const,
  demographicParityDifference: 0.04,
};

describe('governanceVerdict', () => {
  it('passes a challenger with the metrics and evidence the policy asks for', () => {
    // Act
    const verdict = governanceVerdict({ platformPolicy, model: {}, metrics: { accuracy: 0.9 }, evidence });

    // Assess
    expect(verdict).toEqual({ passed: true, failed: [], reason: 'passes every governance check' });
  });

  it('fails a challenger under the floor and unfair, listing each check', () => {
    // Act
    const verdict = governanceVerdict({
      platformPolicy,
      model: {},
      metrics: { accuracy: 0.8 },
      evidence: { ...evidence, demographicParityDifference: 0.3 },
    });

    // Assess
    expect(verdict.passed).toBe(false);
    expect(verdict.failed.map((c) => c.check)).toEqual([
      'metricFloor:accuracy',
      'fairness:demographicParityDifference',
    ]);
    expect(verdict.reason).toBe(
      'fails 2 governance check(s): metric accuracy is 0.8; must be >= 0.85; demographic parity difference is 0.3; must be <= 0.1',
    );
  });

  it("applies the model's own overrides over the platform policy", () => {
    // Act
    const verdict = governanceVerdict({
      platformPolicy,
      model: { governance: { metricFloors: { accuracy: 0.7 }, requireLoadTest: false } },
      metrics: { accuracy: 0.75 },
      evidence: { ...evidence, loadTest: 'NOT_RUN' },
    });

    // Assess
    expect(verdict.passed).toBe(true);
  });

  it('passes a challenger of a model that asks for sign-off: the run registers it, then waits for its approvers', () => {
    // Act
    const verdict = governanceVerdict({
      platformPolicy,
      model: {
        governance: {
          approval: {
            approvers: ['arn:aws:iam::123456789012:role/Risk'],
            quorum: 1,
            authorMayApprove: false,
            expiresAfterHours: 72,
          },
        },
      },
      metrics: { accuracy: 0.9 },
      evidence,
    });

    // Assess
    expect(verdict).toMatchObject({ passed: true, failed: [] });
  });
});
