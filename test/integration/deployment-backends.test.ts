/**
 * The rollout's branches on BOTH serving backends through the same task code: promoted, rolled
 * back on the challenger's latency alarm, rolled back on its error-rate alarm, rolled back when the
 * challenger never deploys, refused while another rollout holds the lock. Executed locally from
 * the SYNTHESIZED state machine definition, one stack with a SageMaker and an ECS model per branch;
 * the task Lambda chooses each model's backend from its target. SageMaker is the in-memory port
 * (test/helpers/fake-sagemaker.ts); ECS is the real adapter over in-memory ECS and ELBv2 clients
 * (test/helpers/fake-ecs.ts). Alarms are the template's, evaluated by the local CloudWatch over
 * metrics sent with the dimensions each alarm reads.
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { EcsServingTarget, ServingBackend } from '../../contracts/deployment';
import { endpointName, modelPackageKey, sagemakerModelName } from '../../contracts/serving';
import { alarmsFromTemplate } from '../../local/cloudwatch/server';
import {
  type DeploymentHarness,
  PROMOTION_ACTIONS,
  startDeploymentHarness,
} from '../helpers/deployment-harness';
import { FakeEcs } from '../helpers/fake-ecs';
import { FakeSageMaker } from '../helpers/fake-sagemaker';
import { useStandIns } from '../helpers/stand-ins';

const BUCKET = 'test-artifacts';
const BRANCHES = ['promote', 'slow', 'errors', 'broken', 'busy'] as const;
const BACKENDS: ServingBackend[] = ['sagemaker', 'ecs'];
const modelOf = (backend: ServingBackend, branch: (typeof BRANCHES)[number]) => `${backend}-${branch}`;

const standIns = useStandIns({ tables: true });
const sagemaker = new FakeSageMaker();
const ecs = new FakeEcs();
const ecsTargets: Record<string, EcsServingTarget> = {};
let h: DeploymentHarness;
let cw: CloudWatchClient;

const packageUrl = (model: string, version: number) => `s3://${BUCKET}/${modelPackageKey(model, version)}`;

/** What a test needs of a backend: seed it, make the challenger behave, read what each variant serves. */
interface Backend {
  seed(model: string): void;
  /** The package the endpoint serves before any rollout. */
  initialPackage(model: string): string;
  /** Calls `send` whenever the challenger is given traffic. */
  onChallengerTraffic(model: string, send: () => Promise<void>): void;
  /** The version's deployment never becomes healthy. */
  breakVersion(model: string, version: number): void;
  /** The package each variant that exists serves (at rest: the champion alone). */
  servedPackages(model: string): { champion: string; challenger?: string };
  weights(model: string): Promise<{ champion: number; challenger: number }>;
  /** A latency as the backend's latency alarm measures it (microseconds, seconds). */
  latency(ms: number): number;
}

const BACKEND: Record<ServingBackend, Backend> = {
  sagemaker: {
    seed: (model) =>
      sagemaker.seed(
        endpointName('dev', model),
        sagemakerModelName(endpointName('dev', model), 1),
        `${endpointName('dev', model)}-iseed`,
      ),
    initialPackage: (model) => `s3://bucket/${sagemakerModelName(endpointName('dev', model), 1)}.tar.gz`,
    onChallengerTraffic(model, send) {
      sagemaker.onWeights = (name, w) =>
        name === endpointName('dev', model) && w.challenger > 0 ? send() : undefined;
    },
    breakVersion: (model, version) =>
      sagemaker.failingModels.add(sagemakerModelName(endpointName('dev', model), version)),
    servedPackages(model) {
      const models = sagemaker.variantModels(endpointName('dev', model));
      const url = (name: string) => sagemaker.models.get(name)?.dataUrl ?? '';
      return Object.fromEntries(Object.entries(models).map(([v, m]) => [v, url(m)])) as {
        champion: string;
      };
    },
    weights: async (model) => {
      const w = (await sagemaker.describeEndpoint(endpointName('dev', model)))?.weights ?? {};
      return { champion: w.champion, challenger: w.challenger ?? 0 };
    },
    latency: (ms) => ms * 1000,
  },
  ecs: {
    seed(model) {
      ecsTargets[model] = ecs.seed(endpointName('dev', model), this.initialPackage(model));
    },
    initialPackage: (model) => `s3://${BUCKET}/serving/packages/${model}/initial/model.tar.gz`,
    onChallengerTraffic(model, send) {
      const target = ecsTargets[model];
      ecs.onWeights = (listener, w) =>
        listener === target.listenerArn && w[target.targetGroupArns.challenger] > 0 ? send() : undefined;
    },
    breakVersion: (model, version) => ecs.failingPackages.add(packageUrl(model, version)),
    servedPackages: (model) => ecs.servicePackages(ecsTargets[model]) as { champion: string },
    weights: async (model) => ecs.weights(ecsTargets[model]),
    latency: (ms) => ms / 1000,
  },
};

