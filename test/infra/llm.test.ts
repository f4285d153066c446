/**
 * LLMOps on its own stack with cdk-nag: an LMI endpoint on a GPU instance per SageMaker LLM
 * endpoint, Bedrock access only to the configured model ids and guardrails, the settings in
 * Parameter Store, a budget alarm per endpoint with a budget; bad configs fail at synth.
 */
import { App, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ENV } from '../../contracts/env';
import { LlmConfig } from '../../contracts/llm';
import { LlmOps } from '../../lib/llm/llm-ops';
import { FULL_LLM_CONFIG, SKIP_BUNDLING } from './helpers';

function llmStack(config: unknown = FULL_LLM_CONFIG) {
  const app = new App({ context: SKIP_BUNDLING });
  const stack = new Stack(app, 'LlmTest', { env: { account: '111122223333', region: 'us-east-1' } });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const table = (id: string) =>
    new dynamodb.TableV2(stack, id, {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
  const llm = new LlmOps(stack, 'Llm', {
    storage: {
      key,
      artifactsBucket: s3.Bucket.fromBucketName(stack, 'Artifacts', 'platform-artifacts'),
      registryTable: table('Registry'),
      auditTable: table('Audit'),
      idempotencyTable: table('Idempotency'),
      llmTable: table('LlmTable'),
    },
    config: LlmConfig.parse(config),
    governance: {} as never,
    envName: 'prod',
    removalPolicy: RemovalPolicy.DESTROY,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, llm, template: Template.fromStack(stack) };
}

describe('LlmOps', () => {
  it('passes cdk-nag with each finding acknowledged', () => {
    expect(() => llmStack().app.synth()).not.toThrow();
  });

  it('runs each SageMaker LLM endpoint on the LMI container with vLLM, on its GPU instance type', () => {
    // Act
    const { template } = llmStack();
    // Assess
    template.resourceCountIs('AWS::SageMaker::Endpoint', 3);
    template.hasResourceProperties('AWS::SageMaker::Endpoint', {
      EndpointName: 'mlops-prod-llm-chat-0',
      EndpointConfigName: Match.stringLikeRegexp('^mlops-prod-llm-chat-0-[0-9a-f]{8}$'),
    });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ InstanceType: 'ml.g5.12xlarge', InitialInstanceCount: 1 })],
    });
    template.hasResourceProperties('AWS::SageMaker::Model', {
      ModelName: Match.stringLikeRegexp('^mlops-prod-llm-chat-0-[0-9a-f]{8}$'),
      PrimaryContainer: Match.objectLike({
        Image: Match.stringLikeRegexp('djl-inference:.*lmi'),
        ModelDataUrl: 's3://platform-artifacts/artifacts/llm/llama-0/model.tar.gz',
        Environment: {
          OPTION_ROLLING_BATCH: 'vllm',
          OPTION_TENSOR_PARALLEL_DEGREE: '4',
          OPTION_MODEL_ID: '/opt/ml/model',
        },
      }),
    });
  });

  it('may call Bedrock only on the configured model ids and guardrails', () => {
    // Act
    const { template } = llmStack();
    // Assess
    const bedrock = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: { Action: string | string[] }) => [s.Action].flat().some((a) => a.startsWith('bedrock:')));
    // The API function and the evaluation worker, which answers rows through the same endpoints.
    expect(bedrock.map((s: { Sid: string; Action: unknown }) => [s.Sid, s.Action])).toEqual([
      ['ConverseConfiguredModels', 'bedrock:InvokeModelWithResponseStream'],
      ['ApplyConfiguredGuardrails', 'bedrock:ApplyGuardrail'],
      ['ConverseConfiguredModels', 'bedrock:InvokeModelWithResponseStream'],
      ['ApplyConfiguredGuardrails', 'bedrock:ApplyGuardrail'],
    ]);
    const models = JSON.stringify(bedrock[0].Resource);
    for (let i = 0; i < 3; i++) expect(models).toContain(`foundation-model/anthropic.claude-${i}-v1:0`);
    expect(models).not.toContain('*');
  });

  it('runs background evaluations in a worker that the API and the worker itself invoke, by its ARN alone', () => {
    // Act
    const { template } = llmStack();
    // Assess
    const workers = template.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp('evaluation worker'), Timeout: 900 },
    });
    const [worker] = Object.keys(workers);
    expect(Object.keys(workers)).toHaveLength(1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.llmEvaluationWorkerFunction]: { Ref: worker } }) },
    });
    const invokes = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: { Action: string | string[] }) => [s.Action].flat().includes('lambda:InvokeFunction'));
    expect(invokes).toEqual([
      expect.objectContaining({ Resource: { 'Fn::GetAtt': [worker, 'Arn'] } }),
      expect.objectContaining({ Resource: { 'Fn::GetAtt': [worker, 'Arn'] } }),
    ]);
  });

  it('reads and writes objects of the platform bucket under its artifacts prefix only', () => {
    // Act
    const { template } = llmStack();
    // Assess: every S3 object action of the LLM functions names the artifacts prefix.
    const roles = Object.keys(
      template.findResources('AWS::IAM::Role', {
        Properties: { Description: Match.stringLikeRegexp('LLM (API|evaluation worker)') },
      }),
    );
    expect(roles).toHaveLength(2);
    const objectStatements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => roles.includes(r.Ref)))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: { Action: string | string[] }) =>
        [s.Action].flat().some((a) => a === 's3:GetObject' || a === 's3:PutObject'),
      );
    expect(objectStatements).toHaveLength(2);
    for (const s of objectStatements) {
      expect(s.Resource).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::platform-artifacts/artifacts/*']],
      });
    }
  });

  it('pulls only the LMI image repository, and gets authorization tokens on * alone', () => {
    // Act
    const { template } = llmStack();
    // Assess
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'EcrAuthorization', Action: 'ecr:GetAuthorizationToken', Resource: '*' }),
          Match.objectLike({
            Sid: 'PullLmiImage',
            Resource: {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':ecr:us-east-1:763104351884:repository/djl-inference'],
              ],
            },
          }),
        ]),
      },
    });
  });

  it('keeps the settings in Parameter Store and gives the function only their path', () => {
    // Act
    const { template } = llmStack();
    // Assess
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/cdk-mlops/prod/llm/settings',
      Value: JSON.stringify(LlmConfig.parse(FULL_LLM_CONFIG)),
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.llmConfigPath]: '/cdk-mlops/prod/llm' }) },
    });
  });

  it('alarms on each budgeted endpoint when a day of calls costs more than its budget', () => {
    // Act
    const { template } = llmStack();
    // Assess
    // The budget alarms (the config's prompt rollouts have alarms of their own).
    expect(
      Object.keys(
        template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'CostMicroUsd' } }),
      ),
    ).toHaveLength(6);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'cdk-mlops/Llm',
      MetricName: 'CostMicroUsd',
      Dimensions: [{ Name: 'Endpoint', Value: 'bedrock-1' }],
      Statistic: 'Sum',
      Period: 86400,
      Threshold: 100_000_000,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('fails an endpoint whose model has no price', () => {
    expect(() =>
      llmStack({ endpoints: [{ name: 'chat', backend: 'bedrock', model: 'unpriced' }], prices: [] }),
    ).toThrow('llm endpoint chat: model unpriced has no entry in the price table');
  });

  it('fails an image that is not an ECR image URI', () => {
    const [first] = FULL_LLM_CONFIG.endpoints;
    expect(() =>
      llmStack({
        ...FULL_LLM_CONFIG,
        endpoints: [{ ...first, imageUri: 'docker.io/vllm/vllm-openai:latest' }],
      }),
    ).toThrow('llm endpoint chat-0: imageUri must be an ECR image URI');
  });
});
