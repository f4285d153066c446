/**
 * Handler bundles: one esbuild build per distinct entry and synth, split into chunks imported on
 * demand, the tracer in a file of its own, one asset per entry whichever functions share it, the same asset hashes synth after synth (a deploy uploads only
 * what changed), and no esbuild at all when bundling is skipped.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as esbuild from 'esbuild';
import { BUNDLE_FILE_NAME, bundleDirName, TRACER_FILE_NAME } from '../../lib/shared/handler-bundles';
import { PlatformFunction } from '../../lib/shared/platform-function';
import { SKIP_BUNDLING } from './helpers';

jest.mock('esbuild', () => {
  const actual = jest.requireActual('esbuild');
  return { ...actual, buildSync: jest.fn(actual.buildSync) };
});

const buildSync = esbuild.buildSync as jest.MockedFunction<typeof esbuild.buildSync>;

/** Small handlers, so the test bundles little: two functions on one entry, one on another. */
const SHARED = 'lambdas/events/outbox-publisher.ts';
const OTHER = 'lambdas/pipeline/data-volume-check.ts';

interface Synthesized {
  readonly outdir: string;
  /** Each function's S3 key, by construct id. */
  readonly keys: Record<string, string>;
}

const outdirs: string[] = [];

function synth(context: Record<string, unknown> = {}): Synthesized {
  const outdir = mkdtempSync(path.join(tmpdir(), 'handler-bundles-'));
  outdirs.push(outdir);
  const app = new App({ outdir, context });
  const stack = new Stack(app, 'Bundles');
  const encryptionKey = new kms.Key(stack, 'Key');
  const props = { encryptionKey, removalPolicy: RemovalPolicy.DESTROY, description: 'test' };
  new PlatformFunction(stack, 'First', { ...props, entry: SHARED });
  new PlatformFunction(stack, 'Second', { ...props, entry: SHARED });
  new PlatformFunction(stack, 'Other', { ...props, entry: OTHER });
  const template = app.synth().getStackByName('Bundles').template;
  const keys: Record<string, string> = {};
  for (const [id, resource] of Object.entries<{ Type: string; Properties: { Code: { S3Key: string } } }>(
    template.Resources,
  )) {
    if (resource.Type === 'AWS::Lambda::Function')
      keys[id.replace(/[0-9A-F]{8}$/, '')] = resource.Properties.Code.S3Key;
  }
  return { outdir, keys };
}

const bundledAssets = (outdir: string) =>
  readdirSync(outdir).filter(
    (f) => f.startsWith('asset.') && existsSync(path.join(outdir, f, BUNDLE_FILE_NAME)),
  );

afterAll(() => {
  for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
});

