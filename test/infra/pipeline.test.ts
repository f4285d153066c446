import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ENV } from '../../contracts/env';
import { RetrainingConfigs } from '../../contracts/pipeline';
import { FEATURE_REGISTRY_TABLE, PIPELINE_TABLE } from '../../contracts/tables';
import { DeploymentTargetParameters } from '../../lib/deployment/target-parameters';
import { RetrainingPipeline } from '../../lib/pipeline/retraining-pipeline';
import { PlatformStorage } from '../../lib/storage/platform-storage';
import { matchesPattern } from '../../local/event-pattern';
import { SKIP_BUNDLING } from './helpers';

const governance = {
  metricFloors: { accuracy: 0.85 },
  requireModelCard: true,
  requireSecurityScan: true,
  requireLoadTest: true,
};
const configs = RetrainingConfigs.parse([
  {
    modelName: 'churn',
    schedule: 'cron(0 3 * * ? *)',
    trainingData: { uri: 's3://bucket/churn.parquet', label: 'y' },
  },
  { modelName: 'fraud', triggers: ['drift'], trainingData: { uri: 's3://bucket/fraud.csv', label: 'y' } },
]);

/** The pipeline in a stack of its own, with a stand-in rollout state machine (a Pass state). */
function pipelineStack(options: { nag?: boolean; retries?: number } = {}) {
  const app = new App({ context: SKIP_BUNDLING });
  const stack = new Stack(app, 'PipelineTest');
  const storage = new PlatformStorage(stack, 'Storage', {});
  const deployment = new sfn.StateMachine(stack, 'Rollout', {
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Done')),
  });
  Validations.of(deployment).acknowledge(
    { id: 'AwsSolutions-SF1', reason: 'test stand-in for the deployment state machine' },
    { id: 'AwsSolutions-SF2', reason: 'test stand-in for the deployment state machine' },
  );
  const pipeline = new RetrainingPipeline(stack, 'Pipeline', {
    envName: 'test',
    storage: {
      ...storage,
      pipelineTable: storage.tables[PIPELINE_TABLE.id],
      featureRegistryTable: storage.tables[FEATURE_REGISTRY_TABLE.id],
    },
    eventBus: new events.EventBus(stack, 'Bus'),
    deploymentStateMachine: deployment,
    deploymentTargets: new DeploymentTargetParameters(stack, 'Targets', {
      parameterPath: '/cdk-mlops/test/deployment-targets',
      targets: {},
    }),
    configs,
    governance,
    ...(options.retries !== undefined ? { trainingRetries: options.retries } : {}),
  });
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { stack, pipeline, template: Template.fromStack(stack) };
}

/** The state machine role's statements with an action. */
function statementsWith(template: Template, action: string) {
  const out: Array<Record<string, unknown>> = [];
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    for (const s of policy.Properties.PolicyDocument.Statement) {
      if ([s.Action].flat().includes(action)) out.push(s);
    }
  }
  return out;
}

/** The resource is executions of the retraining state machine (the ARN `grantExecution` builds). */
function stopsPipelineExecutions(resource: unknown): boolean {
  return /:execution:.*"Ref":"PipelineStateMachine[0-9A-F]+"/.test(JSON.stringify(resource));
}

