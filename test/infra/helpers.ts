/**
 * Shared by the infra tests: the app's context as `cdk synth` sees it, and template checks that
 * each throw on failure, so one check runs against the platform (must pass) and against a
 * deliberately bad stack (must fail), as cdk-nag tests its rules.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, type CfnElement, Stack, type Stage } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct, IConstruct } from 'constructs';
import { parsePlatformConfig } from '../../contracts/config';
import { ModelEndpointConfig } from '../../contracts/deployment';
import { buildApp } from '../../lib/app';
import { PlatformStack } from '../../lib/platform-stack';
import { flattenTemplates } from '../../local/flatten-template';
import { stackTemplates } from '../../local/synthesize-template';

/** The `context` block of cdk.json, which the CLI gives the app. */
export function cdkJsonContext(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8'));
  return { ...cdkJson.context, ...overrides };
}

/** Context that skips asset bundling: for tests that never look at Lambda code. */
export const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] } as const;

/** A throwaway stack for bad cases, in its own app without cdk-nag. */
export function throwawayStack(): Stack {
  return new Stack(new App({ context: SKIP_BUNDLING }), 'Throwaway');
}

interface Statement {
  Effect: string;
  Action: string | string[];
}

/** Every Allow action that is `*` or a whole service (`s3:*`), as `<logical id>: <action>`. */
export function wildcardActions(template: Template): string[] {
  const found: string[] = [];
  for (const [id, policy] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
    for (const statement of policy.Properties.PolicyDocument.Statement as Statement[]) {
      if (statement.Effect !== 'Allow') continue;
      for (const action of [statement.Action].flat()) {
        if (action === '*' || /^[a-z0-9-]+:\*$/i.test(action)) found.push(`${id}: ${action}`);
      }
    }
  }
  return found;
}

/** Fails unless every HTTP API route requires SigV4 (IAM) auth. */
export function assertEveryRouteUsesIam(template: Template): void {
  template.allResourcesProperties('AWS::ApiGatewayV2::Route', { AuthorizationType: 'AWS_IAM' });
}

/**
 * CDK's BucketDeployment function (the web console's files), a singleton whose id CDK fixes:
 * aws-cdk-lib picks its Python runtime.
 */
const CDK_BUCKET_DEPLOYMENT_FUNCTION = /^CustomCDKBucketDeployment[0-9A-F]{32}/;

/**
 * Fails unless every function runs on Graviton, and the platform's runtime unless it is CDK's
 * BucketDeployment function.
 */
export function assertFunctionsOnTarget(template: Template): void {
  template.allResourcesProperties('AWS::Lambda::Function', { Architectures: ['arm64'] });
  const runtimes = Object.entries(template.findResources('AWS::Lambda::Function'))
    .filter(([id]) => !CDK_BUCKET_DEPLOYMENT_FUNCTION.test(id))
    .map(([id, fn]) => [id, fn.Properties.Runtime]);
  expect(runtimes.filter(([, runtime]) => runtime !== 'nodejs22.x')).toEqual([]);
}

/** Fails unless every table is on-demand, KMS-encrypted with `keyId` and has PITR. */
export function assertTablesProtected(template: Template, keyId: string): void {
  template.allResourcesProperties('AWS::DynamoDB::Table', {
    BillingMode: 'PAY_PER_REQUEST',
    SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  });
}

/** Fails unless bucket `bucketId` is versioned, encrypted with `keyId`, private and TLS-only. */
export function assertBucketProtected(template: Template, bucketId: string, keyId: string): void {
  const bucket = template.findResources('AWS::S3::Bucket')[bucketId];
  expect(bucket).toBeDefined();
  expect(bucket.Properties).toEqual(
    expect.objectContaining({
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
            },
          },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    }),
  );
  template.hasResourceProperties('AWS::S3::BucketPolicy', {
    Bucket: { Ref: bucketId },
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({
          Effect: 'Deny',
          Action: 's3:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      ]),
    },
  });
}

/** Fails unless the one DynamoDB stream mapping bisects, retries, reports items and parks failures. */
export function assertOutboxMappingResilient(template: Template): void {
  template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
  template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
    StartingPosition: 'TRIM_HORIZON',
    BatchSize: 100,
    BisectBatchOnFunctionError: true,
    MaximumRetryAttempts: 10,
    FunctionResponseTypes: ['ReportBatchItemFailures'],
    DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
  });
}

