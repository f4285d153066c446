/**
 * The rollout's `VariantBackend` on an endpoint served by ECS: a variant's "model" is the task
 * definition revision its service runs, which loads one package; traffic is the listener's weights.
 * At rest the challenger service runs no task (one variant at rest, as on SageMaker).
 * - challenger: a revision of the challenger's task definition on the version's package, deployed
 *   to the challenger service with the champion's task count while it has no traffic; its
 *   autoscaling registered when it first takes traffic;
 * - promotion: a revision of the champion's task definition on that package, deployed to the
 *   champion service while the challenger takes all traffic, then champion 100 and the challenger
 *   back to 0 tasks (its autoscaling deregistered first);
 * - rollback: champion 100 at once, both services back on their pre-rollout revisions, the
 *   challenger at 0 tasks.
 * Revisions the rollout made and no service runs any more are deregistered; the stack's own never.
 * @see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html
 */
import { Variant } from '../../../contracts/serving';
import type { EndpointScaling } from '../domain/ports';
import type { RolloutState } from '../domain/state';
import type {
  ProgressCheck,
  ProgressReport,
  PromotionResources,
  VariantBackend,
} from '../domain/variant-backend';
import { bothProgress, primaryTaskDefinition, serviceProgress, steadyTaskDefinition } from './ecs-rollout';
import type { ServiceControl, ServiceState } from './ecs-services';

const NO_CHALLENGER = { champion: 100, challenger: 0 };

export class EcsVariantBackend implements VariantBackend {
  /**
   * @param services the model's services and listener, as its deployment target names them
   * @param scaling the services' autoscaling (the challenger's while it runs tasks); none without
   *   the target's resource labels
   */
  constructor(
    private readonly services: ServiceControl,
    private readonly scaling?: EndpointScaling,
  ) {}

  /**
   * A revision of the challenger's task definition on the version's package, deployed at weight 0
   * with as many tasks as the champion runs (at least one).
   */
  async prepareChallenger(state: RolloutState, packageUrl: () => Promise<string>) {
    const championService = await this.services.describeService(Variant.CHAMPION);
    const champion = steadyTaskDefinition(championService);
    if (!champion)
      return { refusal: `the champion service of ${state.endpointName} is missing or deploying` };
    const modelDataUrl = await packageUrl();
    if ((await this.services.modelDataUrl(champion)) === modelDataUrl)
      return { refusal: `version ${state.version} is already the champion` };
    const baseline = await this.challengerBaseline(
      await this.services.describeService(Variant.CHALLENGER),
      modelDataUrl,
    );
    if ('refusal' in baseline) return baseline;

    // The challenger's tasks are replaced: no traffic may reach them meanwhile.
    if ((await this.services.getWeights()).challenger > 0) await this.services.setWeights(NO_CHALLENGER);
    const taskDefinition = await this.services.registerTaskDefinitionLike(baseline.template, modelDataUrl);
    const tasks = Math.max(championService?.desiredCount ?? 0, state.scaling?.minCapacity ?? 1, 1);
    await this.services.updateService(Variant.CHALLENGER, taskDefinition, tasks);
    return {
      challenger: {
        modelName: taskDefinition,
        modelDataUrl,
        previousChampionModel: champion,
        previousChallengerModel: baseline.previous,
      },
    };
  }

  /**
   * What the challenger service runs before the rollout (restored by a rollback) and the revision
   * to copy. A retried task finds the service already on (or deploying) the version's package: the
   * revision it replaces is then the older deployment's, or the stack's own when that is gone.
   */
  private async challengerBaseline(
    service: ServiceState | undefined,
    modelDataUrl: string,
  ): Promise<{ template: string; previous: string } | { refusal: string }> {
    const current = primaryTaskDefinition(service);
    if (!service || !current) return { refusal: 'the challenger service does not exist' };
    const steady = steadyTaskDefinition(service);
    if ((await this.services.modelDataUrl(current)) === modelDataUrl) {
      const older = service.deployments.find((d) => d.taskDefinition !== current)?.taskDefinition;
      return {
        template: current,
        previous: older ?? this.services.initialTaskDefinition(Variant.CHALLENGER),
      };
    }
    if (!steady) return { refusal: `the challenger service is deploying ${current}` };
    return { template: steady, previous: steady };
  }

