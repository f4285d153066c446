/**
 * The data-volume trigger's source: one function and, per model with `newRowsThreshold`,
 * `trainingData.featureView` and the `data-volume` trigger, an EventBridge schedule running it
 * every `newRowsCheckEveryMinutes` (15). It counts the view's new offline rows from the manifest
 * and puts `TrainingDataAccumulated` on the platform bus, which the pipeline's rule turns into a run.
 * Its role lists only the watched views' manifest prefixes, touches only the watched models'
 * partitions of the pipeline table, and puts events only on the platform bus.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ENV } from '../../contracts/env';
import { FEATURE_BUCKET_LAYOUT } from '../../contracts/features';
import { dataVolumeCheckOf, type RetrainingConfig } from '../../contracts/pipeline';
import { pipelineTableKeys } from '../../contracts/tables';
import { pascal } from '../shared/construct-id';
import type { ModelParameters } from '../shared/model-parameters';
import { acknowledge } from '../shared/nag';
import { PlatformFunction } from '../shared/platform-function';

export interface DataVolumeChecksProps {
  readonly configs: readonly RetrainingConfig[];
  /** The configs' SSM parameters, from which the check reads its model's. */
  readonly configParameters: ModelParameters;
  readonly bus: events.IEventBus;
  readonly key: kms.IKey;
  readonly pipelineTable: dynamodb.ITable;
  /** The feature store's offline bucket. @default - none; a model with a check then fails synthesis */
  readonly featureOfflineBucket?: s3.IBucket;
  readonly removalPolicy: RemovalPolicy;
}

/** Adds the check function and its schedules to `scope`; undefined when no model has a check. */
export function addDataVolumeChecks(
  scope: Construct,
  props: DataVolumeChecksProps,
): PlatformFunction | undefined {
  for (const c of props.configs) {
    if (c.newRowsThreshold && !c.trainingData.featureView) {
      throw new Error(
        `newRowsThreshold of ${c.modelName} needs trainingData.featureView (the view whose new offline rows are counted)`,
      );
    }
  }
  const specs = props.configs.flatMap((c) => dataVolumeCheckOf(c) ?? []);
  if (specs.length === 0) return undefined;
  const bucket = props.featureOfflineBucket;
  if (!bucket) {
    throw new Error(
      `the data-volume checks of ${specs.map((s) => s.modelName).join(', ')} need storage.featureOfflineBucket`,
    );
  }

  const fn = new PlatformFunction(scope, 'DataVolumeCheck', {
    entry: 'lambdas/pipeline/data-volume-check.ts',
    description: 'Retraining data-volume check: new offline feature rows since the last training',
    environment: {
      [ENV.pipelineTable]: props.pipelineTable.tableName,
      [ENV.featureOfflineBucket]: bucket.bucketName,
      [ENV.eventBusName]: props.bus.eventBusName,
      [ENV.retrainingConfigsPath]: props.configParameters.parameterPath,
    },
    encryptionKey: props.key,
    removalPolicy: props.removalPolicy,
    memorySize: 256,
  });
  // The watched models' partitions only: the check's state, the gate's lock and cool-down, runs.
  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
      resources: [props.pipelineTable.tableArn],
      conditions: {
        'ForAllValues:StringEquals': {
          'dynamodb:LeadingKeys': specs.map((s) => pipelineTableKeys.modelPartition(s.modelName)),
        },
      },
    }),
  );
  // The table is encrypted with the platform key: reads decrypt, the state item's writes encrypt.
  props.key.grant(fn, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey');
  // Listing only, of the watched views' manifests: entry keys carry write time and row count.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html#condition-key-bucket-ops-2
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: {
        StringLike: {
          's3:prefix': [...new Set(specs.map((s) => `${FEATURE_BUCKET_LAYOUT.manifest}${s.featureView}/*`))],
        },
      },
    }),
  );
  props.bus.grantPutEventsTo(fn);
  props.configParameters.grantRead(fn);
  acknowledge(
    fn.role!.node.tryFindChild('DefaultPolicy')!,
    'AwsSolutions-IAM5',
    'X-Ray PutTraceSegments and PutTelemetryRecords have no resource-level permissions.',
    'Resource::*',
  );

  for (const spec of specs) {
    new events.Rule(scope, `DataVolumeCheck${pascal(spec.modelName)}`, {
      description: `Count new offline rows of ${spec.featureView} for retraining ${spec.modelName}`,
      schedule: events.Schedule.rate(Duration.minutes(spec.everyMinutes)),
      targets: [
        new targets.LambdaFunction(fn, {
          event: events.RuleTargetInput.fromObject({ modelName: spec.modelName }),
          retryAttempts: 2,
        }),
      ],
    });
  }
  return fn;
}
