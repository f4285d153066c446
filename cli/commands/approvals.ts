/**
 * `mlops approvals ...`: sign-off on governed moves (a stage change or rollout waiting for its
 * approvers). The quorum's last approval runs the move as first asked. Locally, `mlops --as
 * approver ...` decides as the second caller `npm start` prints.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { expectOk, type PlatformClient } from '../../client';
import type { ApprovalStatus, DecisionVerdict } from '../../contracts/approvals';
import { action, CliFailure } from '../context';
import { EXIT } from '../exit-codes';
import type { Output } from '../output';
import { allPages } from '../pages';
import { parseVersion } from './parse';

const APPROVAL_COLUMNS = ['id', 'version', 'status', 'action.kind', 'requestedBy', 'createdAt', 'expiresAt'];
const EVERY_MODEL_COLUMNS = ['modelName', ...APPROVAL_COLUMNS];
/** Models read at once when listing every model's requests. */
const MODELS_AT_ONCE = 8;

/** An approval request as the routes answer it. */
export interface ApprovalView {
  readonly id: string;
  readonly modelName: string;
  readonly version: number;
  readonly status: string;
  readonly decisions: readonly { readonly decision: string }[];
  readonly policy: { readonly quorum: number; readonly approvers: readonly string[] };
}

export function approvalCommands(program: Command): void {
  const approvals = program.command('approvals').description("models' approval requests");
  approvals
    .command('list [model]')
    .description("a model's approval requests, newest first; without a model, every model's open ones")
    .addOption(
      new Option('--status <status>', 'only these (without a model: OPEN unless given)').choices([
        'OPEN',
        'APPROVED',
        'REJECTED',
        'EXPIRED',
        'START_FAILED',
      ]),
    )
    .action(
      action(async ({ api, out }, model: string | undefined, opts: { status?: ApprovalStatus }) => {
        if (model) {
          out.result(await listApprovals(api, model, opts.status), APPROVAL_COLUMNS);
          return;
        }
        const names = (
          await allPages((nextToken) => expectOk(api.GET('/models', { params: { query: { nextToken } } })))
        ).map((m) => m.name);
        const items: unknown[] = [];
        for (let at = 0; at < names.length; at += MODELS_AT_ONCE) {
          const lists = await Promise.all(
            names
              .slice(at, at + MODELS_AT_ONCE)
              .map((name) => listApprovals(api, name, opts.status ?? 'OPEN')),
          );
          items.push(...lists.flat());
        }
        out.result(items, EVERY_MODEL_COLUMNS);
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
      .command(`${decision} <model> [id]`)
      .description(`${decision} a request (approvers only), named by its id or by --model-version`)
      .option('--model-version <version>', 'the version whose open request this decides', parseVersion)
      .option('-c, --comment <text>', 'why')
      .action(
        action(
          async (
            { api, out },
            model: string,
            given: string | undefined,
            opts: { modelVersion?: number; comment?: string },
          ) => {
            const id = given ?? (await openRequestOf(api, model, opts.modelVersion));
            const decided = await expectOk(
              api.POST('/models/{name}/approvals/{id}/decisions', {
                params: { path: { name: model, id } },
                body: { decision, comment: opts.comment ?? '' },
              }),
            );
            out.result(decided);
            noteApproval(out, decided as ApprovalView);
          },
        ),
      );
  }
}

function listApprovals(api: PlatformClient, model: string, status: ApprovalStatus | undefined) {
  return allPages((nextToken) =>
    expectOk(
      api.GET('/models/{name}/approvals', {
        params: { path: { name: model }, query: { status, nextToken } },
      }),
    ),
  );
}

/** The id of the one open request for `version` (a version waits on one request at a time). */
async function openRequestOf(
  api: PlatformClient,
  model: string,
  version: number | undefined,
): Promise<string> {
  if (version === undefined) throw new InvalidArgumentError('give the request id, or --model-version');
  const open = (await listApprovals(api, model, 'OPEN')).filter((r) => r.version === version);
  if (open.length === 0)
    throw new CliFailure(`${model} version ${version} has no open approval request`, EXIT.REFUSED);
  return open[0].id;
}

/**
 * Where a request stands, on stderr: a governed move (`versions stage`, `deploy`) answers with the
 * request it waits on, and each decision moves it.
 */
export function noteApproval(out: Output, request: ApprovalView): void {
  const approved = request.decisions.filter((d) => d.decision === 'approve').length;
  const standing = `${request.modelName} version ${request.version}: approval ${request.id} ${request.status}`;
  if (request.status !== 'OPEN') {
    out.note(standing);
    return;
  }
  out.note(
    `${standing}, ${approved} of ${request.policy.quorum} approvals; approvers: ${request.policy.approvers.join(', ')}`,
  );
}
