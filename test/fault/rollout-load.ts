/**
 * Canary rollouts under the fault tier's load: keyed starts through the deployment route (each
 * sent twice at once, as a client's duplicate delivery, and retried with its key on a 5xx), run by
 * the SYNTHESIZED state machine over the local Step Functions API, the deployments table, the
 * registry and the audit trail on the DynamoDB client the faults are injected into, and a SageMaker
 * port, and the rule on stopped executions. Then invariants over what was recorded: one rollout per key, every acknowledged rollout
 * present and ended, and its end consistent with its audit records, the alias and the endpoint.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DeploymentEvent } from '../../contracts/events';
import { endpointName, sagemakerModelName } from '../../contracts/serving';
import { IDEMPOTENCY_TABLE } from '../../contracts/tables';
import { StepFunctionsExecutions } from '../../lambdas/deployment/adapters/step-functions-executions';
import { fixedTargets } from '../../lambdas/deployment/domain/targets';
import { makeHandler } from '../../lambdas/deployment/handler';
import { LocalStepFunctions } from '../../local/state-machines/server';
import { type DeploymentHarness, startDeploymentHarness } from '../helpers/deployment-harness';
import { FakeSageMaker } from '../helpers/fake-sagemaker';
import { type HttpCall, httpCaller } from '../helpers/http-call';

export interface RolloutLoad {
  /** Starts a keyed rollout of v2 of every model, each key sent twice at once, and waits for their ends. */
  run(
    keyedCall: (call: HttpCall, path: string, body: unknown, key: string) => Promise<HttpReplyLike>,
  ): Promise<{
    violations: string[];
    acknowledged: number;
    outcomes: Record<string, number>;
  }>;
  close(): Promise<void>;
}

interface HttpReplyLike {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
  body: any;
}

/** The models' rollouts, set up without faults (the serving stack synthesized, v1 champion on each endpoint). */
export async function startRolloutLoad(input: {
  models: readonly string[];
  dynamoDb: DynamoDBClient;
  s3: S3Client;
  bucket: string;
}): Promise<RolloutLoad> {
  const sagemaker = new FakeSageMaker();
  const h: DeploymentHarness = await startDeploymentHarness({
    models: input.models.map((modelName) => ({ modelName, canarySteps: [50, 100], bakeMinutes: 1 })),
    dynamoDb: input.dynamoDb,
    s3: input.s3,
    endpoints: sagemaker,
    bucket: input.bucket,
  });
  for (const model of input.models) {
    await h.seedModel(model);
    const endpoint = endpointName('dev', model);
    sagemaker.seed(endpoint, sagemakerModelName(endpoint, 1), `${endpoint}-iseed`);
  }
  // An execution that ends without finishing its rollout reaches the template's rule, as on AWS.
  const ended: Promise<unknown>[] = [];
  const sfn = new LocalStepFunctions(h.template, h.invoke, {
    runOptions: { waitMs: 0 },
    onExecutionEnded: (execution) => ended.push(h.executionEnded(execution)),
  });
  const sfnClient = new SFNClient({
    endpoint: await sfn.listen(),
    region: 'us-east-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  const target = (m: string) => ({
    endpointName: endpointName('dev', m),
    backend: 'sagemaker' as const,
    canarySteps: [50, 100],
    bakeMinutes: 1,
    alarmCheckSeconds: 60,
    alarmNames: [
      `${endpointName('dev', m)}-challenger-latency-p95`,
      `${endpointName('dev', m)}-challenger-error-rate`,
    ],
  });
  const call = httpCaller(
    makeHandler({
      targets: fixedTargets(Object.fromEntries(input.models.map((m) => [m, target(m)]))),
      store: h.deps.store,
      registry: h.registry,
      executions: new StepFunctionsExecutions(sfnClient, h.machine.arn),
      now: () => new Date(),
      newId: () => `dep-${Math.random().toString(36).slice(2, 10)}`,
      describeEndpoint: async () => ({
        status: 'InService',
        variants: [{ name: 'champion', version: 1, weight: 100, instanceCount: 1 }],
      }),
      idempotency: { tableName: IDEMPOTENCY_TABLE.id, client: input.dynamoDb },
    }),
    { functionName: 'deployment' },
  );

  return {
    async run(keyedCall) {
      const answers = new Map<string, HttpReplyLike[]>();
      await Promise.all(
        input.models.flatMap((model) =>
          [0, 1].map(async () => {
            const key = `${model}-rollout`;
            const reply = await keyedCall(call, `/models/${model}/deployments`, { version: 2 }, key);
            answers.set(model, [...(answers.get(model) ?? []), reply]);
          }),
        ),
      );
      await sfn.settled();
      await Promise.allSettled(ended);
      // Assess, without faults (the caller removed them once the load settled).
      return check(h, sagemaker, input.models, answers);
    },
    async close() {
      sfnClient.destroy();
      await sfn.close();
      await h.close();
    },
  };
}

