/**
 * `mlops approvals ...`: sign-off on governed moves (a stage change or rollout waiting for its
 * approvers). The quorum's last approval runs the move as first asked.
 */
import { type Command, Option } from 'commander';
import { expectOk } from '../../client';
import type { ApprovalStatus, DecisionVerdict } from '../../contracts/approvals';
import { action } from '../context';
import { allPages } from '../pages';

const APPROVAL_COLUMNS = ['id', 'version', 'status', 'action.kind', 'requestedBy', 'createdAt', 'expiresAt'];

export function approvalCommands(program: Command): void {
  const approvals = program.command('approvals').description("a model's approval requests");
  approvals
    .command('list <model>')
    .description('approval requests, newest first')
    .addOption(
      new Option('--status <status>', 'only these').choices(['OPEN', 'APPROVED', 'REJECTED', 'EXPIRED']),
    )
    .action(
      action(async ({ api, out }, model: string, opts: { status?: ApprovalStatus }) => {
        const items = await allPages((nextToken) =>
          expectOk(
            api.GET('/models/{name}/approvals', {
              params: { path: { name: model }, query: { status: opts.status, nextToken } },
            }),
          ),
        );
        out.result(items, APPROVAL_COLUMNS);
      }),
    );
  approvals
    .command('get <model> <id>')
    .description('an approval request with its decisions')
    .action(
      action(async ({ api, out }, model: string, id: string) => {
        out.result(
          await expectOk(api.GET('/models/{name}/approvals/{id}', { params: { path: { name: model, id } } })),
        );
      }),
    );
  for (const decision of ['approve', 'reject'] as const satisfies readonly DecisionVerdict[]) {
    approvals
      .command(`${decision} <model> <id>`)
      .description(`${decision} a request (approvers only)`)
      .option('-c, --comment <text>', 'why')
      .action(
        action(async ({ api, out }, model: string, id: string, opts: { comment?: string }) => {
          out.result(
            await expectOk(
              api.POST('/models/{name}/approvals/{id}/decisions', {
                params: { path: { name: model, id } },
                body: { decision, comment: opts.comment ?? '' },
              }),
            ),
          );
        }),
      );
  }
}
