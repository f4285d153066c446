/**
 * Local rules and functions run from a template: a pattern rule on the bus and a schedule rule
 * deliver to Lambda targets through the local Lambda service, whose Invoke API also answers the
 * AWS SDK's Lambda client. The recorder function runs in its own worker, as every local function
 * does, and records what it got in the file its template environment names.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { CfnTemplate } from '../../local/cdk-template';
import { LocalEventBus } from '../../local/event-bus';
import { LocalLambdaService } from '../../local/lambda-service';
import { LocalRules } from '../../local/rules';

const ROOT = join(__dirname, '..', '..');
const dir = mkdtempSync(join(ROOT, 'test', '.tmp-rules-'));
const record = join(dir, 'calls.jsonl');
writeFileSync(
  join(dir, 'recorder.js'),
  [
    "const { appendFileSync } = require('node:fs');",
    'exports.handler = async (event) => {',
    '  appendFileSync(process.env.RECORD_FILE, JSON.stringify(event) + "\\n");',
    '  return { seen: event["detail-type"] ?? event.ping };',
    '};',
  ].join('\n'),
);
const entry = relative(ROOT, join(dir, 'recorder.js'));

/** What the recorder has been invoked with, oldest first. */
const calls = (): unknown[] =>
  existsSync(record)
    ? readFileSync(record, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
    : [];

/** Waits until the recorder has seen `n` calls (a function's first call starts its worker). */
const until = async (n: number) => {
  for (let i = 0; i < 500 && calls().length < n; i++) await new Promise((r) => setTimeout(r, 10));
};

const services: LocalLambdaService[] = [];
/** A Lambda service stopped after the test (its workers with it). */
const lambdaService = (t: CfnTemplate) => {
  const service = new LocalLambdaService(t);
  services.push(service);
  return service;
};

const template: CfnTemplate = {
  Resources: {
    Recorder: {
      Type: 'AWS::Lambda::Function',
      Properties: { Environment: { Variables: { RECORD_FILE: record } } },
      Metadata: { 'cdk-mlops:entry': entry },
    },
    OnDrift: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventPattern: { source: ['cdk-mlops.monitoring'], 'detail-type': ['DriftDetected'] },
        Targets: [{ Id: 'T', Arn: { 'Fn::GetAtt': ['Recorder', 'Arn'] }, InputPath: '$.detail' }],
      },
    },
    Nightly: {
      Type: 'AWS::Events::Rule',
      Properties: {
        ScheduleExpression: 'cron(0 3 * * ? *)',
        Targets: [{ Id: 'T', Arn: { 'Fn::GetAtt': ['Recorder', 'Arn'] }, Input: '{"job":"materialize"}' }],
      },
    },
    // As CDK writes RuleTargetInput.fromObject({ job, time: EventField.time }).
    Daily: {
      Type: 'AWS::Events::Rule',
      Properties: {
        ScheduleExpression: 'rate(1 day)',
        Targets: [
          {
            Id: 'T',
            Arn: { 'Fn::GetAtt': ['Recorder', 'Arn'] },
            InputTransformer: {
              InputPathsMap: { time: '$.time', 'detail-type': '$.detail-type' },
              InputTemplate: '{"job":"score","time":<time>,"kind":"<detail-type>"}',
            },
          },
        ],
      },
    },
  },
};

afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  rmSync(record, { force: true });
});
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
});

