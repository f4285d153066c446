/**
 * Follows a retraining run and the rollout it starts, printing each step once as it is reached:
 * the run's phases, the challenger's metrics against the champion's, the registered version, and
 * the rollout's traffic shifts, until the run or rollout ends.
 */
import type { PlatformClient } from '../client';
import type { Deployment } from '../contracts/deployment';
import type { RetrainingRun } from '../contracts/pipeline';
import { getDeployment, getRun, sleep } from './platform-calls';
import type { Progress } from './progress';

const POLL_MS = 200;
const TIMEOUT_MS = 300_000;

const fmt = (m: Record<string, number> | undefined, metric: string) =>
  m?.[metric] === undefined ? 'n/a' : m[metric].toFixed(3);

/** Prints a rollout's changes (phase, weights) since `seen`; returns what it printed last. */
function reportDeployment(p: Progress, d: Deployment, seen: string): string {
  const weights = d.weights ? ` (champion ${d.weights.champion}% / challenger ${d.weights.challenger}%)` : '';
  const line = `rollout ${d.deploymentId.slice(0, 8)} of v${d.version}: ${d.phase}${weights}`;
  if (line !== seen) p.info(line);
  return line;
}

/** Waits for a rollout to end, printing its steps. */
export async function followDeployment(
  api: PlatformClient,
  p: Progress,
  model: string,
  deploymentId: string,
): Promise<Deployment> {
  const deadline = Date.now() + TIMEOUT_MS;
  let seen = '';
  for (;;) {
    const d = await getDeployment(api, model, deploymentId);
    seen = reportDeployment(p, d, seen);
    if (d.status !== 'RUNNING') return d;
    if (Date.now() > deadline)
      throw new Error(`rollout ${deploymentId} still running after ${TIMEOUT_MS / 1000} s`);
    await sleep(POLL_MS);
  }
}

/** Waits for a run to end, printing its phases, metrics, version and canary as they happen. */
export async function followRun(
  api: PlatformClient,
  p: Progress,
  model: string,
  runId: string,
  metric: string,
  /** Called once when the run waits for sign-off (its model asks for approval); it decides. */
  onAwaitingApproval?: (run: RetrainingRun) => Promise<void>,
): Promise<RetrainingRun> {
  const deadline = Date.now() + TIMEOUT_MS;
  let approvalHandled = false;
  let phase = '';
  let metricsShown = false;
  let versionShown = false;
  let rollout = '';
  for (;;) {
    // The route answers before the execution's first state records the run.
    const run = await getRun(api, model, runId).catch(() => undefined);
    if (!run) {
      if (Date.now() > deadline) throw new Error(`run ${runId} never appeared`);
      await sleep(POLL_MS);
      continue;
    }
    if (run.phase !== phase) {
      phase = run.phase;
      p.info(`run ${runId.slice(0, 8)}: ${phase}`);
    }
    if (!metricsShown && run.metrics?.challenger) {
      metricsShown = true;
      const champion =
        run.championVersion === undefined ? 'no champion yet' : `champion v${run.championVersion}`;
      p.info(
        `  holdout ${metric}: challenger ${fmt(run.metrics.challenger, metric)}, ${champion} ${fmt(run.metrics.champion, metric)}`,
      );
    }
    if (!versionShown && run.registeredVersion !== undefined) {
      versionShown = true;
      p.info(`  registered as v${run.registeredVersion} (lineage: training window, run, parent version)`);
    }
    if (run.phase === 'AWAITING_APPROVAL' && onAwaitingApproval && !approvalHandled) {
      approvalHandled = true;
      await onAwaitingApproval(run);
    }
    if (run.deploymentId) {
      const d = await getDeployment(api, model, run.deploymentId).catch(() => undefined);
      if (d) rollout = reportDeployment(p, d, rollout);
    }
    if (run.status !== 'RUNNING') return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still running after ${TIMEOUT_MS / 1000} s`);
    await sleep(POLL_MS);
  }
}
