/**
 * Task tokens of the local executor: a `.waitForTaskToken` Task state gets a fresh token where its
 * Parameters name `$$.Task.Token`, runs its resource, then waits for `SendTaskSuccess` (its output
 * becomes the task's result) or `SendTaskFailure` (its error is the task's error, for Catch and
 * Retry) on the local Step Functions API, which calls these. A token answered once, or of an
 * execution that ended, is refused as Step Functions refuses it (`TaskTimedOut`).
 * TimeoutSeconds(Path) is enforced locally as on AWS (a Task without one times out after 60 s
 * locally, where AWS waits up to a year); HeartbeatSeconds is not.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token
 */
import { randomUUID } from 'node:crypto';

/**
 * What `$$.Task.Token` resolves to in the executor's context; each waiting task replaces it in its
 * evaluated Parameters with a token of its own.
 */
export const TASK_TOKEN_PLACEHOLDER = 'local-task-token-placeholder';

/** The error of a refused send, with the type Step Functions answers. */
export class TaskTokenError extends Error {
  constructor(
    readonly type: 'InvalidToken' | 'TaskTimedOut' | 'TaskDoesNotExist' | 'InvalidOutput',
    message: string,
  ) {
    super(message);
  }
}

interface Waiting {
  readonly executionArn: string;
  readonly resolve: (output: unknown) => void;
  readonly reject: (error: Error) => void;
}

export class LocalTaskTokens {
  private readonly waiting = new Map<string, Waiting>();
  private readonly answered = new Set<string>();

  /** A new token of `executionArn` and the result its answer settles. */
  issue(executionArn: string): { token: string; result: Promise<unknown> } {
    const token = `local-${randomUUID()}`;
    const result = new Promise<unknown>((resolve, reject) => {
      this.waiting.set(token, { executionArn, resolve, reject });
    });
    return { token, result };
  }

  succeed(token: string, output: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(output);
    } catch {
      throw new TaskTokenError('InvalidOutput', 'output is not valid JSON');
    }
    this.take(token).resolve(parsed);
  }

  fail(token: string, error = '', cause = ''): void {
    const failure = new Error(cause);
    failure.name = error;
    this.take(token).reject(failure);
  }

  heartbeat(token: string): void {
    this.find(token);
  }

  /** Forgets the tokens of an execution that ended: a later answer is refused. */
  endExecution(executionArn: string): void {
    for (const [token, w] of this.waiting) {
      if (w.executionArn !== executionArn) continue;
      this.waiting.delete(token);
      this.answered.add(token);
    }
  }

  private take(token: string): Waiting {
    const found = this.find(token);
    this.waiting.delete(token);
    this.answered.add(token);
    return found;
  }

  private find(token: string): Waiting {
    const found = this.waiting.get(token);
    if (found) return found;
    if (this.answered.has(token)) throw new TaskTokenError('TaskTimedOut', 'Task Timed Out');
    throw new TaskTokenError('InvalidToken', 'Invalid Token');
  }
}

/** The tokens every local executor and the local Step Functions API share in one process. */
export const localTaskTokens = new LocalTaskTokens();

/** `value` with every string equal to the placeholder replaced by `token`. */
export function withTaskToken<T>(value: T, token: string): T {
  if (value === TASK_TOKEN_PLACEHOLDER) return token as T;
  if (Array.isArray(value)) return value.map((v) => withTaskToken(v, token)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withTaskToken(v, token)])) as T;
  return value;
}
