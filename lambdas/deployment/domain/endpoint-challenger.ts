/**
 * A challenger variant held outside a rollout: an experiment serves its treatment on the model
 * endpoint's challenger variant for as long as it runs. The same `VariantBackend` a rollout drives
 * adds it, splits traffic and removes it, from a state planned as the rollout plans its own (the
 * stack's target: endpoint, alarms, initial config), so the backend never learns who holds it.
 * Every step is one call, safe to retry; the caller polls `progress` between them (an endpoint
 * update takes minutes on SageMaker).
 */
import { AlarmKind, alarmName } from '../../../contracts/deployment';
import type { AlarmReader, ModelPackages, RegistryPort } from './ports';
import { planRollout } from './rollout';
import type { RolloutState } from './state';
import type { DeploymentTargetSource } from './targets';
import type { ChallengerResources, ProgressReport, VariantBackend } from './variant-backend';

/** What an experiment keeps of its challenger between calls: the version and what the backend made. */
export interface HeldChallenger {
  readonly version: number;
  /** A fresh id per challenger: it names the endpoint configs made, as a rollout's id does. */
  readonly id: string;
  readonly resources: ChallengerResources;
}

export interface EndpointChallengerDeps {
  readonly targets: Pick<DeploymentTargetSource, 'get'>;
  readonly backends: (modelName: string) => Promise<VariantBackend>;
  readonly packages: ModelPackages;
  readonly registry: Pick<RegistryPort, 'getVersion'>;
  readonly alarms: AlarmReader;
}

/** The endpoint's challenger as an experiment drives it. */
export class EndpointChallenger {
  constructor(private readonly deps: EndpointChallengerDeps) {}

  /**
   * Deploys the version on the challenger variant at weight 0, the champion untouched. A refusal
   * (no endpoint, endpoint busy, version missing or not READY, already the champion) changes nothing.
   */
  async add(
    modelName: string,
    version: number,
    id: string,
  ): Promise<{ readonly challenger: HeldChallenger } | { readonly refusal: string }> {
    const state = await this.plan(modelName, version, id);
    if (typeof state === 'string') return { refusal: state };
    // An experiment splits an existing endpoint: it never creates one on the treatment alone.
    const { initialEndpointConfigName: _initial, ...withoutInitial } = state;
    const found = await this.deps.registry.getVersion(modelName, version);
    if (!found) return { refusal: `${modelName} has no version ${version}` };
    if (found.status !== 'READY') return { refusal: `${modelName} version ${version} is ${found.status}` };
    const backend = await this.deps.backends(modelName);
    const prepared = await backend.prepareChallenger(withoutInitial, () =>
      this.deps.packages.ensurePackage({ modelName, version, artifactKey: found.artifact.key }),
    );
    if ('refusal' in prepared) return prepared;
    return { challenger: { version, id, resources: prepared.challenger } };
  }

  /** One poll: the challenger deployed (`challenger`), or the endpoint back on its champion (`restore`). */
  async progress(
    modelName: string,
    held: HeldChallenger,
    check: 'challenger' | 'restore',
    polls: number,
  ): Promise<ProgressReport> {
    const state = await this.held(modelName, held);
    return (await this.deps.backends(modelName)).progress(state, check, polls);
  }

  /** Splits traffic in place between the champion and the challenger (percent, summing to 100). */
  async split(
    modelName: string,
    held: HeldChallenger,
    weights: { champion: number; challenger: number },
  ): Promise<void> {
    const state = await this.held(modelName, held);
    await (await this.deps.backends(modelName)).setWeights(state, weights);
  }

  /** All traffic back to the champion at once, then the endpoint back on its pre-challenger variants. */
  async withdraw(modelName: string, held: HeldChallenger): Promise<void> {
    const state = await this.held(modelName, held);
    const backend = await this.deps.backends(modelName);
    await backend.restoreWeights(state);
    await backend.restoreVariants(state);
  }

  /** Once the endpoint serves the champion alone again: deletes what the challenger was made of. */
  async remove(modelName: string, held: HeldChallenger): Promise<void> {
    const state = await this.held(modelName, held);
    await (await this.deps.backends(modelName)).removeChallenger(state);
  }

  /**
   * The first of the challenger variant's alarms (latency, errors) in ALARM, with CloudWatch's
   * reason; read as the rollout's bake reads them.
   */
  async firingAlarm(modelName: string): Promise<{ name: string; reason?: string } | undefined> {
    const target = await this.deps.targets.get(modelName);
    if (!target) return undefined;
    const names = Object.values(AlarmKind).map((kind) => alarmName(target.endpointName, 'challenger', kind));
    const firing = (await this.deps.alarms.describeAlarms(names)).find((a) => a.state === 'ALARM');
    return firing ? { name: firing.name, ...(firing.reason ? { reason: firing.reason } : {}) } : undefined;
  }

  private async plan(modelName: string, version: number, id: string): Promise<RolloutState | string> {
    const target = await this.deps.targets.get(modelName);
    if (!target) return `model ${modelName} has no endpoint; add it to mlops:endpoints`;
    return planRollout({ deploymentId: id, modelName, version, target, requestedBy: id });
  }

  /** The execution state a rollout would carry at this point: challenger made, traffic moved. */
  private async held(modelName: string, held: HeldChallenger): Promise<RolloutState> {
    const state = await this.plan(modelName, held.version, held.id);
    if (typeof state === 'string') throw new Error(state);
    return {
      ...state,
      challenger: { created: true, ...held.resources },
      // A bake under way: `restoreWeights` moves traffic back only once a bake began.
      bake: { stepIndex: 0, checksDone: 0 },
    };
  }
}
