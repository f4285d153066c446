/**
 * Local stand-in for a `states:startExecution.sync:2` Task: runs the named state machine of the
 * same template with the local executor and returns what `.sync:2` returns, the DescribeExecution
 * response with `Output` as parsed JSON. A failed child fails the Task with `States.TaskFailed`,
 * as on AWS. The executor (`local/state-machines/executor.ts`) has no nested executions of its
 * own, so the parent's Task is overridden with this handler.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html
 */
import type { LocalStateMachine, RunOptions } from '../state-machines/executor';

interface StartExecutionParameters {
  readonly StateMachineArn: string;
  readonly Input?: unknown;
  readonly Name?: string;
}

export class NestedExecutionFailed extends Error {
  constructor(cause: string) {
    super(cause);
    this.name = 'States.TaskFailed';
  }
}

/** Makes the Task handler over the template's state machines (keyed by ARN). */
export function nestedExecutionTask(
  machines: ReadonlyMap<string, LocalStateMachine>,
  options: Omit<RunOptions, 'executionName' | 'executionArn'> = {},
) {
  return async (parameters: unknown) => {
    const p = parameters as StartExecutionParameters;
    const machine = machines.get(p.StateMachineArn);
    if (!machine) throw new NestedExecutionFailed(`State Machine Does Not Exist: '${p.StateMachineArn}'`);
    const name = p.Name ?? crypto.randomUUID();
    const executionArn = `${machine.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    const input = typeof p.Input === 'string' ? JSON.parse(p.Input) : (p.Input ?? {});
    const startDate = new Date().toISOString();
    try {
      const output = await machine.run(input, { ...options, executionName: name, executionArn });
      return {
        ExecutionArn: executionArn,
        StateMachineArn: machine.arn,
        Name: name,
        Status: 'SUCCEEDED',
        StartDate: startDate,
        StopDate: new Date().toISOString(),
        Input: input,
        Output: output,
      };
    } catch (err) {
      const inner = (err as { cause?: { name?: string; message?: string } }).cause;
      throw new NestedExecutionFailed(
        JSON.stringify({
          ExecutionArn: executionArn,
          Status: 'FAILED',
          Error: inner?.name ?? (err as Error).name,
          Cause: inner?.message ?? (err as Error).message,
        }),
      );
    }
  };
}

/** The part of the local Step Functions API a nested execution needs. */
export interface StepFunctionsApi {
  startExecution(input: { stateMachineArn: string; name?: string; input?: string }): { executionArn: string };
  describeExecution(input: { executionArn: string }): {
    status: string;
    output?: string;
    error?: string;
    cause?: string;
  };
}

/**
 * The same Task handler over the local Step Functions API (`local/state-machines/server.ts`), so the
 * child shows in ListExecutions and can be stopped like any other. Polls DescribeExecution, as the
 * `.sync` integration does.
 */
export function nestedExecutionViaApi(api: () => StepFunctionsApi, pollMs = 250) {
  return async (parameters: unknown) => {
    const p = parameters as StartExecutionParameters;
    const input = typeof p.Input === 'string' ? p.Input : JSON.stringify(p.Input ?? {});
    const { executionArn } = api().startExecution({
      stateMachineArn: p.StateMachineArn,
      ...(p.Name ? { name: p.Name } : {}),
      input,
    });
    for (;;) {
      const e = api().describeExecution({ executionArn });
      if (e.status === 'SUCCEEDED') {
        return { ...e, ExecutionArn: executionArn, Status: e.status, Output: JSON.parse(e.output ?? 'null') };
      }
      if (e.status !== 'RUNNING') {
        throw new NestedExecutionFailed(
          JSON.stringify({ ExecutionArn: executionArn, Status: e.status, Error: e.error, Cause: e.cause }),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  };
}