/** A production-like config, given the way `-c` gives it: numbers as strings. */
export const PROD_LIKE_CONTEXT = {
  'mlops:envName': 'prod',
  'mlops:removalPolicy': 'retain',
  'mlops:apiThrottlingRateLimit': '250',
  'mlops:apiThrottlingBurstLimit': '300',
} as const;

/**
 * A realistic config: one SageMaker and one ECS endpoint, a declared feature view, monitoring and
 * retraining of one model. Every capability and every handler is in it.
 */
export const REALISTIC_CONTEXT = {
  'mlops:endpoints': [{ modelName: 'churn' }, { modelName: 'fraud', backend: 'ecs' }],
  'mlops:featureViews': [
    {
      name: 'customer',
      entities: [{ name: 'customer_id', valueType: 'string' }],
      features: [{ name: 'spend', dtype: 'float64' }],
      expectedIntervalSeconds: 3600,
      materializeEveryMinutes: 30,
    },
  ],
  'mlops:monitoring': {
    models: [{ modelName: 'churn', endpointName: 'mlops-churn', schedule: 'rate(1 hour)' }],
  },
  'mlops:retraining': [
    {
      modelName: 'churn',
      trainingData: { uri: 's3://bucket/training/churn.parquet', label: 'target', featureView: 'customer' },
      schedule: 'rate(7 days)',
      newRowsThreshold: 1000,
    },
  ],
} as const;

/** Issue 13's scale: more than the config's 20 endpoints today, a few on ECS. */
export const SAGEMAKER_ENDPOINTS = 150;
export const ECS_ENDPOINTS = 10;
/** The config's maxima (`contracts/`): monitored models, retraining configs, feature views. */
const FULL_FLEET_MODELS = 50;

/** The candidate model an LMI endpoint of `FULL_LLM_CONFIG` (`chat-0`) may roll out to. */
export const LMI_CANDIDATE = {
  model: 'llama-0-tuned',
  modelArtifactKey: 'artifacts/llm/llama-0-tuned/model.tar.gz',
};

/**
 * LLM endpoints of both backends, tiered prices, guardrails and floors, as a large team declares
 * them; one LMI endpoint (`chat-0`) with a candidate model to roll out.
 */
export const FULL_LLM_CONFIG = {
  endpoints: [
    ...Array.from({ length: 3 }, (_, i) => ({
      name: `chat-${i}`,
      backend: 'sagemaker',
      model: `llama-${i}`,
      instanceType: 'ml.g5.12xlarge',
      tensorParallelDegree: 4,
      modelArtifactKey: `artifacts/llm/llama-${i}/model.tar.gz`,
      dailyBudgetMicroUsd: 50_000_000,
      ...(i === 0 ? { candidateModels: [LMI_CANDIDATE] } : {}),
    })),
    ...Array.from({ length: 3 }, (_, i) => ({
      name: `bedrock-${i}`,
      backend: 'bedrock',
      model: `anthropic.claude-${i}-v1:0`,
      guardrail: { id: `guard${i}`, version: '1' },
      dailyBudgetMicroUsd: 100_000_000,
    })),
  ],
  prices: [
    ...Array.from({ length: 3 }, (_, i) => ({
      model: `llama-${i}`,
      effectiveFrom: '2026-01-01',
      tiers: [{ aboveInputTokens: 0, input: 200_000, output: 600_000 }],
    })),
    ...Array.from({ length: 3 }, (_, i) => ({
      model: `anthropic.claude-${i}-v1:0`,
      effectiveFrom: '2026-01-01',
      tiers: [
        {
          aboveInputTokens: 0,
          input: 3_000_000,
          output: 15_000_000,
          cacheRead: 300_000,
          cacheWrite: 3_750_000,
        },
        {
          aboveInputTokens: 200_000,
          input: 6_000_000,
          output: 22_500_000,
          cacheRead: 600_000,
          cacheWrite: 7_500_000,
        },
      ],
    })),
    {
      model: LMI_CANDIDATE.model,
      effectiveFrom: '2026-01-01',
      tiers: [{ aboveInputTokens: 0, input: 200_000, output: 600_000 }],
    },
  ],
  guardrails: { deniedTopics: [{ name: 'medical-advice', words: ['diagnose', 'prescription'] }] },
  scoreFloors: { exact_match: 0.8, contains: 0.9 },
  promptRollouts: Array.from({ length: 3 }, (_, i) => ({ prompt: `prompt-${i}`, endpoint: `bedrock-${i}` })),
};

