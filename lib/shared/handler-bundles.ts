/**
 * Every handler the app deploys, bundled by one esbuild service before synthesis. A
 * `NodejsFunction` bundles its entry with its own esbuild process, once per function: twenty
 * functions cost twenty processes and most of `cdk synth`. Here each function's code is a
 * placeholder (`HandlerCode`) whose S3 location resolves at synthesis; an aspect on the app, which
 * runs before anything is rendered, builds every distinct entry (`buildSync` calls share one
 * esbuild process) and stages each entry's output directory as the function's asset. Functions
 * sharing an entry (the per-model ones) share one bundle and one asset.
 *
 * Each bundle is written at the depth of the staging directory CDK bundles into
 * (`<outdir>/<dir>/index.mjs`), so source map paths hold once staged. Stacks outside `aws:cdk:bundling-stacks` (tests pass
 * `[]`) are staged without bundling, as CDK stages them: no esbuild at all.
 * @see https://esbuild.github.io/api/#build
 */
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import {
  AspectPriority,
  Aspects,
  AssetHashType,
  type CfnResource,
  DockerImage,
  type IAspect,
  type ILocalBundling,
  Lazy,
  Stack,
  Stage,
} from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import type { Construct, IConstruct } from 'constructs';
import { type BuildOptions, buildSync, type Metafile } from 'esbuild';

/** Repository root: entries are given relative to it, e.g. `lambdas/registry/handler.ts`. */
export const REPO_ROOT = path.join(__dirname, '..', '..');

/** The tracer module, as `lambdas/shared/tracing.ts` requires it (the only place that does). */
const TRACER_IMPORT = './powertools-tracer';

/** The tracer module's source, built apart from the handlers (see `HANDLER_BUILD_OPTIONS`). */
const TRACER_ENTRY = 'lambdas/shared/powertools-tracer.ts';

/**
 * The tracer's file beside `index.mjs`: CommonJS (the `.js` of a directory without a package.json
 * is), which Node's `require` finds under `TRACER_IMPORT`, as `tracing.ts` asks for it.
 */
export const TRACER_FILE_NAME = 'powertools-tracer.js';

/**
 * The handlers' esbuild settings, from the repository root: bundled, minified, node22, line-only
 * source maps (stack traces need no embedded sources, which would add ~3 MB to each asset), the
 * SDK inside (`bundleAwsSDK`: the version we test is the version that runs, not the runtime's).
 *
 * ES module output with the `module` entry points first: the SDK's and Powertools' ES builds
 * tree-shake, so a bundle holds the commands it sends and not its clients' every command (the
 * predictions bundle lost 400 KB of SageMaker control plane this way), which is most of a cold
 * start's parse and load. Lambda loads `index.mjs` as an ES module with the handler still
 * `index.handler`. The banner gives CommonJS code bundled inside that requires at run time
 * (protobufjs probing optional modules) the `require` an ES module lacks.
 *
 * Code splitting: each `await import()` (a client or library off the function's hot path: S3,
 * SSM, Parquet, ONNX, control planes; the SDK's own credential providers) becomes a chunk beside
 * `index.mjs` that Node reads and compiles only when the import runs, so a cold start parses the
 * code its init evaluates and no more. Local mode runs the same modules with the same imports.
 *
 * `node:http` is bundled as a `require` (`node-http-require.cjs`): an ES import of a builtin makes
 * Node build its namespace by reading every export, and `http`'s include getters that load Node's
 * fetch (undici), about 30 ms of CPU per cold start for nothing (the SDK's HTTPS handler imports
 * `node:http` only when it sends over HTTP; Powertools Tracer imports it at the top).
 *
 * The tracer (`powertools-tracer`, with the X-Ray SDK: 120 KB minified) stays out of the bundle: a
 * file of its own beside `index.mjs` (`TRACER_FILE_NAME`), which `tracing.ts` requires where tracing
 * is on. Bundled in, a cold start with tracing off would still read and compile it.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html#nodejs-commonjs-es-modules
 * @see https://esbuild.github.io/api/#splitting
 */
export const HANDLER_BUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  mainFields: ['module', 'main'],
  splitting: true,
  outExtension: { '.js': '.mjs' },
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  alias: { 'node:http': './lib/shared/node-http-require.cjs' },
  external: [TRACER_IMPORT],
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  absWorkingDir: REPO_ROOT,
  logLevel: 'warning',
} as const satisfies BuildOptions;

/** The bundle's file name without extension: the function's handler is `index.handler`. */
export const BUNDLE_FILE = 'index';

/** The bundle's file name in its directory (an ES module: Lambda imports it). */
export const BUNDLE_FILE_NAME = `${BUNDLE_FILE}.mjs`;

/** The build directory of `entry` under the assembly directory, one level down as CDK's staging. */
export function bundleDirName(entry: string): string {
  return `bundle-${entry.replace(/\.[cm]?[jt]sx?$/, '').replace(/[^A-Za-z0-9]+/g, '-')}`;
}

