/**
 * The SageMaker backend's tasks retried after their UpdateEndpoint was sent (the task died before
 * answering): the retry finds its own config made and the endpoint moving to it, and returns the
 * same resources instead of a refusal, for a registry model's endpoint and an LMI endpoint (whose
 * rollouts name their models and configs their own way). Over the in-memory SageMaker port.
 */
import { endpointName, sagemakerModelName } from '../../../contracts/serving';
import {
  registryVersionNaming,
  type SageMakerRolloutNaming,
  SageMakerVariantBackend,
} from '../../../lambdas/deployment/adapters/sagemaker-variant-backend';
import type { RolloutState } from '../../../lambdas/deployment/domain/state';
import { lmiRolloutNaming } from '../../../lambdas/llm/domain/lmi-variant-backend';
import { FakeSageMaker } from '../../helpers/fake-sagemaker';

const rollout = (endpoint: string, extra: Partial<RolloutState> = {}): RolloutState => ({
  deploymentId: 'dep-retry-1',
  modelName: 'retry',
  version: 2,
  endpointName: endpoint,
  steps: [5, 100],
  checksPerStep: 1,
  checkIntervalSeconds: 1,
  alarmNames: [],
  maxEndpointPolls: 10,
  requestedBy: 'alice',
  ...extra,
});

const lmiEndpoint = 'mlops-dev-llm-chat';
const CASES: [string, string, SageMakerRolloutNaming, Partial<RolloutState>][] = [
  ['a registry model endpoint', endpointName('dev', 'retry'), registryVersionNaming, {}],
  [
    'an LMI endpoint',
    lmiEndpoint,
    lmiRolloutNaming({
      sageMakerEndpointName: lmiEndpoint,
      initialEndpointConfigName: `${lmiEndpoint}-iseed`,
      candidatePackageUrls: { 'org/model-b': 's3://bucket/b.tar.gz' },
    }),
    { candidateModel: 'org/model-b' },
  ],
];

