/**
 * `npm start`, then `npm run demo`, as a new user runs them: two child processes sharing a data
 * directory. The demo must finish its whole story (feature store, v1, drift > retrain > v2
 * promoted, bad build rolled back) with exit code 0, and the platform must hold what it showed.
 * The loop's wall time is printed, never asserted. The platform runs with `maxFilesPerLambda` at 2
 * (a `-c` override, as a user would pass it), so the drift checks fan out to the monitoring state
 * machine's Distributed Map, executed locally from the template. Then the README's walk-throughs
 * marked `(after npm run demo)` run as written in a reader's terminal, after the quick start that
 * defines `mlops` there, checked as `readme-walkthroughs.test.ts` checks the others; and the web
 * console shows what the demo did, page by page, in headless Chromium.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openConsoleBrowser } from '../helpers/console-browser';
import { type PlatformProcess, startPlatformProcess } from '../helpers/platform-process';
import { readmeWalkthroughs } from '../helpers/readme-walkthroughs';
import { type SignedClient, signedClient } from '../helpers/signed-client';
import {
  type Expectation,
  expectAsPromised,
  readerTerminal,
  runCommands,
} from '../helpers/walkthrough-runner';

const ROOT = join(__dirname, '..', '..');
/** What the walk-throughs run after the demo promise, in order; a command not listed must exit 0. */
const AFTER_DEMO: Record<string, readonly Expectation[]> = {
  retraining: [
    // The outcome hangs on the run's own holdout split and on the demo's last rollout (README):
    // not improved (v2 scoring 1 or near it); promoted after a tie with v2; or refused while that
    // rollout still bakes.
    {
      command: /^RUN=\$\(mlops pipeline run demo-diagnosis/,
      stderr:
        /RUNNING [A-Z_]+[\s\S]*SUCCEEDED DONE (NotImproved: challenger accuracy [\d.]+ does not beat champion [\d.]+ by the margin 0|Promoted: version \d+ promoted after its canary|RolledBack: version \d+ rolled back: .*another rollout of this model is in progress)/,
    },
    { command: /^mlops pipeline get/, stdout: /outcome\s+(NotImproved|Promoted|RolledBack)\n/ },
    {
      command: /^mlops pipeline list/,
      stdout:
        /SUCCEEDED\s+DONE\s+(NotImproved|Promoted|RolledBack)\s+manual[^\n]*\n[^\n]*Promoted\s+drift\s+2[^\n]*\n[^\n]*Promoted\s+manual\s+1\s/,
    },
    { command: /^mlops pipeline stop/, exit: 1, stderr: /RETRAINING_RUN_FINISHED, HTTP 409/ },
  ],
};
const MODEL = 'demo-diagnosis';
const credentials = {
  accessKeyId: 'AKIALOCALE2EDEMO0001',
  secretAccessKey: 'e2e-demo-secret-e2e-demo-secret-e2e-demo',
};

/** `npm run demo` (`tsx demo/main.ts`) against the platform of `dataDir`. */
function runDemo(dataDir: string, args: string[] = []): Promise<{ code: number | null; output: string }> {
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['demo/main.ts', ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      MLOPS_DATA_DIR: dataDir,
      MLOPS_ACCESS_KEY_ID: credentials.accessKeyId,
      MLOPS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('npm run demo after npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mlops-e2e-demo-'));
  let platform: PlatformProcess | undefined;
  let api: SignedClient;

  beforeAll(async () => {
    platform = await startPlatformProcess({
      dataDir,
      credentials,
      args: ['-c', `mlops:monitoring=${JSON.stringify({ maxFilesPerLambda: 2 })}`],
    });
    api = signedClient(platform.url, credentials);
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('shows the closed loop (v2 signed off by the approver) and the rollback, and leaves the platform as it showed', async () => {
    // Act: with v2's promotion waiting for the local approver's sign-off
    const demo = await runDemo(dataDir, ['--approval']);

    // Assess: the story, in order
    const loop = /closed loop, drift check to v2 promoted: ([\d.]+) s/.exec(demo.output);
    console.log(loop ? `demo loop (drift check -> v2 promoted): ${loop[1]} s` : demo.output);
    expect(demo.code).toBe(0);
    const steps = [
      'feature view demo_tumor',
      'v1 is the champion',
      'no drift',
      'approval policy: a move of demo-diagnosis to Production waits for arn:aws:iam::000000000000:user/approver',
      'fanned out over',
      'DriftDetected',
      'the DriftDetected rule started run',
      'registered as v2',
      'v2 waits for sign-off: approval request',
      'APPROVED by arn:aws:iam::000000000000:user/approver',
      'BAKING_STEP_1 (champion 75% / challenger 25%)',
      'v2 promoted',
      'no drift against the new champion',
      'rolled back on alarm mlops-dev-demo-diagnosis-challenger-error-rate; the champion is still v2',
      'v4 registered (READY), the candidate against v2',
      'stopped by the guardrail schedule: guardrail latency_ms breached',
      'results: TREATMENT_BETTER',
      'concluded: v4 won; its rollout',
      // The alerts the topics would have sent: the drift (warning) and the bad canary.
      'DriftAlarmDemoDiagnosis',
      'ALARM mlops-dev-demo-diagnosis-challenger-error-rate',
    ];
    // Each step after the one before it: the first one missing is named.
    let from = 0;
    const missing = steps.find((s) => {
      const i = demo.output.indexOf(s, from);
      from = i + s.length;
      return i < 0;
    });
    expect(missing).toBeUndefined();

    // Assess: the registry and the bus agree
    expect((await api.call('GET', `/models/${MODEL}/aliases/champion`)).body.version).toBe(2);
    const versions = (await api.call('GET', `/models/${MODEL}/versions`)).body.items as Array<{
      version: number;
      stage: string;
    }>;
    expect(versions.map((v) => [v.version, v.stage]).sort()).toEqual([
      [1, 'Archived'],
      [2, 'Production'],
      [3, 'None'],
      // The experiment's winner: its rollout bakes a minute per canary step, past the demo's end.
      [4, 'None'],
    ]);
    // v2's sign-off: one promotion request, approved by the approver
    const approvals = (await api.call('GET', `/models/${MODEL}/approvals`)).body.items as Array<{
      status: string;
      version: number;
      action: { kind: string };
      decisions: Array<{ principal: string }>;
    }>;
    expect(approvals.map((a) => [a.status, a.action.kind, a.version])).toEqual([
      ['APPROVED', 'promotion', 2],
    ]);
    // The audit records reach the bus through the outbox (asynchronous): give the last one time.
    const wanted = [
      'DriftDetected',
      'RetrainingStarted',
      'RetrainingFinished',
      'DeploymentRolledBack',
      'ExperimentStopped',
      'ExperimentConcluded',
    ];
    let types = new Set<string>();
    for (let i = 0; i < 100 && !wanted.every((t) => types.has(t)); i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      const events = (await api.call('GET', '/_local/events')).body.items as Array<{ 'detail-type': string }>;
      types = new Set(events.map((e) => e['detail-type']));
    }
    if (!wanted.every((t) => types.has(t))) {
      // What the platform said about its outbox, to tell a stalled poller from a slow one.
      const said = platform!
        .output()
        .split('\n')
        .filter((l) => /stream poll|outbox|Error/i.test(l));
      console.log(`platform output on the outbox:\n${said.slice(-40).join('\n')}`);
    }
    for (const type of wanted) expect(types).toContain(type);

    // Assess: the local dashboard page draws the model's traffic per variant (the canary's
    // weights), its drift and its view's freshness (the demo's backfills report it) from what the
    // demo did
    const page = await (await fetch(`${platform!.url}/_local/dashboards?minutes=60`)).text();
    const model = page.split(`<h2>mlops-dev-${MODEL}</h2>`)[1]?.split('<section>')[0] ?? '';
    const widget = (title: string) => model.split(`<h3>${title}</h3>`)[1]?.split('<div class="widget"')[0];
    for (const title of [
      'Predictions per variant (the canary split)',
      'Drift share and drifted dataset',
      'Feature freshness: age of the newest row of each view it reads (s)',
    ]) {
      expect(widget(title)).toContain('<polyline');
    }
    expect(widget('Predictions per variant (the canary split)')).toContain('challenger requests');
    // ...and the platform dashboard the API's requests and latency, as the local API server measured them
    const platformPage = page.split('<h2>mlops-dev-platform</h2>')[1]?.split('<section>')[0] ?? '';
    for (const title of ['API requests and errors', 'API latency (ms)']) {
      expect(platformPage.split(`<h3>${title}</h3>`)[1]?.split('<div class="widget"')[0]).toContain(
        '<polyline',
      );
    }
  }, 300_000);

  it('shows what the demo did on every page of the web console, in headless Chromium', async () => {
    // Act: each page a reader opens after the demo, screenshotted to test-artifacts/console/demo-*
    const ui = await openConsoleBrowser(platform!.url);
    try {
      // Assess: the demo's model, its rollouts, drift, view, experiments and endpoint, populated
      expect(await ui.open('models', 'demo-models')).toContain(MODEL);
      const model = await ui.open(`models/${MODEL}`, 'demo-model');
      expect(model).toMatch(/champion → v\d/);
      expect(model).toContain('DeploymentPromoted');
      const rollouts = await ui.open(`deployments/${MODEL}`, 'demo-deployments');
      expect(rollouts).toContain('PROMOTED');
      expect(rollouts).toContain('ROLLED_BACK');
      expect(await ui.open('endpoints', 'demo-endpoints')).toContain(`mlops-dev-${MODEL}`);
      expect(await ui.open(`monitoring/${MODEL}`, 'demo-monitoring')).toContain('DRIFTED');
      expect(await ui.open('feature-views', 'demo-feature-views')).toContain('demo_tumor');
      expect(await ui.open(`experiments/${MODEL}`, 'demo-experiments')).toMatch(/RUNNING|CONCLUDED|STOPPED/);
    } finally {
      await ui.close();
    }
  }, 120_000);

  it('runs the walk-throughs that need the demo, as the README writes them', async () => {
    // Prepare: a reader's terminal, with the quick start's definitions
    const scratchDir = mkdtempSync(join(tmpdir(), 'mlops-e2e-demo-readme-'));
    const shell = readerTerminal({ platform: platform!, dataDir, scratchDir, credentials });
    const readme = readmeWalkthroughs(join(ROOT, 'README.md'));
    try {
      const started = Date.now();
      expectAsPromised(
        await runCommands(
          shell,
          readme.filter((c) => c.walkthrough === 'quick-start'),
        ),
        [],
        platform!,
      );
      // Act & Assess: each walk-through after the demo
      const afterDemo = readme.filter((c) => c.afterDemo);
      const seen: string[] = [];
      expect([...new Set(afterDemo.map((c) => c.walkthrough))]).toEqual(Object.keys(AFTER_DEMO));
      for (const [name, promised] of Object.entries(AFTER_DEMO)) {
        const ran = await runCommands(
          shell,
          afterDemo.filter((c) => c.walkthrough === name),
          120_000,
        );
        // Which way the run went, for the time it took.
        const outcome = ran.map((r) => /^outcome\s+(\w+)/m.exec(r.result.stdout)?.[1]).find(Boolean);
        seen.push(`${name}: ${outcome ?? 'no outcome shown'}`);
        expectAsPromised(ran, promised, platform!);
      }
      console.log(
        `walk-throughs after the demo: ${((Date.now() - started) / 1000).toFixed(1)} s (${seen.join(', ')})`,
      );
    } finally {
      await shell.close();
      rmSync(scratchDir, { recursive: true, force: true });
    }
  }, 180_000);

  it('refuses to run again on the same data, saying how to start over', async () => {
    const again = await runDemo(dataDir);
    expect(again.code).toBe(2);
    expect(again.output).toContain('has versions from an earlier demo');
  }, 60_000);
});