/**
 * Entries bundled alone rather than with their capability's others. Built together, a
 * capability's handlers share chunks, and a chunk holds a whole module's live code for every
 * handler that reaches it: a handler may load a little code only a sibling runs. For these the
 * extra code at init costs their cold start most (`npm run bench -- cold-start`: grouped, the batch
 * steps and the retraining tasks load 6-15% more, at 1.36-1.46x the floor alone).
 */
const BUILT_ALONE: ReadonlySet<string> = new Set([
  'lambdas/batch-predictions/tasks.ts',
  'lambdas/batch-predictions/worker.ts',
  'lambdas/pipeline/tasks.ts',
]);

/**
 * Entries built together: one build per capability folder (`lambdas/<capability>/`), except those
 * `BUILT_ALONE`. A build parses each module once for all its entries, so 12 builds of the realistic
 * config's 32 handlers take less than half the time of 32 builds, for handlers that load
 * what they loaded alone or up to a third more (the custom resources, whose siblings drive the
 * same control planes).
 */
function buildGroups(entries: readonly string[]): string[][] {
  const groups = new Map<string, string[]>();
  for (const entry of entries) {
    const key = BUILT_ALONE.has(entry) ? entry : path.dirname(entry);
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  return [...groups.values()];
}

/**
 * Bundles each entry into `<outdir>/<bundleDirName(entry)>/`: `index.mjs`, the chunks it imports
 * (at init or on demand), and their source maps; returns each entry's directory. One build per
 * group of entries (`buildGroups`), in one esbuild process, into a directory at the same depth,
 * from which each entry's files are copied into its own (its chunks by name, which esbuild makes
 * from their content): source map paths hold either way.
 * @param entries handler modules relative to the repository root
 */
export function buildHandlerBundles(entries: readonly string[], outdir: string): Map<string, string> {
  const distinct = [...new Set(entries)].sort();
  const dirs = new Map(distinct.map((entry) => [entry, path.join(outdir, bundleDirName(entry))]));
  const tracing: string[] = [];
  for (const group of buildGroups(distinct)) {
    const buildDir = path.join(outdir, `${bundleDirName(group[0])}-build`);
    const { metafile } = buildSync({
      ...HANDLER_BUILD_OPTIONS,
      entryPoints: group.map((entry) => ({ in: path.join(REPO_ROOT, entry), out: bundleDirName(entry) })),
      outdir: buildDir,
      metafile: true,
    });
    for (const entry of group) {
      const dir = dirs.get(entry)!;
      const output = path.relative(REPO_ROOT, path.join(buildDir, `${bundleDirName(entry)}.mjs`));
      const files = reachableOutputs(metafile, output);
      if (files.some((f) => metafile.outputs[f].imports.some((i) => i.external && i.path === TRACER_IMPORT)))
        tracing.push(dir);
      stageEntry(bundleDirName(entry), files, dir);
    }
    rmSync(buildDir, { recursive: true, force: true });
  }
  if (tracing.length > 0) writeTracer(tracing);
  return dirs;
}

/** The entry's output and every chunk it imports, at init or on demand, transitively. */
function reachableOutputs(metafile: Metafile, entryOutput: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of metafile.outputs[file]?.imports ?? []) if (!i.external) visit(i.path);
  };
  visit(entryOutput.split(path.sep).join('/'));
  return [...seen];
}

/**
 * Copies an entry's files from its build directory into `dir`: the entry's output as `index.mjs`
 * (its source map comment renamed with it), its chunks under their own names.
 */
function stageEntry(entryName: string, files: readonly string[], dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const file of files) {
    const from = path.join(REPO_ROOT, file);
    const base = path.basename(file);
    if (base === `${entryName}.mjs`) {
      const code = readFileSync(from, 'utf8').replace(
        `//# sourceMappingURL=${entryName}.mjs.map`,
        `//# sourceMappingURL=${BUNDLE_FILE_NAME}.map`,
      );
      writeFileSync(path.join(dir, BUNDLE_FILE_NAME), code);
      copyFileSync(`${from}.map`, path.join(dir, `${BUNDLE_FILE_NAME}.map`));
    } else {
      copyFileSync(from, path.join(dir, base));
      copyFileSync(`${from}.map`, path.join(dir, `${base}.map`));
    }
  }
}

/**
 * Builds the tracer once and writes it into each of `dirs` (all at one depth under the assembly
 * directory, so one source map serves every copy).
 */
function writeTracer(dirs: readonly string[]): void {
  const { outputFiles } = buildSync({
    bundle: true,
    platform: 'node',
    target: HANDLER_BUILD_OPTIONS.target,
    format: 'cjs',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    absWorkingDir: REPO_ROOT,
    logLevel: 'warning',
    entryPoints: [path.join(REPO_ROOT, TRACER_ENTRY)],
    outfile: path.join(dirs[0], TRACER_FILE_NAME),
    write: false,
  });
  for (const dir of dirs) {
    for (const file of outputFiles) writeFileSync(path.join(dir, path.basename(file.path)), file.contents);
  }
}

/**
 * A function's code: the bundle of its handler module, staged by the app's `HandlerBundles` before
 * synthesis. Give each function its own instance.
 */
