/**
 * `npm run demo`: the closed loop on the running local platform, through its API.
 *  1. A feature view and the history of 300 patients; a point-in-time training set published as
 *     the model's training window.
 *  2. v1: a retraining run trains it (reference trainer), registers it and canaries it onto the
 *     endpoint.
 *  3. Prediction traffic; a drift check over the captured requests finds nothing.
 *  4. A new imaging device: new patients' measurements (and traffic) shift 25%. The drift check
 *     publishes DriftDetected; its rule starts a run that retrains on the new window (the new
 *     device's labelled patients), beats v1 on the holdout, registers v2, canaries and promotes it.
 *     The loop's wall time is printed. Monitoring now compares traffic with v2's profile: no drift.
 *  5. A bad build (its model server fails 20% of requests) is rolled out: the challenger's 5XX
 *     alarm fires during the bake and the rollout rolls back; the champion stays.
 *  6. A/B experiments against a candidate version: a guardrail stops one, the better version wins
 *     the other and its rollout starts (see `experiments.ts`).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { expectOk, type PlatformClient, toApiError } from '../client';
import { LOCAL_APPROVER_PRINCIPAL } from '../local/connection';
import { type Dataset, ENTITY, FEATURE_VIEW, featureRow, LABEL, type Patient } from './dataset';
import { type ExperimentsDemoResult, runExperiments } from './experiments';
import { followDeployment, followRun } from './follow';
import type { LocalRoutes } from './local-routes';
import {
  buildTrainingSet,
  championVersion,
  copyObject,
  createFaultyModel,
  endpointOf,
  registerCopy,
  sleep,
  until,
} from './platform-calls';
import type { Progress } from './progress';
import { describeTraffic, startTraffic, type Traffic } from './traffic';

/** The demo model, as `local/demo.context.json` declares it. */
export const DEMO_MODEL = 'demo-diagnosis';
export const DEMO_BUCKET = 'mlops-artifacts';
const TRAINING_WINDOW = `s3://${DEMO_BUCKET}/training/${DEMO_MODEL}.parquet`;
const METRIC = 'accuracy';
const HOUR = 3_600_000;
/** Requests the drift check should see from a population before it runs. */
const REQUESTS_PER_CHECK = 60;
const BAD_BUILD_ERROR_PERCENT = 20;

export interface DemoClients {
  readonly api: PlatformClient;
  /** The local platform's own routes (alerts, rules), outside the API's OpenAPI document. */
  readonly local: LocalRoutes;
  readonly s3: S3Client;
  readonly sagemaker: SageMakerClient;
  /**
   * The local approver (`npm run demo -- --approval`): v2's promotion then waits for its sign-off,
   * which the demo gives as that second caller.
   */
  readonly approver?: PlatformClient;
}

export interface DemoResult {
  /** Drift check call to v2 promoted, in seconds. */
  readonly loopSeconds: number;
  readonly promotedVersion: number;
  readonly rolledBackVersion: number;
  readonly alarm: string;
  readonly experiments: ExperimentsDemoResult;
}

export class DemoAlreadyRan extends Error {}

