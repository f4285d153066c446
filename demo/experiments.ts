/**
 * The demo's A/B section: two experiments on the demo model, its champion against a candidate
 * version, with outcomes simulated per unit (exact rates, seeded latencies: every run tells the
 * same story).
 *  - A guardrail stops the first: the candidate answers 30% slower, and the guardrail schedule
 *    (fired now, as its rule would every few minutes) stops it, traffic back on the champion.
 *  - The second has the candidate convert better: its results say so, and concluding with it as
 *    the winner starts its rollout (canary, bakes, promotion) once the endpoint is free.
 * Units are assigned to arms by the experiment's salted hash, the function the platform uses.
 */

import { expectOk, type PlatformClient } from '../client';
import { assign } from '../lambdas/experiments';
import type { LocalRoutes } from './local-routes';
import { until } from './platform-calls';
import type { Progress } from './progress';

export interface ExperimentsDemoResult {
  readonly stoppedReason: string;
  readonly winner: number;
  readonly deploymentId: string;
}

/** A seeded uniform generator (mulberry32): the same outcomes on every run. */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const definition = (name: string, model: string, champion: number, candidate: number) => ({
  name,
  modelName: model,
  description: `v${champion} (champion) against v${candidate} (demo)`,
  arms: [
    { name: 'control', version: champion, trafficPercent: 50 },
    { name: 'treatment', version: candidate, trafficPercent: 50 },
  ],
  control: 'control',
  primaryMetric: {
    name: 'diagnosed',
    kind: 'proportion' as const,
    betterDirection: 'higher' as const,
    baselineRate: 0.1,
  },
  guardrailMetrics: [
    {
      name: 'latency_ms',
      kind: 'mean' as const,
      betterDirection: 'lower' as const,
      maxRelativeDegradationPercent: 5,
    },
  ],
  // 10% to 18%: about 145 units per arm for a fixed-horizon test at alpha 0.05 and power 0.8.
  minimumDetectableEffect: 0.8,
  analysis: 'fixed-horizon' as const,
});

interface Simulated {
  readonly units: number;
  /** Rate of `diagnosed` per arm. */
  readonly rate: { readonly control: number; readonly treatment: number };
  /** Mean latency in ms per arm (standard deviation 10 ms); none sent when undefined. */
  readonly latencyMs?: { readonly control: number; readonly treatment: number };
}

/** Sends each unit's outcomes, arms as the platform assigns them, in parallel batches. */
async function sendOutcomes(api: PlatformClient, name: string, salt: string, sim: Simulated, seed: number) {
  const random = uniform(seed);
  const arms = [
    { name: 'control', trafficPercent: 50 },
    { name: 'treatment', trafficPercent: 50 },
  ];
  const time = new Date().toISOString();
  const outcomes: Array<{ unit: string; metric: string; value: number; time: string; eventId: string }> = [];
  // Exact rates whatever the split: of every 50 units of an arm, rate x 50 are diagnosed.
  const seen = { control: 0, treatment: 0 };
  for (let i = 0; i < sim.units; i++) {
    const unit = `patient-${name}-${i}`;
    const arm = assign(salt, arms, unit).arm as 'control' | 'treatment';
    const diagnosed = seen[arm]++ % 50 < Math.round(sim.rate[arm] * 50) ? 1 : 0;
    outcomes.push({ unit, metric: 'diagnosed', value: diagnosed, time, eventId: `${i}-d` });
    if (sim.latencyMs) {
      // Box-Muller: a normal latency around the arm's mean.
      const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      const value = Math.round((sim.latencyMs[arm] + 10 * normal) * 100) / 100;
      outcomes.push({ unit, metric: 'latency_ms', value, time, eventId: `${i}-l` });
    }
  }
  const batches = [];
  for (let i = 0; i < outcomes.length; i += 500) batches.push(outcomes.slice(i, i + 500));
  await Promise.all(
    batches.map((batch) =>
      expectOk(
        api.POST('/experiments/{name}/outcomes', { params: { path: { name } }, body: { outcomes: batch } }),
      ),
    ),
  );
  return outcomes.length;
}

async function startExperiment(
  api: PlatformClient,
  p: Progress,
  body: ReturnType<typeof definition>,
): Promise<string> {
  const created = await expectOk(api.POST('/experiments', { body }));
  const started = await expectOk(
    api.POST('/experiments/{name}/start', { params: { path: { name: body.name } } }),
  );
  p.done(
    `experiment ${body.name}: ${body.description}, 50/50 by unit; v${body.arms[1].version} added as the challenger variant (${started.treatmentVariant?.phase ?? 'routing only'})`,
  );
  return created.salt;
}

