/**
 * A Task's `TimeoutSecondsPath` as Step Functions runs it: read from the state's input, before
 * its Parameters. aws-local-stepfunctions 3.0.0 reads the path from the task's Parameters instead
 * (where `$.approval.timeoutSeconds` is not) and times out every other Task after 60 s, through a
 * Node timer that fires at once past 24.8 days. So the local definition carries the path inside
 * the Parameters, under a key of its own that the executor takes back out and enforces.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html#task-state-fields
 */

type State = Record<string, unknown> & { Type: string };
type Definition = { States: Record<string, State> } & Record<string, unknown>;

/** The Parameters key the state's timeout travels under to its local handler. */
export const LOCAL_TIMEOUT_KEY = 'LocalTimeoutSeconds';

/**
 * What the library is told instead: about 23 days, the longest its timer holds (2^31 - 1 ms);
 * the executor's own timer enforces the path's value, capped the same way.
 */
export const LOCAL_TASK_TIMEOUT_CAP_SECONDS = 2_000_000;

/** `definition` with each Task's TimeoutSecondsPath moved into its Parameters (top level only). */
export function withLocalTimeoutPaths<D extends Definition>(definition: D): D {
  const states: Record<string, State> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    const path = state.TimeoutSecondsPath;
    const parameters = state.Parameters as Record<string, unknown> | undefined;
    if (state.Type !== 'Task' || typeof path !== 'string' || !parameters) {
      states[name] = state;
      continue;
    }
    const { TimeoutSecondsPath: _path, ...rest } = state;
    states[name] = {
      ...rest,
      TimeoutSeconds: LOCAL_TASK_TIMEOUT_CAP_SECONDS,
      Parameters: { ...parameters, [`${LOCAL_TIMEOUT_KEY}.$`]: path },
    };
  }
  return { ...definition, States: states };
}

/** Whether a local Task state carries its timeout in its Parameters. */
export const hasLocalTimeout = (state: Record<string, unknown>): boolean =>
  typeof state.Parameters === 'object' &&
  state.Parameters !== null &&
  `${LOCAL_TIMEOUT_KEY}.$` in state.Parameters;

/**
 * Wraps a local Task handler: takes the timeout back out of its input and fails the task with
 * `States.Timeout`, as Step Functions does, when it runs longer.
 */
export function enforcingTimeout<I, O>(stateName: string, run: (input: I) => Promise<O>) {
  return async (input: I): Promise<O> => {
    const { [LOCAL_TIMEOUT_KEY]: seconds, ...rest } = input as Record<string, unknown>;
    if (!Number.isInteger(seconds) || (seconds as number) < 1) {
      const error = new Error(`${stateName}: TimeoutSecondsPath must select a positive integer`);
      error.name = 'States.Runtime';
      throw error;
    }
    const ms = Math.min(seconds as number, LOCAL_TASK_TIMEOUT_CAP_SECONDS) * 1000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new Error(`${stateName} ran longer than its ${seconds} s timeout`);
        error.name = 'States.Timeout';
        reject(error);
      }, ms);
    });
    try {
      return await Promise.race([run(rest as I), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
}
