/**
 * `cdk synth` time, in process (app built and synthesized, cdk-nag included; no CLI start-up):
 * the realistic config (one SageMaker and one ECS endpoint, a feature view, monitoring and
 * retraining) with its handlers bundled in one esbuild build, against the same synth without
 * bundling (the floor) and against bundling the same functions the way `NodejsFunction` does,
 * one esbuild process each; then the full fleet (153 endpoints, the config at its maxima), with
 * and without bundling. Every synth writes to its own temporary assembly directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type { IConstruct } from 'constructs';
import { buildApp } from '../lib/app';
import { PlatformFunction, REPO_ROOT } from '../lib/shared/platform-function';
import { cdkJsonContext, fullFleetApp, REALISTIC_CONTEXT, SKIP_BUNDLING } from '../test/infra/helpers';

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

/** What synth paid before: one `NodejsFunction` per function, each bundled by its own esbuild. */
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

/** Runs the synth benchmark; the lines hold seconds and ratios of one run. */
export async function synth(): Promise<{ name: string; lines: string[] }> {
  const floor = timed((outdir) => synthRealistic(outdir, false));
  const oneBuild = timed((outdir) => synthRealistic(outdir, true));
  const entries = oneBuild.result;
  const distinct = new Set(entries).size;
  const perFunction = timed((outdir) => synthPerFunction(outdir, entries));
  const fleetFloor = timed((outdir) => fullFleetApp(SKIP_BUNDLING, outdir).synth());
  const fleet = timed((outdir) => {
    const app = fullFleetApp({}, outdir);
    app.synth();
    return app;
  });
  const fleetFunctions = platformFunctions(fleet.result).length;
  const bundlingCost = oneBuild.seconds - floor.seconds;
  return {
    name: `synth: realistic config (${entries.length} functions, ${distinct} handlers) and the full fleet (153 endpoints)`,
    lines: [
      `realistic, no bundling (floor):          ${seconds(floor.seconds)}`,
      `realistic, one esbuild build:            ${seconds(oneBuild.seconds)}  (${(oneBuild.seconds / floor.seconds).toFixed(2)}x the floor)`,
      `same functions, one esbuild each (old):  ${seconds(perFunction.seconds)} bundling alone  (${(perFunction.seconds / Math.max(bundlingCost, 0.1)).toFixed(1)}x the one build's ${seconds(bundlingCost)})`,
      `full fleet, no bundling (floor):         ${seconds(fleetFloor.seconds)}`,
      `full fleet, one esbuild build:           ${seconds(fleet.seconds)}  (${(fleet.seconds / fleetFloor.seconds).toFixed(2)}x the floor; ${fleetFunctions} functions)`,
    ],
  };
}
