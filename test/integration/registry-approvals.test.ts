/**
 * Sign-off before Production over DynamoDB Local, through the registry's routes as each caller:
 * a governed move opens a request (202), approvers decide (the author and outsiders refused, a
 * second decision refused), the quorum runs the move once however many approvers race, a
 * rejection or the expiry closes the request with nothing changed, and a keyed retry of a decision
 * answers what it first answered.
 */
import { createHash } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { RegistryService } from '../../lambdas/registry';
import { expireDueApprovals } from '../../lambdas/registry/domain/approval-flow';
import { makeHandler } from '../../lambdas/registry/handler';
import { type HttpCall, httpCaller } from '../helpers/http-call';
import { ALICE, type Harness, startHarness } from '../helpers/registry-harness';
import { expectReplyMatchesRoute } from '../helpers/route-replies';

const BOB = 'arn:aws:iam::123456789012:user/bob';
const CAROL = 'arn:aws:iam::123456789012:user/carol';
const EVE = 'arn:aws:iam::123456789012:user/eve';
const RISK_ROLE = 'arn:aws:iam::123456789012:role/governance/RiskManager';
const DAVE_AS_RISK = 'arn:aws:sts::123456789012:assumed-role/RiskManager/dave@example.com';

let h: Harness;
let as: (principal: string) => HttpCall;
beforeAll(async () => {
  h = await startHarness();
  as = (principalArn) => httpCaller(makeHandler(h.deps), { functionName: 'registry', principalArn });
}, 60_000);
afterAll(() => h?.stop());

const promotable = {
  metrics: { accuracy: 0.92 },
  governance: {
    modelCardUrl: 'https://example.com/card',
    securityScan: 'PASSED',
    loadTest: 'PASSED',
    demographicParityDifference: 0.05,
  },
};

async function governedModel(name: string, approval: Record<string, unknown>): Promise<number> {
  expect((await h.call('POST', '/models', { name, governance: { approval } })).status).toBe(201);
  const bytes = Buffer.from(`model ${name} ${Math.random()}`);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const reg = await h.call('POST', `/models/${name}/versions`, {
    artifact: { sha256, sizeBytes: bytes.length },
    ...promotable,
  });
  const { bucket, key } = reg.body.version.artifact;
  await h.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
  expect((await h.call('POST', `/models/${name}/versions/1/verify`)).status).toBe(200);
  return 1;
}

async function askProduction(name: string, headers?: Record<string, string>) {
  const reply = await h.call('POST', `/models/${name}/versions/1/stage`, { stage: 'Production' }, headers);
  expect(reply.status).toBe(202);
  return reply.body.approval.id as string;
}

const decide = (who: string, name: string, id: string, decision: 'approve' | 'reject', headers = {}) =>
  as(who)(
    'POST',
    `/models/${name}/approvals/${id}/decisions`,
    { decision, comment: `${decision} by ${who}` },
    headers,
  );

async function stageOf(name: string): Promise<string> {
  return (await h.call('GET', `/models/${name}/versions/1`)).body.stage;
}

async function actions(name: string): Promise<Array<{ action: string; actor: string }>> {
  const page = await h.call('GET', `/models/${name}/audit?limit=100`);
  return page.body.items
    .reverse()
    .map((a: { action: string; actor: string }) => ({ action: a.action, actor: a.actor }));
}

