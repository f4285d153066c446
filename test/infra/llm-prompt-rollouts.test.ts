/**
 * Prompt rollouts and Bedrock endpoints' model rollouts on the stack with cdk-nag: each rollout's
 * target (backend `prompt` or `llm-model`, its alarms), the alarms on the challenger's error rate,
 * p95 latency and guardrail blocks, the task function reading those alarms only and writing only
 * the endpoints' records of the LLM table, and the LLM function allowed to start rollouts; bad
 * configs fail at synth.
 */
import { App, type CfnElement, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ENV } from '../../contracts/env';
import { LlmConfig } from '../../contracts/llm';
import { DEPLOYMENTS_TABLE, LLM_TABLE } from '../../contracts/tables';
import { ModelDeployment } from '../../lib/deployment/model-deployment';
import { LlmOps } from '../../lib/llm/llm-ops';
import { modelRolloutTargets } from '../../lib/llm/model-rollouts';
import { promptRolloutTargets } from '../../lib/llm/prompt-rollouts';
import { PlatformStorage } from '../../lib/storage/platform-storage';
import type { CfnTemplate } from '../../local/cdk-template';
import { resolveIntrinsics } from '../../local/state-machines/intrinsics';
import { SKIP_BUNDLING } from './helpers';

const CONFIG = {
  endpoints: [
    { name: 'chat', backend: 'bedrock', model: 'anthropic.claude-v1' },
    {
      name: 'routed',
      backend: 'bedrock',
      model: 'anthropic.claude-v1',
      candidateModels: ['anthropic.claude-v2'],
      modelRollout: { latencyThresholdMs: 4000 },
    },
  ],
  prices: ['anthropic.claude-v1', 'anthropic.claude-v2'].map((model) => ({
    model,
    effectiveFrom: '2026-01-01',
    tiers: [{ aboveInputTokens: 0, input: 1, output: 1 }],
  })),
  promptRollouts: [{ prompt: 'support', endpoint: 'chat', errorRateThresholdPercent: 2 }],
};

