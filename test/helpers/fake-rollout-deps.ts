/**
 * In-memory ports for unit tests of the rollout's task list: a `VariantBackend` that records what
 * it was asked and answers as a test scripts it, and plain stores for deployments, the registry,
 * alarms and packages. No I/O, no backend: the tasks are checked as any backend sees them.
 */
import type { Deployment, EndpointRouting } from '../../contracts/deployment';
import type { AuditRecord } from '../../contracts/events';
import type { ModelVersion } from '../../contracts/registry';
import type {
  AlarmState,
  DeploymentStore,
  LockResult,
  RegistryPort,
  RolloutDeps,
} from '../../lambdas/deployment/domain/ports';
import type { RolloutState } from '../../lambdas/deployment/domain/state';
import type {
  ChallengerResources,
  ProgressCheck,
  ProgressReport,
  PromotionResources,
  VariantBackend,
} from '../../lambdas/deployment/domain/variant-backend';

/** One call the fake backend received: the method and its arguments after the state. */
export type BackendCall = [method: keyof VariantBackend, ...args: unknown[]];

export class FakeVariantBackend implements VariantBackend {
  readonly calls: BackendCall[] = [];
  /** What `prepareChallenger` answers (after calling `packageUrl`, unless a refusal). */
  prepared: { challenger: ChallengerResources } | { refusal: string } = {
    challenger: { modelName: 'challenger-model', previousChampionModel: 'champion-model' },
  };
  /** What `progress` answers, by check. */
  progressOf: Record<ProgressCheck, ProgressReport> = {
    challenger: { progress: 'READY' },
    promotion: { progress: 'READY' },
    settled: { progress: 'READY' },
    restore: { progress: 'READY' },
  };
  promotion: PromotionResources = { endpointConfigName: 'promoted' };
  packageUrl?: string;

  async prepareChallenger(_state: RolloutState, packageUrl: () => Promise<string>) {
    this.calls.push(['prepareChallenger']);
    if ('refusal' in this.prepared) return this.prepared;
    this.packageUrl = await packageUrl();
    return this.prepared;
  }

  async progress(_state: RolloutState, check: ProgressCheck, polls: number): Promise<ProgressReport> {
    this.calls.push(['progress', check, polls]);
    return this.progressOf[check];
  }

  async setWeights(_state: RolloutState, weights: { champion: number; challenger: number }) {
    this.calls.push(['setWeights', weights]);
  }

  async promote(): Promise<PromotionResources> {
    this.calls.push(['promote']);
    return this.promotion;
  }

  async championTakesAll() {
    this.calls.push(['championTakesAll']);
  }

  async retirePrevious() {
    this.calls.push(['retirePrevious']);
  }

  async restoreWeights() {
    this.calls.push(['restoreWeights']);
  }

  async restoreVariants() {
    this.calls.push(['restoreVariants']);
  }

  async removeChallenger() {
    this.calls.push(['removeChallenger']);
  }

  /** The methods called, in order. */
  methods(): string[] {
    return this.calls.map(([method]) => method);
  }
}

/** Deployments, the lock and audit records in maps. */
export class InMemoryDeploymentStore implements DeploymentStore {
  readonly deployments = new Map<string, Deployment>();
  readonly audit: AuditRecord[] = [];
  readonly locks = new Map<string, string>();
  /** Every traffic split recorded for the predict path, oldest first. */
  readonly routings: EndpointRouting[] = [];

  async acquireLock(modelName: string, deploymentId: string): Promise<LockResult> {
    const holder = this.locks.get(modelName);
    if (holder && holder !== deploymentId) return { acquired: false, holder };
    this.locks.set(modelName, deploymentId);
    return { acquired: true };
  }
  async createDeployment(deployment: Deployment, audit: AuditRecord) {
    this.deployments.set(deployment.deploymentId, deployment);
    this.audit.push(audit);
  }
  async getStartInput() {
    return undefined;
  }
  async getDeployment(_modelName: string, deploymentId: string) {
    return this.deployments.get(deploymentId);
  }
  async updateDeployment(deployment: Deployment, audit?: AuditRecord) {
    this.deployments.set(deployment.deploymentId, deployment);
    if (audit) this.audit.push(audit);
  }
  async finishDeployment(deployment: Deployment, audit: AuditRecord) {
    await this.updateDeployment(deployment, audit);
    await this.releaseLock(deployment.modelName, deployment.deploymentId);
  }
  async recordAudit(audit: AuditRecord) {
    this.audit.push(audit);
  }
  async releaseLock(modelName: string, deploymentId: string) {
    if (this.locks.get(modelName) === deploymentId) this.locks.delete(modelName);
  }
  async listDeployments(modelName: string, page: { limit: number }) {
    const items = [...this.deployments.values()]
      .filter((d) => d.modelName === modelName)
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))
      .slice(0, page.limit);
    return { items };
  }
  async lockHolder(modelName: string) {
    return this.locks.get(modelName);
  }
  async putRouting(routing: EndpointRouting) {
    this.routings.push(routing);
  }
  /** The audit actions, oldest first. */
  actions(): string[] {
    return this.audit.map((a) => a.action);
  }
}

/** A registry of one model: versions by number, the champion alias, promotions recorded. */
export class InMemoryRegistry implements RegistryPort {
  readonly versions = new Map<number, Pick<ModelVersion, 'status' | 'stage' | 'artifact'>>();
  champion: number | undefined = 1;
  readonly promoted: number[] = [];

  async getVersion(_modelName: string, version: number) {
    return this.versions.get(version);
  }
  async aliasVersion() {
    return this.champion;
  }
  async promote(_modelName: string, version: number) {
    this.promoted.push(version);
    this.champion = version;
  }
}

/** A version's artifact: only its key matters to a rollout. */
export const artifact = (key: string): ModelVersion['artifact'] => ({
  bucket: 'bucket',
  key,
  sha256: '0'.repeat(64),
  sizeBytes: 1,
  contentType: 'application/octet-stream',
});

/** The ports of one rollout task over the given backend, with every alarm OK unless set. */
export function fakeRolloutDeps(backend: VariantBackend) {
  const store = new InMemoryDeploymentStore();
  const registry = new InMemoryRegistry();
  registry.versions.set(1, { status: 'READY', stage: 'Production', artifact: artifact('artifacts/1.onnx') });
  registry.versions.set(2, { status: 'READY', stage: 'None', artifact: artifact('artifacts/2.onnx') });
  const alarms: AlarmState[] = [];
  const packaged: number[] = [];
  let id = 0;
  const deps: RolloutDeps = {
    backend,
    store,
    registry,
    alarms: {
      describeAlarms: async (names) =>
        names.map((name) => alarms.find((a) => a.name === name) ?? { name, state: 'OK' }),
    },
    packages: {
      ensurePackage: async ({ modelName, version }) => {
        packaged.push(version);
        return `s3://bucket/serving/packages/${modelName}/${version}/model.tar.gz`;
      },
    },
    now: () => new Date('2026-12-01T00:00:00.000Z'),
    newId: () => `id-${++id}`,
  };
  return { deps, store, registry, alarms, packaged };
}