export async function runDemo(clients: DemoClients, data: Dataset, p: Progress): Promise<DemoResult> {
  const { api } = clients;
  const existing = await api.GET('/models/{name}/versions', { params: { path: { name: DEMO_MODEL } } });
  if (existing.response.status === 200 && (existing.data?.items.length ?? 0) > 0) {
    throw new DemoAlreadyRan(
      `${DEMO_MODEL} has versions from an earlier demo; for the whole story start from empty data: ` +
        'stop npm start, remove .mlops-data (or set MLOPS_DATA_DIR), start again',
    );
  }

  p.section('1. Feature store: a feature view, 300 patients, a training window');
  await setUpFeatureStore(api, data, p);
  const historyAt = observedAt(data.history, Date.now() - 30 * 24 * HOUR, HOUR);
  await push(api, data, historyAt, p, 'the old device');
  await publishWindow(clients, data, historyAt, p);

  p.section('2. v1: trained, registered and canaried by the retraining pipeline');
  const first = await startRun(api, 'first model of the demo');
  const v1 = await followRun(api, p, DEMO_MODEL, first, METRIC);
  expectOutcome(v1.outcome, 'Promoted', v1.reason);
  const endpoint = await endpointOf(api, DEMO_MODEL);
  p.done(`v${v1.registeredVersion} is the champion (Production), serving on ${endpoint}`);

  p.section('3. Traffic from the old device; a drift check over the captured requests');
  const traffic = startTraffic(api, DEMO_MODEL, data.history);
  try {
    const calm = await driftCheck(api, traffic, p);
    p.done(
      `no drift: ${calm.driftedFeatures} of ${data.features.length} features moved (share ${calm.share})`,
    );

    p.section('4. A new imaging device: drift > retrain > v2 registered > canary > promoted');
    // Before the run starts, so the run finds the policy when it reaches its promotion.
    const signOff = clients.approver ? await requireSignOff(api, clients.approver, p) : undefined;
    traffic.use(data.newDevice);
    p.info('traffic now comes from the new device');
    const newAt = observedAt(data.newDevice, Date.now() - 2 * 24 * HOUR, 5 * 60_000);
    await push(api, data, newAt, p, 'the new device');
    // The training window slides: the last two days' labelled patients, all on the new device.
    await publishWindow(clients, data, newAt, p);
    const loopStart = Date.now();
    const drift = await driftCheck(api, traffic, p);
    if (!drift.drifted) throw new Error(`the new device's traffic did not drift: ${JSON.stringify(drift)}`);
    p.done(
      `DriftDetected: ${drift.driftedFeatures} of ${data.features.length} features drifted (share ${drift.share}), report ${drift.reportId}`,
    );
    const runId = await driftRun(api, drift.reportId);
    p.done(`the DriftDetected rule started run ${runId.slice(0, 8)} (trigger: drift)`);
    const v2 = await followRun(api, p, DEMO_MODEL, runId, METRIC, signOff?.approve);
    await signOff?.lift();
    const loopSeconds = (Date.now() - loopStart) / 1000;
    expectOutcome(v2.outcome, 'Promoted', v2.reason);
    p.done(`v${v2.registeredVersion} promoted: the champion now, v${v2.championVersion} archived`);
    p.done(`closed loop, drift check to v${v2.registeredVersion} promoted: ${loopSeconds.toFixed(1)} s`);
    p.info(`traffic meanwhile: ${describeTraffic(traffic.reset())}`);
    const settled = await driftCheck(api, traffic, p);
    if (settled.drifted)
      throw new Error(`traffic still drifts against v${v2.registeredVersion}: ${JSON.stringify(settled)}`);
    p.done(
      `no drift against the new champion: ${settled.driftedFeatures} of ${data.features.length} features moved`,
    );

    p.section('5. A bad build: canary > alarm > rollback');
    const champion = v2.registeredVersion!;
    const bad = await registerCopy(api, DEMO_MODEL, champion);
    await createFaultyModel(clients.sagemaker, {
      model: DEMO_MODEL,
      endpoint,
      like: champion,
      version: bad,
      bucket: DEMO_BUCKET,
      errorPercent: BAD_BUILD_ERROR_PERCENT,
    });
    p.done(`v${bad} registered (READY); its model server fails ${BAD_BUILD_ERROR_PERCENT}% of requests`);
    traffic.use([...data.history, ...data.newDevice]);
    const started = await expectOk(
      api.POST('/models/{name}/deployments', {
        params: { path: { name: DEMO_MODEL } },
        body: { version: bad, bakeMinutes: 0.1 },
      }),
    );
    if (!('deploymentId' in started)) throw new Error(`v${bad}'s rollout waits for approval`);
    const rollout = await followDeployment(api, p, DEMO_MODEL, started.deploymentId);
    if (rollout.status !== 'ROLLED_BACK') throw new Error(`v${bad}'s rollout ended ${rollout.status}`);
    const after = await championVersion(api, DEMO_MODEL);
    p.done(`rolled back on alarm ${rollout.alarm}; the champion is still v${after}`);
    p.info(`traffic meanwhile: ${describeTraffic(traffic.reset())}`);

    p.section('6. A/B experiments: a guardrail stops one, the better version wins the other');
    const candidate = await registerCopy(api, DEMO_MODEL, champion);
    p.done(`v${candidate} registered (READY), the candidate against v${champion}`);
    const experiments = await runExperiments(api, clients.local, p, DEMO_MODEL, champion, candidate);
    return {
      loopSeconds,
      promotedVersion: champion,
      rolledBackVersion: bad,
      alarm: rollout.alarm ?? '',
      experiments,
    };
  } finally {
    await traffic.stop();
  }
}