describe('local rules', () => {
  it('delivers a matching event to the Lambda target, through InputPath, and ignores others', async () => {
    // Prepare
    const bus = new LocalEventBus();
    const rules = new LocalRules(template, { lambdas: lambdaService(template) });
    rules.start(bus, { schedules: false });
    // Act
    await bus.put({
      Source: 'cdk-mlops.monitoring',
      DetailType: 'DriftDetected',
      Detail: '{"modelName":"churn"}',
    });
    await bus.put({ Source: 'cdk-mlops.registry', DetailType: 'ModelCreated', Detail: '{}' });
    await until(1);
    await new Promise((r) => setTimeout(r, 50));
    // Assess
    expect(calls()).toEqual([{ modelName: 'churn' }]);
    expect(rules.rules.map((r) => [r.id, r.kind])).toEqual([
      ['OnDrift', 'pattern'],
      ['Nightly', 'schedule'],
      ['Daily', 'schedule'],
    ]);
  });

  it('runs a schedule rule on demand with its constant Input', async () => {
    const rules = new LocalRules(template, { lambdas: lambdaService(template) });
    rules.start(new LocalEventBus(), { schedules: false });
    await rules.runNow('Nightly');
    expect(calls()).toEqual([{ job: 'materialize' }]);
  });

  it("runs a schedule rule's InputTransformer: the event's time and detail-type in the template", async () => {
    const rules = new LocalRules(template, { lambdas: lambdaService(template) });
    rules.start(new LocalEventBus(), { schedules: false });
    await rules.runNow('Daily');
    const [call] = calls() as Array<{ job: string; time: string; kind: string }>;
    expect(call).toEqual({
      job: 'score',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      kind: 'Scheduled Event',
    });
  });

  it('fails a rule whose target is not a function or state machine', () => {
    const bad: CfnTemplate = {
      Resources: {
        Queue: { Type: 'AWS::SQS::Queue' },
        R: {
          Type: 'AWS::Events::Rule',
          Properties: {
            EventPattern: { source: ['x'] },
            Targets: [{ Id: 'q', Arn: { 'Fn::GetAtt': ['Queue', 'Arn'] } }],
          },
        },
      },
    };
    expect(() => new LocalRules(bad, { lambdas: lambdaService(bad) }).start(new LocalEventBus())).toThrow(
      /only Lambda, state machine and SNS topic targets/,
    );
  });

  it("publishes an SNS topic target's transformed message through the runner (approval notifications)", async () => {
    // Prepare: a topic target as `SnsTopic` with `RuleTargetInput.fromText` synthesizes it
    const withTopic: CfnTemplate = {
      Resources: {
        Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'mlops-dev-alerts-warning' } },
        R: {
          Type: 'AWS::Events::Rule',
          Properties: {
            EventPattern: { source: ['cdk-mlops.registry'], 'detail-type': ['ApprovalRequested'] },
            Targets: [
              {
                Id: 't',
                Arn: { Ref: 'Topic' },
                InputTransformer: {
                  InputPathsMap: { 'detail-modelName': '$.detail.modelName' },
                  InputTemplate: '"Approval requested: <detail-modelName>"',
                },
              },
            ],
          },
        },
      },
    };
    const published: unknown[] = [];
    const bus = new LocalEventBus();
    new LocalRules(withTopic, {
      lambdas: lambdaService(withTopic),
      publish: (topicId, message) => published.push([topicId, message]),
    }).start(bus);
    // Act
    await bus.put({
      Source: 'cdk-mlops.registry',
      DetailType: 'ApprovalRequested',
      Detail: '{"modelName":"churn"}',
    });
    await new Promise((r) => setTimeout(r, 50));
    // Assess
    expect(published).toEqual([['Topic', 'Approval requested: churn']]);
  });

  it("links what local mode serves where the stack's URLs were (approval notifications)", async () => {
    // Prepare: the API's URL as CloudFormation would resolve it, ahead of the route
    const withUrl: CfnTemplate = {
      Resources: {
        Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: {} },
        Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
        R: {
          Type: 'AWS::Events::Rule',
          Properties: {
            EventPattern: { source: ['cdk-mlops.registry'] },
            Targets: [
              {
                Id: 't',
                Arn: { Ref: 'Topic' },
                InputTransformer: {
                  InputPathsMap: { 'detail-modelName': '$.detail.modelName' },
                  InputTemplate: {
                    'Fn::Join': [
                      '',
                      ['"see https://', { Ref: 'Api' }, '.example/models/<detail-modelName>"'],
                    ],
                  },
                },
              },
            ],
          },
        },
      },
    };
    const published: unknown[] = [];
    const bus = new LocalEventBus();
    new LocalRules(withUrl, {
      lambdas: lambdaService(withUrl),
      publish: (_, message) => published.push(message),
    }).start(bus, { urls: [['https://Api.example/', 'http://127.0.0.1:8080/']] });
    // Act
    await bus.put({
      Source: 'cdk-mlops.registry',
      DetailType: 'ApprovalRequested',
      Detail: '{"modelName":"churn"}',
    });
    await new Promise((r) => setTimeout(r, 50));
    // Assess
    expect(published).toEqual(['see http://127.0.0.1:8080/models/churn']);
  });
});

describe('local rules naming template resources', () => {
  it("resolves a state machine's Ref in a pattern to its local ARN, as status-change rules need", async () => {
    // Prepare
    const withMachine: CfnTemplate = {
      Resources: {
        ...template.Resources,
        Pipeline: { Type: 'AWS::StepFunctions::StateMachine' },
        OnStopped: {
          Type: 'AWS::Events::Rule',
          Properties: {
            EventPattern: {
              source: ['aws.states'],
              detail: { status: ['ABORTED'], stateMachineArn: [{ Ref: 'Pipeline' }] },
            },
            Targets: [{ Id: 'T', Arn: { 'Fn::GetAtt': ['Recorder', 'Arn'] }, InputPath: '$.detail' }],
          },
        },
      },
    };
    const bus = new LocalEventBus();
    new LocalRules(withMachine, { lambdas: lambdaService(withMachine) }).start(bus, {
      schedules: false,
    });
    const arn = 'arn:aws:states:us-east-1:000000000000:stateMachine:Pipeline';
    // Act
    await bus.put({
      Source: 'aws.states',
      DetailType: 'x',
      Detail: JSON.stringify({ status: 'ABORTED', stateMachineArn: arn }),
    });
    await bus.put({
      Source: 'aws.states',
      DetailType: 'x',
      Detail: JSON.stringify({ status: 'ABORTED', stateMachineArn: 'other' }),
    });
    await until(1);
    await new Promise((r) => setTimeout(r, 50));
    // Assess
    expect(calls()).toEqual([{ status: 'ABORTED', stateMachineArn: arn }]);
  });
});

describe('local Lambda service', () => {
  it("answers the SDK's Invoke, synchronously and as an Event", async () => {
    // Prepare
    const lambdas = lambdaService(template);
    const endpoint = await lambdas.listen();
    const client = new LambdaClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    try {
      // Act
      const sync = await client.send(
        new InvokeCommand({
          FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:Recorder',
          Payload: JSON.stringify({ ping: 1 }),
        }),
      );
      const async = await client.send(
        new InvokeCommand({ FunctionName: 'Recorder', InvocationType: 'Event', Payload: '{"ping":2}' }),
      );
      const missing = client.send(new InvokeCommand({ FunctionName: 'Nope', Payload: '{}' }));
      // Assess
      expect(JSON.parse(Buffer.from(sync.Payload!).toString())).toEqual({ seen: 1 });
      expect(async.StatusCode).toBe(202);
      await expect(missing).rejects.toThrow(/no local function Nope/);
      await until(2);
    } finally {
      await lambdas.close();
    }
    expect(calls()).toEqual([{ ping: 1 }, { ping: 2 }]);
  });
});
