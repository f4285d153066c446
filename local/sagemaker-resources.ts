/**
 * Registers the template's SageMaker models and endpoint configs with the local SageMaker, as
 * CloudFormation would create them, so a model's first rollout can create its endpoint from the
 * stack's initial config. Endpoints are not created here: on `npm start` no initial package
 * exists yet, and the first rollout (POST /models/{name}/deployments) creates the endpoint on the
 * version it deploys.
 */
import {
  CreateEndpointConfigCommand,
  type CreateEndpointConfigCommandInput,
  CreateModelCommand,
  type CreateModelCommandInput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { CfnTemplate } from './cdk-template';
import { resolveIntrinsics } from './state-machines/intrinsics';

const alreadyExists = (err: unknown) => /already exist/i.test(String((err as Error)?.message));

/** Creates every AWS::SageMaker::Model and ::EndpointConfig of the template that is missing. */
export async function registerTemplateSageMakerResources(
  template: CfnTemplate,
  client: SageMakerClient,
  options: { bucket: string },
): Promise<string[]> {
  const created: string[] = [];
  const resolved = (type: string) =>
    Object.values(template.Resources)
      .filter((r) => r.Type === type)
      .map((r) => resolveIntrinsics(r.Properties ?? {}, template) as Record<string, unknown>);
  // s3:// URIs name the stack's bucket by logical id here; locally it is one fixed bucket.
  const localUri = (uri: unknown) => String(uri).replace(/^s3:\/\/[^/]+\//, `s3://${options.bucket}/`);

  for (const model of resolved('AWS::SageMaker::Model')) {
    const container = model.PrimaryContainer as Record<string, unknown> | undefined;
    const input = {
      ...model,
      ...(container
        ? { PrimaryContainer: { ...container, ModelDataUrl: localUri(container.ModelDataUrl) } }
        : {}),
    } as CreateModelCommandInput;
    try {
      await client.send(new CreateModelCommand(input));
      created.push(String(model.ModelName));
    } catch (err) {
      if (!alreadyExists(err)) throw err;
    }
  }
  for (const config of resolved('AWS::SageMaker::EndpointConfig')) {
    const capture = config.DataCaptureConfig as Record<string, unknown> | undefined;
    const input = {
      ...config,
      ...(capture
        ? { DataCaptureConfig: { ...capture, DestinationS3Uri: localUri(capture.DestinationS3Uri) } }
        : {}),
    } as CreateEndpointConfigCommandInput;
    try {
      await client.send(new CreateEndpointConfigCommand(input));
      created.push(String(config.EndpointConfigName));
    } catch (err) {
      if (!alreadyExists(err)) throw err;
    }
  }
  return created;
}