beforeAll(async () => {
  h = await startDeploymentHarness({
    models: BACKENDS.flatMap((backend) =>
      BRANCHES.map((branch) => ({
        modelName: modelOf(backend, branch),
        backend,
        canarySteps: [5, 100],
        bakeMinutes: 2,
      })),
    ),
    dynamoDb: standIns.dynamoDb,
    s3: standIns.s3,
    endpoints: sagemaker,
    ecs: { clients: ecs, target: (model) => ecsTargets[model] },
    bucket: BUCKET,
  });
  cw = new CloudWatchClient({
    endpoint: h.cloudWatchUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  for (const backend of BACKENDS) {
    for (const branch of BRANCHES) {
      const model = modelOf(backend, branch);
      await h.seedModel(model);
      BACKEND[backend].seed(model);
    }
  }
}, 120_000);

afterAll(async () => {
  cw?.destroy();
  await h?.close();
});

interface TemplateAlarm {
  AlarmName: string;
  Namespace?: string;
  MetricName?: string;
  Dimensions?: { Name: string; Value: string }[];
  Metrics?: {
    MetricStat?: {
      Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: string }[] };
    };
  }[];
}

/** Sends, for every metric the named template alarm reads, the value `valueFor(metricName)`. */
async function sendForAlarm(name: string, valueFor: (metricName: string) => number): Promise<void> {
  const alarm = alarmsFromTemplate(h.template).find((a) => a.AlarmName === name) as unknown as TemplateAlarm;
  const metrics = alarm.MetricName
    ? [{ Namespace: alarm.Namespace!, MetricName: alarm.MetricName, Dimensions: alarm.Dimensions ?? [] }]
    : (alarm.Metrics ?? []).flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : []));
  for (const m of metrics) {
    await cw.send(
      new PutMetricDataCommand({
        Namespace: m.Namespace,
        MetricData: [
          {
            MetricName: m.MetricName,
            Dimensions: m.Dimensions,
            Values: [valueFor(m.MetricName)],
            Counts: [100],
          },
        ],
      }),
    );
  }
}

const run = (_backend: ServingBackend, modelName: string, deploymentId: string) =>
  h.runRollout(modelName, deploymentId);