describe('handler bundles', () => {
  let first: Synthesized;
  let second: Synthesized;

  beforeAll(() => {
    buildSync.mockClear();
    first = synth();
    second = synth();
  }, 120_000);

  it('bundles every distinct entry once per synth, each into its own directory', () => {
    const built = buildSync.mock.calls.map(([options]) => ({
      entryPoints: options.entryPoints,
      outdir: path.basename(options.outdir ?? ''),
    }));
    const once = [
      // One build per capability folder (these two are of two), staged into each entry's directory.
      {
        entryPoints: [{ in: expect.stringMatching(/outbox-publisher\.ts$/), out: bundleDirName(SHARED) }],
        outdir: `${bundleDirName(SHARED)}-build`,
      },
      {
        entryPoints: [{ in: expect.stringMatching(/data-volume-check\.ts$/), out: bundleDirName(OTHER) }],
        outdir: `${bundleDirName(OTHER)}-build`,
      },
    ];
    // Then the tracer, once for every bundle that requires it.
    const tracer = { entryPoints: [expect.stringMatching(/powertools-tracer\.ts$/)], outdir: '' };
    expect(built).toEqual([...once, tracer, ...once, tracer]);
  });

  it('stages the tracer as a file beside each bundle, loaded only where tracing is on', () => {
    for (const asset of bundledAssets(first.outdir)) {
      const dir = path.join(first.outdir, asset);
      expect(readdirSync(dir)).toEqual(expect.arrayContaining([TRACER_FILE_NAME, `${TRACER_FILE_NAME}.map`]));
      // The X-Ray SDK is not in any of the bundle's ES modules: a cold start with tracing off reads none of it.
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.mjs'))) {
        expect(readFileSync(path.join(dir, file), 'utf8')).not.toContain('AWSXRay');
      }
      // Where tracing is on, the bundle's tracing module finds it as it asks for it.
      const file = pathToFileURL(path.join(dir, BUNDLE_FILE_NAME)).href;
      const run = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `await import(${JSON.stringify(file)});
           const require = (await import('node:module')).createRequire(${JSON.stringify(file)});
           const { tracer } = require('./powertools-tracer');
           console.log(tracer.isTracingEnabled(), typeof tracer.captureAWSv3Client);`,
        ],
        {
          encoding: 'utf8',
          env: {
            PATH: process.env.PATH,
            AWS_REGION: 'us-east-1',
            AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
          },
        },
      );
      expect({ status: run.status, out: run.stdout.trim(), err: run.stderr }).toEqual({
        status: 0,
        out: 'true function',
        err: '',
      });
    }
  });

  it('stages the chunks a bundle imports on demand beside it, with their source maps', () => {
    for (const asset of bundledAssets(first.outdir)) {
      const files = readdirSync(path.join(first.outdir, asset));
      const chunks = files.filter((f) => /^chunk-[A-Z0-9]+\.mjs$/.test(f));
      expect(chunks.length).toBeGreaterThan(0);
      for (const chunk of chunks) expect(files).toContain(`${chunk}.map`);
    }
  });

  it('gives functions sharing an entry one bundle and one asset', () => {
    expect(first.keys.First).toMatch(/^[0-9a-f]{64}\.zip$/);
    expect(first.keys.Second).toBe(first.keys.First);
    expect(first.keys.Other).not.toBe(first.keys.First);
    expect(bundledAssets(first.outdir).sort()).toEqual(
      [first.keys.First, first.keys.Other].map((key) => `asset.${key.replace(/\.zip$/, '')}`).sort(),
    );
  });

  it('produces the same asset hashes synth after synth', () => {
    expect(second.keys).toEqual(first.keys);
  });

  it('stages ES modules that a fresh Node process imports, as Lambda does, to an exported handler', () => {
    for (const asset of bundledAssets(first.outdir)) {
      const file = pathToFileURL(path.join(first.outdir, asset, BUNDLE_FILE_NAME)).href;
      const run = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(file)}); console.log(typeof m.handler);`,
        ],
        { encoding: 'utf8', env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1' } },
      );
      expect({ status: run.status, out: run.stdout.trim(), err: run.stderr }).toEqual({
        status: 0,
        out: 'function',
        err: '',
      });
    }
  });

  it('loads no Node fetch (undici) with a bundle: `node:http` is required, not imported', () => {
    // An ES import of node:http reads every export, and a getter among them loads undici.
    for (const asset of bundledAssets(first.outdir)) {
      const file = pathToFileURL(path.join(first.outdir, asset, BUNDLE_FILE_NAME)).href;
      const run = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `await import(${JSON.stringify(file)}); console.log(process.moduleLoadList.filter((m) => m.includes('undici')).length);`,
        ],
        { encoding: 'utf8', env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1' } },
      );
      expect({ status: run.status, undiciModules: run.stdout.trim() }).toEqual({
        status: 0,
        undiciModules: '0',
      });
    }
  });

  it('leaves no build directory behind', () => {
    expect(readdirSync(first.outdir).filter((f) => f.startsWith('bundle-'))).toEqual([]);
  });

  it('runs no esbuild when the stack is not among aws:cdk:bundling-stacks', () => {
    buildSync.mockClear();
    const skipped = synth(SKIP_BUNDLING);
    expect(buildSync).not.toHaveBeenCalled();
    expect(bundledAssets(skipped.outdir)).toEqual([]);
    expect(skipped.keys.First).toMatch(/\.zip$/);
  });
});
