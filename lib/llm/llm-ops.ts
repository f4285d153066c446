/**
 * LLMOps: the `/llm` route function (prompts through the registry service, chat completions,
 * usage, collections), one SageMaker GPU endpoint running the LMI container with vLLM per
 * `sagemaker` LLM endpoint, the collections' Amazon S3 Vectors index (vector-store.ts), and Bedrock
 * access scoped to the configured model ids and the embedding model.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/large-model-inference-container-docs.html
 */
import { Aws, Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENV } from '../../contracts/env';
import {
  candidateModelIds,
  LLM_METRICS_NAMESPACE,
  LLM_SETTINGS_PARAMETER,
  type LlmConfig,
  LlmMetric,
  llmConfigPath,
} from '../../contracts/llm';
import type { GovernancePolicy } from '../../contracts/registry';
import { ARTIFACTS_PREFIX } from '../../contracts/storage';
import { pascal } from '../shared/construct-id';
import { ModelParameters } from '../shared/model-parameters';
import { acknowledgeFindings, type Finding } from '../shared/nag';
import { PlatformFunction } from '../shared/platform-function';
import { LLM_DEFAULTS } from './defaults';
import { LmiEndpoint } from './lmi-endpoint';
import { ModelRolloutAlarms } from './model-rollouts';
import { embeddingPriced, pricedOn, synthDay } from './prices';
import { PromptRolloutAlarms } from './prompt-rollouts';
import { LlmVectorStore } from './vector-store';

export interface LlmStorage {
  readonly key: kms.IKey;
  readonly artifactsBucket: s3.IBucket;
  readonly registryTable: dynamodb.ITable;
  readonly auditTable: dynamodb.ITable;
  readonly idempotencyTable: dynamodb.ITable;
  /** Usage records and the response cache. */
  readonly llmTable: dynamodb.ITable;
  /**
   * Rollout records and locks: a stack update of an LMI endpoint waits for its running rollout.
   * @default - LMI endpoint updates take no lock
   */
  readonly deploymentsTable?: dynamodb.ITable;
}

/** Properties of `LlmOps`. */
export interface LlmOpsProps {
  readonly storage: LlmStorage;
  readonly config: LlmConfig;
  /** The registry's governance policy, which the registry service prompts go through reads. */
  readonly governance: GovernancePolicy;
  readonly envName: string;
  readonly removalPolicy: RemovalPolicy;
}

export class LlmOps extends Construct {
  /** Serves every `llm` route. */
  public readonly handler: PlatformFunction;
  /** Scores background evaluation runs, invoked asynchronously by the handler and by itself. */
  public readonly evaluationWorker: PlatformFunction;
  /** The LMI endpoints (endpoint custom resource, model, config, role), by LLM endpoint name. */
  public readonly endpoints: Readonly<Record<string, LmiEndpoint>>;
  /** The `LlmConfig` as an SSM String parameter, read (cached a minute) by the function. */
  public readonly settings: ModelParameters;
  /** A budget alarm per LLM endpoint that declares `dailyBudgetMicroUsd`, by endpoint name. */
  public readonly budgetAlarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** The alarms each prompt of `promptRollouts` is rolled back on. */
  public readonly promptRollouts: PromptRolloutAlarms;
  /** The alarms a model rollout of each endpoint with `candidateModels` is rolled back on. */
  public readonly modelRollouts: ModelRolloutAlarms;
  /** Collections' chunk vectors (Amazon S3 Vectors), embedded by `mlops:llm.embeddings`. */
  public readonly vectorStore: LlmVectorStore;

