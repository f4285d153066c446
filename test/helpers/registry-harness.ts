/**
 * The registry's test harness: its handler in process against DynamoDB Local and s3rver (events
 * built by the same code and route matching as the local API server, so tests see what Lambda
 * sees), and {@link TestRegistry}, through which other capabilities' harnesses seed and read the
 * registry. Outside the registry's own tests, this file is the one that reaches past
 * `lambdas/registry/index.ts` (the import-boundary test holds that).
 */
import { createHash, randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApprovalRequest, ApprovalRequestView } from '../../contracts/approvals';
import { ENV } from '../../contracts/env';
import type { AuditRecord } from '../../contracts/events';
import {
  type GovernancePolicy,
  GovernancePolicyOverride,
  type ModelVersion,
  RegisterVersionRequest,
} from '../../contracts/registry';
import { AUDIT_TABLE, IDEMPOTENCY_TABLE, REGISTRY_TABLE } from '../../contracts/tables';
import { type Actor, RegistryService } from '../../lambdas/registry';
import { DynamoDbApprovalStore } from '../../lambdas/registry/adapters/dynamodb-approval-store';
import { DynamoDbRegistryStore } from '../../lambdas/registry/adapters/dynamodb-registry-store';
import { S3ArtifactStore } from '../../lambdas/registry/adapters/s3-artifact-store';
import { defaultDeps, type RegistryHandlerDeps } from '../../lambdas/registry/deps';
import { decideApproval, expireDueApprovals } from '../../lambdas/registry/domain/approval-flow';
import { updateModel } from '../../lambdas/registry/domain/models';
import { makeHandler } from '../../lambdas/registry/handler';
import {
  ensureBuckets,
  ensureTables,
  LOCAL_DYNAMODB_CLIENT_CONFIG,
  localS3ClientConfig,
  type StandIns,
  standInEnvironment,
} from '../../local/stand-ins';
import { ALICE, type HttpCall, httpCaller } from './http-call';
import { startTestStandIns } from './worker-stand-ins';

export const BUCKET = 'test-artifacts';
export { ALICE };

export interface Harness {
  readonly standIns: StandIns;
  readonly s3: S3Client;
  readonly deps: RegistryHandlerDeps;
  readonly call: HttpCall;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const standIns = await startTestStandIns();
  Object.assign(
    process.env,
    standInEnvironment(standIns, {
      [ENV.registryTable]: REGISTRY_TABLE.id,
      [ENV.auditTable]: AUDIT_TABLE.id,
      [ENV.idempotencyTable]: IDEMPOTENCY_TABLE.id,
      [ENV.artifactsBucket]: BUCKET,
      [ENV.governancePolicy]: JSON.stringify({
        metricFloors: { accuracy: 0.85 },
        maxDemographicParityDifference: 0.1,
      }),
    }),
  );
  await ensureTables(
    new DynamoDBClient({ ...LOCAL_DYNAMODB_CLIENT_CONFIG, endpoint: standIns.dynamoDbEndpoint }),
  );
  const s3 = new S3Client(localS3ClientConfig(standIns.s3Endpoint));
  await ensureBuckets(s3, [BUCKET]);
  const deps = defaultDeps();
  return {
    standIns,
    s3,
    deps,
    call: httpCaller(makeHandler(deps), { functionName: 'registry' }),
    stop: () => standIns.stop(),
  };
}

/**
 * The registry as another capability's harness uses it: the public {@link RegistryService} the
 * capability is given, plus what a test seeds and reads through the registry's own domain rules
 * (models, registered versions, stages, aliases, the audit trail), so seeded state is validated and
 * audited exactly as through the registry API and no harness writes the registry's table layout.
 */
export class TestRegistry extends RegistryService {
  /** Creates the model, with no version. */
  async seedModel(modelName: string, actor: Actor = { principal: ALICE }): Promise<void> {
    await this.createModel({ name: modelName, description: '', tags: {} }, actor);
  }

