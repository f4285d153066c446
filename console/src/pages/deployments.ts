/**
 * Deployments: a model's rollouts, one rollout's timeline (the champion/challenger weights of each
 * canary step and the alarms' state during its bake, from the rollout's audit records), and the
 * endpoints with what serves on each.
 */
import { type Ok, PAGE_SIZE, read } from '../api';
import { badge, type Html, href, html, when } from '../html';
import { modelPicker, type PageContext, pager, table } from '../page';
import { type RolloutStep, rolloutSvg } from '../svg';
import { auditTimeline } from './models';

type AuditRecord = Ok<'ListAudit'>['items'][number];
type Deployment = Ok<'GetDeployment'>;

export async function deploymentsPage(ctx: PageContext): Promise<Html> {
  const model = ctx.params.name;
  const picker = await modelPicker(ctx, 'deployments', model);
  if (!model) {
    const endpoints = await read(ctx.client.GET('/endpoints', { params: { query: { limit: PAGE_SIZE } } }));
    const running = endpoints.items.filter((e) => e.rollout);
    return html`<h1>Deployments</h1>${picker}
      <h2>Rollouts running now</h2>
      ${table(
        ['Model', 'Endpoint', 'Version', 'Phase', 'Weights'],
        running.map(
          (e) => html`<tr>
            <td><a href="${href(['deployments', e.modelName])}">${e.modelName}</a></td><td>${e.endpointName}</td>
            <td><a href="${href(['deployments', e.modelName, e.rollout!.deploymentId])}">v${e.rollout!.version}</a></td>
            <td>${badge(e.rollout!.phase)}</td>
            <td>${e.rollout!.weights ? `${e.rollout!.weights.champion}% / ${e.rollout!.weights.challenger}%` : '-'}</td></tr>`,
        ),
        'No rollout is running. Pick a model to see its rollouts.',
      )}`;
  }
  const token = ctx.query.get('token') ?? undefined;
  const page = await read(
    ctx.client.GET('/models/{name}/deployments', {
      params: { path: { name: model }, query: { limit: PAGE_SIZE, ...(token ? { nextToken: token } : {}) } },
    }),
  );
  const rows = page.items.map(
    (d) => html`<tr>
      <td><a href="${href(['deployments', model, d.deploymentId])}">${d.deploymentId.slice(0, 8)}</a></td>
      <td>v${d.version}</td><td>${d.previousVersion ? `v${d.previousVersion}` : '-'}</td>
      <td>${badge(d.status)}</td><td>${d.phase}</td><td>${d.steps.map((s) => `${s}%`).join(' → ')}</td>
      <td>${d.alarm ?? ''} ${d.reason ?? ''}</td><td>${when(d.createdAt)}</td><td>${when(d.updatedAt)}</td>
    </tr>`,
  );
  return html`<h1>Deployments of <a href="${href(['models', model])}">${model}</a></h1>${picker}
    ${table(['Rollout', 'Version', 'Replacing', 'Status', 'Phase', 'Steps', 'Alarm / reason', 'Started', 'Updated'], rows, 'No rollout yet.')}
    ${pager(ctx, ['deployments', model], page.nextToken)}`;
}

export async function deploymentPage(ctx: PageContext): Promise<Html> {
  const name = ctx.params.name!;
  const deploymentId = ctx.params.deploymentId!;
  const [deployment, audit] = await Promise.all([
    read(
      ctx.client.GET('/models/{name}/deployments/{deploymentId}', {
        params: { path: { name, deploymentId } },
      }),
    ),
    // The model's latest audit page: a rollout's records are among the newest while it matters.
    read(ctx.client.GET('/models/{name}/audit', { params: { path: { name }, query: { limit: PAGE_SIZE } } })),
  ]);
  const records = audit.items.filter(
    (r) => (r.after as { deploymentId?: string } | undefined)?.deploymentId === deploymentId,
  );
  return html`<h1>Rollout of <a href="${href(['models', name])}">${name}</a> v${deployment.version}</h1>
    <dl class="facts">
      <dt>Status</dt><dd>${badge(deployment.status)} ${deployment.phase}</dd>
      <dt>Endpoint</dt><dd>${deployment.endpointName}</dd>
      <dt>Replacing</dt><dd>${deployment.previousVersion ? `v${deployment.previousVersion}` : 'nothing (first version)'}</dd>
      <dt>Weights now</dt><dd>${deployment.weights ? `champion ${deployment.weights.champion}% / challenger ${deployment.weights.challenger}%` : '-'}</dd>
      ${deployment.alarm ? html`<dt>Alarm</dt><dd>${badge('ALARM')} ${deployment.alarm}</dd>` : ''}
      ${deployment.reason ? html`<dt>Reason</dt><dd>${deployment.reason}</dd>` : ''}
      <dt>Execution</dt><dd>${badge(deployment.execution?.status)} ${deployment.execution?.error ?? ''}</dd>
      <dt>Requested</dt><dd>${when(deployment.createdAt)} by ${deployment.requestedBy}</dd>
    </dl>
    <h2>Timeline</h2>
    <div class="scroll">${rolloutSvg(rolloutSteps(deployment, records))}</div>
    ${auditTimeline(records)}`;
}

