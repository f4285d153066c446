/**
 * One temporary directory for the whole run (TMPDIR), on tmpfs when the machine has room there,
 * removed by `global-teardown.ts`.
 *
 * Why tmpfs: DynamoDB Local commits every write to its SQLite file with an fsync, ~15-30 ms on
 * this disk, which made most of a request's time on a local platform a test starts (measured: 300
 * sequential GET /models 22 s with the data on disk, 13 s on tmpfs). What the tests check does not
 * depend on the disk; a crash test restarts the platform over the same directory, kept until the
 * run ends. Why one directory, removed: what the suites leave in their temporary directories
 * (synthesized assemblies, local platforms' data) must not outlive the run, least of all on tmpfs,
 * where it holds memory until the machine restarts.
 */
import { accessSync, constants, mkdtempSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_RUN_ID_ENV } from '../helpers/worker-stand-ins';

const TMPFS = '/dev/shm';
const TMPFS_MIN_FREE_BYTES = 2 * 1024 ** 3;

export default function globalSetup(): void {
  // Names this run's per-worker DynamoDB Local servers (test/helpers/worker-stand-ins.ts).
  process.env[TEST_RUN_ID_ENV] = String(process.pid);
  // A directory given by the caller is theirs to keep.
  if (process.env.MLOPS_TEST_TMPDIR) {
    process.env.TMPDIR = process.env.MLOPS_TEST_TMPDIR;
    return;
  }
  try {
    accessSync(TMPFS, constants.W_OK);
    const { bavail, bsize } = statfsSync(TMPFS);
    if (bavail * bsize < TMPFS_MIN_FREE_BYTES) return;
    // Workers start after this and inherit the environment. TMPDIR must be set here, in the real
    // environment: a suite's `process.env` is jest's copy, which `os.tmpdir()` never reads.
    const dir = mkdtempSync(join(TMPFS, 'cdk-mlops-test-'));
    process.env.MLOPS_TEST_TMPDIR = dir;
    process.env.MLOPS_TEST_TMPDIR_OWNED = '1';
    process.env.TMPDIR = dir;
  } catch {
    // No tmpfs here: the suites keep the system's temporary directory.
  }
}
