/**
 * `cdk synth` time, in process (app built and synthesized, cdk-nag included; no CLI start-up):
 * the realistic config (one SageMaker and one ECS endpoint, a feature view, monitoring and
 * retraining) with its handlers bundled in one esbuild build, against the same synth without
 * bundling (the floor) and against bundling the same functions the way `NodejsFunction` does,
 * one esbuild process each; then the full fleet (160 endpoints, the config at its maxima), with
 * and without bundling; last, the realistic config through `cdk synth` in a fresh process. Every
 * synth writes to its own temporary assembly directory; the first one only warms the modules.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type { IConstruct } from 'constructs';
import { buildApp } from '../lib/app';
import { buildHandlerBundles } from '../lib/shared/handler-bundles';
import { PlatformFunction, REPO_ROOT } from '../lib/shared/platform-function';
import {
  cdkJsonContext,
  ECS_ENDPOINTS,
  fullFleetApp,
  REALISTIC_CONTEXT,
  SAGEMAKER_ENDPOINTS,
  SKIP_BUNDLING,
} from '../test/infra/helpers';

function timed<T>(work: (outdir: string) => T): { seconds: number; result: T } {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-synth-'));
  try {
    const start = process.hrtime.bigint();
    const result = work(outdir);
    return { seconds: Number(process.hrtime.bigint() - start) / 1e9, result };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function platformFunctions(root: IConstruct): PlatformFunction[] {
  return root.node.findAll().filter((c): c is PlatformFunction => c instanceof PlatformFunction);
}

/** The realistic app, synthesized; returns its functions' entries. */
function synthRealistic(outdir: string, bundling: boolean): string[] {
  const context = { ...REALISTIC_CONTEXT, ...(bundling ? {} : SKIP_BUNDLING) };
  const { app } = buildApp(cdkJsonContext(context), { outdir });
  app.synth();
  return platformFunctions(app).map((fn) => fn.entryPath);
}

/**
 * What synth paid before: one `NodejsFunction` per function with the settings `PlatformFunction`
 * gave it, each bundled by its own esbuild process (a stack of functions alone: bundling only).
 */
function synthPerFunction(outdir: string, entries: readonly string[]): void {
  const app = new App({ outdir });
  const stack = new Stack(app, 'PerFunction');
  entries.forEach((entry, i) => {
    new nodejs.NodejsFunction(stack, `Fn${i}`, {
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      entry: join(REPO_ROOT, entry),
      handler: 'handler',
      bundling: {
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        target: 'node22',
        bundleAwsSDK: true,
      },
    });
  });
  app.synth();
}

const seconds = (s: number) => `${s.toFixed(1)} s`;

/** `cdk synth --quiet` of the realistic config in a fresh CLI process, as an operator runs it. */
function cliSynth(outdir: string): void {
  const context = Object.entries(REALISTIC_CONTEXT).flatMap(([key, value]) => [
    '-c',
    `${key}=${JSON.stringify(value)}`,
  ]);
  const run = spawnSync('npx', ['cdk', 'synth', '--quiet', '-o', outdir, ...context], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`cdk synth failed: ${run.stderr}`);
}

/** Runs the synth benchmark; the lines hold seconds and ratios of one run. */
export async function synth(): Promise<{ name: string; lines: string[] }> {
  // Loads and warms aws-cdk-lib, cdk-nag and the app's modules, which every synth below reuses.
  const { result: entries } = timed((outdir) => synthRealistic(outdir, false));
  const distinct = [...new Set(entries)];
  const floor = timed((outdir) => synthRealistic(outdir, false));
  const oneBuild = timed((outdir) => synthRealistic(outdir, true));
  const buildAlone = timed((outdir) => buildHandlerBundles(distinct, outdir));
  const perFunction = timed((outdir) => synthPerFunction(outdir, entries));
  const fleetFloor = timed((outdir) => fullFleetApp(SKIP_BUNDLING, outdir).synth());
  const fleet = timed((outdir) => {
    const app = fullFleetApp({}, outdir);
    app.synth();
    return platformFunctions(app).length;
  });
  const cli = timed(cliSynth);
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
  return {
    name: `synth: realistic config (${entries.length} functions, ${distinct.length} handlers) and the full fleet (${SAGEMAKER_ENDPOINTS} SageMaker + ${ECS_ENDPOINTS} ECS endpoints, ${fleet.result} functions)`,
    lines: [
      `bundling, one esbuild build:            ${seconds(buildAlone.seconds)}`,
      `bundling, one esbuild per function:     ${seconds(perFunction.seconds)}  (${ratio(perFunction.seconds, buildAlone.seconds)} the one build; NodejsFunction's way)`,
      `realistic synth, no bundling (floor):   ${seconds(floor.seconds)}`,
      `realistic synth, one esbuild build:     ${seconds(oneBuild.seconds)}  (${ratio(oneBuild.seconds, floor.seconds)} the floor)`,
      `full fleet synth, no bundling (floor):  ${seconds(fleetFloor.seconds)}`,
      `full fleet synth, one esbuild build:    ${seconds(fleet.seconds)}  (${ratio(fleet.seconds, fleetFloor.seconds)} the floor)`,
      `realistic \`cdk synth --quiet\` (CLI):    ${seconds(cli.seconds)}  (fresh process: CLI, tsx, module loading)`,
    ],
  };
}