/** Each canary step's split and its alarms' state, from the rollout's record and audit trail. */
export function rolloutSteps(deployment: Deployment, records: readonly AuditRecord[]): RolloutStep[] {
  const after = (r: AuditRecord) =>
    (r.after ?? {}) as { step?: number; checks?: number; alarm?: string; reason?: string };
  const passed = new Map<number, number | undefined>();
  const shifted = new Set<number>();
  let rolledBack: { step: number; alarm?: string; reason?: string } | undefined;
  for (const r of records) {
    const a = after(r);
    if (r.action === 'DeploymentStepPassed' && a.step) passed.set(a.step, a.checks);
    if (r.action === 'DeploymentTrafficShifted' && a.step) shifted.add(a.step);
    if (r.action === 'DeploymentRolledBack')
      rolledBack = {
        step: a.step ?? 0,
        ...(a.alarm ? { alarm: a.alarm } : {}),
        ...(a.reason ? { reason: a.reason } : {}),
      };
  }
  return deployment.steps.map((challengerPercent, i) => {
    const step = i + 1;
    if (passed.has(step)) {
      const checks = passed.get(step);
      return {
        challengerPercent,
        state: 'OK',
        detail: checks === undefined ? 'passed' : `passed, ${checks} check${checks === 1 ? '' : 's'}`,
      };
    }
    if (rolledBack && rolledBack.step === step)
      return {
        challengerPercent,
        state: 'ALARM',
        detail: rolledBack.alarm ?? rolledBack.reason ?? 'rolled back',
      };
    if (shifted.has(step) && deployment.status === 'RUNNING') return { challengerPercent, state: 'BAKING' };
    return { challengerPercent, state: 'PENDING' };
  });
}

export async function endpointsPage(ctx: PageContext): Promise<Html> {
  const token = ctx.query.get('token') ?? undefined;
  const page = await read(
    ctx.client.GET('/endpoints', {
      params: { query: { limit: PAGE_SIZE, ...(token ? { nextToken: token } : {}) } },
    }),
  );
  const rows = page.items.map(
    (e) => html`<tr>
      <td><a href="${href(['models', e.modelName])}">${e.modelName}</a></td>
      <td>${e.endpointName}</td><td>${e.backend}</td><td>${badge(e.status)}</td>
      <td>${e.variants.map(
        (v) =>
          html`<div class="variant"><strong>${v.name}</strong> ${v.version === undefined ? '' : html`<a href="${href(['models', e.modelName, 'versions', v.version])}">v${v.version}</a>`} <span class="weight" style="--w:${v.weight}%">${v.weight}%</span> <span class="muted">${v.instanceCount} instance${v.instanceCount === 1 ? '' : 's'}</span></div>`,
      )}</td>
      <td>${e.rollout ? html`<a href="${href(['deployments', e.modelName, e.rollout.deploymentId])}">v${e.rollout.version} ${e.rollout.phase}</a>` : html`<span class="muted">at rest</span>`}</td>
    </tr>`,
  );
  return html`<h1>Endpoints</h1>
    ${table(['Model', 'Endpoint', 'Backend', 'Status', 'Serving', 'Rollout'], rows, 'No endpoint is configured.')}
    ${pager(ctx, ['endpoints'], page.nextToken)}`;
}
