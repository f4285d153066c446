import { ApprovalPolicy } from '../../../contracts/approvals';
import { parsePlatformConfig } from '../../../contracts/config';
import { applyDecision, openRequest, principalMatches } from '../../../lambdas/registry/domain/approvals';

const ROLE = 'arn:aws:iam::123456789012:role/team/Approver';

describe('principalMatches', () => {
  it.each([
    [ROLE, 'arn:aws:sts::123456789012:assumed-role/Approver/alice', true],
    [ROLE, 'arn:aws:sts::999999999999:assumed-role/Approver/alice', false],
    [ROLE, 'arn:aws:sts::123456789012:assumed-role/ApproverX/alice', false],
    ['arn:aws:iam::123456789012:user/bob', 'arn:aws:iam::123456789012:user/bob', true],
    ['arn:aws:iam::123456789012:user/bob', 'arn:aws:iam::123456789012:user/bobby', false],
  ])('%s stands for %s: %s', (approver, caller, expected) => {
    // Act + Assess
    expect(principalMatches(approver, caller)).toBe(expected);
  });
});

describe('ApprovalPolicy', () => {
  it('is the platform default when mlops:governance carries one, with its defaults filled in', () => {
    // Act
    const config = parsePlatformConfig({
      'mlops:envName': 'dev',
      'mlops:governance': JSON.stringify({ approval: { approvers: [ROLE] } }),
    });
    // Assess
    expect(config.governance.approval).toEqual({
      approvers: [ROLE],
      quorum: 1,
      authorMayApprove: false,
      expiresAfterHours: 72,
    });
  });

  it('fails a platform default naming the bad field', () => {
    // Act
    const parse = () =>
      parsePlatformConfig({
        'mlops:envName': 'dev',
        'mlops:governance': JSON.stringify({ approval: { approvers: ['not-an-arn'] } }),
      });
    // Assess
    expect(parse).toThrow(/mlops:governance\.approval\.approvers\.0/);
  });

  it('fails a quorum larger than the approvers', () => {
    // Act
    const parsed = ApprovalPolicy.safeParse({ approvers: [ROLE], quorum: 2 });
    // Assess
    expect(parsed.success).toBe(false);
  });
});

describe('applyDecision', () => {
  const request = openRequest({
    id: 'apr-0000000001',
    modelName: 'm',
    version: 1,
    action: { kind: 'transition', stage: 'Production', archiveExistingVersions: true },
    requestedBy: 'arn:aws:iam::123456789012:user/alice',
    author: 'arn:aws:iam::123456789012:user/alice',
    policy: ApprovalPolicy.parse({ approvers: [ROLE], quorum: 1 }),
    at: new Date('2026-01-01T00:00:00Z'),
  });

  it('closes APPROVED on the decision that meets the quorum', () => {
    // Act
    const after = applyDecision(
      request,
      'arn:aws:sts::123456789012:assumed-role/Approver/bob',
      {
        decision: 'approve',
        comment: '',
      },
      '2026-01-01T01:00:00Z',
    );
    // Assess
    expect(after).toMatchObject({ status: 'APPROVED', closedAt: '2026-01-01T01:00:00Z' });
    expect(request.expiresAt).toBe('2026-01-04T00:00:00.000Z');
  });
});