  /** One DescribeServices (or, once traffic went back, a listener read: it applies at once). */
  async progress(state: RolloutState, check: ProgressCheck, polls: number): Promise<ProgressReport> {
    const max = state.maxEndpointPolls;
    const challenger = state.challenger;
    switch (check) {
      case 'challenger':
        return serviceProgress(
          await this.services.describeService(Variant.CHALLENGER),
          challenger?.modelName ?? '',
          polls,
          max,
        );
      case 'promotion':
        return serviceProgress(
          await this.services.describeService(Variant.CHAMPION),
          state.promotion?.taskDefinition ?? '',
          polls,
          max,
        );
      case 'settled': {
        const weights = await this.services.getWeights();
        if (weights.challenger === 0) return { progress: 'READY' };
        if (polls >= max)
          return { progress: 'FAILED', reason: `the challenger still has ${weights.challenger}% of traffic` };
        return { progress: 'WAITING' };
      }
      case 'restore': {
        if (!challenger?.created) return { progress: 'READY' };
        const restored = async (
          variant: typeof Variant.CHAMPION | typeof Variant.CHALLENGER,
          expected?: string,
        ) =>
          expected
            ? serviceProgress(await this.services.describeService(variant), expected, polls, max)
            : { progress: 'READY' as const };
        return bothProgress(
          await restored(Variant.CHAMPION, challenger.previousChampionModel),
          await restored(Variant.CHALLENGER, challenger.previousChallengerModel),
        );
      }
    }
  }

  /** Splits traffic; the challenger scales with its traffic from its first step (an upsert). */
  async setWeights(state: RolloutState, weights: { champion: number; challenger: number }): Promise<void> {
    if (state.scaling && this.scaling)
      await this.scaling.apply(state.endpointName, Variant.CHALLENGER, state.scaling);
    await this.services.setWeights(weights);
  }

  /**
   * The champion service moves to the version while the challenger takes all traffic; a champion
   * that ran no task (no package before this first rollout) gets the challenger's count.
   */
  async promote(state: RolloutState): Promise<PromotionResources> {
    const challenger = state.challenger!;
    const taskDefinition = await this.services.registerTaskDefinitionLike(
      challenger.previousChampionModel!,
      challenger.modelDataUrl!,
    );
    const champion = await this.services.describeService(Variant.CHAMPION);
    const challengerTasks = (await this.services.describeService(Variant.CHALLENGER))?.desiredCount ?? 1;
    await this.services.updateService(
      Variant.CHAMPION,
      taskDefinition,
      champion?.desiredCount ? undefined : Math.max(challengerTasks, 1),
    );
    return { taskDefinition };
  }

  championTakesAll(): Promise<void> {
    return this.services.setWeights(NO_CHALLENGER);
  }

  /** The challenger back to 0 tasks (autoscaling off first), the champion scaled, old revisions gone. */
  async retirePrevious(state: RolloutState): Promise<void> {
    const challenger = state.challenger!;
    await this.scaling?.remove(state.endpointName, Variant.CHALLENGER);
    await this.services.updateService(Variant.CHALLENGER, challenger.modelName!, 0);
    if (state.scaling && this.scaling)
      await this.scaling.apply(state.endpointName, Variant.CHAMPION, state.scaling);
    await this.retire(
      [challenger.previousChampionModel, challenger.previousChallengerModel],
      [challenger.modelName, state.promotion?.taskDefinition],
    );
  }

  async restoreWeights(): Promise<void> {
    if ((await this.services.getWeights()).challenger > 0) await this.services.setWeights(NO_CHALLENGER);
  }

  /**
   * Both services back on the revisions they ran before the rollout (no-op where they still do),
   * the challenger at 0 tasks with its autoscaling deregistered first.
   */
  async restoreVariants(state: RolloutState): Promise<void> {
    const challenger = state.challenger;
    if (!challenger?.created) return;
    if (challenger.previousChampionModel)
      await this.services.updateService(Variant.CHAMPION, challenger.previousChampionModel);
    await this.scaling?.remove(state.endpointName, Variant.CHALLENGER);
    if (challenger.previousChallengerModel)
      await this.services.updateService(Variant.CHALLENGER, challenger.previousChallengerModel, 0);
  }

  async removeChallenger(state: RolloutState): Promise<void> {
    const challenger = state.challenger;
    if (!challenger?.created) return;
    await this.retire(
      [challenger.modelName, state.promotion?.taskDefinition],
      [challenger.previousChampionModel, challenger.previousChallengerModel],
    );
  }

  /** Deregisters the revisions no service runs any more; the stack's own are CloudFormation's. */
  private async retire(
    revisions: ReadonlyArray<string | undefined>,
    serving: ReadonlyArray<string | undefined>,
  ): Promise<void> {
    const initial = [
      this.services.initialTaskDefinition(Variant.CHAMPION),
      this.services.initialTaskDefinition(Variant.CHALLENGER),
    ];
    for (const revision of new Set(revisions)) {
      if (revision && !serving.includes(revision) && !initial.includes(revision)) {
        await this.services.deregisterTaskDefinition(revision);
      }
    }
  }
}