  /** Registers `artifact` as the model's next version, stored and verified: READY. */
  registerArtifact(
    modelName: string,
    artifact: Uint8Array,
    request: Partial<Omit<RegisterVersionRequest, 'artifact'>> = {},
    actor: Actor = { principal: ALICE },
  ): Promise<ModelVersion> {
    return this.registerStored(
      modelName,
      RegisterVersionRequest.parse({
        ...request,
        artifact: {
          sha256: createHash('sha256').update(artifact).digest('hex'),
          sizeBytes: artifact.byteLength,
        },
      }),
      artifact,
      actor,
    );
  }

  /** Moves a version to `stage`, keeping the versions already there. */
  async seedStage(
    modelName: string,
    version: number,
    stage: ModelVersion['stage'],
    actor: Actor = { principal: ALICE },
  ): Promise<void> {
    await this.transitionStage(modelName, version, { stage, archiveExistingVersions: false }, actor);
  }

  /** The model's audit trail, newest first (as `GET /models/{name}/audit` lists it). */
  async audit(modelName: string): Promise<AuditRecord[]> {
    return (await this.deps.store.listAudit(modelName, { limit: 100 })).items;
  }

  /** Gives the model an approval policy (over its other governance overrides). */
  async requireApproval(modelName: string, approval: Record<string, unknown>): Promise<void> {
    const model = await this.getModel(modelName);
    await updateModel(this.deps, { principal: ALICE }, modelName, {
      governance: GovernancePolicyOverride.parse({ ...model?.governance, approval }),
    });
  }

  /** `principal`'s decision on an approval request, as the decisions route records it. */
  decide(
    modelName: string,
    id: string,
    principal: string,
    decision: 'approve' | 'reject',
  ): Promise<ApprovalRequestView> {
    return decideApproval(this.deps, { principal }, modelName, id, { decision, comment: `${decision}d` });
  }

  /** The model's approval requests, newest first. */
  async approvals(modelName: string): Promise<ApprovalRequest[]> {
    return (await this.deps.approvals.listRequests(modelName, { limit: 100 })).items;
  }

  /** The expiry sweep run at `at`: closes every OPEN request expired by then. */
  expireDue(at: Date): Promise<ApprovalRequest[]> {
    return expireDueApprovals({ ...this.deps, now: () => at });
  }

  /** The actions of the model's audit trail, oldest first. */
  async auditActions(modelName: string): Promise<string[]> {
    return (await this.audit(modelName)).map((a) => a.action).reverse();
  }
}

/**
 * The registry over the tables `ensureTables` creates (`Registry`, `Audit`) and `bucket`, with
 * `policy` as its configured governance policy.
 */
export function testRegistry(input: {
  readonly dynamoDb: DynamoDBClient;
  readonly s3: S3Client;
  readonly bucket: string;
  readonly policy: GovernancePolicy;
}): TestRegistry {
  const document = DynamoDBDocumentClient.from(input.dynamoDb, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  const tables = { client: document, registryTable: REGISTRY_TABLE.id, auditTable: AUDIT_TABLE.id };
  return new TestRegistry({
    store: new DynamoDbRegistryStore(tables),
    approvals: new DynamoDbApprovalStore(tables),
    artifacts: new S3ArtifactStore({ client: input.s3, bucket: input.bucket, urlTtlSeconds: 900 }),
    policy: input.policy,
    now: () => new Date(),
    newId: randomUUID,
  });
}

/**
 * The registry's route handler as the function builds it from env (its tables, bucket and
 * idempotency), for a test that reads the raw Lambda result (status, headers, body text).
 */
export function registryHandler(): ReturnType<typeof makeHandler> {
  return makeHandler(defaultDeps());
}

/**
 * The registry's API as a function built from env would answer it (the tables and bucket the
 * test's env names), for tests of other capabilities that set up registry state over HTTP.
 */
export function registryApi(options: { readonly idempotency?: boolean } = {}): HttpCall {
  const deps = defaultDeps();
  return httpCaller(makeHandler(options.idempotency === false ? { ...deps, idempotency: undefined } : deps), {
    functionName: 'registry',
  });
}
