/**
 * Local rules and functions run from a template: a pattern rule on the bus and a schedule rule
 * deliver to Lambda targets through the local Lambda service, whose Invoke API also answers the
 * AWS SDK's Lambda client.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { CfnTemplate } from '../../local/cdk-template';
import { LocalEventBus } from '../../local/event-bus';
import { LocalLambdaService } from '../../local/lambda-service';
import { LocalRules } from '../../local/rules';

const ROOT = join(__dirname, '..', '..');
const dir = mkdtempSync(join(ROOT, 'test', '.tmp-rules-'));
const calls: unknown[] = [];
(globalThis as Record<string, unknown>).__ruleCalls = calls;
writeFileSync(
  join(dir, 'recorder.js'),
  'exports.handler = async (event) => { globalThis.__ruleCalls.push(event); return { seen: event["detail-type"] ?? event.ping }; };',
);
const entry = relative(ROOT, join(dir, 'recorder.js'));

const template: CfnTemplate = {
  Resources: {
    Recorder: { Type: 'AWS::Lambda::Function', Metadata: { 'cdk-mlops:entry': entry } },
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
  },
};

afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  calls.length = 0;
});

describe('local rules', () => {
  it('delivers a matching event to the Lambda target, through InputPath, and ignores others', async () => {
    // Prepare
    const bus = new LocalEventBus();
    const rules = new LocalRules(template, { lambdas: new LocalLambdaService(template) });
    rules.start(bus, { schedules: false });
    // Act
    await bus.put({
      Source: 'cdk-mlops.monitoring',
      DetailType: 'DriftDetected',
      Detail: '{"modelName":"churn"}',
    });
    await bus.put({ Source: 'cdk-mlops.registry', DetailType: 'ModelCreated', Detail: '{}' });
    await new Promise((r) => setTimeout(r, 50));
    // Assess
    expect(calls).toEqual([{ modelName: 'churn' }]);
    expect(rules.rules.map((r) => [r.id, r.kind])).toEqual([
      ['OnDrift', 'pattern'],
      ['Nightly', 'schedule'],
    ]);
  });

  it('runs a schedule rule on demand with its constant Input', async () => {
    const rules = new LocalRules(template, { lambdas: new LocalLambdaService(template) });
    rules.start(new LocalEventBus(), { schedules: false });
    await rules.runNow('Nightly');
    expect(calls).toEqual([{ job: 'materialize' }]);
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
    expect(() =>
      new LocalRules(bad, { lambdas: new LocalLambdaService(bad) }).start(new LocalEventBus()),
    ).toThrow(/only Lambda and state machine targets/);
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
    new LocalRules(withMachine, { lambdas: new LocalLambdaService(withMachine) }).start(bus, {
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
    await new Promise((r) => setTimeout(r, 50));
    // Assess
    expect(calls).toEqual([{ status: 'ABORTED', stateMachineArn: arn }]);
  });
});

describe('local Lambda service', () => {
  it("answers the SDK's Invoke, synchronously and as an Event", async () => {
    // Prepare
    const lambdas = new LocalLambdaService(template);
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
    } finally {
      await lambdas.close();
    }
    expect(calls).toEqual([{ ping: 1 }, { ping: 2 }]);
  });
});
