/**
 * Preloaded into training job subprocesses (`NODE_OPTIONS=--require <this file>`, which the local
 * training job passes on with the rest of the environment, as SageMaker passes a container its
 * environment): while `MLOPS_TEST_TRAINING_GATE` names a directory, a trainer announces itself
 * there (`started-<pid>`) and waits for a `release` file, so a test can act on a run that is
 * certainly in training. Other processes (no `SM_MODEL_DIR`) are left alone. Gives up after 60 s
 * so a failed test never leaves a trainer behind.
 */
const { existsSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const gate = process.env.MLOPS_TEST_TRAINING_GATE;
if (gate && process.env.SM_MODEL_DIR && existsSync(gate)) {
  writeFileSync(join(gate, `started-${process.pid}`), '');
  const tick = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + 60_000;
  while (!existsSync(join(gate, 'release')) && Date.now() < deadline) Atomics.wait(tick, 0, 0, 20);
}
