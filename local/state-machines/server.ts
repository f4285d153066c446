/**
 * The local Step Functions API: StartExecution, DescribeExecution, StopExecution,
 * ListExecutions and the task token calls (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat)
 * over AWS JSON 1.0 (`X-Amz-Target: AWSStepFunctions.<Operation>`), running the
 * template's state machines in process, so the rollout route's SFN client only changes endpoint.
 * Executions live in memory: a restart forgets them (the deployment records persist).
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CfnTemplate } from '../cdk-template';
import { type InvokeFunction, LocalStateMachine, type RunOptions, stateMachineDefinitions } from './executor';
import { type LocalTaskTokens, localTaskTokens, TaskTokenError } from './task-tokens';

type Status = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

interface Execution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: Status;
  startDate: number;
  stopDate?: number;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  abort?: () => void;
  done: Promise<void>;
}

class SfnError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface LocalStepFunctionsOptions {
  /** Run options for every execution (short waits in tests and demos). */
  readonly runOptions?: Omit<RunOptions, 'executionName' | 'executionArn'>;
  /**
   * Called when an execution ends, as Step Functions puts an "Execution Status Change" event on
   * the default bus (so rules such as the retraining safe stop run locally too).
   * @see https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
   */
  readonly onExecutionEnded?: (execution: EndedExecution) => void;
}

/** The detail of a Step Functions "Execution Status Change" event. */
export interface EndedExecution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';
  readonly startDate: number;
  readonly stopDate: number;
  readonly input: string;
  readonly output?: string | null;
  readonly error?: string | null;
  readonly cause?: string | null;
}

export class LocalStepFunctions {
  private readonly machines = new Map<string, LocalStateMachine>();
  private readonly executions = new Map<string, Execution>();
  private server?: Server;
  private readonly tokens: LocalTaskTokens;

  constructor(
    template: CfnTemplate,
    invoke: InvokeFunction,
    private readonly options: LocalStepFunctionsOptions = {},
  ) {
    this.tokens = options.runOptions?.taskTokens ?? localTaskTokens;
    for (const id of stateMachineDefinitions(template).keys()) {
      const machine = new LocalStateMachine(template, id, invoke);
      this.machines.set(machine.arn, machine);
    }
  }

  /** ARNs of the template's state machines, by logical id. */
  get stateMachineArns(): Record<string, string> {
    return Object.fromEntries([...this.machines.values()].map((m) => [m.logicalId, m.arn]));
  }

