/**
 * The README's walk-throughs, run as written: every command of every marked block
 * (`<!-- walkthrough: <name> -->` before a ```bash block), in the README's order, in bash sessions
 * at the repository root (two terminals, see SIDE_LINE), against one platform started as
 * `npm start` starts it, with the environment its printed `export` lines give. Each command must exit as the README says (0 unless
 * listed below) and print what the walk-through promises.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PlatformProcess, startPlatformProcess } from '../helpers/platform-process';
import { readmeWalkthroughs, type WalkthroughCommand } from '../helpers/readme-walkthroughs';
import { type ShellResult, type ShellSession, shellSession } from '../helpers/shell-session';

const ROOT = join(__dirname, '..', '..');

const credentials = {
  accessKeyId: 'AKIALOCALREADME00001',
  secretAccessKey: 'readme-secret-readme-secret-readme-secre',
};

interface Expectation {
  /** Picks the command: the first of its walk-through after the previous promise's that matches. */
  readonly command: RegExp;
  /** @default 0 */
  readonly exit?: number;
  readonly stdout?: RegExp;
  readonly stderr?: RegExp;
}

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
    { command: /^JOB=\$\(mlops batch submit/, stderr: /SUCCEEDED 100% read 114 predicted 113 failed 1/ },
    {
      command: /^mlops batch get/,
      stdout: /countsCheck\s+MATCHED[\s\S]*status\s+SUCCEEDED|status\s+SUCCEEDED[\s\S]*countsCheck\s+MATCHED/,
    },
    { command: /^mlops batch list cancer/, stdout: /map\s+SUCCEEDED\s+1\s/ },
    {
      command: /predictions\/part-0+\.jsonl/,
      stdout: /^\{"id":"row-0","prediction":[^\n]*"model_version":1\}$/m,
    },
    {
      command: /dead-letter\/part-0+\.jsonl/,
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
};

/** The platform's `export` lines, as a reader pastes them. */
function exportedEnvironment(output: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of output.split('\n')) {
    const m = /^\s*export (.+)$/.exec(line);
    if (!m) continue;
    for (const assignment of m[1].trim().split(/\s+/)) {
      const eq = assignment.indexOf('=');
      env[assignment.slice(0, eq)] = assignment.slice(eq + 1);
    }
  }
  return env;
}

/**
 * Walk-throughs that need none of the main line's, run in a second terminal beside it (after the
 * quick start, which defines `mlops` and `sig` there too): the serving chain mostly waits on the
 * endpoint, the others on the CLI, so side by side they take the longer line's time, not both.
 */
const SIDE_LINE = ['serving', 'rollout', 'experiments'];
const FIRST = 'quick-start';

interface Ran {
  readonly command: WalkthroughCommand;
  readonly result: ShellResult;
}

describe('README walk-throughs, as written', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mlops-readme-'));
  const scratchDir = mkdtempSync(join(tmpdir(), 'mlops-readme-out-'));
  const commands = readmeWalkthroughs(join(ROOT, 'README.md'));
  const names = [...new Set(commands.map((c) => c.walkthrough))];
  const rootBefore = new Set(readdirSync(ROOT));
  let platform: PlatformProcess;
  const shells: ShellSession[] = [];
  /** Each walk-through's commands with what they did, once its line reaches it. */
  const runs = new Map<string, Promise<Ran[]>>();

  beforeAll(async () => {
    platform = await startPlatformProcess({ dataDir, credentials });
    const { MLOPS_API_URL: _unset, ...inherited } = process.env;
    const terminal = (n: number) =>
      shellSession({
        cwd: ROOT,
        scratchDir: mkdtempSync(join(scratchDir, `terminal-${n}-`)),
        // The CLI finds this platform through its data directory, as it finds .mlops-data, and
        // signs with the keys the platform was started with (npm start keeps chosen keys out of
        // the file it writes).
        env: {
          ...inherited,
          ...exportedEnvironment(platform.output()),
          MLOPS_DATA_DIR: dataDir,
          MLOPS_ACCESS_KEY_ID: credentials.accessKeyId,
          MLOPS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        },
      });
    const main = terminal(1);
    const side = terminal(2);
    shells.push(main, side);
    const runLine = (shell: ShellSession, line: readonly string[]) => {
      let previous: Promise<unknown> = Promise.resolve();
      for (const name of line) {
        const ran = previous.then(async () => {
          const done: Ran[] = [];
          for (const command of commands.filter((c) => c.walkthrough === name)) {
            done.push({ command, result: await shell.run(command.text) });
          }
          return done;
        });
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
      const pending = [...(EXPECTED[name] ?? [])];
      for (const { command, result } of await runs.get(name)!) {
        // In the README's order: the next promise, when it names this command.
        const expected: Expectation = pending[0]?.command.test(command.text)
          ? pending.shift()!
          : { command: /./ };
        const seen = `${describeRun(command, result)}${platformState(platform, result)}`;
        expect({ exit: result.code, seen }).toEqual({ exit: expected.exit ?? 0, seen });
        if (expected.stdout)
          expect({ stdout: result.stdout, seen }).toEqual({
            stdout: expect.stringMatching(expected.stdout),
            seen,
          });
        if (expected.stderr)
          expect({ stderr: result.stderr, seen }).toEqual({
            stderr: expect.stringMatching(expected.stderr),
            seen,
          });
      }
      // Every promise names a command the README still has.
      expect(pending.map((e) => String(e.command))).toEqual([]);
    },
    180_000,
  );
});

/** The platform's last output when a command could not reach it, to say why. */
function platformState(platform: PlatformProcess, result: ShellResult): string {
  const { exitCode, signalCode } = platform.child;
  const gone = exitCode !== null || signalCode !== null;
  if (!gone && !/ECONNREFUSED|no local platform runs/.test(result.stderr)) return '';
  const state = gone ? `exited (${exitCode ?? signalCode})` : 'unreachable';
  return `\n--- the platform is ${state}; its last output:\n${platform.output().slice(-3000)}`;
}

function describeRun(command: WalkthroughCommand, result: { stdout: string; stderr: string }): string {
  return `README line ${command.line}:\n${command.text}\n--- stdout\n${result.stdout}--- stderr\n${result.stderr}`;
}