  constructor(scope: Construct, id: string, props: LlmOpsProps) {
    super(scope, id);
    const { storage, config } = props;
    // The endpoint's and the embedding model's every call needs a row on the day it is made: one
    // priced only from a later day would fail each call until then.
    const day = synthDay();
    for (const e of config.endpoints) {
      if (!pricedOn(config.prices, e.model, day)) {
        throw new Error(
          `llm endpoint ${e.name}: model ${e.model} has no entry in the price table effective on ${day}`,
        );
      }
      // A candidate's calls are priced by its own row: without one, a rollout's cost would be wrong.
      // One priced from a later day is fine: the rollout route refuses it (400) until then.
      for (const c of candidateModelIds(e)) {
        if (!config.prices.some((p) => p.model === c)) {
          throw new Error(`llm endpoint ${e.name}: candidate model ${c} has no entry in the price table`);
        }
      }
    }
    const embeddings = config.embeddings ?? LLM_DEFAULTS.embeddings;
    // Every embedding call is priced like a chat call: its model needs a row, as an endpoint's does.
    const prices = embeddingPriced(config.prices, embeddings.model, day);
    // The settings go to Parameter Store: a price table outgrows Lambda's 4 KB of environment.
    this.settings = new ModelParameters(this, 'Settings', {
      parameterPath: llmConfigPath(props.envName),
      values: { [LLM_SETTINGS_PARAMETER]: { ...config, prices } },
      what: 'LLM settings',
    });
    this.vectorStore = new LlmVectorStore(this, 'VectorStore', {
      encryptionKey: storage.key,
      embeddings,
      envName: props.envName,
      removalPolicy: props.removalPolicy,
    });
    const environment = {
      [ENV.registryTable]: storage.registryTable.tableName,
      [ENV.auditTable]: storage.auditTable.tableName,
      [ENV.idempotencyTable]: storage.idempotencyTable.tableName,
      [ENV.artifactsBucket]: storage.artifactsBucket.bucketName,
      [ENV.governancePolicy]: JSON.stringify(props.governance),
      [ENV.llmTable]: storage.llmTable.tableName,
      [ENV.llmConfigPath]: this.settings.parameterPath,
      [ENV.envName]: props.envName,
      [ENV.llmVectorBucket]: this.vectorStore.vectorBucketName,
      [ENV.llmVectorIndex]: this.vectorStore.indexName,
      [ENV.llmEmbeddingModel]: embeddings.model,
      [ENV.llmEmbeddingDimensions]: String(embeddings.dimensions),
    };
    // Background evaluation runs: page by page, each invocation handing over to the next before
    // its timeout, so a dataset of any accepted size runs whatever one invocation's limit.
    this.evaluationWorker = new PlatformFunction(this, 'EvaluationWorker', {
      entry: 'lambdas/llm/evaluation-worker.ts',
      description: 'cdk-mlops LLM evaluation worker (background evaluation runs)',
      environment,
      encryptionKey: storage.key,
      removalPolicy: props.removalPolicy,
      timeout: LLM_DEFAULTS.evaluationWorkerTimeout,
      memorySize: LLM_DEFAULTS.memorySize,
    });
    this.handler = new PlatformFunction(this, 'Handler', {
      entry: 'lambdas/llm/handler.ts',
      description: 'cdk-mlops LLM API (prompts, chat completions, usage)',
      environment: { ...environment, [ENV.llmEvaluationWorkerFunction]: this.evaluationWorker.functionName },
      encryptionKey: storage.key,
      removalPolicy: props.removalPolicy,
      timeout: LLM_DEFAULTS.timeout,
      memorySize: LLM_DEFAULTS.memorySize,
    });
    const fns = [this.handler, this.evaluationWorker];
    const everyFunction = (statement: iam.PolicyStatement) => {
      for (const f of fns) f.addToRolePolicy(statement);
    };
    const invokeWorker = new iam.PolicyStatement({
      sid: 'StartEvaluationWorker',
      actions: ['lambda:InvokeFunction'],
      resources: [this.evaluationWorker.functionArn],
    });
    this.handler.addToRolePolicy(invokeWorker);
    // The worker hands over to itself: a policy apart from its default one, which the function
    // depends on, so that naming the function's ARN makes no cycle.
    new iam.Policy(this, 'EvaluationWorkerHandOver', {
      statements: [invokeWorker],
    }).attachToRole(this.evaluationWorker.role as iam.IRole);
    storage.idempotencyTable.grantReadWriteData(this.handler);
    for (const fn of fns) {
      this.settings.grantRead(fn);
      storage.registryTable.grantReadWriteData(fn);
      storage.llmTable.grantReadWriteData(fn);
      storage.key.grant(fn, 'kms:Decrypt', 'kms:GenerateDataKey');
    }
    everyFunction(
      new iam.PolicyStatement({
        sid: 'AppendAudit',
        actions: ['dynamodb:PutItem'],
        resources: [storage.auditTable.tableArn],
      }),
    );
    const artifacts = storage.artifactsBucket.arnForObjects(`${ARTIFACTS_PREFIX}*`);
    // Prompt versions (artifacts the registry service stores and hashes), evaluation datasets and
    // the text objects collections import all live under the artifacts prefix, and only there.
    everyFunction(
      new iam.PolicyStatement({
        sid: 'PromptArtifacts',
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [artifacts],
      }),
    );
    everyFunction(
      new iam.PolicyStatement({
        sid: 'ListArtifacts',
        actions: ['s3:ListBucket'],
        resources: [storage.artifactsBucket.bucketArn],
      }),
    );

    // Collections: the route function ingests and retrieves, the evaluation worker only retrieves
    // (a prompt's retrieval step); both embed with the one configured model.
    this.vectorStore.grantReadWrite(this.handler);
    this.vectorStore.grantQuery(this.evaluationWorker);
    everyFunction(
      new iam.PolicyStatement({
        sid: 'EmbedWithConfiguredModel',
        actions: ['bedrock:InvokeModel'],
        resources: [
          Stack.of(this).formatArn({
            service: 'bedrock',
            account: '',
            resource: 'foundation-model',
            resourceName: embeddings.model,
          }),
        ],
      }),
    );

    // Bedrock: ConverseStream (InvokeModelWithResponseStream permission) on the configured model
    // ids and the candidates a model rollout may move an endpoint to, only.
    // https://docs.aws.amazon.com/bedrock/latest/userguide/security_iam_id-based-policy-examples.html
    const bedrock = config.endpoints.filter((e) => e.backend === 'bedrock');
    if (bedrock.length) {
      const modelIds = [...new Set(bedrock.flatMap((e) => [e.model, ...(e.candidateModels ?? [])]))];
      everyFunction(
        new iam.PolicyStatement({
          sid: 'ConverseConfiguredModels',
          actions: ['bedrock:InvokeModelWithResponseStream'],
          resources: modelIds.map((model) =>
            Stack.of(this).formatArn({
              service: 'bedrock',
              account: '',
              resource: 'foundation-model',
              resourceName: model,
            }),
          ),
        }),
      );
      const guardrails = bedrock.flatMap((e) => (e.guardrail ? [e.guardrail.id] : []));
      if (guardrails.length) {
        everyFunction(
          new iam.PolicyStatement({
            sid: 'ApplyConfiguredGuardrails',
            actions: ['bedrock:ApplyGuardrail'],
            resources: guardrails.map((g) =>
              Stack.of(this).formatArn({ service: 'bedrock', resource: 'guardrail', resourceName: g }),
            ),
          }),
        );
      }
    }

    const endpoints: Record<string, LmiEndpoint> = {};
    for (const e of config.endpoints) {
      if (e.backend !== 'sagemaker') continue;
      const lmi = new LmiEndpoint(this, `${pascal(e.name)}Endpoint`, {
        config: e,
        envName: props.envName,
        artifactsBucket: storage.artifactsBucket,
        encryptionKey: storage.key,
        removalPolicy: props.removalPolicy,
        ...(storage.deploymentsTable ? { deploymentsTable: storage.deploymentsTable } : {}),
      });
      endpoints[e.name] = lmi;
      everyFunction(
        new iam.PolicyStatement({
          // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
          actions: ['sagemaker:InvokeEndpointWithResponseStream'],
          resources: [
            `arn:${Aws.PARTITION}:sagemaker:${Aws.REGION}:${Aws.ACCOUNT_ID}:endpoint/${lmi.names.sageMakerEndpointName}`,
          ],
        }),
      );
    }
    this.endpoints = endpoints;

    const budgetAlarms: Record<string, cloudwatch.Alarm> = {};
    for (const e of config.endpoints) {
      if (e.dailyBudgetMicroUsd === undefined) continue;
      budgetAlarms[e.name] = this.metricCost(e.name).createAlarm(this, `${pascal(e.name)}BudgetAlarm`, {
        alarmDescription: `LLM endpoint ${e.name} spent more than ${e.dailyBudgetMicroUsd} micro-dollars in a day`,
        threshold: e.dailyBudgetMicroUsd,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
    this.budgetAlarms = budgetAlarms;
    this.promptRollouts = new PromptRolloutAlarms(this, 'PromptRollouts', {
      rollouts: config.promptRollouts,
      envName: props.envName,
    });
    this.modelRollouts = new ModelRolloutAlarms(this, 'ModelRollouts', {
      llm: config,
      envName: props.envName,
    });

    const kmsGrant =
      "CDK's KMS grant for the CMK-encrypted tables and bucket; scoped to the one platform key.";
    const findings: Array<readonly [Finding, string]> = [
      ['Resource::*', 'X-Ray PutTraceSegments and PutTelemetryRecords have no resource-level permissions.'],
      ['Action::kms:ReEncrypt*', kmsGrant],
      ['Action::kms:GenerateDataKey*', kmsGrant],
      [{ arn: `${storage.registryTable.tableArn}/index/*` }, 'The table grant covers the registry GSIs.'],
      [{ arn: `${storage.llmTable.tableArn}/index/*` }, 'The table grant covers GSIs (none today).'],
      [{ arn: artifacts }, 'Prompt artifacts are content-addressed keys under the artifacts prefix.'],
    ];
    for (const fn of fns) {
      const policy = fn.role?.node.tryFindChild('DefaultPolicy');
      if (!policy) throw new Error(`${fn.node.path} has no default policy to acknowledge findings on`);
      acknowledgeFindings(policy, 'AwsSolutions-IAM5', findings);
    }
  }

  /** Spend of an endpoint's calls in micro-dollars. @default - sum over one day */
  public metricCost(endpointName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(
      LlmMetric.COST_MICRO_USD,
      { Endpoint: endpointName },
      { period: Duration.days(1), ...props },
    );
  }

  /** Calls of an endpoint, cache hits included. @default - sum over 5 minutes */
  public metricCalls(endpointName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(LlmMetric.CALLS, { Endpoint: endpointName }, props);
  }

  /** Calls of an endpoint with one prompt version (`name/version`). @default - sum over 5 minutes */
  public metricPromptCalls(endpointName: string, prompt: string, props?: cloudwatch.MetricOptions) {
    return this.metric(LlmMetric.CALLS, { Endpoint: endpointName, Prompt: prompt }, props);
  }

  /** Calls a guardrail rule refused before the model. @default - sum over 5 minutes */
  public metricGuardrailBlocks(endpointName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(LlmMetric.GUARDRAIL_BLOCKS, { Endpoint: endpointName }, props);
  }

  private metric(name: string, dimensionsMap: Record<string, string>, props?: cloudwatch.MetricOptions) {
    return new cloudwatch.Metric({
      namespace: LLM_METRICS_NAMESPACE,
      metricName: name,
      dimensionsMap,
      statistic: 'Sum',
      period: Duration.minutes(5),
      ...props,
    });
  }
}