function rolloutStack(config: unknown = CONFIG) {
  const app = new App({ context: SKIP_BUNDLING });
  const stack = new Stack(app, 'PromptRollouts', { env: { account: '111122223333', region: 'us-east-1' } });
  const storage = new PlatformStorage(stack, 'Storage', { removalPolicy: RemovalPolicy.DESTROY });
  const llmConfig = LlmConfig.parse(config);
  const deployment = new ModelDeployment(stack, 'Deployment', {
    storage: {
      ...storage,
      deploymentsTable: storage.tables[DEPLOYMENTS_TABLE.id],
      llmTable: storage.tables[LLM_TABLE.id],
    },
    promptTargets: promptRolloutTargets(llmConfig, 'prod'),
    modelRolloutTargets: modelRolloutTargets(llmConfig, 'prod', storage.artifactsBucket),
    governance: {} as never,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const llm = new LlmOps(stack, 'Llm', {
    storage: {
      ...storage,
      llmTable: storage.tables[LLM_TABLE.id],
      deploymentsTable: storage.tables[DEPLOYMENTS_TABLE.id],
    },
    config: llmConfig,
    governance: {} as never,
    envName: 'prod',
    removalPolicy: RemovalPolicy.DESTROY,
  });
  deployment.grantLlmRollouts(llm.handler);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, storage, deployment, llm, template: Template.fromStack(stack) };
}

const ALARM_ARN = (name: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudwatch:us-east-1:111122223333:alarm:${name}`]],
});

describe('prompt rollouts', () => {
  it('passes cdk-nag with each finding acknowledged', () => {
    expect(() => rolloutStack().app.synth()).not.toThrow();
  });

  it("stores the prompt's rollout target: backend prompt on its LLM endpoint, watching its three alarms", () => {
    // Act
    const { template } = rolloutStack();
    // Assess
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: Match.stringLikeRegexp('/deployment-targets/support$'),
      Value: JSON.stringify({
        endpointName: 'chat',
        backend: 'prompt',
        canarySteps: [10, 50, 100],
        bakeMinutes: 10,
        alarmCheckSeconds: 60,
        alarmNames: [
          'mlops-prod-prompt-support-challenger-error-rate',
          'mlops-prod-prompt-support-challenger-latency-p95',
          'mlops-prod-prompt-support-challenger-guardrail-block-rate',
        ],
      }),
    });
  });

  it("alarms on the challenger's failed calls per call and on its p95 latency", () => {
    // Act
    const { template } = rolloutStack();
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'mlops-prod-prompt-support-challenger-error-rate',
      Threshold: 2,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: '100 * errors / calls' }),
        Match.objectLike({
          Id: 'errors',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({
              MetricName: 'RolloutErrors',
              Dimensions: Match.arrayWith([{ Name: 'Variant', Value: 'challenger' }]),
            }),
          }),
        }),
      ]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'mlops-prod-prompt-support-challenger-latency-p95',
      MetricName: 'RolloutLatency',
      ExtendedStatistic: 'p95',
      Threshold: 10_000,
      Dimensions: Match.arrayWith([
        { Name: 'Prompt', Value: 'support' },
        { Name: 'Variant', Value: 'challenger' },
      ]),
    });
  });

  it("alarms on the share of the challenger's calls a guardrail refused", () => {
    // Act
    const { template } = rolloutStack();
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'mlops-prod-prompt-support-challenger-guardrail-block-rate',
      Threshold: 10,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: '100 * blocks / calls' }),
        Match.objectLike({
          Id: 'blocks',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: 'RolloutGuardrailBlocks' }),
          }),
        }),
      ]),
    });
  });

  it('lets the task function read those three alarms, by name, and nothing else of CloudWatch', () => {
    // Act
    const { template } = rolloutStack();
    // Assess
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'ReadPromptRolloutAlarms',
            Effect: 'Allow',
            Action: 'cloudwatch:DescribeAlarms',
            Resource: [
              ALARM_ARN('mlops-prod-prompt-support-challenger-error-rate'),
              ALARM_ARN('mlops-prod-prompt-support-challenger-latency-p95'),
              ALARM_ARN('mlops-prod-prompt-support-challenger-guardrail-block-rate'),
            ],
          },
        ]),
      },
    });
  });

  it('lets the LLM function start rollout executions and read the split, with the names in its environment', () => {
    // Act
    const { template, stack } = rolloutStack();
    // Assess
    const handler = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) =>
      id.startsWith('LlmHandler'),
    )!;
    const env = (handler[1] as { Properties: { Environment: { Variables: Record<string, unknown> } } })
      .Properties.Environment.Variables;
    expect(Object.keys(env)).toEqual(
      expect.arrayContaining([
        ENV.deploymentStateMachineArn,
        ENV.deploymentsTable,
        ENV.deploymentTargetsPath,
      ]),
    );
    const role = (handler[1] as { Properties: { Role: { 'Fn::GetAtt': string[] } } }).Properties.Role[
      'Fn::GetAtt'
    ][0];
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: role }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'states:StartExecution',
            Resource: { Ref: Match.stringLikeRegexp('^DeploymentStateMachine') },
          }),
        ]),
      },
    });
    expect(stack).toBeDefined();
  });

  it('fails when a prompt rollout names an endpoint that is not configured', () => {
    expect(() =>
      rolloutStack({ ...CONFIG, promptRollouts: [{ prompt: 'support', endpoint: 'nope' }] }),
    ).toThrow('promptRollouts support: endpoint nope is not one of mlops:llm endpoints');
  });

  it('fails when a prompt rollout repeats a prompt', () => {
    expect(() =>
      LlmConfig.parse({
        ...CONFIG,
        promptRollouts: [
          { prompt: 'support', endpoint: 'chat' },
          { prompt: 'support', endpoint: 'chat' },
        ],
      }),
    ).toThrow('prompts must be unique');
  });
});

describe('model rollouts of a Bedrock endpoint', () => {
  const names = [
    'mlops-prod-llm-routed-challenger-error-rate',
    'mlops-prod-llm-routed-challenger-latency-p95',
    'mlops-prod-llm-routed-challenger-guardrail-block-rate',
  ];

  it('stores the rollout target of an endpoint with candidates only: backend llm-model, its configured model, its three alarms', () => {
    // Act
    const { template } = rolloutStack();
    // Assess
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: Match.stringLikeRegexp('/deployment-targets/_llm-endpoint.routed$'),
      Value: JSON.stringify({
        endpointName: 'routed',
        backend: 'llm-model',
        canarySteps: [10, 50, 100],
        bakeMinutes: 10,
        alarmCheckSeconds: 60,
        alarmNames: names,
        configuredModel: 'anthropic.claude-v1',
      }),
    });
    expect(
      Object.values(template.findResources('AWS::SSM::Parameter')).filter((p) =>
        String(p.Properties.Name).endsWith('_llm-endpoint.chat'),
      ),
    ).toHaveLength(0);
  });

  it("alarms on the candidate's error rate, p95 latency and guardrail block rate per Endpoint, named as a prompt rollout's", () => {
    // Act
    const { template } = rolloutStack();
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: names[0],
      Threshold: 5,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: '100 * errors / calls' }),
        Match.objectLike({
          Id: 'calls',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({
              MetricName: 'RolloutCalls',
              Dimensions: Match.arrayWith([
                { Name: 'Endpoint', Value: 'routed' },
                { Name: 'Variant', Value: 'challenger' },
              ]),
            }),
          }),
        }),
      ]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: names[1],
      MetricName: 'RolloutLatency',
      ExtendedStatistic: 'p95',
      Threshold: 4000,
      Dimensions: Match.arrayWith([{ Name: 'Endpoint', Value: 'routed' }]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: names[2],
      Metrics: Match.arrayWith([Match.objectLike({ Expression: '100 * blocks / calls' })]),
    });
    const llmAlarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((a) =>
      String(a.Properties.AlarmName).startsWith('mlops-prod-llm-'),
    );
    expect(llmAlarms).toHaveLength(3);
  });

  it("lets the task function read those alarms by name and write only the endpoints' records of the LLM table", () => {
    // Act
    const { template } = rolloutStack();
    // Assess
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'ReadModelRolloutAlarms',
            Effect: 'Allow',
            Action: 'cloudwatch:DescribeAlarms',
            Resource: names.map(ALARM_ARN),
          },
          {
            Sid: 'WriteModelRolloutRecords',
            Effect: 'Allow',
            Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^StorageLlm'), 'Arn'] },
            Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ENDPOINT#*'] } },
          },
        ]),
      },
    });
    const tasks = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) =>
      id.startsWith('DeploymentTasks'),
    )!;
    expect(tasks[1].Properties.Environment.Variables).toHaveProperty(ENV.llmTable);
  });

  it('grants the task function nothing of the LLM table when no endpoint declares candidates', () => {
    // Act
    const { template } = rolloutStack({ ...CONFIG, endpoints: [CONFIG.endpoints[0]] });
    // Assess
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Array<{ Sid?: string }>,
    );
    expect(statements.map((st) => st.Sid)).not.toContain('WriteModelRolloutRecords');
    expect(statements.map((st) => st.Sid)).not.toContain('ReadModelRolloutAlarms');
  });

  it('fails when an endpoint has model rollouts but the deployment has no LLM table', () => {
    const app = new App({ context: SKIP_BUNDLING });
    const stack = new Stack(app, 'NoTable');
    const storage = new PlatformStorage(stack, 'Storage', { removalPolicy: RemovalPolicy.DESTROY });
    expect(
      () =>
        new ModelDeployment(stack, 'Deployment', {
          storage: { ...storage, deploymentsTable: storage.tables[DEPLOYMENTS_TABLE.id] },
          modelRolloutTargets: modelRolloutTargets(LlmConfig.parse(CONFIG), 'prod', storage.artifactsBucket),
          governance: {} as never,
        }),
    ).toThrow('modelRolloutTargets need storage.llmTable, where their records are written');
  });
});

/** A Bedrock endpoint and two LMI endpoints, one with a candidate model to roll out. */
const LMI_CONFIG = {
  endpoints: [
    CONFIG.endpoints[0],
    {
      name: 'lmi',
      backend: 'sagemaker',
      model: 'llama',
      modelArtifactKey: 'artifacts/llm/llama/model.tar.gz',
      candidateModels: [{ model: 'llama-tuned', modelArtifactKey: 'artifacts/llm/llama-tuned/model.tar.gz' }],
      modelRollout: { canarySteps: [20, 100], bakeMinutes: 5 },
    },
    {
      name: 'fixed',
      backend: 'sagemaker',
      model: 'llama',
      modelArtifactKey: 'artifacts/llm/llama/model.tar.gz',
    },
  ],
  prices: ['anthropic.claude-v1', 'llama', 'llama-tuned'].map((model) => ({
    model,
    effectiveFrom: '2026-01-01',
    tiers: [{ aboveInputTokens: 0, input: 1, output: 1 }],
  })),
  promptRollouts: [],
};

describe('model rollouts of an LMI endpoint', () => {
  let built: ReturnType<typeof rolloutStack>;
  let resolved: (v: unknown) => unknown;
  const names = [
    'mlops-prod-llm-lmi-challenger-error-rate',
    'mlops-prod-llm-lmi-challenger-latency-p95',
    'mlops-prod-llm-lmi-challenger-guardrail-block-rate',
  ];

  beforeAll(() => {
    built = rolloutStack(LMI_CONFIG);
    const bucket = built.stack.getLogicalId(built.storage.artifactsBucket.node.defaultChild as CfnElement);
    resolved = (v) =>
      resolveIntrinsics(v, built.template.toJSON() as CfnTemplate, { [bucket]: 'platform-artifacts' });
  });

  /** The task function's statements whose Sid starts with `prefix`. */
  const taskStatements = (prefix: string) => {
    const role = built.stack.getLogicalId(built.deployment.tasks.role!.node.defaultChild as CfnElement);
    return Object.values(built.template.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((st: { Sid?: string }) => (st.Sid ?? '').startsWith(prefix));
  };

  it('passes cdk-nag with each finding acknowledged', () => {
    expect(() => built.app.synth()).not.toThrow();
  });

  it('stores the target of the endpoint with candidates: its configured model, SageMaker endpoint, stack config and candidate artifacts', () => {
    // Act
    const params = Object.values(built.template.findResources('AWS::SSM::Parameter'));
    const value = (subject: string) =>
      params.find((p) => String(p.Properties.Name).endsWith(`/deployment-targets/${subject}`))?.Properties
        .Value;
    // Assess
    const config = built.llm.endpoints.lmi.endpointConfig.endpointConfigName;
    expect(config).toMatch(/^mlops-prod-llm-lmi-i[0-9a-f]{8}$/);
    expect(JSON.parse(resolved(value('_llm-endpoint.lmi')) as string)).toEqual({
      endpointName: 'lmi',
      backend: 'llm-model',
      canarySteps: [20, 100],
      bakeMinutes: 5,
      alarmCheckSeconds: 60,
      alarmNames: names,
      configuredModel: 'llama',
      lmi: {
        sageMakerEndpointName: 'mlops-prod-llm-lmi',
        initialEndpointConfigName: config,
        candidatePackageUrls: {
          'llama-tuned': 's3://platform-artifacts/artifacts/llm/llama-tuned/model.tar.gz',
        },
      },
    });
    expect(value('_llm-endpoint.fixed')).toBeUndefined();
    expect(value('_llm-endpoint.chat')).toBeUndefined();
  });

  it("alarms on the candidate's error rate, p95 latency and guardrail block rate per Endpoint", () => {
    built.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: names[1],
      MetricName: 'RolloutLatency',
      Dimensions: Match.arrayWith([
        { Name: 'Endpoint', Value: 'lmi' },
        { Name: 'Variant', Value: 'challenger' },
      ]),
    });
    const alarms = Object.values(built.template.findResources('AWS::CloudWatch::Alarm')).map((a) =>
      String(a.Properties.AlarmName),
    );
    expect(alarms.filter((n) => n.startsWith('mlops-prod-llm-')).sort()).toEqual([...names].sort());
  });

  it("lets the task function drive the endpoint's variants, and its configs and models by name prefix, and nothing else of SageMaker", () => {
    // Assess
    const arn = (resource: string) => `arn:aws:sagemaker:us-east-1:111122223333:${resource}`;
    expect(taskStatements('LmiRollout').map((st) => [st.Sid, st.Action, resolved(st.Resource)])).toEqual([
      [
        'LmiRolloutEndpoints',
        [
          'sagemaker:DescribeEndpoint',
          'sagemaker:UpdateEndpoint',
          'sagemaker:UpdateEndpointWeightsAndCapacities',
        ],
        arn('endpoint/mlops-prod-llm-lmi'),
      ],
      [
        'LmiRolloutConfigs',
        [
          'sagemaker:DescribeEndpointConfig',
          'sagemaker:CreateEndpointConfig',
          'sagemaker:DeleteEndpointConfig',
          'sagemaker:UpdateEndpoint',
        ],
        arn('endpoint-config/mlops-prod-llm-lmi-*'),
      ],
      [
        'LmiRolloutModels',
        ['sagemaker:DescribeModel', 'sagemaker:CreateModel', 'sagemaker:DeleteModel'],
        arn('model/mlops-prod-llm-lmi-*'),
      ],
    ]);
    // The stack's model and config, and the rollout's (`<endpoint>-<8 hex of the candidate>`), fit.
    const lmi = built.llm.endpoints.lmi;
    expect(lmi.model.modelName).toMatch(/^mlops-prod-llm-lmi-/);
    expect(lmi.endpointConfig.endpointConfigName).toMatch(/^mlops-prod-llm-lmi-/);
    const sageMaker = taskStatements('').filter((st: { Action: string | string[] }) =>
      [st.Action].flat().some((a) => a.startsWith('sagemaker:')),
    );
    expect(sageMaker.map((st: { Sid: string }) => st.Sid)).toEqual([
      'LmiRolloutEndpoints',
      'LmiRolloutConfigs',
      'LmiRolloutModels',
    ]);
  });

  it("lets the task function pass the endpoint's LMI role alone, to SageMaker alone", () => {
    // Assess: the rollout names the role by the name the LLM stack gives it.
    const role = built.template.findResources('AWS::IAM::Role', {
      Properties: { RoleName: 'PromptRollouts-mlops-prod-llm-lmi' },
    });
    expect(Object.keys(role)).toHaveLength(1);
    const [pass] = taskStatements('PassLmiRole');
    expect(resolved(pass.Resource)).toEqual(
      'arn:aws:iam::111122223333:role/PromptRollouts-mlops-prod-llm-lmi',
    );
    expect(pass.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } });
    expect(taskStatements('PassModelRole')).toEqual([]);
  });

  it('fails the permission checks on a deployment without LMI targets: none of these statements', () => {
    const bedrockOnly = rolloutStack();
    const statements = Object.values(bedrockOnly.template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Array<{ Sid?: string }>,
    );
    expect(statements.filter((st) => st.Sid?.startsWith('LmiRollout') || st.Sid === 'PassLmiRole')).toEqual(
      [],
    );
  });
});