async function setUpFeatureStore(api: PlatformClient, data: Dataset, p: Progress): Promise<void> {
  // Either may exist from a demo stopped half-way: 409 is as good as 201 here.
  await createdOrExisting(
    api.POST('/models', { body: { name: DEMO_MODEL, description: 'tumour diagnosis (demo)' } }),
  );
  await createdOrExisting(
    api.POST('/feature-views', {
      body: {
        name: FEATURE_VIEW,
        description: 'tumour measurements per patient (demo)',
        entities: [{ name: ENTITY, valueType: 'int64' }],
        features: data.features.map((name) => ({ name, dtype: 'float64' as const, required: true })),
        ttlSeconds: 90 * 24 * 3600,
      },
    }),
  );
  p.done(`model ${DEMO_MODEL}; feature view ${FEATURE_VIEW} (${data.features.length} features by ${ENTITY})`);
}

async function createdOrExisting(call: Promise<{ error?: unknown; response: Response }>): Promise<void> {
  const { error, response } = await call;
  if (!response.ok && response.status !== 409) throw toApiError(response.status, error);
}

/** Observation times: one patient every `stepMs` from `from`. */
function observedAt(patients: readonly Patient[], from: number, stepMs: number): Map<Patient, Date> {
  return new Map(patients.map((patient, i) => [patient, new Date(from + i * stepMs)]));
}

async function push(
  api: PlatformClient,
  data: Dataset,
  at: Map<Patient, Date>,
  p: Progress,
  device: string,
): Promise<void> {
  const rows = [...at].map(([patient, when]) => featureRow(data.features, patient, when));
  await expectOk(api.POST('/push', { body: { featureView: FEATURE_VIEW, rows } }));
  p.done(`pushed ${rows.length} patients measured on ${device} (offline Parquet + online store)`);
  // The push wrote online already (the same values are written again); materializing the range
  // reports the view's freshness (the age of its newest row), which the model's dashboard graphs:
  // the view has no schedule to report it.
  const times = [...at.values()].map((d) => d.getTime());
  const body = await expectOk(
    api.POST('/feature-views/{name}/materialize', {
      params: { path: { name: FEATURE_VIEW } },
      body: {
        start: new Date(Math.min(...times)).toISOString(),
        end: new Date(Math.max(...times) + 1).toISOString(),
      },
    }),
  );
  const newestHours = (Date.now() - Math.max(...times)) / HOUR;
  p.done(
    `materialized the range (${body.rowsRead} rows, ${body.itemsWritten} online items); newest row ${newestHours.toFixed(0)} h old, freshness reported`,
  );
}

/**
 * A point-in-time training set of every labelled patient (the label is known an hour after the
 * measurement), copied to the model's training window as a data pipeline would publish it.
 */
async function publishWindow(
  clients: DemoClients,
  data: Dataset,
  at: Map<Patient, Date>,
  p: Progress,
): Promise<void> {
  const entityRows = [...at].map(([patient, when]) => ({
    [ENTITY]: patient.id,
    event_timestamp: new Date(when.getTime() + HOUR).toISOString(),
    [LABEL]: patient.label,
  }));
  const set = await buildTrainingSet(clients.api, {
    features: data.features.map((f) => `${FEATURE_VIEW}:${f}`),
    entityRows,
  });
  await copyObject(clients.s3, set.outputUri, TRAINING_WINDOW);
  p.done(`training set of ${set.rowCount} rows (point in time) published as ${TRAINING_WINDOW}`);
}

/**
 * Puts the demo model under an approval policy naming the local approver, so the run's promotion
 * opens an approval request and waits on it; `approve` decides it as the approver, `lift` puts the
 * model's governance back as it was (the later sections' rollouts need no sign-off).
 */
async function requireSignOff(api: PlatformClient, approver: PlatformClient, p: Progress) {
  const path = { name: DEMO_MODEL };
  const model = await expectOk(api.GET('/models/{name}', { params: { path } }));
  const governance = model.governance ?? {};
  const approval = { approvers: [LOCAL_APPROVER_PRINCIPAL], quorum: 1 };
  await expectOk(
    api.PATCH('/models/{name}', { params: { path }, body: { governance: { ...governance, approval } } }),
  );
  p.info(`approval policy: a move of ${DEMO_MODEL} to Production waits for ${LOCAL_APPROVER_PRINCIPAL}`);
  return {
    approve: async (run: { runId: string; registeredVersion?: number }) => {
      const open = await expectOk(
        api.GET('/models/{name}/approvals', { params: { path, query: { status: 'OPEN' } } }),
      );
      const request = open.items.find(
        (a) => a.action.kind === 'promotion' && 'runId' in a.action && a.action.runId === run.runId,
      );
      if (!request) throw new Error(`run ${run.runId} waits for sign-off, but no open request names it`);
      p.info(`  v${request.version} waits for sign-off: approval request ${request.id} (OPEN)`);
      const decided = await expectOk(
        approver.POST('/models/{name}/approvals/{id}/decisions', {
          params: { path: { name: DEMO_MODEL, id: request.id } },
          body: { decision: 'approve', comment: 'holdout metrics reviewed' },
        }),
      );
      p.info(`  ${decided.status} by ${LOCAL_APPROVER_PRINCIPAL}: the run goes on to its canary`);
    },
    lift: async () => {
      await expectOk(api.PATCH('/models/{name}', { params: { path }, body: { governance } }));
    },
  };
}