/** Fires the guardrail schedule's rule now, as EventBridge would on its next tick. */
async function runGuardrailSchedule(local: LocalRoutes): Promise<void> {
  const { items } = await local.get<{ items: Array<{ id: string }> }>('/_local/rules');
  const rule = items.find((r) => r.id.includes('GuardrailSchedule'));
  if (!rule) throw new Error('the platform has no experiment guardrail schedule');
  await local.post(`/_local/rules/${rule.id}/run`);
}

export async function runExperiments(
  api: PlatformClient,
  local: LocalRoutes,
  p: Progress,
  model: string,
  champion: number,
  candidate: number,
): Promise<ExperimentsDemoResult> {
  // 1. A slower candidate: the guardrail stops it.
  const slow = definition('demo-guardrail', model, champion, candidate);
  const slowSalt = await startExperiment(api, p, slow);
  const sent = await sendOutcomes(
    api,
    slow.name,
    slowSalt,
    { units: 300, rate: { control: 0.1, treatment: 0.1 }, latencyMs: { control: 100, treatment: 130 } },
    1,
  );
  p.info(`${sent} outcomes of 300 units: the candidate answers in 130 ms against 100 ms`);
  await runGuardrailSchedule(local);
  const readExperiment = (name: string) =>
    expectOk(api.GET('/experiments/{name}', { params: { path: { name } } }));
  const stopped = await until(
    `${slow.name} stopped by its guardrail`,
    () => readExperiment(slow.name),
    (e) => e.status !== 'RUNNING',
    { timeoutMs: 60_000 },
  );
  if (stopped.status !== 'STOPPED') throw new Error(`${slow.name} ended ${stopped.status}`);
  p.done(`stopped by the guardrail schedule: ${stopped.reason}; all traffic back on v${champion}`);
  await until(
    `the endpoint free of ${slow.name}'s variant`,
    () => readExperiment(slow.name),
    (e) => e.treatmentVariant === undefined || e.treatmentVariant.phase === 'REMOVED',
    { timeoutMs: 60_000 },
  );

  // 2. A candidate that diagnoses more: it wins, and is rolled out.
  const better = definition('demo-winner', model, champion, candidate);
  const betterSalt = await startExperiment(api, p, better);
  const count = await sendOutcomes(
    api,
    better.name,
    betterSalt,
    { units: 1200, rate: { control: 0.1, treatment: 0.18 } },
    2,
  );
  p.info(`${count} outcomes: the candidate diagnoses 18% of units against 10%`);
  const results = await expectOk(
    api.GET('/experiments/{name}/results', { params: { path: { name: better.name } } }),
  );
  const primary = results.metrics[0];
  const [control, treatment] = primary.arms;
  const effect = primary.effect;
  if (!effect) throw new Error(`${better.name} has no effect estimate yet`);
  const lift = effect.relativeInterval;
  p.done(
    `results: ${results.verdict}; ${(control.mean * 100).toFixed(1)}% (n ${control.n}) vs ${(treatment.mean * 100).toFixed(1)}% (n ${treatment.n}), lift ${(effect.relative * 100).toFixed(0)}% [${(lift.lower * 100).toFixed(0)}%, ${(lift.upper * 100).toFixed(0)}%], p = ${effect.pValue.toExponential(1)}; sample ratio ${results.sampleRatio.mismatch ? 'MISMATCH' : 'ok'}`,
  );
  if (results.verdict !== 'TREATMENT_BETTER') throw new Error(`the better candidate read ${results.verdict}`);
  const concluded = await expectOk(
    api.POST('/experiments/{name}/conclude', {
      params: { path: { name: better.name } },
      body: { winner: 'treatment', reason: 'diagnoses more, as fast' },
    }),
  );
  const promoted = await until(
    `the rollout of v${candidate}`,
    async () => (concluded.promotion?.status === 'STARTED' ? concluded : await readExperiment(better.name)),
    (e) => e.promotion?.status !== 'PENDING',
    { timeoutMs: 60_000 },
  );
  if (promoted.promotion?.status !== 'STARTED')
    throw new Error(`v${candidate}'s promotion ${promoted.promotion?.status}: ${promoted.promotion?.reason}`);
  p.done(
    `concluded: v${candidate} won; its rollout ${promoted.deploymentId} started (canary, bakes, promotion)`,
  );
  return {
    stoppedReason: stopped.reason ?? '',
    winner: candidate,
    deploymentId: promoted.deploymentId ?? '',
  };
}
