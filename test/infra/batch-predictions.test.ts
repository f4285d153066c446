import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BATCH_PREDICTIONS_PREFIX, BatchPredictionsConfig } from '../../contracts/batch-predictions';
import { BATCH_UPLOAD_PREFIX } from '../../contracts/batch-uploads';
import { ENV } from '../../contracts/env';
import { FEATURE_BUCKET_LAYOUT } from '../../contracts/features';
import { EXECUTION_STATUS_CHANGE, STOPPED_STATUSES } from '../../contracts/pipeline';
import { BATCH_PREDICTIONS_TABLE, FEATURE_REGISTRY_TABLE } from '../../contracts/tables';
import { BatchState } from '../../lib/batch-predictions/batch-definition';
import { BatchPredictions } from '../../lib/batch-predictions/batch-predictions';
import { PlatformStorage } from '../../lib/storage/platform-storage';
import type { CfnTemplate } from '../../local/cdk-template';
import { stateMachineDefinitions } from '../../local/state-machines/executor';
import { SKIP_BUNDLING } from './helpers';
import { NO_RESOURCE_LEVEL } from './iam-wildcards';

const governance = {
  metricFloors: {},
  requireModelCard: false,
  requireSecurityScan: false,
  requireLoadTest: false,
};

const daily = {
  modelName: 'churn',
  schedule: 'cron(0 3 * * ? *)',
  input: { uri: 's3://team-data/daily/{date}/rows.csv', format: 'csv' },
  keyColumn: 'customer_id',
  output: { uri: 's3://team-data/scores/' },
};

/** Batch predictions in a stack of their own, over the platform's storage. */
function batchStack(
  options: { config?: unknown; nag?: boolean; extra?: (b: BatchPredictions) => void } = {},
) {
  const app = new App({ context: SKIP_BUNDLING });
  const stack = new Stack(app, 'BatchTest');
  const storage = new PlatformStorage(stack, 'Storage', {});
  const batch = new BatchPredictions(stack, 'Batch', {
    storage: { ...storage, batchPredictionsTable: storage.tables[BATCH_PREDICTIONS_TABLE.id] },
    config: BatchPredictionsConfig.parse(options.config ?? { buckets: ['team-data'], schedules: [daily] }),
    governance,
    // As the platform wires it: jobs may enrich entity rows from the offline store.
    featureStore: {
      registryTable: storage.tables[FEATURE_REGISTRY_TABLE.id],
      offlineBucket: s3.Bucket.fromBucketName(stack, 'Offline', 'team-features'),
      workGroup: new athena.CfnWorkGroup(stack, 'WorkGroup', { name: 'team-features' }),
      glueDatabase: new glue.CfnDatabase(stack, 'Database', {
        catalogId: '111122223333',
        databaseInput: { name: 'team_features' },
      }),
    },
  });
  options.extra?.(batch);
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, batch };
}

/** Every Allow statement of the role policy named by `policyPrefix` (logical id prefix). */
function statementsOf(template: Template, policyPrefix: string): Array<Record<string, unknown>> {
  return Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([id]) => id.startsWith(policyPrefix))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
}

