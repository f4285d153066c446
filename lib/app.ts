import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type PlatformConfig, parsePlatformConfig } from '../contracts/config';
import { PlatformStack } from './platform-stack';

/** A config that does not parse; its message names every bad `mlops:*` field. */
export class PlatformConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PlatformConfigError';
  }
}

/** What `buildApp` made. */
export interface PlatformApp {
  readonly app: App;
  readonly stack: PlatformStack;
  readonly config: PlatformConfig;
}

/** Options of `buildApp`. */
export interface BuildAppOptions {
  /**
   * Cloud assembly directory.
   * @default - the CLI's `cdk.out`, or a temporary directory outside the CLI
   */
  readonly outdir?: string;
}

/**
 * Builds the CDK app exactly as `cdk synth` does: config from the `mlops:*` context keys
 * (cdk.json, `-c` overrides, and `context`), one `PlatformStack` named `Mlops-<envName>`, and
 * cdk-nag's AwsSolutions checks, which fail synthesis on any unacknowledged finding.
 *
 * @param context extra context; under the CLI, cdk.json and `-c` values take precedence.
 * @throws PlatformConfigError naming every bad field, e.g. `mlops:apiThrottlingRateLimit`.
 * @see https://docs.aws.amazon.com/cdk/v2/guide/policy-validation-synthesis.html
 */
export function buildApp(context?: Record<string, unknown>, options: BuildAppOptions = {}): PlatformApp {
  const app = new App({ context, outdir: options.outdir });
  let config: PlatformConfig;
  try {
    config = parsePlatformConfig(app.node.getAllContext());
  } catch (error) {
    throw new PlatformConfigError((error as Error).message, { cause: error });
  }
  const stack = new PlatformStack(app, `Mlops-${config.envName}`, {
    config,
    description: `cdk-mlops platform (${config.envName})`,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, config };
}
