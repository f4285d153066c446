/**
 * Step Functions' SageMaker service integrations, run against the local SageMaker over its wire
 * API: the Task's Parameters are the API request (SageMaker's field names are the integration's),
 * `createModel` answers CreateModel's response, and `createTransformJob.sync` creates the job,
 * polls DescribeTransformJob and answers its description once Completed, or fails the Task with
 * `States.TaskFailed` and the description as the cause, as the optimized integration does.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-sagemaker.html
 */
import {
  CreateModelCommand,
  type CreateModelCommandInput,
  CreateTransformJobCommand,
  type CreateTransformJobCommandInput,
  DescribeTransformJobCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';

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

/** The handlers by resource, for `RunOptions.integrations`; the client is read at each call. */
export function sageMakerIntegrations(
  client: () => SageMakerClient,
  options: SageMakerIntegrationOptions = {},
): Record<string, (input: unknown) => Promise<unknown>> {
  const createTransformJob = async (input: unknown) =>
    asJson(await client().send(new CreateTransformJobCommand(input as CreateTransformJobCommandInput)));
  return {
    'arn:aws:states:::sagemaker:createModel': async (input) =>
      asJson(await client().send(new CreateModelCommand(input as CreateModelCommandInput))),
    'arn:aws:states:::sagemaker:createTransformJob': createTransformJob,
    'arn:aws:states:::sagemaker:createTransformJob.sync': async (input) => {
      await createTransformJob(input);
      const name = (input as CreateTransformJobCommandInput).TransformJobName;
      for (;;) {
        const job = await client().send(new DescribeTransformJobCommand({ TransformJobName: name }));
        if (job.TransformJobStatus === 'Completed') return asJson(job);
        if (job.TransformJobStatus === 'Failed' || job.TransformJobStatus === 'Stopped')
          throw new TaskFailed(JSON.stringify(asJson(job)));
        await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
      }
    },
  };
}
