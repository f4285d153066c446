/**
 * The reference trainer image's build, without Docker: this machine has no Docker engine, so the
 * test runs the Dockerfile's own bundling command (read from the Dockerfile, so the two cannot
 * drift apart) with the pinned esbuild, then runs the bundle as the image's entry point does
 * (`node train.js train`, SageMaker's argument) on a training channel. The image adds only the
 * `node:22-slim` base to what is tested here.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Evaluation } from '../../contracts/inference-protocol';
import { HOLDOUT_CSV, TRAIN_CSV } from '../helpers/serving';

const ROOT = join(__dirname, '..', '..');
const IMAGE_DIR = join(ROOT, 'containers', 'reference-trainer');

const pins = (file: string) => {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  return { ...json.dependencies, ...json.devDependencies } as Record<string, string>;
};

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mlops-trainer-image-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('reference trainer image', () => {
  it('pins the same versions the repository tests with', () => {
    const root = pins(join(ROOT, 'package.json'));
    for (const [name, version] of Object.entries(pins(join(IMAGE_DIR, 'package.json')))) {
      expect([name, root[name]]).toEqual([name, version]);
    }
  });

  it("bundles with the Dockerfile's command and trains as the entry point", () => {
    // Prepare: the build stage's working directory (package.json + src), and the bundle command
    const dockerfile = readFileSync(join(IMAGE_DIR, 'Dockerfile'), 'utf8');
    const bundle = /^RUN npx (esbuild .+)$/m.exec(dockerfile)?.[1];
    expect(bundle).toBeDefined();
    const build = join(work, 'build');
    cpSync(join(IMAGE_DIR, 'src'), join(build, 'src'), { recursive: true });
    const [, ...args] = bundle!.split(/\s+/);

    // Act 1: the build stage
    const built = spawnSync(join(ROOT, 'node_modules', '.bin', 'esbuild'), args, {
      cwd: build,
      encoding: 'utf8',
      // Resolves onnx-proto from the repository's node_modules, the version pinned above.
      env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') },
    });
    expect(built.stderr).not.toMatch(/error/i);
    expect(built.status).toBe(0);

    // Act 2: the entry point, with the SageMaker training contract's directories
    const train = join(work, 'ml', 'input', 'data', 'train');
    const validation = join(work, 'ml', 'input', 'data', 'validation');
    const model = join(work, 'ml', 'model');
    for (const dir of [train, validation, model]) mkdirSync(dir, { recursive: true });
    cpSync(TRAIN_CSV, join(train, 'train.csv'));
    cpSync(HOLDOUT_CSV, join(validation, 'holdout.csv'));
    const ran = spawnSync(process.execPath, [join(build, 'dist', 'train.js'), 'train'], {
      cwd: work,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        SM_CHANNEL_TRAIN: train,
        SM_CHANNEL_VALIDATION: validation,
        SM_MODEL_DIR: model,
        MLOPS_HYPERPARAMETERS_PATH: join(work, 'ml', 'input', 'config', 'hyperparameters.json'),
        MLOPS_OUTPUT_DIR: join(work, 'ml', 'output'),
      },
    });

    // Assess
    expect(ran.stderr).toBe('');
    expect(ran.status).toBe(0);
    expect(ran.stdout).toMatch(/^validation:accuracy=0\.98245\d*;$/m);
    expect(existsSync(join(model, 'model.onnx'))).toBe(true);
    const evaluation = Evaluation.parse(JSON.parse(readFileSync(join(model, 'evaluation.json'), 'utf8')));
    expect(evaluation.accuracy).toBeCloseTo(0.9824561403508771, 12);
  });
});