async function startRun(api: PlatformClient, note: string): Promise<string> {
  const body = await expectOk(
    api.POST('/models/{name}/retraining-runs', { params: { path: { name: DEMO_MODEL } }, body: { note } }),
  );
  return body.runId;
}

interface DriftSummary {
  readonly reportId: string;
  readonly drifted: boolean;
  readonly share: string;
  readonly driftedFeatures: number;
}

/** What the demo reads of a drift report. */
interface CheckedReport {
  readonly reportId: string;
  readonly modelVersion?: number;
  readonly currentRows: number;
  readonly referenceRows: number;
  readonly dataset?: {
    readonly drifted: boolean;
    readonly driftShare: number;
    readonly driftedFeatures: readonly string[];
  };
}

/** Lets the traffic be captured, then runs the model's scheduled check now. */
async function driftCheck(api: PlatformClient, traffic: Traffic, p: Progress): Promise<DriftSummary> {
  const from = traffic.stats().sent;
  await until(
    'prediction traffic',
    async () => traffic.stats().sent - from,
    (n) => n >= REQUESTS_PER_CHECK,
    { timeoutMs: 60_000 },
  );
  // The endpoint writes its capture files every second.
  await sleep(1_500);
  const path = { name: DEMO_MODEL };
  const body = await until(
    'new capture',
    () => expectOk(api.POST('/monitoring/models/{name}/checks', { params: { path } })),
    (res) => res.status === 'REPORTED' || res.status === 'FANNED_OUT',
    { everyMs: 1_000, timeoutMs: 30_000 },
  );
  if (body.status !== 'REPORTED' && body.status !== 'FANNED_OUT') throw new Error(`check ${body.status}`);
  // A window of many capture files goes to the fan-out state machine; its report has the run's id.
  const report: CheckedReport =
    body.status === 'REPORTED'
      ? body.report
      : await until(
          `report ${body.runId} of the fan-out`,
          async () => {
            const { data } = await api.GET('/monitoring/models/{name}/reports/{reportId}', {
              params: { path: { ...path, reportId: body.runId } },
            });
            // The run's report is a drift report; the route also serves quality reports.
            return data && data.kind !== 'quality' ? data : undefined;
          },
          (found) => found !== undefined,
          { timeoutMs: 60_000 },
        ).then((found) => found!);
  const dataset = report.dataset;
  if (!dataset) throw new Error(`report ${report.reportId} has no dataset verdict`);
  const how = body.status === 'REPORTED' ? '' : `, fanned out over ${body.files} capture files`;
  p.info(
    `drift check ${report.reportId.slice(0, 8)}: ${report.currentRows} captured rows vs the reference of v${report.modelVersion} (${report.referenceRows} training rows)${how}`,
  );
  return {
    reportId: report.reportId,
    drifted: dataset.drifted,
    share: dataset.driftShare.toFixed(2),
    driftedFeatures: dataset.driftedFeatures.length,
  };
}

/** The run the DriftDetected rule started for the report. */
async function driftRun(api: PlatformClient, reportId: string): Promise<string> {
  type Listed = { runId: string; trigger: { dedupKey: string } };
  const ofReport = (items: Listed[]) => items.find((r) => r.trigger.dedupKey.endsWith(`#drift#${reportId}`));
  const items = await until(
    `a run triggered by report ${reportId}`,
    async (): Promise<Listed[]> =>
      (
        await expectOk(
          api.GET('/models/{name}/retraining-runs', {
            params: { path: { name: DEMO_MODEL }, query: { limit: 50 } },
          }),
        )
      ).items,
    (listed) => ofReport(listed) !== undefined,
    { timeoutMs: 30_000 },
  );
  return ofReport(items)!.runId;
}

function expectOutcome(outcome: string | undefined, expected: string, reason?: string): void {
  if (outcome !== expected) throw new Error(`the run ended ${outcome}, not ${expected}: ${reason}`);
}
