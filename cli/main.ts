/**
 * `mlops`: the platform from a terminal, over its own API (the typed client), locally or on AWS.
 * Without `--api-url` (or `MLOPS_API_URL`) it talks to the platform `npm start` runs here.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { approvalCommands } from './commands/approvals';
import { batchCommands } from './commands/batch';
import { deployCommands } from './commands/deploy';
import { driftCommands } from './commands/drift';
import { experimentCommands } from './commands/experiments';
import { featureCommands } from './commands/features';
import { llmCommands } from './commands/llm';
import { modelCommands } from './commands/models';
import { pipelineCommands } from './commands/pipeline';
import { privacyCommands } from './commands/privacy';
import { promptCommands } from './commands/prompts';
import { runCommands } from './commands/runs';
import { versionCommands } from './commands/versions';
import { EXIT } from './exit-codes';

export function program(): Command {
  const root = new Command('mlops')
    .description(
      'cdk-mlops over its API: models, rollouts, features, drift, retraining, experiments, batch, runs, prompts',
    )
    .option('--api-url <url>', 'a deployed platform API (default: $MLOPS_API_URL, else the local platform)')
    .option('--region <region>', 'AWS Region of --api-url (default: $AWS_REGION)')
    .option('--data-dir <dir>', 'the local platform data directory (default: $MLOPS_DATA_DIR or .mlops-data)')
    .addOption(
      new Option('--as <caller>', "the local platform's caller to sign as: approver is npm start's second")
        .choices(['local', 'approver'])
        .default('local'),
    )
    .addOption(
      new Option('-o, --output <format>', 'result format').choices(['table', 'json']).default('table'),
    )
    .option(
      '--field <path>',
      'print only this field of the result (a dot path: jobId, approval.id), a line per row',
    )
    .showHelpAfterError()
    .exitOverride();
  modelCommands(root);
  versionCommands(root);
  deployCommands(root);
  approvalCommands(root);
  featureCommands(root);
  driftCommands(root);
  pipelineCommands(root);
  experimentCommands(root);
  batchCommands(root);
  runCommands(root);
  promptCommands(root);
  llmCommands(root);
  privacyCommands(root);
  for (const command of root.commands) command.exitOverride();
  return root;
}

/** Runs the CLI on `argv`; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await program().parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (err instanceof InvalidArgumentError) {
      process.stderr.write(`mlops: ${err.message}\n`);
      return EXIT.USAGE;
    }
    throw err;
  }
  return Number(process.exitCode ?? EXIT.OK);
}