export class HandlerCode extends lambda.Code {
  public readonly isInline = false;
  private asset?: s3assets.Asset;
  private resource?: CfnResource;

  /** @param entry handler module relative to the repository root; it must export `handler`. */
  constructor(public readonly entry: string) {
    super();
  }

  public bind(scope: Construct): lambda.CodeConfig {
    HandlerBundles.of(scope).register(scope, this);
    return {
      s3Location: {
        bucketName: Lazy.string({ produce: () => this.staged().s3BucketName }),
        objectKey: Lazy.string({ produce: () => this.staged().s3ObjectKey }),
      },
    };
  }

  public bindToResource(resource: CfnResource, options: lambda.ResourceBindOptions = {}): void {
    // Metadata naming the staged asset (for SAM and `cdk watch`) needs the asset: added on staging.
    if (options.resourceProperty !== undefined && options.resourceProperty !== 'Code') {
      throw new Error(
        `HandlerCode binds to a function's Code property only, got ${options.resourceProperty}`,
      );
    }
    this.resource = resource;
  }

  /** Stages the bundle as the function's asset (`<function>/Code`, as `Code.fromAsset` names it). */
  public stage(scope: Construct, bundleDir: string | undefined): void {
    if (this.asset) return;
    this.asset = new s3assets.Asset(scope, 'Code', {
      path: REPO_ROOT,
      deployTime: true,
      assetHashType: AssetHashType.OUTPUT,
      bundling: { image: DockerImage.fromRegistry('dummy'), local: new MoveBundle(this.entry, bundleDir) },
    });
    if (this.resource) this.asset.addResourceMetadata(this.resource, 'Code');
  }

  private staged(): s3assets.Asset {
    if (!this.asset)
      throw new Error(`The bundle of ${this.entry} was not staged: synthesize the app to stage it`);
    return this.asset;
  }
}

/**
 * Hands a prebuilt bundle to CDK's asset staging, which hashes what lands in `outputDir`. Moved,
 * not copied: the build directory is left empty. `entry` is part of the staging cache key (CDK
 * serializes the bundling options), so two entries never share a staged asset.
 */
class MoveBundle implements ILocalBundling {
  constructor(
    public readonly entry: string,
    private readonly bundleDir: string | undefined,
  ) {}

  public tryBundle(outputDir: string): boolean {
    if (!this.bundleDir) throw new Error(`No bundle was built for ${this.entry}`);
    mkdirSync(outputDir, { recursive: true });
    for (const file of readdirSync(this.bundleDir)) {
      renameSync(path.join(this.bundleDir, file), path.join(outputDir, file));
    }
    return true;
  }
}

const APPS = new WeakMap<IConstruct, HandlerBundles>();

/** The app's handler bundles: functions register their code, the aspect builds and stages them. */
export class HandlerBundles implements IAspect {
  /** The bundles of the app that holds `scope`; the first call adds the aspect to the app. */
  public static of(scope: IConstruct): HandlerBundles {
    const root = scope.node.root;
    let bundles = APPS.get(root);
    if (!bundles) {
      bundles = new HandlerBundles();
      APPS.set(root, bundles);
      // Before any other aspect: each runs on a tree whose functions have their code.
      Aspects.of(root).add(bundles, { priority: AspectPriority.MUTATING - 100 });
    }
    return bundles;
  }

  private pending: { readonly scope: Construct; readonly code: HandlerCode }[] = [];

  private constructor() {}

  /** Registers a function's code, to be built and staged before synthesis. */
  public register(scope: Construct, code: HandlerCode): void {
    this.pending.push({ scope, code });
  }

  public visit(_node: IConstruct): void {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    // Bundles go to their assembly directory: the app's, and each nested stage's (rare) own.
    const entriesByOutdir = new Map<string, string[]>();
    for (const { scope, code } of pending) {
      if (!Stack.of(scope).bundlingRequired) continue;
      const outdir = assetOutdir(scope);
      entriesByOutdir.set(outdir, [...(entriesByOutdir.get(outdir) ?? []), code.entry]);
    }
    const dirs = new Map<string, Map<string, string>>();
    for (const [outdir, entries] of entriesByOutdir) dirs.set(outdir, buildHandlerBundles(entries, outdir));
    const built = (scope: Construct, entry: string) =>
      Stack.of(scope).bundlingRequired ? dirs.get(assetOutdir(scope))?.get(entry) : undefined;
    try {
      for (const { scope, code } of pending) code.stage(scope, built(scope, code.entry));
    } finally {
      // Emptied by staging; a bundle CDK had staged already (same entry, outdir and process) stays.
      for (const byEntry of dirs.values()) {
        for (const dir of byEntry.values()) rmSync(dir, { recursive: true, force: true });
      }
    }
  }
}

function assetOutdir(scope: IConstruct): string {
  const stage = Stage.of(scope);
  if (!stage) throw new Error(`${scope.node.path} is not in an app: no assembly directory to bundle into`);
  return stage.assetOutdir;
}
