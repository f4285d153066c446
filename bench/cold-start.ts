/**
 * Cold start: every handler the realistic config deploys is bundled as `cdk synth` bundles it
 * (one esbuild build, the handlers' settings), and each bundle is loaded in a fresh Node process,
 * as a Lambda container's init loads it, against a floor bundle holding one DynamoDB client built
 * in the same build. The time is from the process's start to the handler exported (Node's own
 * start-up included, as Lambda's init includes its runtime's), wall and CPU; each bundle is loaded
 * several times, alternating with the floor, and the medians compared. Also the size, minified and
 * gzipped, of what each cold start loads: `index.mjs` and the chunks it imports statically (not
 * those it imports on demand). Never fails on time.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildApp } from '../lib/app';
import { BUNDLE_FILE_NAME, buildHandlerBundles } from '../lib/shared/handler-bundles';
import { PlatformFunction } from '../lib/shared/platform-function';
import { cdkJsonContext, REALISTIC_CONTEXT, SKIP_BUNDLING } from '../test/infra/helpers';

const FLOOR = 'bench/cold-start-floor.ts';
const REPETITIONS = 7;

/**
 * What the child runs: loads the bundle as Lambda's Node runtime does (`import()` for ES modules,
 * `require` otherwise) and prints the wall and CPU milliseconds since its process started.
 */
const LOADER = `
const file = process.argv[1];
const loaded = file.endsWith('.mjs') ? import(require('node:url').pathToFileURL(file).href) : Promise.resolve(require(file));
loaded.then((mod) => {
  if (typeof mod.handler !== 'function') throw new Error(file + ' exports no handler');
  const end = performance.now();
  const cpu = process.cpuUsage();
  process.stdout.write(JSON.stringify({ total: end, cpu: (cpu.user + cpu.system) / 1000 }));
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

interface Load {
  /** Wall milliseconds from the process's start to the handler exported. */
  readonly total: number;
  /** CPU milliseconds (user and system, every thread) by then: steadier on a busy machine. */
  readonly cpu: number;
}

/** One cold load in a fresh process; the environment is Lambda's few variables, no platform's. */
function coldLoad(file: string): Load {
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
const msCol = (x: number) => `${x.toFixed(0).padStart(4)} ms`;
/** A minified ES import of a sibling chunk: `import{a as b}from"./chunk-X.mjs"`, `import"./x.mjs"`. */
const STATIC_IMPORT = /import\s*(?:\{[^}]*\}|\*\s*as\s*[\w$]+|[\w$]+)?\s*(?:from\s*)?"(\.\/[^"]+\.mjs)"/g;

/** `file` and the chunks it imports statically, transitively: what a cold start reads and compiles. */
function loadedAtInit(file: string): string[] {
  const seen = new Set<string>();
  const visit = (f: string) => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const [, rel] of readFileSync(f, 'utf8').matchAll(STATIC_IMPORT)) visit(join(dirname(f), rel));
  };
  visit(file);
  return [...seen];
}

/** Minified and gzipped sizes of the bundle's files loaded at init (`index.mjs` and its static chunks). */
const sizes = (file: string) => {
  const files = loadedAtInit(file).map((f) => readFileSync(f));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return `${kb(sum(files.map((b) => b.length)))}  ${kb(sum(files.map((b) => gzipSync(b).length)))}`;
};

/**
 * Loads `file` and the floor alternately, `REPETITIONS` times each, so background load falls on
 * both alike; the medians of each and the ratios of the medians.
 */
function against(file: string, floorFile: string) {
  coldLoad(file); // warms the file cache
  const runs: Load[] = [];
  const floors: Load[] = [];
  for (let i = 0; i < REPETITIONS; i++) {
    floors.push(coldLoad(floorFile));
    runs.push(coldLoad(file));
  }
  const m = (loads: Load[], key: keyof Load) => median(loads.map((l) => l[key]));
  return {
    wall: m(runs, 'total'),
    cpu: m(runs, 'cpu'),
    floorWall: m(floors, 'total'),
    floorCpu: m(floors, 'cpu'),
  };
}

export async function coldStart(): Promise<{ name: string; lines: string[] }> {
  const entries = deployedEntries();
  const outdir = mkdtempSync(join(tmpdir(), 'bench-cold-'));
  try {
    const dirs = buildHandlerBundles([...entries, FLOOR], outdir);
    const fileOf = (entry: string) => join(dirs.get(entry) as string, BUNDLE_FILE_NAME);
    const floorFile = fileOf(FLOOR);
    const floorSelf = against(floorFile, floorFile);
    const width = Math.max(...entries.map((e) => e.length));
    const lines = [
      `${'handler'.padEnd(width)}  wall ratio  cpu ratio     wall      cpu  minified   gzipped  (loaded at init)`,
      `${'floor (one DynamoDB client)'.padEnd(width)}       1.00x      1.00x  ${msCol(floorSelf.wall)}  ${msCol(floorSelf.cpu)}  ${sizes(floorFile)}`,
    ];
    const ratios: number[] = [];
    for (const entry of entries) {
      const r = against(fileOf(entry), floorFile);
      const wall = r.wall / r.floorWall;
      const cpu = r.cpu / r.floorCpu;
      ratios.push(wall);
      lines.push(
        `${entry.padEnd(width)}  ${wall.toFixed(2).padStart(9)}x ${cpu.toFixed(2).padStart(9)}x  ${msCol(r.wall)}  ${msCol(r.cpu)}  ${sizes(fileOf(entry))}`,
      );
    }
    lines.push(
      `worst wall ratio ${Math.max(...ratios).toFixed(2)}x (target 1.50x); medians of ${REPETITIONS} fresh processes each, alternating with the floor`,
    );
    return {
      name: `cold start: ${entries.length} handlers of the realistic config against the floor`,
      lines,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
