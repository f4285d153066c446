import { changedPolicy } from '../../../cli/governance-change';
import { GovernancePolicyOverride } from '../../../contracts/governance-policy';

const LOCAL = 'arn:aws:iam::000000000000:user/local';
const APPROVER = 'arn:aws:iam::000000000000:user/approver';

/** A model's override as the registry stores it (defaults filled in by the route's schema). */
const stored = GovernancePolicyOverride.parse({
  metricFloors: { accuracy: 0.9 },
  requireLoadTest: false,
  approval: { approvers: [LOCAL], quorum: 1 },
});

describe('changedPolicy', () => {
  it('changes only what the options name, merging metric floors by name', () => {
    // Act
    const next = changedPolicy(stored, {
      metricFloors: { auc: 0.8 },
      approvers: [LOCAL, APPROVER],
      quorum: 2,
    });

    // Assess
    expect(next).toEqual({
      ...stored,
      metricFloors: { accuracy: 0.9, auc: 0.8 },
      approval: { approvers: [LOCAL, APPROVER], quorum: 2, authorMayApprove: false, expiresAfterHours: 72 },
    });
    expect(GovernancePolicyOverride.safeParse(next).success).toBe(true);
  });

  it('keeps the approval policy when no approval option is given, and drops it when asked', () => {
    // Act
    const kept = changedPolicy(stored, { requireModelCard: false });
    const removed = changedPolicy(stored, { removeApproval: true });

    // Assess
    expect(kept).toEqual({ ...stored, requireModelCard: false });
    expect(removed).toEqual({ ...stored, approval: undefined });
    expect('approval' in removed).toBe(false);
  });

  it('starts an approval policy from the options alone, for the platform to check', () => {
    // Act
    const next = changedPolicy({}, { quorum: 2 });

    // Assess: no approvers, so the route refuses it naming the field
    expect(next).toEqual({ approval: { quorum: 2 } });
    expect(GovernancePolicyOverride.safeParse(next).success).toBe(false);
  });
});