const fleetModel = (i: number) => `model-${String(i).padStart(3, '0')}`;

/**
 * The app with every capability on and the config at its maxima, plus 160 endpoints (150 on
 * SageMaker, 10 on ECS): the list is capped at 20 by the config schema, the stack takes any number.
 */
export function fullFleetApp(context: Record<string, unknown> = {}, outdir?: string): App {
  const models = Array.from({ length: FULL_FLEET_MODELS }, (_, i) => fleetModel(i));
  const app = new App({
    outdir,
    context: cdkJsonContext({
      ...context,
      'mlops:featureViews': models.map((_, i) => ({
        name: `view_${i}`,
        entities: [{ name: 'customer_id', valueType: 'string' }],
        features: [{ name: 'spend', dtype: 'float64' }],
        expectedIntervalSeconds: 3600,
        materializeEveryMinutes: 30,
      })),
      'mlops:monitoring': {
        models: models.map((m) => ({ modelName: m, endpointName: `mlops-${m}`, schedule: 'rate(1 hour)' })),
      },
      'mlops:retraining': models.map((m, i) => ({
        modelName: m,
        trainingData: { uri: `s3://bucket/training/${m}.parquet`, label: 'target', featureView: `view_${i}` },
        schedule: 'rate(7 days)',
        newRowsThreshold: 1000,
      })),
      'mlops:llm': FULL_LLM_CONFIG,
    }),
  });
  const config = parsePlatformConfig(app.node.getAllContext());
  const endpoints = Array.from({ length: SAGEMAKER_ENDPOINTS + ECS_ENDPOINTS }, (_, i) =>
    ModelEndpointConfig.parse({
      modelName: fleetModel(i),
      ...(i >= SAGEMAKER_ENDPOINTS ? { backend: 'ecs' } : {}),
    }),
  );
  new PlatformStack(app, 'Mlops-full', { config: { ...config, endpoints } });
  return app;
}

/** Builds the app as `cdk synth` does (cdk-nag included) and synthesizes the platform stack once. */
export function synthPlatform(context: Record<string, unknown>): {
  stack: PlatformStack;
  template: Template;
} {
  const { stack } = buildApp(cdkJsonContext(context));
  return { stack, template: platformTemplate(stack) };
}

/**
 * The platform stack and all its nested stacks as one template, as local mode reads it (see
 * `flattenTemplates`): logical ids as in each nested stack, references between stacks as plain
 * `Ref`/`Fn::GetAtt` of the resource. Assertions on it hold whichever nested stack a resource
 * is in. Synthesizes the app (cdk-nag included when the app has it) if it is not yet.
 */
export function platformTemplate(stack: Stack): Template {
  const assembly = (stack.node.root as Stage).synth();
  return Template.fromJSON(flattenTemplates(stackTemplates(assembly, stack)) as Record<string, unknown>);
}

/** The template of the (nested) stack that holds `construct`, e.g. `stack.registry` -> `RegistryStack`. */
export function templateOf(construct: IConstruct): Template {
  return Template.fromStack(Stack.of(construct));
}

/**
 * A model's deployment target as the template stores it, the `Value` of its SSM parameter: parsed
 * when it is plain JSON (SageMaker targets), else as is (an `Fn::Join` of an ECS target's ARNs).
 */
export function deploymentTargetValue(template: Template, modelName: string): unknown {
  const parameter = Object.values(template.findResources('AWS::SSM::Parameter')).find(
    (p) =>
      typeof p.Properties.Name === 'string' && p.Properties.Name.endsWith(`/deployment-targets/${modelName}`),
  );
  if (!parameter) throw new Error(`no deployment target parameter for ${modelName}`);
  const value = parameter.Properties.Value;
  return typeof value === 'string' ? JSON.parse(value) : value;
}

/** The CloudFormation logical id of an L2 construct's resource. */
export const logicalId = (construct: IConstruct): string =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);

/** A stand-in function for bad cases and construct tests (inline code: nothing to bundle). */
export const inlineFunction = (scope: Construct, id: string, props: Partial<lambda.FunctionProps> = {}) =>
  new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({});'),
    ...props,
  });
