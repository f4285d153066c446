/**
 * `mlops deploy`, `mlops deployments ...`, `mlops endpoints`: rollouts and what serves what.
 * `deploy --watch` follows the rollout live (phase, weights, the alarm that stopped it) and exits
 * non-zero unless the version was promoted, so CI can gate on it.
 */
import type { Command } from 'commander';
import { expectOk, type PlatformClient } from '../../client';
import { action, CliFailure } from '../context';
import { EXIT } from '../exit-codes';
import type { Output } from '../output';
import { allPages } from '../pages';
import { watchUntil } from '../watch';
import { type ApprovalView, noteApproval } from './approvals';
import { parseVersion } from './parse';

const DEPLOYMENT_COLUMNS = ['deploymentId', 'version', 'status', 'phase', 'weights', 'createdAt'];
const TERMINAL = new Set(['PROMOTED', 'ROLLED_BACK', 'REFUSED', 'FAILED']);

export function deployCommands(program: Command): void {
  rolloutOptions(
    program
      .command('deploy <model>')
      .argument('<version>', 'the READY version to roll out', parseVersion)
      .description("canary-roll a version out to the model's endpoint"),
  ).action(
    action(async ({ api, out }, model: string, version: number, opts: DeployOptions) => {
      const started = await expectOk(
        api.POST('/models/{name}/deployments', {
          params: { path: { name: model } },
          body: { version, canarySteps: opts.steps, bakeMinutes: opts.bakeMinutes },
        }),
      );
      // A model that asks for sign-off answers with the approval request the rollout waits on.
      if (!opts.watch || 'approval' in started) {
        out.result(started);
        if ('approval' in started) noteApproval(out, started.approval as ApprovalView);
        return;
      }
      const ended = await watchRollout(
        out,
        () => readDeployment(api, model, started.deploymentId),
        opts.interval * 1000,
      );
      out.result(ended);
      requirePromoted(ended);
    }),
  );

  const deployments = program.command('deployments').description("a model's rollouts");
  deployments.command('list <model>').action(
    action(async ({ api, out }, model: string) => {
      const page = await expectOk(
        api.GET('/models/{name}/deployments', { params: { path: { name: model }, query: {} } }),
      );
      out.result(page.items, DEPLOYMENT_COLUMNS);
    }),
  );
  deployments.command('get <model> <deploymentId>').action(
    action(async ({ api, out }, model: string, deploymentId: string) => {
      out.result(await readDeployment(api, model, deploymentId));
    }),
  );

  program
    .command('endpoints')
    .description('every configured endpoint and what it serves')
    .action(
      action(async ({ api, out }) => {
        out.result(
          await allPages((nextToken) =>
            expectOk(api.GET('/endpoints', { params: { query: { nextToken } } })),
          ),
        );
      }),
    );
}

/** The schedule of a rollout command (`--steps`, `--bake-minutes`) and `--watch`, `--interval`. */
export function rolloutOptions(command: Command): Command {
  return command
    .option('--steps <percents>', 'canary weights, e.g. 10,50,100', (v) => v.split(',').map(Number))
    .option('--bake-minutes <minutes>', 'bake time per step', Number)
    .option('-w, --watch', 'follow the rollout until it ends; exit 4 unless promoted')
    .option('--interval <seconds>', 'how often --watch reads the rollout', Number, 2);
}

/** A rollout command's options: the schedule, and whether to follow it. */
export interface DeployOptions {
  readonly steps?: number[];
  readonly bakeMinutes?: number;
  readonly watch?: boolean;
  readonly interval: number;
}

function readDeployment(api: PlatformClient, model: string, deploymentId: string) {
  return expectOk(
    api.GET('/models/{name}/deployments/{deploymentId}', { params: { path: { name: model, deploymentId } } }),
  );
}

/** What `watchRollout` reads of a rollout: a model's, or an LLM endpoint's model rollout. */
interface RolloutView {
  readonly deploymentId: string;
  readonly status: string;
  readonly phase: string;
  readonly weights?: { readonly champion: number; readonly challenger: number };
  readonly alarm?: string;
  readonly reason?: string;
}

/** Reads the rollout until it ends, printing a line on stderr each time what it shows changes. */
export function watchRollout<T extends RolloutView>(out: Output, read: () => Promise<T>, everyMs: number) {
  return watchUntil(
    out,
    read,
    (d) => {
      const weights = d.weights
        ? ` champion ${d.weights.champion}% / challenger ${d.weights.challenger}%`
        : '';
      return `${d.status} ${d.phase}${weights}${d.alarm ? ` alarm ${d.alarm}` : ''}`;
    },
    (d) => TERMINAL.has(d.status),
    everyMs,
  );
}

/** Exit 4 (operation failed) unless the rollout ended promoted, naming the alarm or reason. */
export function requirePromoted(ended: RolloutView): void {
  if (ended.status !== 'PROMOTED')
    throw new CliFailure(
      `rollout ${ended.deploymentId} ${ended.status}${ended.alarm ? ` on alarm ${ended.alarm}` : ''}${ended.reason ? `: ${ended.reason}` : ''}`,
      EXIT.OPERATION_FAILED,
    );
}