describe('RetrainingPipeline', () => {
  const { template } = pipelineStack();

  it('scopes SageMaker training to the platform job prefix', () => {
    // Act
    const statements = statementsWith(template, 'sagemaker:CreateTrainingJob');

    // Assess
    expect(statements).toHaveLength(1);
    expect(JSON.stringify(statements[0].Resource)).toContain(':training-job/mlops-test-t-*');
    expect(statements[0].Action).toEqual(
      expect.arrayContaining(['sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob']),
    );
  });

  it('fails a template where training is allowed on any job', () => {
    // Prepare
    const bad = [{ Action: 'sagemaker:CreateTrainingJob', Resource: '*' }];

    // Act / Assess
    expect(JSON.stringify(bad[0].Resource)).not.toContain(':training-job/mlops-test-t-*');
  });

  it('passes only the training role, only to SageMaker', () => {
    // Act
    const statements = statementsWith(template, 'iam:PassRole');

    // Assess
    expect(statements).toEqual([
      expect.objectContaining({
        Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^PipelineTrainingRole/), 'Arn'] },
      }),
    ]);
  });

  it('starts only the deployment state machine', () => {
    // Act
    const statements = statementsWith(template, 'states:StartExecution').filter((s) =>
      JSON.stringify(s.Resource).includes('Rollout'),
    );

    // Assess
    expect(statements).toHaveLength(1);
    expect(statements[0].Resource).toEqual({ Ref: expect.stringMatching(/^Rollout/) });
  });

  it("lets only the route function stop the retraining state machine's executions", () => {
    // Act: the policies holding StopExecution on executions of the retraining state machine
    const stoppers = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      p.Properties.PolicyDocument.Statement.some(
        (s: { Action: string | string[]; Resource: unknown }) =>
          [s.Action].flat().includes('states:StopExecution') && stopsPipelineExecutions(s.Resource),
      ),
    );

    // Assess
    expect(stoppers.map((p) => p.Properties.Roles)).toEqual([
      [{ Ref: expect.stringMatching(/^PipelineHandlerRole/) }],
    ]);
  });

  it('fails a grant that would stop any execution or only the rollout', () => {
    // Prepare
    const bad = [
      '*',
      { Ref: 'Rollout5400B0F2' },
      { 'Fn::Join': ['', [':stateMachine:', { Ref: 'PipelineStateMachine1814BD05' }]] },
    ];

    // Act / Assess
    for (const resource of bad) expect(stopsPipelineExecutions(resource)).toBe(false);
  });

  it('trains on the configured GPU type with retries and a catch, and nests the rollout with .sync:2', () => {
    // Act
    const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine')).filter((m) =>
      JSON.stringify(m.Properties.DefinitionString).includes('TrainChallenger'),
    );
    const definition = JSON.stringify(machine.Properties.DefinitionString);

    // Assess
    expect(definition).toContain('sagemaker:createTrainingJob.sync');
    expect(definition).toContain('states:startExecution.sync:2');
    expect(definition).toContain('\\"MaxAttempts\\":2');
    expect(definition).toContain('\\"Next\\":\\"FinishTrainingFailed\\"');
    expect(definition).not.toContain('JSONata');
  });

  it('fails a retry count out of range', () => {
    // Act / Assess
    expect(() => pipelineStack({ retries: 11 })).toThrow('trainingRetries must be an integer 0..10, got 11');
  });

  it('wires a schedule per model and the drift, quality and data-volume rules for the models that want them', () => {
    // Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 3 * * ? *)',
      Targets: [Match.objectLike({ Input: JSON.stringify({ modelName: 'churn', reason: 'schedule' }) })],
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['cdk-mlops.monitoring'],
        'detail-type': ['DriftDetected'],
        detail: { modelName: ['churn', 'fraud'] },
      },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['cdk-mlops.monitoring'],
        'detail-type': ['QualityDegraded'],
        detail: { modelName: ['churn'] },
      },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['cdk-mlops.pipeline'],
        'detail-type': ['TrainingDataAccumulated'],
        detail: { modelName: ['churn'] },
      },
    });
    expect(
      Object.keys(
        template.findResources('AWS::Events::Rule', { Properties: { ScheduleExpression: Match.anyValue() } }),
      ),
    ).toHaveLength(1);
  });

  it('records stopped, timed-out and failed executions of its own state machine with the task function', () => {
    // Prepare
    const [rule] = Object.values(
      template.findResources('AWS::Events::Rule', {
        Properties: { EventPattern: { source: ['aws.states'] } },
      }),
    );
    const pattern = rule.Properties.EventPattern;
    const local = { ...pattern, detail: { ...pattern.detail, stateMachineArn: ['arn:retraining'] } };
    const event = (status: string, stateMachineArn = 'arn:retraining') => ({
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      detail: { status, stateMachineArn },
    });

    // Assess
    expect(pattern.detail.stateMachineArn).toEqual([{ Ref: expect.stringMatching(/^PipelineStateMachine/) }]);
    expect(rule.Properties.Targets).toEqual([
      expect.objectContaining({ Arn: { 'Fn::GetAtt': [expect.stringMatching(/^PipelineTasks/), 'Arn'] } }),
    ]);
    for (const status of ['ABORTED', 'TIMED_OUT', 'FAILED'])
      expect(matchesPattern(event(status), local)).toBe(true);
  });

  it('fails to match a succeeded execution or another state machine', () => {
    // Prepare
    const pattern = {
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { status: ['ABORTED', 'TIMED_OUT', 'FAILED'], stateMachineArn: ['arn:retraining'] },
    };
    const event = (status: string, stateMachineArn: string) => ({
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      detail: { status, stateMachineArn },
    });

    // Act / Assess
    expect(matchesPattern(event('SUCCEEDED', 'arn:retraining'), pattern)).toBe(false);
    expect(matchesPattern(event('ABORTED', 'arn:rollout'), pattern)).toBe(false);
  });

  it('lets training jobs write only their own log streams, and the tasks read feature views by key', () => {
    // Act
    const [streams] = statementsWith(template, 'logs:PutLogEvents');
    const [views] = statementsWith(template, 'dynamodb:GetItem').filter(
      (s) => [s.Action].flat().length === 1,
    );

    // Assess
    expect(JSON.stringify(streams.Resource)).toContain(
      ':log-group:/aws/sagemaker/TrainingJobs:log-stream:mlops-test-t-*',
    );
    expect(views?.Resource).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^StorageFeatureRegistry/), 'Arn'],
    });
  });

  it('is cdk-nag clean', () => {
    // Act / Assess: a finding fails synthesis.
    expect(() => pipelineStack({ nag: true })).not.toThrow();
  });
});