  startExecution(input: { stateMachineArn: string; name?: string; input?: string }) {
    const machine = this.machines.get(input.stateMachineArn);
    if (!machine)
      throw new SfnError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${input.stateMachineArn}'`,
      );
    const name = input.name ?? crypto.randomUUID();
    const executionArn = `${machine.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.input === (input.input ?? '{}')) return { executionArn, startDate: existing.startDate };
      throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const text = input.input ?? '{}';
    const run = machine.start(JSON.parse(text), {
      ...this.options.runOptions,
      executionName: name,
      executionArn,
    });
    const execution: Execution = {
      executionArn,
      stateMachineArn: machine.arn,
      name,
      status: 'RUNNING',
      startDate: Date.now() / 1000,
      input: text,
      abort: run.abort,
      done: Promise.resolve(),
    };
    execution.done = run.result.then(
      (output) => {
        if (execution.status !== 'RUNNING') return;
        Object.assign(execution, {
          status: 'SUCCEEDED',
          output: JSON.stringify(output),
          stopDate: Date.now() / 1000,
        });
        this.ended(execution);
      },
      (err: Error) => {
        if (execution.status !== 'RUNNING') return;
        const { error, cause } = failureOf(err);
        Object.assign(execution, { status: 'FAILED', error, cause, stopDate: Date.now() / 1000 });
        this.ended(execution);
      },
    );
    this.executions.set(executionArn, execution);
    return { executionArn, startDate: execution.startDate };
  }

  private ended(e: Execution): void {
    const { executionArn, stateMachineArn, name, status, startDate, stopDate, input } = e;
    const { output, error, cause } = e as Execution & { output?: string; error?: string; cause?: string };
    this.options.onExecutionEnded?.({
      executionArn,
      stateMachineArn,
      name,
      status: status as EndedExecution['status'],
      startDate: startDate * 1000,
      stopDate: (stopDate ?? Date.now() / 1000) * 1000,
      input,
      output: output ?? null,
      error: error ?? null,
      cause: cause ?? null,
    });
  }

  describeExecution(input: { executionArn: string }) {
    const e = this.execution(input.executionArn);
    const { abort: _a, done: _d, ...described } = e;
    return described;
  }

  stopExecution(input: { executionArn: string; error?: string; cause?: string }) {
    const e = this.execution(input.executionArn);
    if (e.status === 'RUNNING') {
      Object.assign(e, {
        status: 'ABORTED',
        stopDate: Date.now() / 1000,
        error: input.error,
        cause: input.cause,
      });
      e.abort?.();
      this.ended(e);
    }
    return { stopDate: e.stopDate };
  }

  listExecutions(input: { stateMachineArn: string; statusFilter?: Status; maxResults?: number }) {
    const executions = [...this.executions.values()]
      .filter(
        (e) =>
          e.stateMachineArn === input.stateMachineArn &&
          (!input.statusFilter || e.status === input.statusFilter),
      )
      .sort((a, b) => b.startDate - a.startDate)
      .slice(0, input.maxResults || 1000)
      .map(({ executionArn, stateMachineArn, name, status, startDate, stopDate }) => ({
        executionArn,
        stateMachineArn,
        name,
        status,
        startDate,
        ...(stopDate ? { stopDate } : {}),
      }));
    return { executions };
  }

  /** Resolves once every execution has ended (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.executions.values()].map((e) => e.done));
  }

  private execution(arn: string): Execution {
    const e = this.executions.get(arn);
    if (!e) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return e;
  }

  async listen(port = 0): Promise<string> {
    const operations: Record<string, (input: never) => unknown> = {
      StartExecution: (i) => this.startExecution(i),
      DescribeExecution: (i) => this.describeExecution(i),
      StopExecution: (i) => this.stopExecution(i),
      ListExecutions: (i) => this.listExecutions(i),
      SendTaskSuccess: (i: { taskToken: string; output: string }) => {
        this.tokens.succeed(i.taskToken, i.output);
        return {};
      },
      SendTaskFailure: (i: { taskToken: string; error?: string; cause?: string }) => {
        this.tokens.fail(i.taskToken, i.error, i.cause);
        return {};
      },
      SendTaskHeartbeat: (i: { taskToken: string }) => {
        this.tokens.heartbeat(i.taskToken);
        return {};
      },
    };
    this.server = createServer((req, res) => {
      void readBody(req).then((text) => {
        const reply = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify(body));
        };
        const operation = String(req.headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', '');
        const run = operations[operation];
        if (!run)
          return reply(400, {
            __type: 'UnknownOperationException',
            message: `${operation} is not supported locally`,
          });
        try {
          reply(200, run((text ? JSON.parse(text) : {}) as never));
        } catch (err) {
          const type = err instanceof SfnError || err instanceof TaskTokenError ? err.type : 'InvalidArn';
          reply(400, { __type: type, message: (err as Error).message });
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stops serving, aborts running executions and waits for them to end. */
  async close(): Promise<void> {
    for (const e of this.executions.values())
      if (e.status === 'RUNNING') this.stopExecution({ executionArn: e.executionArn });
    await this.settled();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** An execution's error and cause, from the executor's failure (a Fail state or an uncaught task error). */
export function failureOf(err: Error): { error: string; cause: string } {
  const inner = (err as { cause?: { name?: string; message?: string; Error?: string; Cause?: string } })
    .cause;
  return {
    error: inner?.Error ?? inner?.name ?? err.name,
    cause: inner?.Cause ?? inner?.message ?? err.message,
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
