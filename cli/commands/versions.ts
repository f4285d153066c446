/**
 * `mlops versions ...`: a model's versions. `register` does in one step what takes four calls by
 * hand: hash the file, register it, upload it with the presigned request, verify the stored hash.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Argument, type Command, Option } from 'commander';
import { expectOk } from '../../client';
import { action, CliFailure } from '../context';
import { EXIT } from '../exit-codes';
import { allPages } from '../pages';
import { presignedUpload } from '../presigned-upload';
import { type ApprovalView, noteApproval } from './approvals';
import { parseKeyValues, parseMetrics, parseVersion } from './parse';

const VERSION_COLUMNS = ['version', 'status', 'stage', 'metrics', 'createdAt', 'createdBy'];

export function versionCommands(program: Command): void {
  const versions = program.command('versions').description("a model's versions");
  versions.command('list <model>').action(
    action(async ({ api, out }, model: string) => {
      const items = await allPages((nextToken) =>
        expectOk(
          api.GET('/models/{name}/versions', { params: { path: { name: model }, query: { nextToken } } }),
        ),
      );
      out.result(items, VERSION_COLUMNS);
    }),
  );
  versions
    .command('get <model>')
    .argument('<version>', 'version number', parseVersion)
    .action(
      action(async ({ api, out }, model: string, version: number) => {
        out.result(
          await expectOk(
            api.GET('/models/{name}/versions/{version}', { params: { path: { name: model, version } } }),
          ),
        );
      }),
    );
  versions
    .command('register <model>')
    .description('hash, register, upload and verify a model file as a new version')
    .requiredOption('-f, --file <path>', 'the model artifact, e.g. model.onnx')
    .option('-m, --metrics <name=value...>', 'evaluation metrics, e.g. accuracy=0.91')
    .option('-p, --params <key=value...>', 'training parameters')
    .option('-t, --tag <key=value...>', 'tags')
    .option('-d, --description <text>', 'what changed in this version')
    .option('--run-id <id>', "the training run's id (lineage)")
    .option('--idempotency-key <key>', 'the same key registers once however often the command is retried')
    .action(
      action(async ({ api, out }, model: string, opts: RegisterOptions) => {
        const { sha256, sizeBytes } = await hashFile(opts.file);
        const registered = await expectOk(
          api.POST('/models/{name}/versions', {
            params: {
              path: { name: model },
              header: opts.idempotencyKey ? { 'Idempotency-Key': opts.idempotencyKey } : {},
            },
            body: {
              description: opts.description,
              metrics: parseMetrics(opts.metrics, '--metrics'),
              params: parseKeyValues(opts.params, '--params'),
              tags: parseKeyValues(opts.tag, '--tag'),
              lineage: opts.runId ? { trainingRunId: opts.runId } : {},
              artifact: { sha256, sizeBytes, fileName: artifactName(opts.file) },
            },
          }),
        );
        const version = registered.version.version;
        out.note(`registered ${model} version ${version}; uploading ${sizeBytes} bytes`);
        await presignedUpload(opts.file, sizeBytes, registered.upload, out);
        const verified = await expectOk(
          api.POST('/models/{name}/versions/{version}/verify', {
            params: { path: { name: model, version } },
          }),
        );
        if (verified.status !== 'READY')
          throw new CliFailure(
            `${model} version ${version} is ${verified.status}: ${verified.statusReason ?? 'no reason given'}`,
            EXIT.OPERATION_FAILED,
          );
        out.result(verified);
      }),
    );
  versions
    .command('verify <model>')
    .argument('<version>', 'version number', parseVersion)
    .description('hash the uploaded artifact: READY if it matches the declared sha256')
    .action(
      action(async ({ api, out }, model: string, version: number) => {
        out.result(
          await expectOk(
            api.POST('/models/{name}/versions/{version}/verify', {
              params: { path: { name: model, version } },
            }),
          ),
        );
      }),
    );
  versions
    .command('stage <model>')
    .argument('<version>', 'version number', parseVersion)
    .addArgument(
      new Argument('<stage>', 'target stage').choices(['None', 'Staging', 'Production', 'Archived']),
    )
    .option('--archive-existing', 'archive the versions now in the target stage')
    .description('move a version to a stage (governance checks apply to Production)')
    .action(
      action(
        async (
          { api, out },
          model: string,
          version: number,
          stage: 'None' | 'Staging' | 'Production' | 'Archived',
          opts: { archiveExisting?: boolean },
        ) => {
          const moved = await expectOk(
            api.POST('/models/{name}/versions/{version}/stage', {
              params: { path: { name: model, version } },
              body: { stage, archiveExistingVersions: opts.archiveExisting ?? false },
            }),
          );
          out.result(moved);
          // A model that asks for sign-off answers with the request the move waits on.
          if ('approval' in moved) noteApproval(out, moved.approval as ApprovalView);
        },
      ),
    );
  versions
    .command('govern <model>')
    .argument('<version>', 'version number', parseVersion)
    .description("record a version's governance evidence")
    .option('--model-card-url <url>')
    .addOption(new Option('--security-scan <result>').choices(['PASSED', 'FAILED']))
    .addOption(new Option('--load-test <result>').choices(['PASSED', 'FAILED']))
    .option('--demographic-parity-difference <number>', 'fairness: |P(y=1|A) - P(y=1|B)|', Number)
    .action(
      action(async ({ api, out }, model: string, version: number, opts: GovernOptions) => {
        const governance = {
          modelCardUrl: opts.modelCardUrl,
          securityScan: opts.securityScan,
          loadTest: opts.loadTest,
          demographicParityDifference: opts.demographicParityDifference,
        };
        out.result(
          await expectOk(
            api.PATCH('/models/{name}/versions/{version}', {
              params: { path: { name: model, version } },
              body: { governance },
            }),
          ),
        );
      }),
    );
}

interface RegisterOptions {
  readonly file: string;
  readonly metrics?: string[];
  readonly params?: string[];
  readonly tag?: string[];
  readonly description?: string;
  readonly runId?: string;
  readonly idempotencyKey?: string;
}

interface GovernOptions {
  readonly modelCardUrl?: string;
  readonly securityScan?: 'PASSED' | 'FAILED';
  readonly loadTest?: 'PASSED' | 'FAILED';
  readonly demographicParityDifference?: number;
}

/** The registry's file-name rule; anything else is stored as `model.onnx`'s kind would be. */
function artifactName(file: string): string {
  const name = basename(file);
  return /^[A-Za-z0-9_.-]{1,128}$/.test(name) ? name : 'model.onnx';
}

/** sha256 (hex) and size of a file, streamed: a model may be larger than memory. */
async function hashFile(file: string): Promise<{ sha256: string; sizeBytes: number }> {
  const sizeBytes = statSync(file).size;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return { sha256: hash.digest('hex'), sizeBytes };
}