async function check(
  h: DeploymentHarness,
  sagemaker: FakeSageMaker,
  models: readonly string[],
  answers: Map<string, HttpReplyLike[]>,
) {
  const violations: string[] = [];
  const outcomes: Record<string, number> = {};
  let acknowledged = 0;
  for (const model of models) {
    const audit = (await h.audit(model)).reverse(); // oldest first
    const started = audit.filter((a) => a.action === DeploymentEvent.DEPLOYMENT_STARTED);
    const accepted = (answers.get(model) ?? []).filter((r) => r.status === 202);
    const ids = new Set(accepted.map((r) => String(r.body.deploymentId)));
    // One key, one rollout: every answer to it names the same one, and no other was started.
    if (ids.size > 1) violations.push(`${model}: one key answered rollouts ${[...ids].join()}`);
    if (started.length > 1) violations.push(`${model}: ${started.length} rollouts started for one key`);
    const refused = (answers.get(model) ?? []).filter((r) => r.status !== 202 && r.status < 500);
    for (const r of refused)
      if (r.body?.error?.code !== 'IDEMPOTENCY_IN_PROGRESS')
        violations.push(`${model}: keyed start answered ${r.status} ${r.body?.error?.code}`);
    const [id] = ids;
    if (!id) continue;
    acknowledged++;
    const deployment = await h.deps.store.getDeployment(model, id);
    if (!deployment) {
      violations.push(`${model}: acknowledged rollout ${id} not recorded`);
      continue;
    }
    outcomes[deployment.status] = (outcomes[deployment.status] ?? 0) + 1;
    const own = (action: string) =>
      audit.filter((a) => a.action === action && JSON.stringify(a).includes(id)).length;
    if (own(DeploymentEvent.DEPLOYMENT_STARTED) !== 1)
      violations.push(`${model}: ${own(DeploymentEvent.DEPLOYMENT_STARTED)} start records for ${id}`);
    const champion = await h.deps.registry.aliasVersion(model, 'champion');
    const endpoint = endpointName('dev', model);
    const served = sagemaker.variantModels(endpoint);
    const expected = (v: number) => ({ champion: sagemakerModelName(endpoint, v) });
    if (deployment.status === 'PROMOTED') {
      if (own(DeploymentEvent.DEPLOYMENT_PROMOTED) !== 1)
        violations.push(`${model}: PROMOTED, not audited once`);
      if (champion !== 2) violations.push(`${model}: PROMOTED, champion alias ${champion}`);
      if (JSON.stringify(served) !== JSON.stringify(expected(2)))
        violations.push(`${model}: PROMOTED, endpoint serves ${JSON.stringify(served)}`);
    } else if (deployment.status === 'ROLLED_BACK' || deployment.status === 'FAILED') {
      if (deployment.status === 'ROLLED_BACK' && own(DeploymentEvent.DEPLOYMENT_ROLLED_BACK) !== 1)
        violations.push(`${model}: ROLLED_BACK, not audited once`);
      if (own(DeploymentEvent.DEPLOYMENT_PROMOTED) !== 0)
        violations.push(`${model}: rolled back, yet promoted`);
      if (champion !== 1) violations.push(`${model}: ${deployment.status}, champion alias ${champion}`);
      if (JSON.stringify(served) !== JSON.stringify(expected(1)))
        violations.push(`${model}: ${deployment.status}, endpoint serves ${JSON.stringify(served)}`);
    } else {
      violations.push(`${model}: rollout ${id} left ${deployment.status}`);
    }
    if ((await h.deps.store.lockHolder(model)) !== undefined) violations.push(`${model}: lock still held`);
  }
  return { violations, acknowledged, outcomes };
}
