/**
 * Prompt rollouts on the stack with cdk-nag: each prompt's rollout target (backend `prompt`, its
 * alarms), the alarms on the challenger's error rate, p95 latency and guardrail blocks, the task function reading
 * those alarms only, and the LLM function allowed to start rollouts; bad configs fail at synth.
 */
import { App, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ENV } from '../../contracts/env';
import { LlmConfig } from '../../contracts/llm';
import { DEPLOYMENTS_TABLE, LLM_TABLE } from '../../contracts/tables';
import { ModelDeployment } from '../../lib/deployment/model-deployment';
import { LlmOps } from '../../lib/llm/llm-ops';
import { promptRolloutTargets } from '../../lib/llm/prompt-rollouts';
import { PlatformStorage } from '../../lib/storage/platform-storage';
import { SKIP_BUNDLING } from './helpers';

const CONFIG = {
  endpoints: [{ name: 'chat', backend: 'bedrock', model: 'anthropic.claude-v1' }],
  prices: [
    {
      model: 'anthropic.claude-v1',
      effectiveFrom: '2026-01-01',
      tiers: [{ aboveInputTokens: 0, input: 1, output: 1 }],
    },
  ],
  promptRollouts: [{ prompt: 'support', endpoint: 'chat', errorRateThresholdPercent: 2 }],
};

function rolloutStack(config: unknown = CONFIG) {
  const app = new App({ context: SKIP_BUNDLING });
  const stack = new Stack(app, 'PromptRollouts', { env: { account: '111122223333', region: 'us-east-1' } });
  const storage = new PlatformStorage(stack, 'Storage', { removalPolicy: RemovalPolicy.DESTROY });
  const llmConfig = LlmConfig.parse(config);
  const deployment = new ModelDeployment(stack, 'Deployment', {
    storage: { ...storage, deploymentsTable: storage.tables[DEPLOYMENTS_TABLE.id] },
    promptTargets: promptRolloutTargets(llmConfig, 'prod'),
    governance: {} as never,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const llm = new LlmOps(stack, 'Llm', {
    storage: { ...storage, llmTable: storage.tables[LLM_TABLE.id] },
    config: llmConfig,
    governance: {} as never,
    envName: 'prod',
    removalPolicy: RemovalPolicy.DESTROY,
  });
  deployment.grantPromptRollouts(llm.handler);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, template: Template.fromStack(stack) };
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
