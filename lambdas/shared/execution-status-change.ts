/**
 * The event Step Functions puts on the default bus when an execution's status changes, as the
 * platform's "stopped run" rules deliver it: an execution that ends ABORTED, TIMED_OUT or FAILED
 * runs no further state, so whatever it would have finished is finished from here.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
 */
import { EXECUTION_STATUS_CHANGE, STOPPED_STATUSES } from '../../contracts/pipeline';

export interface ExecutionStatusChange {
  readonly 'detail-type': typeof EXECUTION_STATUS_CHANGE;
  readonly source: 'aws.states';
  readonly detail: {
    readonly executionArn?: string;
    readonly name: string;
    readonly status: string;
    /** The execution input as JSON text (absent when too large for the event). */
    readonly input?: string | null;
    readonly error?: string | null;
    readonly cause?: string | null;
  };
}

export function isExecutionStatusChange(event: unknown): event is ExecutionStatusChange {
  return (
    !!event &&
    typeof event === 'object' &&
    (event as Record<string, unknown>)['detail-type'] === EXECUTION_STATUS_CHANGE
  );
}

/** The execution ended without reaching a state of its own that finishes its work. */
export const isStopped = (detail: ExecutionStatusChange['detail']): boolean =>
  (STOPPED_STATUSES as readonly string[]).includes(detail.status);

/** `execution FAILED (Error): cause`, at most 2,048 characters: a record's reason. */
export const stopReason = (detail: ExecutionStatusChange['detail']): string =>
  `execution ${detail.status}${detail.error ? ` (${detail.error})` : ''}${
    detail.cause ? `: ${detail.cause}` : ''
  }`.slice(0, 2048);
