/**
 * The template's custom resources served by one of its own functions (the declared feature views),
 * created at start as `cdk deploy` creates them: the function gets CloudFormation's Create request
 * and answers on the request's pre-signed URL, here a local one. Providers of the CDK framework
 * (functions without a handler module of ours) are not run: local mode creates their resources
 * itself (see sagemaker-resources.ts).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requests.html
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CfnTemplate } from './cdk-template';
import type { LocalLambdaService } from './lambda-service';
import { LOCAL_ACCOUNT, LOCAL_REGION, resolveIntrinsics } from './state-machines/intrinsics';

interface CustomResourceResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
}

/**
 * Sends each custom resource whose service token is a function of `lambdas` its Create request.
 * @throws Error naming the resource when its function answers FAILED, as a failed deploy does
 */
export async function createCustomResources(
  template: CfnTemplate,
  lambdas: LocalLambdaService,
): Promise<void> {
  const functions = new Set(lambdas.functionIds);
  const served = Object.entries(template.Resources).filter(([, r]) => {
    if (r.Type !== 'AWS::CloudFormation::CustomResource' && !r.Type.startsWith('Custom::')) return false;
    const token = (r.Properties?.ServiceToken as { 'Fn::GetAtt'?: [string, string] } | undefined)?.[
      'Fn::GetAtt'
    ];
    return token !== undefined && functions.has(token[0]);
  });
  for (const [logicalId, resource] of served) {
    const { ServiceToken, ...properties } = resource.Properties ?? {};
    const functionId = (ServiceToken as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const response = await withResponseUrl(async (responseUrl) => {
      await lambdas.invoke(functionId, {
        RequestType: 'Create',
        ServiceToken: resolveIntrinsics(ServiceToken, template),
        ResponseURL: responseUrl,
        StackId: `arn:aws:cloudformation:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stack/local/${randomUUID()}`,
        RequestId: randomUUID(),
        LogicalResourceId: logicalId,
        ResourceType: resource.Type,
        ResourceProperties: resolveIntrinsics({ ServiceToken, ...properties }, template),
      });
    });
    if (response.Status !== 'SUCCESS') {
      throw new Error(`custom resource ${logicalId} failed: ${response.Reason ?? 'no reason given'}`);
    }
  }
}

/** Runs `send` with a local URL that takes one PUT, and resolves to the response put there. */
async function withResponseUrl(send: (url: string) => Promise<void>): Promise<CustomResourceResponse> {
  let answered: CustomResourceResponse | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      answered = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await send(`http://127.0.0.1:${(server.address() as AddressInfo).port}/response`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return answered ?? { Status: 'FAILED', Reason: 'the function did not answer on ResponseURL' };
}
