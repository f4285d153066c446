/**
 * Step Functions' SageMaker service integrations, run against the local SageMaker over its wire
 * API: the Task's Parameters are the API request (SageMaker's field names are the integration's),
 * `createModel` answers CreateModel's response, and `createTransformJob.sync` creates the job,
 * polls DescribeTransformJob and answers its description once Completed, or fails the Task with
 * `States.TaskFailed` and the description as the cause, as the optimized integration does; when
 * its execution is stopped it calls StopTransformJob, as the `.sync` integration does on AWS. The
 * AWS SDK integration `aws-sdk:sagemaker:deleteModel` calls DeleteModel, failing the Task with
 * `SageMaker.<error>` as SDK integrations name their errors.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-sagemaker.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
 */
import {
  CreateModelCommand,
  type CreateModelCommandInput,
  CreateTransformJobCommand,
  type CreateTransformJobCommandInput,
  DeleteModelCommand,
  type DeleteModelCommandInput,
  DescribeTransformJobCommand,
  type SageMakerClient,
  StopTransformJobCommand,
} from '@aws-sdk/client-sagemaker';
import type { ServiceIntegration } from './executor';

/** A Task failure as the executor reports it: `Error` is the name, `Cause` the message. */
class TaskFailed extends Error {
  constructor(cause: string) {
    super(cause);
    this.name = 'States.TaskFailed';
  }
}

/** The SDK's answer as the state's JSON: no `$metadata`, dates as ISO strings. */
const asJson = (output: object): unknown => {
  const { $metadata: _m, ...rest } = output as { $metadata?: unknown };
  return JSON.parse(JSON.stringify(rest));
};

export interface SageMakerIntegrationOptions {
  /** Between DescribeTransformJob polls. @default 200 */
  readonly pollMs?: number;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/** The handlers by resource, for `RunOptions.integrations`; the client is read at each call. */
export function sageMakerIntegrations(
  client: () => SageMakerClient,
  options: SageMakerIntegrationOptions = {},
): Record<string, ServiceIntegration> {
  const createTransformJob = async (input: unknown) =>
    asJson(await client().send(new CreateTransformJobCommand(input as CreateTransformJobCommandInput)));
  return {
    'arn:aws:states:::sagemaker:createModel': async (input) =>
      asJson(await client().send(new CreateModelCommand(input as CreateModelCommandInput))),
    'arn:aws:states:::sagemaker:createTransformJob': createTransformJob,
    'arn:aws:states:::sagemaker:createTransformJob.sync': async (input, { signal }) => {
      await createTransformJob(input);
      const name = (input as CreateTransformJobCommandInput).TransformJobName;
      for (;;) {
        if (signal.aborted) {
          // The execution was stopped: so is its job (the execution has ended; no state reads this).
          await client().send(new StopTransformJobCommand({ TransformJobName: name }));
          throw new TaskFailed(`execution stopped; StopTransformJob ${name}`);
        }
        const job = await client().send(new DescribeTransformJobCommand({ TransformJobName: name }));
        if (job.TransformJobStatus === 'Completed') return asJson(job);
        if (job.TransformJobStatus === 'Failed' || job.TransformJobStatus === 'Stopped')
          throw new TaskFailed(JSON.stringify(asJson(job)));
        await pause(options.pollMs ?? 200, signal);
      }
    },
    'arn:aws:states:::aws-sdk:sagemaker:deleteModel': async (input) => {
      try {
        return asJson(await client().send(new DeleteModelCommand(input as DeleteModelCommandInput)));
      } catch (err) {
        const failed = new Error((err as Error).message);
        failed.name = `SageMaker.${(err as Error).name}`;
        throw failed;
      }
    },
  };
}