describe('a move to Production of a model with an approval policy', () => {
  it('opens one request of a version however many moves race: the others are refused APPROVAL_PENDING', async () => {
    // Prepare
    await governedModel('racing-opens', { approvers: [BOB] });
    // Act
    const replies = await Promise.all(
      Array.from({ length: 5 }, () =>
        h.call('POST', '/models/racing-opens/versions/1/stage', { stage: 'Production' }),
      ),
    );
    const open = await h.call('GET', '/models/racing-opens/approvals?status=OPEN');
    // Assess
    expect(replies.filter((r) => r.status === 202)).toHaveLength(1);
    for (const r of replies.filter((x) => x.status !== 202))
      expect([r.status, r.body.error.code]).toEqual([409, 'APPROVAL_PENDING']);
    expect(open.body.items).toHaveLength(1);
  });

  it('opens a request, refuses the author, outsiders and repeat decisions, and moves on the quorum', async () => {
    // Prepare
    await governedModel('quorum', { approvers: [ALICE, BOB, RISK_ROLE], quorum: 2 });
    // Act
    const asked = await h.call('POST', '/models/quorum/versions/1/stage', { stage: 'Production' });
    const id = asked.body.approval.id;
    const byAuthor = await decide(ALICE, 'quorum', id, 'approve');
    const byOutsider = await decide(EVE, 'quorum', id, 'approve');
    const first = await decide(BOB, 'quorum', id, 'approve');
    const again = await decide(BOB, 'quorum', id, 'approve');
    const stageAfterOne = await stageOf('quorum');
    const second = await decide(DAVE_AS_RISK, 'quorum', id, 'approve');
    const late = await decide(CAROL, 'quorum', id, 'reject');
    // Assess
    expect(asked.status).toBe(202);
    expectReplyMatchesRoute('TransitionStage', asked);
    expect(asked.body.approval).toMatchObject({
      status: 'OPEN',
      requestedBy: ALICE,
      author: ALICE,
      version: 1,
    });
    expect([byAuthor.status, byAuthor.body.error.code]).toEqual([403, 'SELF_APPROVAL_REFUSED']);
    expect([byOutsider.status, byOutsider.body.error.code]).toEqual([403, 'NOT_AN_APPROVER']);
    expect(first.body).toMatchObject({
      status: 'OPEN',
      decisions: [{ principal: BOB, decision: 'approve' }],
    });
    expectReplyMatchesRoute('DecideApproval', first);
    expect([again.status, again.body.error.code]).toEqual([409, 'APPROVAL_ALREADY_DECIDED']);
    expect(stageAfterOne).toBe('None');
    expect(second.body.status).toBe('APPROVED');
    expect(await stageOf('quorum')).toBe('Production');
    expect([late.status, late.body.error.code]).toEqual([409, 'APPROVAL_CLOSED']);
    const got = await h.call('GET', `/models/quorum/approvals/${id}`);
    expectReplyMatchesRoute('GetApproval', got);
    const listed = await h.call('GET', '/models/quorum/approvals?status=APPROVED');
    expectReplyMatchesRoute('ListApprovals', listed);
    expect(listed.body.items.map((r: { id: string }) => r.id)).toEqual([id]);
    expect((await actions('quorum')).slice(-4)).toEqual([
      { action: 'ApprovalRequested', actor: ALICE },
      { action: 'ApprovalDecided', actor: BOB },
      { action: 'ApprovalDecided', actor: DAVE_AS_RISK },
      { action: 'ModelVersionStageChanged', actor: ALICE },
    ]);
  });

  it('lets the author approve when the policy allows it', async () => {
    // Prepare
    await governedModel('self-ok', { approvers: [ALICE], quorum: 1, authorMayApprove: true });
    const id = await askProduction('self-ok');
    // Act
    const reply = await decide(ALICE, 'self-ok', id, 'approve');
    // Assess
    expect(reply.body.status).toBe('APPROVED');
    expect(await stageOf('self-ok')).toBe('Production');
  });

  it('closes on a rejection with nothing changed', async () => {
    // Prepare
    await governedModel('rejected', { approvers: [BOB, CAROL], quorum: 2 });
    const id = await askProduction('rejected');
    // Act
    const approved = await decide(BOB, 'rejected', id, 'approve');
    const rejected = await decide(CAROL, 'rejected', id, 'reject');
    // Assess
    expect(approved.body.status).toBe('OPEN');
    expect(rejected.body).toMatchObject({ status: 'REJECTED', closedReason: `rejected by ${CAROL}` });
    expect(await stageOf('rejected')).toBe('None');
    expect((await actions('rejected')).map((a) => a.action)).not.toContain('ModelVersionStageChanged');
  });

  it('expires: a late decision is refused and the sweep closes what is due, with nothing changed', async () => {
    // Prepare
    await governedModel('expiring', { approvers: [BOB], quorum: 1, expiresAfterHours: 1 });
    await governedModel('swept', { approvers: [BOB], quorum: 1, expiresAfterHours: 1 });
    const lateId = await askProduction('expiring');
    const sweptId = await askProduction('swept');
    const later = { ...h.deps, now: () => new Date(Date.now() + 2 * 3_600_000) };
    // Act
    const late = await httpCaller(makeHandler(later), { functionName: 'registry', principalArn: BOB })(
      'POST',
      `/models/expiring/approvals/${lateId}/decisions`,
      { decision: 'approve' },
    );
    const swept = await expireDueApprovals(later);
    // Assess
    expect([late.status, late.body.error.code, late.body.error.details.status]).toEqual([
      409,
      'APPROVAL_CLOSED',
      'EXPIRED',
    ]);
    expect(swept.map((r) => r.id)).toContain(sweptId);
    expect((await h.call('GET', `/models/swept/approvals/${sweptId}`)).body.status).toBe('EXPIRED');
    expect(await stageOf('expiring')).toBe('None');
    expect(await stageOf('swept')).toBe('None');
    expect((await actions('swept')).at(-1)).toEqual({
      action: 'ApprovalExpired',
      actor: 'cdk-mlops:approval-expiry',
    });
  });

  it('runs the move exactly once when approvers race to the quorum', async () => {
    for (let round = 0; round < 3; round++) {
      // Prepare
      const name = `race-${round}`;
      await governedModel(name, { approvers: [BOB, CAROL, RISK_ROLE], quorum: 2 });
      const id = await askProduction(name);
      // Act
      const replies = await Promise.all(
        [BOB, CAROL, DAVE_AS_RISK].map((who) => decide(who, name, id, 'approve')),
      );
      // Assess
      const statuses = replies.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 200, 409]);
      expect(replies.filter((r) => r.body.status === 'APPROVED')).toHaveLength(1);
      expect(replies.find((r) => r.status === 409)?.body.error.code).toBe('APPROVAL_CLOSED');
      const moves = (await actions(name)).filter((a) => a.action === 'ModelVersionStageChanged');
      expect(moves).toHaveLength(1);
      expect(await stageOf(name)).toBe('Production');
    }
  });

  it('answers a retried decision with its first answer', async () => {
    // Prepare
    await governedModel('keyed', { approvers: [BOB], quorum: 1 });
    const id = await askProduction('keyed', { 'idempotency-key': 'ask-1' });
    const retriedAsk = await h.call(
      'POST',
      '/models/keyed/versions/1/stage',
      { stage: 'Production' },
      {
        'idempotency-key': 'ask-1',
      },
    );
    // Act
    const first = await decide(BOB, 'keyed', id, 'approve', { 'idempotency-key': 'd-1' });
    const retry = await decide(BOB, 'keyed', id, 'approve', { 'idempotency-key': 'd-1' });
    // Assess
    expect([retriedAsk.status, retriedAsk.body.approval.id]).toEqual([202, id]);
    expect(first.body.status).toBe('APPROVED');
    expect(retry).toEqual(first);
    expect((await actions('keyed')).filter((a) => a.action === 'ModelVersionStageChanged')).toHaveLength(1);
  });

  it('refuses a move to Production that skips the request', async () => {
    // Prepare
    await governedModel('bypass', { approvers: [BOB], quorum: 1 });
    const registry = new RegistryService(h.deps);
    // Act
    const moved = registry.promote('bypass', 1, { principal: ALICE });
    const rolloutCheck = registry.requirePromotable('bypass', 1);
    // Assess
    await expect(moved).rejects.toMatchObject({ code: 'APPROVAL_REQUIRED' });
    await expect(rolloutCheck).rejects.toMatchObject({ code: 'APPROVAL_REQUIRED' });
    expect(await stageOf('bypass')).toBe('None');
  });

  it("keeps a waiting run's task token in storage: no route, answer or audit record carries it", async () => {
    // Prepare
    await governedModel('tokened', { approvers: [BOB], quorum: 1 });
    const token = `AQCEAAAAKgAAAA${'x'.repeat(200)}`;
    const registry = new RegistryService(h.deps);
    // Act
    const opened = await registry.requestApproval(
      'tokened',
      1,
      { kind: 'promotion', runId: 'run-1', taskToken: token },
      { principal: ALICE },
    );
    const id = opened?.id ?? '';
    const got = await h.call('GET', `/models/tokened/approvals/${id}`);
    const listed = await h.call('GET', '/models/tokened/approvals');
    const decided = await decide(BOB, 'tokened', id, 'approve');
    const audit = await h.call('GET', '/models/tokened/audit?limit=100');
    const stored = await registry.getApproval('tokened', id);
    // Assess
    expect(got.status).toBe(200);
    expect(got.body.action).toEqual({ kind: 'promotion', runId: 'run-1' });
    expectReplyMatchesRoute('GetApproval', got);
    expectReplyMatchesRoute('ListApprovals', listed);
    expectReplyMatchesRoute('DecideApproval', decided);
    for (const reply of [opened, got.body, listed.body, decided.body, audit.body])
      expect(JSON.stringify(reply)).not.toContain(token);
    // The relay that answers the run still reads it.
    expect(stored?.action).toMatchObject({ kind: 'promotion', taskToken: token });
  });
});