describe.each(CASES)(
  'SageMaker backend retried after its update was sent, on %s',
  (_, endpoint, naming, extra) => {
    /** A backend whose first UpdateEndpoint to each config is sent, then throws (the task dies). */
    const setUp = () => {
      const sagemaker = new FakeSageMaker();
      sagemaker.seed(endpoint, sagemakerModelName(endpoint, 1), `${endpoint}-iseed`);
      const update = sagemaker.updateEndpoint.bind(sagemaker);
      const sent = new Set<string>();
      sagemaker.updateEndpoint = async (name, config) => {
        await update(name, config);
        if (!sent.has(config)) {
          sent.add(config);
          throw new Error('the function crashed');
        }
      };
      return { sagemaker, backend: new SageMakerVariantBackend(sagemaker, undefined, naming) };
    };
    const url = async () => 's3://bucket/v2.tar.gz';

    it('CreateChallenger takes the canary update as its own while the endpoint is Updating', async () => {
      const { sagemaker, backend } = setUp();
      const state = rollout(endpoint, extra);
      await expect(backend.prepareChallenger(state, url)).rejects.toThrow('the function crashed');
      expect(sagemaker.endpoints.get(endpoint)?.status).toBe('Updating');
      const retried = await backend.prepareChallenger(state, url);
      expect(retried).toEqual({
        challenger: {
          modelName: naming.challengerModel(state),
          endpointConfigName: naming.endpointConfig(state, 'c'),
          previousEndpointConfigName: `${endpoint}-iseed`,
          previousChampionModel: sagemakerModelName(endpoint, 1),
        },
      });
      // The update the first attempt sent is the one the rollout then waits for.
      expect(await backend.progress(state, 'challenger', 1)).toEqual({ progress: 'READY' });
      expect(sagemaker.variantModels(endpoint)).toEqual({
        champion: sagemakerModelName(endpoint, 1),
        challenger: naming.challengerModel(state),
      });
    });

    it('Promote takes the promoted update as its own, whether still Updating or already on it', async () => {
      const { sagemaker, backend } = setUp();
      const first = rollout(endpoint, extra);
      await backend.prepareChallenger(first, url).catch(() => undefined);
      const made = await backend.prepareChallenger(first, url);
      if (!('challenger' in made)) throw new Error(made.refusal);
      const state = { ...first, challenger: { created: true, ...made.challenger } };
      while ((await sagemaker.describeEndpoint(endpoint))?.status !== 'InService');
      await expect(backend.promote(state)).rejects.toThrow('the function crashed');
      const promoted = { endpointConfigName: naming.endpointConfig(state, 'p') };
      expect(await backend.promote(state)).toEqual(promoted);
      while ((await sagemaker.describeEndpoint(endpoint))?.status !== 'InService');
      expect(await backend.promote(state)).toEqual(promoted);
      expect(sagemaker.variantModels(endpoint)).toEqual({ champion: naming.challengerModel(state) });
    });

    it("refuses a retry whose first attempt's update finished, changing nothing: the pre-rollout config is not known", async () => {
      const { sagemaker, backend } = setUp();
      const state = rollout(endpoint, extra);
      await expect(backend.prepareChallenger(state, url)).rejects.toThrow('the function crashed');
      while ((await sagemaker.describeEndpoint(endpoint))?.status !== 'InService');
      const configs = [...sagemaker.configs.keys()];
      // Act
      const retried = await backend.prepareChallenger(state, url);
      // Assess: a refusal, the endpoint left on the canary (its challenger at weight 0)
      expect(retried).toEqual({
        refusal: `endpoint ${endpoint} is on this rollout's canary config already, made by an attempt that did not record it; its challenger is left at weight 0`,
      });
      expect((await sagemaker.describeEndpoint(endpoint))?.endpointConfigName).toBe(
        naming.endpointConfig(state, 'c'),
      );
      expect([...sagemaker.configs.keys()]).toEqual(configs);
    });

    it('still refuses an endpoint another update moves', async () => {
      const { sagemaker, backend } = setUp();
      sagemaker.configs.set(`${endpoint}-sother`, {
        ...(await sagemaker.describeEndpointConfig(`${endpoint}-iseed`)),
        name: `${endpoint}-sother`,
      });
      await sagemaker.updateEndpoint(endpoint, `${endpoint}-sother`).catch(() => undefined);
      expect(await backend.prepareChallenger(rollout(endpoint, extra), url)).toEqual({
        refusal: `endpoint ${endpoint} is Updating`,
      });
    });
  },
);

describe('an LMI candidate', () => {
  it("is made like the stack's model, not like the champion's (an earlier candidate after a promotion)", async () => {
    // Prepare: the endpoint serves an earlier candidate; the stack's config names its own model
    const sagemaker = new FakeSageMaker();
    sagemaker.seed(lmiEndpoint, `${lmiEndpoint}-iaaaaaaaa`, `${lmiEndpoint}-iseed`);
    sagemaker.models.set(`${lmiEndpoint}-0badcafe`, { dataUrl: 's3://bucket/a.tar.gz' });
    sagemaker.configs.set(`${lmiEndpoint}-p-earlier`, {
      ...(await sagemaker.describeEndpointConfig(`${lmiEndpoint}-iseed`)),
      name: `${lmiEndpoint}-p-earlier`,
      variants: (await sagemaker.describeEndpointConfig(`${lmiEndpoint}-iseed`)).variants.map((v) => ({
        ...v,
        modelName: `${lmiEndpoint}-0badcafe`,
      })),
    });
    await sagemaker.updateEndpoint(lmiEndpoint, `${lmiEndpoint}-p-earlier`);
    while ((await sagemaker.describeEndpoint(lmiEndpoint))?.status !== 'InService');
    const naming = CASES[1][2];
    const backend = new SageMakerVariantBackend(sagemaker, undefined, naming);
    const state = rollout(lmiEndpoint, CASES[1][3]);
    // Act
    const made = await backend.prepareChallenger(state, async () => 's3://bucket/b.tar.gz');
    // Assess
    expect('challenger' in made).toBe(true);
    expect(sagemaker.models.get(naming.challengerModel(state))).toEqual({
      dataUrl: 's3://bucket/b.tar.gz',
      template: `${lmiEndpoint}-iaaaaaaaa`,
    });
  });
});
