/**
 * The batch prediction state machine's definition (JSONPath only: the local executor mis-runs
 * JSONata): Prepare > ChooseEngine >
 *   map: one Distributed Map per reader (CSV with its header, JSON Lines, the row-group manifest),
 *        ItemBatcher batches to a Lambda worker, failure tolerance from the job, ResultWriter to
 *        the job's prefix > Finalize (every row counted) > Succeeded | JobFailed;
 *   transform: PrepareTransform (Triton package) > one Distributed Map per reader writing a request
 *        shard per batch of rows (one OIP request per line) > CheckTransformInput > CreateModel >
 *        CreateTransformJob (.sync) > DeleteModel > a Distributed Map over the shards' indexes
 *        (ListObjectsV2) collecting each shard's output > FinalizeTransform (sums per-shard counts)
 *        > Succeeded | JobFailed; with no request to send (every shard done or refused) straight to
 *        the collecting map; a failed transform job through DeleteModel too, so a run leaves no
 *        SageMaker model. No one Lambda reads every row: each reads a shard;
 * and every failure through MarkFailed to RunFailed. A stopped or timed-out execution runs no
 * further state: its model is deleted by the rule on the machine's status changes instead.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/batch-transform.html
 */
import { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { BATCH_DEFAULTS } from './defaults';

/** State names: a contract with local overrides and tests. */
export const BatchState = {
  PREPARE: 'Prepare',
  CHOOSE_ENGINE: 'ChooseEngine',
  CHOOSE_READER: 'ChooseReader',
  SCORE_CSV: 'ScoreCsvRows',
  SCORE_JSONL: 'ScoreJsonLines',
  SCORE_ROW_GROUPS: 'ScoreRowGroups',
  FINALIZE: 'Finalize',
  PREPARE_TRANSFORM: 'PrepareTransform',
  CHOOSE_TRANSFORM_READER: 'ChooseTransformReader',
  WRITE_CSV_SHARDS: 'WriteCsvRequestShards',
  WRITE_JSONL_SHARDS: 'WriteJsonLinesRequestShards',
  WRITE_ROW_GROUP_SHARDS: 'WriteRowGroupRequestShards',
  CHECK_TRANSFORM_INPUT: 'CheckTransformInput',
  HAS_TRANSFORM_INPUT: 'HasTransformInput',
  COLLECT_SHARDS: 'CollectTransformShards',
  CREATE_MODEL: 'CreateTransformModel',
  TRANSFORM: 'BatchTransform',
  DELETE_MODEL: 'DeleteTransformModel',
  DELETE_MODEL_AFTER_FAILURE: 'DeleteTransformModelAfterFailure',
  FINALIZE_TRANSFORM: 'FinalizeTransform',
  MARK_FAILED: 'MarkFailed',
} as const;

export interface BatchDefinitionProps {
  readonly tasks: lambda.IFunction;
  readonly worker: lambda.IFunction;
  readonly rowsPerBatch: number;
  readonly maxConcurrency: number;
  /** The role Batch Transform's model runs as. */
  readonly transformRoleArn: string;
  readonly tritonImage: string;
  readonly transformInstanceType: string;
  readonly transformInstanceCount: number;
}

/**
 * The map's ResultWriter, writing to the job's output bucket. With `bucketNamePath` CDK grants its
 * S3 actions on "*"; the construct grants them on the job locations instead.
 */
class JobResultWriter extends sfn.ResultWriterV2 {
  public override providePolicyStatements(): iam.PolicyStatement[] {
    return [];
  }
}

/** ListObjectsV2 over a prefix of the job's bucket; granted on the job locations, as the writer is. */
class JobObjectsReader extends sfn.S3ObjectsItemReader {
  public override providePolicyStatements(): iam.PolicyStatement[] {
    return [];
  }
}

export function batchDefinition(scope: Construct, props: BatchDefinitionProps): sfn.IChainable {
  const step = (id: string, action: string, fields: Record<string, string>, resultPath: string) =>
    new tasks.LambdaInvoke(scope, id, {
      stateName: id,
      lambdaFunction: props.tasks,
      payload: sfn.TaskInput.fromObject({ action, 'job.$': '$.job', ...fields }),
      payloadResponseOnly: true,
      resultPath,
      retryOnServiceExceptions: true,
    });

  const runFailed = new sfn.Fail(scope, 'RunFailed', {
    stateName: 'RunFailed',
    errorPath: '$.error.Error',
    causePath: '$.error.Cause',
  });
  const markFailed = step(BatchState.MARK_FAILED, 'fail', { 'error.$': '$.error' }, '$.failed').next(
    runFailed,
  );
  const catchInto = <T extends sfn.TaskStateBase | sfn.DistributedMap | sfn.CustomState>(state: T): T => {
    state.addCatch(markFailed, { errors: ['States.ALL'], resultPath: '$.error' });
    return state;
  };
  const jobFailed = new sfn.Fail(scope, 'JobFailed', {
    stateName: 'JobFailed',
    error: 'BatchPredictionFailed',
    causePath: '$.result.status',
  });
  const outcome = (id: string) =>
    new sfn.Choice(scope, id, { stateName: id })
      .when(sfn.Condition.stringEquals('$.result.status', 'FAILED'), jobFailed)
      .otherwise(new sfn.Succeed(scope, `${id}Done`, { stateName: `${id}Done` }));

  const finalize = catchInto(
    step(
      BatchState.FINALIZE,
      'finalize',
      { 'source.$': '$.source', 'mapResult.$': '$.mapResult' },
      '$.result',
    ),
  ).next(outcome('Outcome'));

  const map = (id: string, itemReader: sfn.IItemReader, maxItemsPerBatch: number) => {
    const worker = new tasks.LambdaInvoke(scope, `${id}Batch`, {
      stateName: `${id}Batch`,
      lambdaFunction: props.worker,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
    });
    worker.addRetry({
      errors: [
        'Lambda.ClientExecutionTimeoutException',
        'Lambda.ServiceException',
        'Lambda.AWSLambdaException',
        'Lambda.SdkClientException',
        'Lambda.TooManyRequestsException',
      ],
      maxAttempts: BATCH_DEFAULTS.workerRetries,
      backoffRate: 2,
    });
    const distributed = new sfn.DistributedMap(scope, id, {
      stateName: id,
      itemReader,
      itemSelector: { 'index.$': '$$.Map.Item.Index', 'row.$': '$$.Map.Item.Value' },
      itemBatcher: new sfn.ItemBatcher({
        maxItemsPerBatch,
        maxInputBytesPerBatch: BATCH_DEFAULTS.maxInputBytesPerBatch,
        batchInput: { 'job.$': '$.job', 'source.$': '$.source' },
      }),
      maxConcurrency: props.maxConcurrency,
      // A batch that fails outright counts all its rows; its rows are dead-lettered by Finalize.
      toleratedFailurePercentagePath: '$.job.toleratedFailurePercent',
      // Each child whole (its batch, to dead-letter a failed one), a JSON line each, so Finalize
      // streams the results a child at a time.
      resultWriterV2: new JobResultWriter({
        bucketNamePath: sfn.JsonPath.stringAt('$.job.output.bucket'),
        prefix: sfn.JsonPath.stringAt('$.source.mapResultsPrefix'),
        writerConfig: new sfn.WriterConfig({
          outputType: sfn.OutputType.JSONL,
          transformation: sfn.Transformation.NONE,
        }),
      }),
      resultPath: '$.mapResult',
    });
    distributed.itemProcessor(worker);
    return catchInto(distributed).next(finalize);
  };
  const fileAt = {
    bucketNamePath: sfn.JsonPath.stringAt('$.source.bucket'),
    key: sfn.JsonPath.stringAt('$.source.key'),
  };
  const chooseReader = new sfn.Choice(scope, BatchState.CHOOSE_READER, {
    stateName: BatchState.CHOOSE_READER,
  })
    .when(
      sfn.Condition.stringEquals('$.source.reader', 'csv'),
      map(
        BatchState.SCORE_CSV,
        new sfn.S3CsvItemReader({ ...fileAt, csvHeaders: sfn.CsvHeaders.useFirstRow() }),
        props.rowsPerBatch,
      ),
    )
    .when(
      sfn.Condition.stringEquals('$.source.reader', 'jsonl'),
      map(BatchState.SCORE_JSONL, new sfn.S3JsonLItemReader(fileAt), props.rowsPerBatch),
    )
    // One row group per worker: a group is read with ranged GETs, its size set by the writer.
    .otherwise(map(BatchState.SCORE_ROW_GROUPS, new sfn.S3JsonItemReader(fileAt), 1));

  const prepareTransform = catchInto(
    step(BatchState.PREPARE_TRANSFORM, 'prepareTransform', { 'source.$': '$.source' }, '$.transform'),
  );
  // Children of the transform engine's maps are the steps function: each reads one shard.
  const shardTask = (id: string) =>
    new tasks.LambdaInvoke(scope, id, {
      stateName: id,
      lambdaFunction: props.tasks,
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
    });
  // Only each child's counts are written, a JSON line each, for FinalizeTransform to stream.
  const shardResults = () =>
    new JobResultWriter({
      bucketNamePath: sfn.JsonPath.stringAt('$.job.output.bucket'),
      prefix: sfn.JsonPath.stringAt('$.source.mapResultsPrefix'),
      writerConfig: new sfn.WriterConfig({
        outputType: sfn.OutputType.JSONL,
        transformation: sfn.Transformation.COMPACT,
      }),
    });
  const writeShards = (id: string, itemReader: sfn.IItemReader, maxItemsPerBatch: number) => {
    const shards = new sfn.DistributedMap(scope, id, {
      stateName: id,
      itemReader,
      itemSelector: { 'index.$': '$$.Map.Item.Index', 'row.$': '$$.Map.Item.Value' },
      itemBatcher: new sfn.ItemBatcher({
        maxItemsPerBatch,
        maxInputBytesPerBatch: BATCH_DEFAULTS.maxInputBytesPerBatch,
        batchInput: {
          action: 'writeTransformShard',
          'job.$': '$.job',
          'source.$': '$.source',
          'transform.$': '$.transform',
        },
      }),
      maxConcurrency: props.maxConcurrency,
      resultWriterV2: shardResults(),
      resultPath: '$.shards',
    });
    shards.itemProcessor(shardTask(`${id}Shard`));
    return catchInto(shards);
  };
  const checkInput = catchInto(
    step(BatchState.CHECK_TRANSFORM_INPUT, 'transformInput', {}, '$.transformInput'),
  );
  const collectShards = new sfn.DistributedMap(scope, BatchState.COLLECT_SHARDS, {
    stateName: BatchState.COLLECT_SHARDS,
    itemReader: new JobObjectsReader({
      bucketNamePath: sfn.JsonPath.stringAt('$.job.output.bucket'),
      prefix: sfn.JsonPath.stringAt('$.transform.indexPrefix'),
    }),
    itemSelector: {
      action: 'collectTransformShard',
      'job.$': '$.job',
      'indexKey.$': '$$.Map.Item.Value.Key',
    },
    maxConcurrency: props.maxConcurrency,
    resultWriterV2: shardResults(),
    resultPath: '$.collected',
  });
  collectShards.itemProcessor(shardTask(`${BatchState.COLLECT_SHARDS}Shard`));
  const finalizeTransform = catchInto(
    step(
      BatchState.FINALIZE_TRANSFORM,
      'finalizeTransform',
      { 'shards.$': '$.shards', 'collected.$': '$.collected' },
      '$.result',
    ),
  ).next(outcome('TransformOutcome'));
  catchInto(collectShards).next(finalizeTransform);
  const createModel = catchInto(
    new sfn.CustomState(scope, BatchState.CREATE_MODEL, {
      stateJson: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sagemaker:createModel',
        Parameters: {
          'ModelName.$': '$.transform.modelName',
          ExecutionRoleArn: props.transformRoleArn,
          PrimaryContainer: {
            Image: props.tritonImage,
            'ModelDataUrl.$': '$.transform.modelDataUrl',
            // The package's model directory is the registry model's name (see tritonPackagePaths).
            Environment: { 'SAGEMAKER_TRITON_DEFAULT_MODEL_NAME.$': '$.transform.tritonModelName' },
          },
        },
        ResultPath: null,
      },
    }),
  );
  const transform = new sfn.CustomState(scope, BatchState.TRANSFORM, {
    stateJson: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sagemaker:createTransformJob.sync',
      // The job's own bound: without one, a Task may be cut (locally, at 60 s) long before it.
      TimeoutSeconds: BATCH_DEFAULTS.stateMachineTimeout.toSeconds(),
      Parameters: {
        'TransformJobName.$': '$.transform.jobName',
        'ModelName.$': '$.transform.modelName',
        // Triton's /invocations parses its body as ONE Open Inference Protocol request, so lines
        // cannot be packed (MultiRecord) into a call: each line is a request of up to 500 rows
        // instead, which batches the GPU as MultiRecord would.
        BatchStrategy: 'SingleRecord',
        MaxPayloadInMB: BATCH_DEFAULTS.transformMaxPayloadMb,
        TransformInput: {
          DataSource: { S3DataSource: { S3DataType: 'S3Prefix', 'S3Uri.$': '$.transform.inputUri' } },
          ContentType: 'application/json',
          SplitType: 'Line',
        },
        TransformOutput: {
          'S3OutputPath.$': '$.transform.outputUri',
          AssembleWith: 'Line',
          Accept: 'application/json',
        },
        // Each output line carries its input line (the request, whose id is the row's key).
        DataProcessing: { JoinSource: 'Input' },
        TransformResources: {
          InstanceType: props.transformInstanceType,
          InstanceCount: props.transformInstanceCount,
        },
      },
      ResultSelector: { 'status.$': '$.TransformJobStatus' },
      ResultPath: '$.transformJob',
    },
  });
  // The job's model is needed only while its transform job runs: deleted once it ends, whichever
  // way. A failed delete leaves a model behind but no row unscored, so it never fails the job:
  // after its retries the run goes on, the error kept in $.modelCleanupError.
  const deleteModel = (id: string) => {
    const state = new sfn.CustomState(scope, id, {
      stateJson: {
        Type: 'Task',
        // No optimized integration deletes a model: the AWS SDK integration calls DeleteModel.
        Resource: 'arn:aws:states:::aws-sdk:sagemaker:deleteModel',
        Parameters: { 'ModelName.$': '$.transform.modelName' },
        ResultPath: null,
      },
    });
    state.addRetry({
      errors: ['States.ALL'],
      maxAttempts: BATCH_DEFAULTS.modelCleanupRetries,
      interval: Duration.seconds(2),
      backoffRate: 2,
    });
    return state;
  };
  const deleteAfterSuccess = deleteModel(BatchState.DELETE_MODEL);
  deleteAfterSuccess.addCatch(collectShards, {
    errors: ['States.ALL'],
    resultPath: '$.modelCleanupError',
  });
  const deleteAfterFailure = deleteModel(BatchState.DELETE_MODEL_AFTER_FAILURE);
  deleteAfterFailure.addCatch(markFailed, { errors: ['States.ALL'], resultPath: '$.modelCleanupError' });
  deleteAfterFailure.next(markFailed);
  // A failed or refused transform job: its error in $.error, as every Catch leaves it for MarkFailed.
  transform.addCatch(deleteAfterFailure, { errors: ['States.ALL'], resultPath: '$.error' });
  createModel.next(transform).next(deleteAfterSuccess).next(collectShards);
  const hasInput = new sfn.Choice(scope, BatchState.HAS_TRANSFORM_INPUT, {
    stateName: BatchState.HAS_TRANSFORM_INPUT,
  })
    .when(sfn.Condition.booleanEquals('$.transformInput.requests', true), createModel)
    .otherwise(collectShards);
  checkInput.next(hasInput);
  const transformPath = prepareTransform.next(
    new sfn.Choice(scope, BatchState.CHOOSE_TRANSFORM_READER, {
      stateName: BatchState.CHOOSE_TRANSFORM_READER,
    })
      .when(
        sfn.Condition.stringEquals('$.source.reader', 'csv'),
        writeShards(
          BatchState.WRITE_CSV_SHARDS,
          new sfn.S3CsvItemReader({ ...fileAt, csvHeaders: sfn.CsvHeaders.useFirstRow() }),
          props.rowsPerBatch,
        ).next(checkInput),
      )
      .when(
        sfn.Condition.stringEquals('$.source.reader', 'jsonl'),
        writeShards(
          BatchState.WRITE_JSONL_SHARDS,
          new sfn.S3JsonLItemReader(fileAt),
          props.rowsPerBatch,
        ).next(checkInput),
      )
      .otherwise(
        writeShards(BatchState.WRITE_ROW_GROUP_SHARDS, new sfn.S3JsonItemReader(fileAt), 1).next(checkInput),
      ),
  );

  const chooseEngine = new sfn.Choice(scope, BatchState.CHOOSE_ENGINE, {
    stateName: BatchState.CHOOSE_ENGINE,
  })
    .when(sfn.Condition.stringEquals('$.job.engine', 'transform'), transformPath)
    .otherwise(chooseReader);
  return catchInto(step(BatchState.PREPARE, 'prepare', {}, '$.source')).next(chooseEngine);
}