describe('BatchPredictions', () => {
  const { stack, batch } = batchStack();
  const template = Template.fromStack(stack);

  it('passes cdk-nag with every wildcard acknowledged on its own policy', () => {
    const { app } = batchStack({ nag: true });
    expect(() => app.synth()).not.toThrow();
  });

  it('fails cdk-nag for a wildcard added to the worker without a reason', () => {
    // Prepare
    const { app } = batchStack({
      nag: true,
      extra: (b) =>
        b.worker.addToRolePolicy(
          new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::other-bucket/*'] }),
        ),
    });
    // Act & Assess
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5/);
  });

  it('logs every event of the state machine, without execution data, and traces it', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
      TracingConfiguration: { Enabled: true },
    });
  });

  it('holds job objects to the configured buckets and the batch prefix of the platform bucket', () => {
    // Prepare
    const resources = statementsOf(template, 'BatchWorkerRoleDefaultPolicy')
      .filter((s) => [s.Action].flat().includes('s3:PutObject'))
      .flatMap((s) => [s.Resource].flat());
    // Assess: writes reach job locations only, never artifacts or runs
    expect(JSON.stringify(resources)).toContain(`/${BATCH_PREDICTIONS_PREFIX}*`);
    expect(JSON.stringify(resources)).toContain('team-data/*');
    expect(resources).toHaveLength(2);
  });

  it('grants no deletes, action groups or table index wildcards to any batch role', () => {
    const actions = Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith('Batch'))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
      .flatMap((s: { Action: string | string[] }) => [s.Action].flat());
    expect(actions.filter((a) => a.startsWith('s3:Delete') || a.endsWith('*'))).toEqual([]);
    const text = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(text).not.toMatch(/\/index\/\*/);
  });

  it('grants on Resource "*" only actions with no resource-level permissions', () => {
    const onStar = Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith('Batch'))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
      .filter((s: { Resource: unknown }) => s.Resource === '*')
      .flatMap((s: { Action: string | string[] }) => [s.Action].flat());
    expect(onStar.length).toBeGreaterThan(0);
    expect(onStar.filter((a) => !(a in NO_RESOURCE_LEVEL))).toEqual([]);
  });

  it('lets the state machine create and stop only mlops-batch- models and transform jobs', () => {
    // Prepare
    const sagemaker = statementsOf(template, 'BatchStateMachineRoleDefaultPolicy').filter(
      (s) => s.Sid !== 'DeleteJobModels' && [s.Action].flat().some((a) => String(a).startsWith('sagemaker:')),
    );
    // Assess: the .sync integration's calls, on the platform's names only
    expect(sagemaker).toHaveLength(1);
    expect([sagemaker[0].Action].flat().sort()).toEqual([
      'sagemaker:AddTags',
      'sagemaker:CreateModel',
      'sagemaker:CreateTransformJob',
      'sagemaker:DescribeTransformJob',
      'sagemaker:StopTransformJob',
    ]);
    const resources = JSON.stringify(sagemaker[0].Resource);
    expect(resources).toContain(':model/mlops-batch-*');
    expect(resources).toContain(':transform-job/mlops-batch-*');
    expect(resources).not.toMatch(/"\*"/);
    // The rule .sync polls through, by its fixed name.
    expect(
      JSON.stringify(
        statementsOf(template, 'BatchStateMachineRoleDefaultPolicy').filter((s) =>
          [s.Action].flat().includes('events:PutRule'),
        ),
      ),
    ).toContain('rule/StepFunctionsGetEventsForSageMakerTransformJobsRule');
  });

  it("deletes the job's model after the transform job, whether it completed or failed", () => {
    // Prepare: the definition as the state machine runs it
    const [definition] = [...stateMachineDefinitions(template.toJSON() as CfnTemplate).values()];
    const state = (name: string) => definition.States[name] as Record<string, unknown>;
    const catchOf = (name: string) => (state(name).Catch as Array<Record<string, unknown>>)[0];

    // Assess: completed > DeleteModel > collect; failed > DeleteModel > MarkFailed with the error
    expect(state(BatchState.TRANSFORM).Next).toBe(BatchState.DELETE_MODEL);
    expect(catchOf(BatchState.TRANSFORM)).toEqual({
      ErrorEquals: ['States.ALL'],
      ResultPath: '$.error',
      Next: BatchState.DELETE_MODEL_AFTER_FAILURE,
    });
    for (const [name, next] of [
      [BatchState.DELETE_MODEL, BatchState.COLLECT_SHARDS],
      [BatchState.DELETE_MODEL_AFTER_FAILURE, BatchState.MARK_FAILED],
    ]) {
      expect(state(name)).toMatchObject({
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:sagemaker:deleteModel',
        Parameters: { 'ModelName.$': '$.transform.modelName' },
        ResultPath: null,
        Next: next,
      });
      // A delete that keeps failing goes on where it was going, the original error kept.
      expect(catchOf(name)).toEqual({
        ErrorEquals: ['States.ALL'],
        ResultPath: '$.modelCleanupError',
        Next: next,
      });
      expect((state(name).Retry as unknown[]).length).toBe(1);
    }
  });

  it('writes and collects Batch Transform shards in Distributed Maps, no step reading every row', () => {
    // Prepare
    const [definition] = [...stateMachineDefinitions(template.toJSON() as CfnTemplate).values()];
    const state = (name: string) => definition.States[name] as Record<string, unknown>;
    const compactLines = {
      Resource: 'arn:aws:states:::s3:putObject',
      WriterConfig: { OutputType: 'JSONL', Transformation: 'COMPACT' },
    };

    // Assess: a map per reader writes a shard per batch; one over the shards' indexes collects them
    for (const name of [
      BatchState.WRITE_CSV_SHARDS,
      BatchState.WRITE_JSONL_SHARDS,
      BatchState.WRITE_ROW_GROUP_SHARDS,
    ])
      expect(state(name)).toMatchObject({
        Type: 'Map',
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' } },
        ItemBatcher: { BatchInput: { action: 'writeTransformShard', 'transform.$': '$.transform' } },
        ResultWriter: compactLines,
        Next: BatchState.CHECK_TRANSFORM_INPUT,
      });
    expect(state(BatchState.COLLECT_SHARDS)).toMatchObject({
      Type: 'Map',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:listObjectsV2',
        Parameters: { 'Bucket.$': '$.job.output.bucket', 'Prefix.$': '$.transform.indexPrefix' },
      },
      ItemSelector: { action: 'collectTransformShard', 'indexKey.$': '$$.Map.Item.Value.Key' },
      ResultWriter: compactLines,
      Next: BatchState.FINALIZE_TRANSFORM,
    });
    expect(state(BatchState.HAS_TRANSFORM_INPUT)).toMatchObject({
      Choices: [
        { Variable: '$.transformInput.requests', BooleanEquals: true, Next: BatchState.CREATE_MODEL },
      ],
      Default: BatchState.COLLECT_SHARDS,
    });
    // The listing is granted on the job locations' buckets only, as the readers' objects are.
    const lists = statementsOf(template, 'BatchStateMachineRoleDefaultPolicy').filter((s) =>
      [s.Action].flat().includes('s3:ListBucket'),
    );
    expect(lists.length).toBeGreaterThan(0);
    for (const l of lists) expect(JSON.stringify(l.Resource)).not.toMatch(/"\*"/);
  });

  it('lets the state machine and the steps delete only mlops-batch- models', () => {
    // Prepare
    const deletes = Object.entries(template.findResources('AWS::IAM::Policy')).flatMap(([id, p]) =>
      p.Properties.PolicyDocument.Statement.filter((s: { Action: unknown }) =>
        [s.Action].flat().includes('sagemaker:DeleteModel'),
      ).map((s: unknown) => [id.replace(/[0-9A-F]{8}$/, ''), s]),
    );
    // Assess: one statement each, DeleteModel alone, on the per-job model names
    expect(deletes.map(([id]) => id).sort()).toEqual([
      'BatchStateMachineRoleDefaultPolicy',
      'BatchTasksRoleDefaultPolicy',
    ]);
    for (const [, statement] of deletes) {
      expect(statement).toMatchObject({ Sid: 'DeleteJobModels', Action: 'sagemaker:DeleteModel' });
      expect(JSON.stringify(statement.Resource)).toMatch(/:model\/mlops-batch-\*"\]\]\}$/);
    }
  });

  it('fails cdk-nag for DeleteModel on every model', () => {
    // Prepare
    const { app } = batchStack({
      nag: true,
      extra: (b) =>
        b.tasks.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['sagemaker:DeleteModel'],
            resources: [
              Stack.of(b).formatArn({ service: 'sagemaker', resource: 'model', resourceName: '*' }),
            ],
          }),
        ),
    });
    // Act & Assess
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5/);
  });

  it("sends the machine's stopped, timed-out and failed runs to the steps, which delete their model", () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': [EXECUTION_STATUS_CHANGE],
        detail: {
          status: [...STOPPED_STATUSES],
          stateMachineArn: [{ Ref: stack.getLogicalId(batch.stateMachine.node.defaultChild as never) }],
        },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [stack.getLogicalId(batch.tasks.node.defaultChild as never), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 8 },
        }),
      ],
    });
  });

  it('passes only the transform role, and only to SageMaker', () => {
    // Prepare
    const passes = Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith('Batch'))
      .flatMap(([id, p]) =>
        p.Properties.PolicyDocument.Statement.filter((s: { Action: unknown }) =>
          [s.Action].flat().includes('iam:PassRole'),
        ).map((s: unknown) => [id, s]),
      );
    const [transformRoleId] = Object.keys(
      template.findResources('AWS::IAM::Role', {
        Properties: {
          AssumeRolePolicyDocument: Match.objectLike({
            Statement: [Match.objectLike({ Principal: { Service: 'sagemaker.amazonaws.com' } })],
          }),
        },
      }),
    );
    // Assess
    expect(passes).toHaveLength(1);
    expect(passes[0][0]).toMatch(/^BatchStateMachineRoleDefaultPolicy/);
    expect(passes[0][1]).toMatchObject({
      Resource: { 'Fn::GetAtt': [transformRoleId, 'Arn'] },
      Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    });
  });

  it("runs Batch Transform on the job's Triton package, split by line and joined with its input", () => {
    // Prepare
    const definition = JSON.stringify(
      Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0].Properties
        .DefinitionString,
    );
    // Assess: the Triton model is the package's, each line one request, each answer one line
    expect(definition).toContain(
      '\\"SAGEMAKER_TRITON_DEFAULT_MODEL_NAME.$\\":\\"$.transform.tritonModelName\\"',
    );
    for (const field of [
      '\\"SplitType\\":\\"Line\\"',
      '\\"AssembleWith\\":\\"Line\\"',
      '\\"JoinSource\\":\\"Input\\"',
      '\\"BatchStrategy\\":\\"SingleRecord\\"',
    ])
      expect(definition).toContain(field);
  });

  it("lets the transform role read the job's objects, and the steps read the version's artifact", () => {
    // Prepare
    const transformReads = statementsOf(template, 'BatchTransformRoleDefaultPolicy')
      .filter((s) => [s.Action].flat().includes('s3:GetObject'))
      .flatMap((s) => [s.Resource].flat());
    const stepReads = statementsOf(template, 'BatchTasks')
      .filter((s) => s.Sid === 'ReadModelArtifacts')
      .flatMap((s) => [s.Resource].flat());
    // Assess: the package lives with the job, so the role reads job locations and nothing else
    expect(JSON.stringify(transformReads)).toContain(`/${BATCH_PREDICTIONS_PREFIX}*`);
    expect(JSON.stringify(transformReads)).not.toContain('serving/packages/');
    expect(transformReads).toHaveLength(2);
    expect(JSON.stringify(stepReads)).toContain('/artifacts/*');
  });

  it("lets the API presign input uploads under the platform bucket's batch-predictions/in/ and put nowhere else", () => {
    // Prepare
    const puts = statementsOf(template, 'BatchHandler').filter((s) =>
      [s.Action].flat().includes('s3:PutObject'),
    );
    // Assess: one statement, PutObject alone, on the upload prefix of the platform bucket
    expect(puts).toHaveLength(1);
    expect(puts[0]).toMatchObject({ Sid: 'PresignInputUploads', Action: 's3:PutObject' });
    expect(JSON.stringify(puts[0].Resource)).toContain(`/${BATCH_UPLOAD_PREFIX}*`);
    expect(JSON.stringify(puts[0].Resource)).toContain('StorageArtifacts');
  });

  it("lets the API read and list a job's output only in the job locations", () => {
    // Prepare
    const statements = statementsOf(template, 'BatchHandler');
    const reads = statements.find((s) => s.Sid === 'PresignOutputReads')!;
    const lists = statements.filter((s) => [s.Action].flat().includes('s3:ListBucket'));
    // Assess: GetObject on the batch prefix of the platform bucket and the named buckets
    expect(reads.Action).toBe('s3:GetObject');
    expect(JSON.stringify(reads.Resource)).toContain(`/${BATCH_PREDICTIONS_PREFIX}*`);
    expect(JSON.stringify(reads.Resource)).toContain('team-data/*');
    expect([reads.Resource].flat()).toHaveLength(2);
    // ...and ListBucket, the platform bucket's held to the batch prefix
    expect(lists).toHaveLength(2);
    expect(lists.filter((s) => s.Condition)).toEqual([
      expect.objectContaining({ Condition: { StringLike: { 's3:prefix': `${BATCH_PREDICTIONS_PREFIX}*` } } }),
    ]);
  });

  it('fails cdk-nag for an API put on the whole platform bucket', () => {
    // Prepare
    const { app } = batchStack({
      nag: true,
      extra: (b) =>
        b.handler.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['s3:PutObject'],
            resources: ['arn:aws:s3:::platform-artifacts/*'],
          }),
        ),
    });
    // Act & Assess
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5/);
  });

  it('tells the functions where jobs may read and write', () => {
    const env = template.findResources('AWS::Lambda::Function', {
      Properties: { Description: 'cdk-mlops batch predictions API' },
    });
    const settings = JSON.stringify(
      Object.values(env)[0].Properties.Environment.Variables[ENV.batchSettings],
    );
    expect(settings).toContain(BATCH_PREDICTIONS_PREFIX);
    expect(settings).toContain('team-data');
  });

  it('lets the API and the steps, and no other function, read feature views and the offline store', () => {
    // Prepare
    const envOf = (description: string) =>
      Object.values(
        template.findResources('AWS::Lambda::Function', { Properties: { Description: description } }),
      )[0].Properties.Environment.Variables;
    const steps = statementsOf(template, 'BatchTasksRoleDefaultPolicy');
    const offline = steps.filter((s) => s.Sid === 'ListOfflineManifest' || s.Sid === 'ReadOfflineFeatures');
    // Assess
    expect(envOf('cdk-mlops batch predictions API')).toHaveProperty(ENV.featureOfflineBucket);
    expect(envOf('cdk-mlops batch prediction steps (prepare, finalize, fail)')).toHaveProperty(
      ENV.featureRegistryTable,
    );
    expect(envOf('cdk-mlops batch prediction worker (one batch of rows)')).not.toHaveProperty(
      ENV.featureRegistryTable,
    );
    expect(offline).toHaveLength(2);
    expect(JSON.stringify(offline)).toContain(`"s3:prefix":"${FEATURE_BUCKET_LAYOUT.manifest}*"`);
    expect(JSON.stringify(offline)).toContain(`/${FEATURE_BUCKET_LAYOUT.offline}*`);
    expect(statementsOf(template, 'BatchHandlerRoleDefaultPolicy').map((s) => s.Sid)).toEqual(
      expect.arrayContaining(['ReadFeatureViews', 'ReadEntityListHeaders']),
    );
  });

  it("lets the steps, and not the API, run entity joins on the feature store's Athena workgroup", () => {
    // Prepare
    const envOf = (description: string) =>
      Object.values(
        template.findResources('AWS::Lambda::Function', { Properties: { Description: description } }),
      )[0].Properties.Environment.Variables;
    const sids = (prefix: string) => statementsOf(template, prefix).map((s) => s.Sid);
    const steps = statementsOf(template, 'BatchTasksRoleDefaultPolicy');
    // Assess
    expect(envOf('cdk-mlops batch prediction steps (prepare, finalize, fail)')).toMatchObject({
      [ENV.featureOfflineEngine]: 'athena',
      [ENV.featureAthenaWorkgroup]: 'team-features',
    });
    expect(envOf('cdk-mlops batch predictions API')).not.toHaveProperty(ENV.featureOfflineEngine);
    expect(sids('BatchTasksRoleDefaultPolicy')).toEqual(
      expect.arrayContaining(['RunEntityJoins', 'ManageEntityJoinTables', 'WriteEntityJoinResults']),
    );
    expect(sids('BatchHandlerRoleDefaultPolicy')).not.toContain('RunEntityJoins');
    const run = steps.find((s) => s.Sid === 'RunEntityJoins')!;
    expect(JSON.stringify(run.Resource)).toContain(':workgroup/team-features');
    const results = steps.find((s) => s.Sid === 'WriteEntityJoinResults')!;
    expect(JSON.stringify(results.Resource)).toContain(`/${FEATURE_BUCKET_LAYOUT.athenaResults}*`);
  });

  it('runs each configured schedule through the scheduler with the schedule as input', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 3 * * ? *)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [stack.getLogicalId(batch.scheduler.node.defaultChild as never), 'Arn'] },
          InputTransformer: Match.objectLike({
            InputTemplate: Match.stringLikeRegexp('"modelName":"churn".*daily/\\{date\\}/rows.csv'),
          }),
          RetryPolicy: { MaximumRetryAttempts: 8 },
        }),
      ],
    });
  });

  it('creates no schedule rule without schedules', () => {
    const { stack: bare } = batchStack({ config: {} });
    expect(
      Object.values(Template.fromStack(bare).findResources('AWS::Events::Rule')).filter(
        (r) => r.Properties.ScheduleExpression !== undefined,
      ),
    ).toEqual([]);
  });

  it('fails for a schedule that is not a rate or cron expression', () => {
    expect(() => batchStack({ config: { schedules: [{ ...daily, schedule: 'daily' }] } })).toThrow(
      /must be rate\(...\) or cron\(...\)/,
    );
  });

  it('fails for a schedule writing outside the locations jobs may use', () => {
    expect(() =>
      batchStack({
        config: {
          buckets: ['team-data'],
          schedules: [{ ...daily, output: { uri: 's3://elsewhere/scores/' } }],
        },
      }),
    ).toThrow(/batchPredictions.schedules\[0\].output.uri: s3:\/\/elsewhere\/scores\/ is not under/);
  });
});
