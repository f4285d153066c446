/**
 * `mlops models govern`: a model's own governance policy over the platform's (metric floors,
 * fairness, required evidence, and who signs off a move to Production). The route replaces the
 * model's whole override, so the command reads it first and changes only what its options name.
 */
import { type Command, Option } from 'commander';
import { expectOk } from '../../client';
import { action } from '../context';
import { changedPolicy } from '../governance-change';
import { parseMetrics, parseNumber } from './parse';

interface GovernOptions {
  readonly reset?: boolean;
  readonly metricFloor?: string[];
  readonly maxDemographicParityDifference?: number;
  readonly requireModelCard?: boolean;
  readonly requireSecurityScan?: boolean;
  readonly requireLoadTest?: boolean;
  readonly approver?: string[];
  readonly quorum?: number;
  readonly authorMayApprove?: boolean;
  readonly expiresAfterHours?: number;
  readonly removeApproval?: boolean;
}

export function modelGovernanceCommand(models: Command): void {
  models
    .command('govern <name>')
    .description("change a model's governance policy over the platform's; options not given keep their value")
    .option('--reset', "start from no overrides (the platform's policy), then apply the options")
    .option('--metric-floor <name=value...>', 'minimum metric for Production, e.g. accuracy=0.9')
    .option('--max-demographic-parity-difference <number>', 'fairness bound (0..1)', parseNumber)
    .option('--require-model-card', 'Production needs a model card URL')
    .option('--no-require-model-card', 'Production needs no model card URL')
    .option('--require-security-scan', 'Production needs a PASSED security scan')
    .option('--no-require-security-scan', 'Production needs no security scan')
    .option('--require-load-test', 'Production needs a PASSED load test')
    .option('--no-require-load-test', 'Production needs no load test')
    .option('--approver <arn...>', 'who signs off a move to Production: IAM principal or role ARNs')
    .option('--quorum <count>', 'how many approvers must approve', parseNumber)
    .option('--author-may-approve', "the version's author may approve it")
    .option('--no-author-may-approve', "the version's author may not approve it")
    .option('--expires-after-hours <hours>', 'how long a request stays open', parseNumber)
    .addOption(
      new Option(
        '--remove-approval',
        "drop the model's approval policy (the platform's, if any, applies)",
      ).conflicts(['approver', 'quorum', 'authorMayApprove', 'expiresAfterHours']),
    )
    .action(
      action(async ({ api, out }, name: string, opts: GovernOptions) => {
        const model = await expectOk(api.GET('/models/{name}', { params: { path: { name } } }));
        const { metricFloor, approver, reset, ...rest } = opts;
        const change = {
          ...rest,
          approvers: approver,
          metricFloors: metricFloor ? parseMetrics(metricFloor, '--metric-floor') : undefined,
        };
        const governance = changedPolicy(reset ? {} : (model.governance ?? {}), change);
        out.result(
          await expectOk(api.PATCH('/models/{name}', { params: { path: { name } }, body: { governance } })),
        );
      }),
    );
}