describe.each(BACKENDS)(
  'rollout branches on the %s backend (one task list, synthesized definition)',
  (backend) => {
    const b = BACKEND[backend];

    it('promotes a healthy challenger: the champion alone on the version, all traffic, registry moved', async () => {
      // Prepare: the challenger answers in 20 ms whenever it has traffic
      const model = modelOf(backend, 'promote');
      b.onChallengerTraffic(model, () =>
        sendForAlarm(`${endpointName('dev', model)}-challenger-latency-p95`, () => b.latency(20)),
      );
      // Act
      const out = await run(backend, model, `dep-${model}-1`);
      // Assess
      expect(out.outcome).toEqual({ status: 'PROMOTED' });
      expect(b.servedPackages(model)).toEqual({ champion: packageUrl(model, 2) });
      expect(await b.weights(model)).toEqual({ champion: 100, challenger: 0 });
      expect(await h.deps.registry.aliasVersion(model, 'champion')).toBe(2);
      expect((await h.registry.getVersion(model, 1))?.stage).toBe('Archived');
      expect(await h.deps.store.getDeployment(model, `dep-${model}-1`)).toMatchObject({
        status: 'PROMOTED',
        weights: { champion: 100, challenger: 0 },
        previousVersion: 1,
      });
      expect(await h.rolloutActions(model)).toEqual(expect.arrayContaining(PROMOTION_ACTIONS));
    });

    it('rolls back on the challenger p95 latency alarm, leaving registry and alias untouched', async () => {
      // Prepare: 250 ms at p95, above the 100 ms threshold
      const model = modelOf(backend, 'slow');
      const alarm = `${endpointName('dev', model)}-challenger-latency-p95`;
      b.onChallengerTraffic(model, () => sendForAlarm(alarm, () => b.latency(250)));
      // Act
      const out = await run(backend, model, `dep-${model}-1`);
      // Assess
      expect(out.outcome).toMatchObject({ status: 'ROLLED_BACK', alarm });
      expect(b.servedPackages(model)).toEqual({ champion: b.initialPackage(model) });
      expect(await b.weights(model)).toEqual({ champion: 100, challenger: 0 });
      expect(await h.deps.registry.aliasVersion(model, 'champion')).toBe(1);
      expect((await h.registry.getVersion(model, 2))?.stage).toBe('None');
      const rolledBack = (await h.audit(model)).find((a) => a.action === 'DeploymentRolledBack');
      expect(rolledBack?.after).toMatchObject({ alarm, step: 1 });
      expect(await h.deps.store.getDeployment(model, `dep-${model}-1`)).toMatchObject({
        status: 'ROLLED_BACK',
        alarm,
      });
    });

    it('rolls back on the challenger 5XX error-rate alarm (1% > 0.1%)', async () => {
      // Prepare: fast, but 1 in 100 requests fails
      const model = modelOf(backend, 'errors');
      const alarm = `${endpointName('dev', model)}-challenger-error-rate`;
      b.onChallengerTraffic(model, () => sendForAlarm(alarm, (metric) => (/5XX/i.test(metric) ? 1 : 100)));
      // Act
      const out = await run(backend, model, `dep-${model}-1`);
      // Assess
      expect(out.outcome).toMatchObject({ status: 'ROLLED_BACK', alarm });
      expect(b.servedPackages(model)).toEqual({ champion: b.initialPackage(model) });
      expect(await h.deps.registry.aliasVersion(model, 'champion')).toBe(1);
    });

    it('rolls back when the challenger never becomes healthy (no traffic shifted)', async () => {
      // Prepare: the version's deployment fails its health check
      const model = modelOf(backend, 'broken');
      b.breakVersion(model, 2);
      b.onChallengerTraffic(model, async () => undefined);
      // Act
      const out = await run(backend, model, `dep-${model}-1`);
      // Assess
      expect(out.outcome?.status).toBe('ROLLED_BACK');
      expect(out.outcome?.reason).toMatch(/failed/);
      expect(await h.rolloutActions(model)).not.toContain('DeploymentTrafficShifted');
      expect(b.servedPackages(model)).toEqual({ champion: b.initialPackage(model) });
      expect(await b.weights(model)).toEqual({ champion: 100, challenger: 0 });
      expect(await h.deps.registry.aliasVersion(model, 'champion')).toBe(1);
      expect(await h.deps.store.getDeployment(model, `dep-${model}-1`)).toMatchObject({
        status: 'ROLLED_BACK',
      });
    });

    it('refuses a concurrent rollout of the same model and changes nothing', async () => {
      // Prepare: another rollout holds the lock
      const model = modelOf(backend, 'busy');
      const now = new Date();
      await h.deps.store.acquireLock(
        model,
        'dep-other',
        new Date(now.getTime() + 3_600_000).toISOString(),
        now.toISOString(),
      );
      // Act & Assess
      await expect(run(backend, model, `dep-${model}-2`)).rejects.toThrow(
        /DeploymentRefused|another rollout/,
      );
      expect(b.servedPackages(model)).toEqual({ champion: b.initialPackage(model) });
      expect(await h.deps.store.getDeployment(model, `dep-${model}-2`)).toBeUndefined();
      expect(await h.rolloutActions(model)).toContain('DeploymentRefused');
      expect(
        await h.deps.store.acquireLock(model, 'dep-other', now.toISOString(), now.toISOString()),
      ).toEqual({
        acquired: true,
      });
    });
  },
);
