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
import { ENDPOINT_RESOURCE_TYPE } from '../../contracts/serving';
import { LLM_DEFAULTS } from '../../lib/llm/defaults';
import { LlmOps } from '../../lib/llm/llm-ops';
import { FULL_LLM_CONFIG, LMI_CANDIDATE, SKIP_BUNDLING } from './helpers';

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

  it("runs each SageMaker LLM endpoint as the platform's endpoint resource: the LMI container with vLLM, one champion variant on its GPU instance type", () => {
    // Act
    const { template } = llmStack();
    // Assess: no AWS::SageMaker::Endpoint, which would undo a promoted model on the next deploy.
    template.resourceCountIs('AWS::SageMaker::Endpoint', 0);
    template.resourceCountIs(ENDPOINT_RESOURCE_TYPE, 3);
    const [config] = Object.entries(
      template.findResources('AWS::SageMaker::EndpointConfig', {
        Properties: { EndpointConfigName: Match.stringLikeRegexp('^mlops-prod-llm-chat-0-i[0-9a-f]{8}$') },
      }),
    );
    const [model] = Object.entries(
      template.findResources('AWS::SageMaker::Model', {
        Properties: { ModelName: Match.stringLikeRegexp('^mlops-prod-llm-chat-0-i[0-9a-f]{8}$') },
      }),
    );
    template.hasResourceProperties(ENDPOINT_RESOURCE_TYPE, {
      EndpointName: 'mlops-prod-llm-chat-0',
      EndpointConfigName: { 'Fn::GetAtt': [config[0], 'EndpointConfigName'] },
      // The rollout subject: a stack update takes the lock a running model rollout holds.
      ModelName: '_llm-endpoint.chat-0',
      InitialPackageUrl: 's3://platform-artifacts/artifacts/llm/llama-0/model.tar.gz',
      // No rollout creates an LMI endpoint: a deploy before its artifact exists fails, naming it.
      InitialPackageRequired: 'true',
      Scaling: Match.absent(),
    });
    expect(config[1].Properties.ProductionVariants).toEqual([
      expect.objectContaining({
        VariantName: 'champion',
        ModelName: { 'Fn::GetAtt': [model[0], 'ModelName'] },
        InstanceType: 'ml.g5.12xlarge',
        InitialInstanceCount: 1,
        InitialVariantWeight: 100,
      }),
    ]);
    // g5 has NVMe instance storage: SageMaker refuses a volume key for it.
    expect(config[1].Properties.KmsKeyId).toBeUndefined();
    expect(model[1].Properties.PrimaryContainer).toEqual(
      expect.objectContaining({
        Image: expect.stringMatching(/djl-inference:.*lmi/),
        ModelDataUrl: 's3://platform-artifacts/artifacts/llm/llama-0/model.tar.gz',
        Environment: {
          OPTION_ROLLING_BATCH: 'vllm',
          OPTION_TENSOR_PARALLEL_DEGREE: '4',
          OPTION_MODEL_ID: '/opt/ml/model',
        },
      }),
    );
  });

  it("lets the endpoint resource's functions drive each LMI endpoint, its configs and models, under its name only", () => {
    // Act
    const { template } = llmStack();
    // Assess
    const provider = Object.keys(
      template.findResources('AWS::IAM::Role', {
        Properties: { AssumeRolePolicyDocument: Match.anyValue() },
      }),
    ).filter((id) => id.startsWith('SageMakerEndpointProviderOnEvent'));
    expect(provider).toHaveLength(1);
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === provider[0]))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    const on = (action: string) =>
      statements.filter((st: { Action: string | string[] }) => [st.Action].flat().includes(action));
    const sageMakerArn = (resource: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:sagemaker:us-east-1:111122223333:${resource}`]],
    });
    // Creating an endpoint is authorized on the endpoint and on its config.
    expect(on('sagemaker:CreateEndpoint').map((st: { Resource: unknown }) => st.Resource)).toEqual(
      [0, 1, 2].flatMap((i) => [
        sageMakerArn(`endpoint/mlops-prod-llm-chat-${i}`),
        sageMakerArn(`endpoint-config/mlops-prod-llm-chat-${i}-*`),
      ]),
    );
    expect(on('sagemaker:CreateEndpointConfig').map((st: { Resource: unknown }) => st.Resource)).toEqual(
      [0, 1, 2].map((i) => sageMakerArn(`endpoint-config/mlops-prod-llm-chat-${i}-*`)),
    );
  });

  it("lets each LMI endpoint's role read its configured and candidate artifacts, by key, and nothing else of the bucket", () => {
    // Act
    const { template } = llmStack();
    // Assess
    const role = template.findResources('AWS::IAM::Role', {
      Properties: { RoleName: 'LlmTest-mlops-prod-llm-chat-0' },
    });
    expect(Object.keys(role)).toHaveLength(1);
    const s3Statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === Object.keys(role)[0]))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((st: { Action: string | string[] }) => [st.Action].flat().some((a) => a.startsWith('s3:')));
    const object = (key: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::platform-artifacts/${key}`]],
    });
    expect(s3Statements).toEqual([
      {
        Sid: 'ReadModelArtifacts',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: [object('artifacts/llm/llama-0/model.tar.gz'), object(LMI_CANDIDATE.modelArtifactKey)],
      },
    ]);
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
      ['EmbedWithConfiguredModel', 'bedrock:InvokeModel'],
      ['ConverseConfiguredModels', 'bedrock:InvokeModelWithResponseStream'],
      ['ApplyConfiguredGuardrails', 'bedrock:ApplyGuardrail'],
      ['EmbedWithConfiguredModel', 'bedrock:InvokeModel'],
      ['ConverseConfiguredModels', 'bedrock:InvokeModelWithResponseStream'],
      ['ApplyConfiguredGuardrails', 'bedrock:ApplyGuardrail'],
    ]);
    expect(bedrock[0].Resource).toEqual({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0',
        ],
      ],
    });
    const models = JSON.stringify(bedrock[1].Resource);
    for (let i = 0; i < 3; i++) expect(models).toContain(`foundation-model/anthropic.claude-${i}-v1:0`);
    expect(models).not.toContain('*');
    // An LMI endpoint's models and candidates are SageMaker's, never Bedrock model ids.
    expect(models).not.toContain('llama');
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
    const fnRoles = Object.keys(
      template.findResources('AWS::IAM::Role', {
        Properties: { Description: Match.stringLikeRegexp('LLM (API|evaluation worker)') },
      }),
    );
    const invokes = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => fnRoles.includes(r.Ref)))
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
    const config = LlmConfig.parse(FULL_LLM_CONFIG);
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/cdk-mlops/prod/llm/settings',
      // The default embedding model, unpriced in the config, at its list price.
      Value: JSON.stringify({ ...config, prices: [...config.prices, LLM_DEFAULTS.embeddingPrice] }),
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

  it("keeps collections' vectors in one S3 Vectors index, sized for the embedding model and encrypted with the platform key", () => {
    // Act
    const { template } = llmStack();
    // Assess
    template.hasResourceProperties('AWS::S3Vectors::VectorBucket', {
      VectorBucketName: 'mlops-prod-llm-vectors',
      EncryptionConfiguration: { SseType: 'aws:kms', KmsKeyArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } },
    });
    template.resourceCountIs('AWS::S3Vectors::Index', 1);
    const [bucket] = Object.keys(template.findResources('AWS::S3Vectors::VectorBucket'));
    template.hasResourceProperties('AWS::S3Vectors::Index', {
      VectorBucketArn: { 'Fn::GetAtt': [bucket, 'VectorBucketArn'] },
      IndexName: 'amazon.titan-embed-text-v2-0-1024',
      DataType: 'float32',
      Dimension: 1024,
      DistanceMetric: 'cosine',
      MetadataConfiguration: {
        NonFilterableMetadataKeys: ['source', 'chunk', 'text', 'start', 'end', 'generation'],
      },
    });
    // Background indexing decrypts with the key as S3 Vectors' own principal, for this bucket only.
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'S3VectorsIndexing',
            Principal: { Service: 'indexing.s3vectors.amazonaws.com' },
            Action: 'kms:Decrypt',
            Condition: {
              StringEquals: { 'aws:SourceAccount': '111122223333' },
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':s3vectors:us-east-1:111122223333:bucket/mlops-prod-llm-vectors',
                    ],
                  ],
                },
              },
            },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('LLM API'),
      Environment: {
        Variables: Match.objectLike({
          [ENV.llmVectorBucket]: 'mlops-prod-llm-vectors',
          [ENV.llmVectorIndex]: 'amazon.titan-embed-text-v2-0-1024',
          [ENV.llmEmbeddingModel]: 'amazon.titan-embed-text-v2:0',
          [ENV.llmEmbeddingDimensions]: '1024',
        }),
      },
    });
  });

  it('lets the API put, query and delete vectors and the evaluation worker only query them, on the one index', () => {
    // Act
    const { template } = llmStack();
    // Assess
    const [index] = Object.keys(template.findResources('AWS::S3Vectors::Index'));
    const byRole = (description: string) => {
      const [role] = Object.keys(
        template.findResources('AWS::IAM::Role', {
          Properties: { Description: Match.stringLikeRegexp(description) },
        }),
      );
      return Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
        .flatMap((p) => p.Properties.PolicyDocument.Statement)
        .filter((s: { Action: string | string[] }) =>
          [s.Action].flat().some((a) => a.startsWith('s3vectors:')),
        );
    };
    expect(byRole('LLM API')).toEqual([
      expect.objectContaining({
        Action: [
          's3vectors:QueryVectors',
          's3vectors:GetVectors',
          's3vectors:PutVectors',
          's3vectors:DeleteVectors',
        ],
        Resource: { 'Fn::GetAtt': [index, 'IndexArn'] },
      }),
    ]);
    expect(byRole('LLM evaluation worker')).toEqual([
      expect.objectContaining({
        Action: ['s3vectors:QueryVectors', 's3vectors:GetVectors'],
        Resource: { 'Fn::GetAtt': [index, 'IndexArn'] },
      }),
    ]);
  });

  it('sizes and names the index for a configured embedding size', () => {
    // Act
    const { template } = llmStack({ ...FULL_LLM_CONFIG, embeddings: { dimensions: 256 } });
    // Assess
    template.hasResourceProperties('AWS::S3Vectors::Index', {
      IndexName: 'amazon.titan-embed-text-v2-0-256',
      Dimension: 256,
    });
  });

  it('fails an embedding model other than Titan Text Embeddings V2, and a size it does not make', () => {
    expect(() => llmStack({ embeddings: { model: 'cohere.embed-english-v3' } })).toThrow(
      'must be a Titan Text Embeddings V2 model id',
    );
    expect(() => llmStack({ embeddings: { dimensions: 768 } })).toThrow();
  });

  it("grants ConverseStream on a Bedrock endpoint's declared candidate models, and nothing wider", () => {
    // Arrange
    const config = {
      ...FULL_LLM_CONFIG,
      endpoints: FULL_LLM_CONFIG.endpoints.map((e) =>
        e.name === 'bedrock-0' ? { ...e, candidateModels: ['anthropic.claude-9-v1:0'] } : e,
      ),
      prices: [...FULL_LLM_CONFIG.prices, { ...FULL_LLM_CONFIG.prices[3], model: 'anthropic.claude-9-v1:0' }],
    };
    // Act
    const { template } = llmStack(config);
    // Assess
    const converse = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: { Sid?: string }) => s.Sid === 'ConverseConfiguredModels');
    expect(converse).toHaveLength(2);
    const models = JSON.stringify(converse[0].Resource);
    expect(models).toContain('foundation-model/anthropic.claude-9-v1:0');
    for (let i = 0; i < 3; i++) expect(models).toContain(`foundation-model/anthropic.claude-${i}-v1:0`);
    expect(models.match(/foundation-model\//g)).toHaveLength(4);
    expect(models).not.toContain('*');
  });

  it('fails a candidate model that has no price', () => {
    expect(() =>
      llmStack({
        endpoints: [{ name: 'chat', backend: 'bedrock', model: 'priced', candidateModels: ['unpriced'] }],
        prices: [
          {
            model: 'priced',
            effectiveFrom: '2026-01-01',
            tiers: [{ aboveInputTokens: 0, input: 1, output: 1 }],
          },
        ],
      }),
    ).toThrow('llm endpoint chat: candidate model unpriced has no entry in the price table');
  });

  it('fails an LMI candidate model that has no price', () => {
    const [first] = FULL_LLM_CONFIG.endpoints;
    expect(() =>
      llmStack({
        ...FULL_LLM_CONFIG,
        prices: FULL_LLM_CONFIG.prices.filter((p) => p.model !== LMI_CANDIDATE.model),
      }),
    ).toThrow(
      `llm endpoint ${first.name}: candidate model ${LMI_CANDIDATE.model} has no entry in the price table`,
    );
  });

  it('fails an embedding model that has no price, and keeps the price the table gives the default one', () => {
    // Prepare
    const own = { ...LLM_DEFAULTS.embeddingPrice, tiers: [{ aboveInputTokens: 0, input: 1, output: 0 }] };
    // Act
    const { template } = llmStack({ prices: [own] });
    // Assess
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Value: Match.serializedJson(Match.objectLike({ prices: [own] })),
    });
    expect(() => llmStack({ embeddings: { model: 'amazon.titan-embed-text-v2:1' } })).toThrow(
      'llm embeddings: model amazon.titan-embed-text-v2:1 has no entry in the price table',
    );
  });

  it('fails an endpoint whose model has no price', () => {
    expect(() =>
      llmStack({ endpoints: [{ name: 'chat', backend: 'bedrock', model: 'unpriced' }], prices: [] }),
    ).toThrow('llm endpoint chat: model unpriced has no entry in the price table');
  });

  it('fails an endpoint or embedding model priced only from a later day: each call would fail until then', () => {
    const later = (model: string) => ({
      model,
      effectiveFrom: '2999-01-01',
      tiers: [{ aboveInputTokens: 0, input: 1, output: 1 }],
    });
    expect(() =>
      llmStack({
        endpoints: [{ name: 'chat', backend: 'bedrock', model: 'later' }],
        prices: [later('later')],
      }),
    ).toThrow(
      /llm endpoint chat: model later has no entry in the price table effective on \d{4}-\d{2}-\d{2}/,
    );
    expect(() =>
      llmStack({
        embeddings: { model: 'amazon.titan-embed-text-v2:1' },
        prices: [later('amazon.titan-embed-text-v2:1')],
      }),
    ).toThrow(
      'llm embeddings: model amazon.titan-embed-text-v2:1 has no entry in the price table effective on',
    );
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
