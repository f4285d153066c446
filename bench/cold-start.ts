/**
 * Cold start: every handler the realistic config deploys is bundled as `cdk synth` bundles it
 * (one esbuild build, the handlers' settings), and each bundle is loaded in a fresh Node process,
 * as a Lambda container's init loads it, against a floor bundle holding one DynamoDB client built
 * in the same build. The time is from the process's start to the handler exported (Node's own
 * start-up included, as Lambda's init includes its runtime's); each bundle is loaded several
 * times, alternating with the floor, and the median taken. Also each bundle's size, minified and
 * gzipped. Never fails on time.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildApp } from '../lib/app';
import { BUNDLE_FILE_NAME, buildHandlerBundles } from '../lib/shared/handler-bundles';
import { PlatformFunction } from '../lib/shared/platform-function';
import { cdkJsonContext, REALISTIC_CONTEXT, SKIP_BUNDLING } from '../test/infra/helpers';

const FLOOR = 'bench/cold-start-floor.ts';
const REPETITIONS = 7;

/**
 * What the child runs: loads the bundle as Lambda's Node runtime does (`import()` for ES modules,
 * `require` otherwise) and prints milliseconds since its process started, and the load alone.
 */
const LOADER = `
const file = process.argv[1];
const start = performance.now();
const loaded = file.endsWith('.mjs') ? import(require('node:url').pathToFileURL(file).href) : Promise.resolve(require(file));
loaded.then((mod) => {
  if (typeof mod.handler !== 'function') throw new Error(file + ' exports no handler');
  const end = performance.now();
  process.stdout.write(JSON.stringify({ total: end, load: end - start }));
});
`;

/** The handler modules of the realistic config, from its synthesized app (no bundling). */
function deployedEntries(): string[] {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-cold-entries-'));
  try {
    const { app } = buildApp(cdkJsonContext({ ...REALISTIC_CONTEXT, ...SKIP_BUNDLING }), { outdir });
    app.synth();
    const fns = app.node.findAll().filter((c): c is PlatformFunction => c instanceof PlatformFunction);
    return [...new Set(fns.map((fn) => fn.entryPath))].sort();
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** One cold load in a fresh process; the environment is Lambda's few variables, no platform's. */
function coldLoad(file: string): { total: number; load: number } {
  const run = spawnSync(process.execPath, ['-e', LOADER, file], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      AWS_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'cold-start',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
    },
  });
  if (run.status !== 0) throw new Error(`loading ${file} failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`.padStart(8);

export async function coldStart(): Promise<{ name: string; lines: string[] }> {
  const entries = deployedEntries();
  const outdir = mkdtempSync(join(tmpdir(), 'bench-cold-'));
  try {
    const dirs = buildHandlerBundles([...entries, FLOOR], outdir);
    const fileOf = (entry: string) => join(dirs.get(entry) as string, BUNDLE_FILE_NAME);
    const floorFile = fileOf(FLOOR);
    coldLoad(floorFile); // warms the file cache
    const floorTotals: number[] = [];
    const floorLoads: number[] = [];
    const rows: {
      entry: string;
      total: number;
      load: number;
      floorTotal: number;
      min: number;
      gz: number;
    }[] = [];
    for (const entry of entries) {
      const file = fileOf(entry);
      coldLoad(file);
      const totals: number[] = [];
      const loads: number[] = [];
      const floors: number[] = [];
      for (let i = 0; i < REPETITIONS; i++) {
        const f = coldLoad(floorFile);
        floors.push(f.total);
        floorTotals.push(f.total);
        floorLoads.push(f.load);
        const t = coldLoad(file);
        totals.push(t.total);
        loads.push(t.load);
      }
      const bytes = readFileSync(file);
      rows.push({
        entry,
        total: median(totals),
        load: median(loads),
        floorTotal: median(floors),
        min: bytes.length,
        gz: gzipSync(bytes).length,
      });
    }
    const floorBytes = readFileSync(floorFile);
    const width = Math.max(...entries.map((e) => e.length));
    const lines = [
      `${'handler'.padEnd(width)}  ratio   start→handler   load alone   minified   gzipped`,
      `${'floor (one DynamoDB client)'.padEnd(width)}  1.00x   ${median(floorTotals).toFixed(0).padStart(6)} ms   ${median(floorLoads).toFixed(0).padStart(6)} ms  ${kb(floorBytes.length)}  ${kb(gzipSync(floorBytes).length)}`,
      ...rows.map(
        (r) =>
          `${r.entry.padEnd(width)}  ${(r.total / r.floorTotal).toFixed(2)}x   ${r.total.toFixed(0).padStart(6)} ms   ${r.load.toFixed(0).padStart(6)} ms  ${kb(r.min)}  ${kb(r.gz)}`,
      ),
    ];
    const worst = Math.max(...rows.map((r) => r.total / r.floorTotal));
    lines.push(
      `worst ratio ${worst.toFixed(2)}x (target 1.50x); medians of ${REPETITIONS} fresh processes each`,
    );
    return {
      name: `cold start: ${entries.length} handlers of the realistic config against the floor`,
      lines,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
