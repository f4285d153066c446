/**
 * The README's walk-throughs, run as written: every command of every marked block
 * (`<!-- walkthrough: <name> -->` before a ```bash block), in the README's order, in bash sessions
 * at the repository root (two terminals, see SIDE_LINE), against one platform started as
 * `npm start` starts it, with the environment its printed `export` lines give. Each command must exit as the README says (0 unless
 * listed below) and print what the walk-through promises. Walk-throughs marked `(after npm run demo)`
 * need the demo's data and are run by `demo.test.ts` after it.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PlatformProcess, startPlatformProcess } from '../helpers/platform-process';
import { readmeWalkthroughs } from '../helpers/readme-walkthroughs';
import type { ShellSession } from '../helpers/shell-session';
import {
  type Expectation,
  expectAsPromised,
  type Ran,
  ROOT,
  readerTerminal,
  runCommands,
} from '../helpers/walkthrough-runner';

const credentials = {
  accessKeyId: 'AKIALOCALREADME00001',
  secretAccessKey: 'readme-secret-readme-secret-readme-secre',
};

/** What each walk-through's commands promise, in order; a command not listed must exit 0. */
const EXPECTED: Record<string, readonly Expectation[]> = {
  'quick-start': [
    { command: /^mlops endpoints/, stdout: /demo-diagnosis\s+mlops-dev-demo-diagnosis\s+sagemaker/ },
    { command: /^curl .*\/endpoints"$/, stdout: /"endpointName":"mlops-dev-demo-diagnosis"/ },
  ],
  registry: [
    { command: /^mlops versions register churn/, stdout: /status\s+READY/, stderr: /upload 100%/ },
    { command: /^mlops aliases set/, stdout: /alias\s+champion/ },
    {
      command: /^mlops versions stage churn 1 Production$/,
      exit: 1,
      stderr: /GOVERNANCE_CHECKS_FAILED, HTTP 422[\s\S]*model card URL is missing/,
    },
    { command: /^mlops versions stage churn 1 Production --archive-existing/, stdout: /stage\s+Production/ },
    { command: /^mlops versions list churn/, stdout: /1\s+READY\s+Production/ },
  ],
  approvals: [
    { command: /^mlops models govern churn/, stdout: /"quorum":2,"authorMayApprove":true/ },
    {
      command: /^mlops versions stage churn 2 Production/,
      stdout: /"status":"OPEN"/,
      stderr: /approval apr-\S+ OPEN, 0 of 2 approvals/,
    },
    { command: /^mlops --as approver approvals list$/, stdout: /churn\s+apr-\S+\s+2\s+OPEN\s+transition/ },
    {
      command: /^mlops --as approver approvals approve/,
      stdout: /status\s+OPEN/,
      stderr: /OPEN, 1 of 2 approvals/,
    },
    { command: /^mlops approvals approve/, stdout: /status\s+APPROVED/ },
    { command: /^mlops versions list churn/, stdout: /1\s+READY\s+Archived[\s\S]*2\s+READY\s+Production/ },
  ],
  monitoring: [
    {
      command: /^mlops drift check/,
      stdout: /plan\s+categorical\s+chi-square[^\n]*true/,
      stderr: /DRIFTED, 1\/2/,
    },
    { command: /^mlops drift list/, stdout: /on-demand\s+\S+\s+true\s+0\.5/ },
    { command: /^mlops drift report/, stdout: /drift-report\.html/ },
  ],
  features: [
    { command: /^mlops features apply/, stderr: /created driver_stats \(v1\)/ },
    { command: /^mlops features push driver_stats -f drivers/, stdout: /rows\s+3/ },
    {
      command: /^mlops features get/,
      stdout: /1001\s+0\.64 \(OUTSIDE_MAX_AGE\)[\s\S]*1002\s+0\.42[\s\S]*9999\s+\(NOT_FOUND\)/,
    },
    {
      command: /^mlops features push driver_stats -f bad/,
      exit: 1,
      stderr: /row 1 conv_rate: above maximum 1/,
    },
    { command: /^mlops features freshness/, stdout: /driver_stats\s+batch\s+OUTSIDE_MAX_AGE/ },
  ],
  privacy: [
    { command: /^mlops privacy erase/, stdout: /status\s+COMPLETED/, stderr: /COMPLETED/ },
    { command: /^mlops features get customer_stats/, stdout: /1001\s+\(NOT_FOUND\)\n1002\s+3/ },
    {
      command: /^mlops features push customer_stats -f customers\.csv$/,
      exit: 1,
      stderr: /ENTITY_ERASED, HTTP 409/,
    },
  ],
  serving: [
    { command: /reference-trainer/, stdout: /validation:auc=0\.99/ },
    { command: /^mlops versions register demo-diagnosis/, stdout: /status\s+READY/ },
    { command: /^mlops deploy demo-diagnosis 1/, stdout: /status\s+PROMOTED/, stderr: /PROMOTED DONE/ },
    { command: /^mlops endpoints/, stdout: /InService\s+\[\{"name":"champion","version":1,"weight":100/ },
    { command: /\/infer"/, stdout: /"model_version":"1"[\s\S]*"variant":"champion"/ },
  ],
  rollout: [
    {
      command: /^mlops deploy demo-diagnosis 2/,
      stdout: /status\s+PROMOTED/,
      stderr: /BAKING_STEP_1 champion 50% \/ challenger 50%[\s\S]*PROMOTED DONE/,
    },
    { command: /^mlops deployments list/, stdout: /PROMOTED/ },
  ],
  batch: [
    { command: /^mlops versions register cancer/, stdout: /status\s+READY/ },
    { command: /^IN=\$\(mlops batch upload rows\.csv/, stderr: /upload 100% \(\d+\/\d+ bytes\)/ },
    { command: /^JOB=\$\(mlops batch submit/, stderr: /SUCCEEDED 100% read 114 predicted 113 failed 1/ },
    {
      command: /^mlops batch get/,
      stdout: /countsCheck\s+MATCHED[\s\S]*status\s+SUCCEEDED|status\s+SUCCEEDED[\s\S]*countsCheck\s+MATCHED/,
    },
    { command: /^mlops batch list cancer/, stdout: /map\s+SUCCEEDED\s+1\s/ },
    {
      command: /^mlops batch output "\$JOB" \| head -3$/,
      stdout: /^\{"id":"row-0","prediction":[^\n]*"model_version":1\}\n(\{[^\n]*\}\n){2}$/,
    },
    {
      command: /^mlops batch output "\$JOB" --dead-letter$/,
      stdout: /"id":"row-3"[^\n]*"reason":"feature mean_radius is not a finite number/,
    },
  ],
  tracking: [
    { command: /^mlops runs search/, stdout: /l2-1/ },
    { command: /^mlops runs get/, stdout: /auc[\s\S]*0\.95/ },
  ],
  experiments: [
    { command: /^mlops experiments start/, stdout: /RUNNING/ },
    { command: /\/infer"/, stdout: /"experiment":\{"name":"checkout","arm":"(control|treatment)"/ },
    { command: /^mlops experiments outcomes/, stdout: /accepted\s+1/ },
    { command: /^mlops experiments results/, stderr: /checkout: / },
    { command: /^mlops experiments conclude/, stdout: /CONCLUDED/ },
  ],
  llm: [
    { command: /^mlops llm evaluate/, stdout: /aggregate\s+\{"exact_match":0,"contains":1\}/ },
    { command: /^mlops prompts alias/, stdout: /alias\s+production/ },
    { command: /^mlops llm chat/, stdout: /^is Paris\.$/m },
    { command: /^mlops llm usage/, stdout: /capitals\/1[^\n]*\b1\b/ },
  ],
  'llm-rollout': [
    { command: /^mlops llm chat lmi/, stdout: /^is Rome\.$/m },
    {
      command: /^mlops llm rollout lmi word-trigram-guide/,
      stdout: /status\s+PROMOTED/,
      stderr: /BAKING_STEP_1 champion 50% \/ challenger 50%[\s\S]*PROMOTED DONE/,
    },
    { command: /^mlops llm chat lmi/, stdout: /^is Rome, the old city built on seven hills\.$/m },
    { command: /^mlops llm usage/, stdout: /"model":"word-trigram-guide","endpoint":"lmi"\}\s+1\s/ },
    {
      command: /^mlops llm endpoints$/,
      stdout: /lmi\s+sagemaker\s+word-trigram-guide\s+word-trigram-capitals/,
    },
  ],
};

/**
 * Walk-throughs that need none of the main line's, run in a second terminal beside it (after the
 * quick start, which defines `mlops` and `sig` there too): the serving chain mostly waits on the
 * endpoint, the others on the CLI, so side by side they take the longer line's time, not both.
 */
const SIDE_LINE = ['serving', 'rollout', 'experiments'];
const FIRST = 'quick-start';

describe('README walk-throughs, as written', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mlops-readme-'));
  const scratchDir = mkdtempSync(join(tmpdir(), 'mlops-readme-out-'));
  const commands = readmeWalkthroughs(join(ROOT, 'README.md')).filter((c) => !c.afterDemo);
  const names = [...new Set(commands.map((c) => c.walkthrough))];
  const rootBefore = new Set(readdirSync(ROOT));
  let platform: PlatformProcess;
  const shells: ShellSession[] = [];
  /** Each walk-through's commands with what they did, once its line reaches it. */
  const runs = new Map<string, Promise<Ran[]>>();

  beforeAll(async () => {
    platform = await startPlatformProcess({ dataDir, credentials });
    const terminal = () => readerTerminal({ platform, dataDir, scratchDir, credentials });
    const main = terminal();
    const side = terminal();
    shells.push(main, side);
    const runLine = (shell: ShellSession, line: readonly string[]) => {
      let previous: Promise<unknown> = Promise.resolve();
      for (const name of line) {
        const ran = previous.then(() =>
          runCommands(
            shell,
            commands.filter((c) => c.walkthrough === name),
          ),
        );
        // A failed line's later walk-throughs still run, as a reader would go on.
        previous = ran.catch(() => undefined);
        if (!runs.has(name)) runs.set(name, ran);
      }
    };
    runLine(
      main,
      names.filter((n) => !SIDE_LINE.includes(n)),
    );
    runLine(side, [FIRST, ...SIDE_LINE]);
  }, 90_000);

  afterAll(async () => {
    // Every line finished (or failed) before the terminals close.
    await Promise.allSettled(runs.values());
    await Promise.all(shells.map((shell) => shell.close()));
    if (platform) await platform.stop();
    // The walk-throughs' input files, written to the repository root as a reader's would be: new
    // files a walk-through names, and nothing else.
    for (const entry of readdirSync(ROOT)) {
      const named = commands.some((c) => c.text.includes(entry));
      if (!rootBefore.has(entry) && named && statSync(join(ROOT, entry)).isFile()) rmSync(join(ROOT, entry));
    }
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(scratchDir, { recursive: true, force: true });
  });

  it('finds every walk-through the expectations name, in the README', () => {
    expect(names).toEqual(Object.keys(EXPECTED));
    expect(names[0]).toBe(FIRST);
  });

  it.each(names)(
    '%s',
    async (name) => {
      expectAsPromised(await runs.get(name)!, EXPECTED[name] ?? [], platform);
    },
    180_000,
  );
});