describe('retraining configs in Parameter Store', () => {
  const { template } = pipelineStack();
  const PATH = '/cdk-mlops/PipelineTest/retraining-configs';
  const functions = Object.entries(template.findResources('AWS::Lambda::Function'));

  it("holds each model's config as JSON in one Standard String parameter under the path", () => {
    const parameters = Object.values(template.findResources('AWS::SSM::Parameter'))
      .map((p) => p.Properties)
      .filter((p) => String(p.Name).startsWith(`${PATH}/`));
    expect(parameters.map((p) => [p.Name, p.Type, p.Tier])).toEqual([
      [`${PATH}/churn`, 'String', 'Standard'],
      [`${PATH}/fraud`, 'String', 'Standard'],
    ]);
    expect(parameters.map((p) => JSON.parse(p.Value))).toEqual(configs);
  });

  it('gives the functions the path, never the configs', () => {
    expect(functions.length).toBeGreaterThan(0);
    for (const [, f] of functions) {
      const variables = f.Properties.Environment.Variables;
      expect(variables[ENV.retrainingConfigsPath]).toBe(PATH);
      expect(JSON.stringify(variables)).not.toContain('s3://bucket/churn.parquet');
    }
  });

  it("lets each function read the path's parameters, and nothing else of Parameter Store", () => {
    const reads = statementsWith(template, 'ssm:GetParameter');
    expect(reads).toHaveLength(functions.length);
    for (const s of reads) {
      expect(s.Action).toBe('ssm:GetParameter');
      expect(JSON.stringify(s.Resource)).toMatch(
        /":parameter\/cdk-mlops\/PipelineTest\/retraining-configs\/\*"\]\]\}$/,
      );
    }
  });
});
