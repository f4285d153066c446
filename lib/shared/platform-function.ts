/**
 * The house Lambda: nodejs22.x on arm64, its handler bundled with the AWS SDK inside (in one
 * esbuild build for the whole app: `HandlerCode`), its own KMS-encrypted log group and its own
 * role with inline grants only. It also records its handler module in the template
 * (`cdk-mlops:entry` metadata) so local mode can run the very function a rule, state machine or
 * route names, from the same synthesized template. It stays a `NodejsFunction` given prebuilt code.
 * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_lambda_nodejs-readme.html
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ENTRY_METADATA_KEY } from '../../contracts/template-metadata';
import { BUNDLE_FILE, HandlerCode } from './handler-bundles';
import { acknowledge } from './nag';

export { REPO_ROOT } from './handler-bundles';

export { ENTRY_METADATA_KEY };

export const PLATFORM_FUNCTION_DEFAULTS = {
  runtime: lambda.Runtime.NODEJS_22_X,
  architecture: lambda.Architecture.ARM_64,
  memorySize: 512,
  timeout: Duration.seconds(30),
  logRetention: logs.RetentionDays.THREE_MONTHS,
} as const;

export interface PlatformFunctionProps {
  /** Handler module relative to the repository root; it must export `handler`. */
  readonly entry: string;
  readonly description: string;
  /** @default - none */
  readonly environment?: Record<string, string>;
  /** Encrypts the function's log group. */
  readonly encryptionKey: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
}

export class PlatformFunction extends nodejs.NodejsFunction {
  /** The handler module, relative to the repository root. */
  public readonly entryPath: string;

  constructor(scope: Construct, id: string, props: PlatformFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      encryptionKey: props.encryptionKey,
      retention: props.logRetention ?? PLATFORM_FUNCTION_DEFAULTS.logRetention,
      removalPolicy: props.removalPolicy,
    });
    // Our own role with inline grants only: the managed AWSLambdaBasicExecutionRole would allow
    // writing to every log group in the account.
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    logGroup.grantWrite(role);
    super(scope, id, {
      runtime: PLATFORM_FUNCTION_DEFAULTS.runtime,
      architecture: PLATFORM_FUNCTION_DEFAULTS.architecture,
      memorySize: props.memorySize ?? PLATFORM_FUNCTION_DEFAULTS.memorySize,
      timeout: props.timeout ?? PLATFORM_FUNCTION_DEFAULTS.timeout,
      // Adds xray:PutTraceSegments and xray:PutTelemetryRecords on "*": X-Ray has no resource-level
      // permissions for them (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html).
      tracing: lambda.Tracing.ACTIVE,
      // Built and staged before synthesis, with every other handler, by the app's `HandlerBundles`.
      code: new HandlerCode(props.entry),
      handler: `${BUNDLE_FILE}.handler`,
      description: props.description,
      role,
      logGroup,
      environment: { ...(props.environment ?? {}), NODE_OPTIONS: '--enable-source-maps' },
    });
    this.entryPath = props.entry;
    (this.node.defaultChild as lambda.CfnFunction).addMetadata(ENTRY_METADATA_KEY, props.entry);
    acknowledge(
      this,
      'AwsSolutions-L1',
      'The platform targets nodejs22.x on purpose (DESIGN.md); runtime upgrades are deliberate, tested changes.',
    );
  }
}
