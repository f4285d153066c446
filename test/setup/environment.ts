import { accessSync, constants, statfsSync } from 'node:fs';
// The same Promise.withResolvers polyfill local mode loads on Node 20 (one copy, in local/).
import '../../local/polyfills';

// aws-cdk-lib validates every synthesized template with its CloudFormation rules engine (WASM),
// about 8 s of CPU per synthesis: most of an infra suite's time, and of every local platform a
// test starts. It only warns (errors are downgraded unless a flag is set), and `npm test` ends by
// linting the synthesized templates with cfn-lint, which is the check that fails the build. The
// cdk-nag plugin, registered by the app itself, still runs and writes its report.
process.env.CDK_VALIDATION ??= 'false';

// Test data on tmpfs when the machine has room there: DynamoDB Local commits every write to its
// SQLite file with an fsync, ~15-30 ms on this disk, which made most of a request's time on a
// local platform a test starts (measured: 300 sequential GET /models 22 s with the data on disk,
// 13 s on tmpfs). What the tests check does not depend on the disk; a crash test restarts the
// platform over the same directory, which tmpfs keeps as long as the machine runs.
const TMPFS = '/dev/shm';
const TMPFS_MIN_FREE_BYTES = 2 * 1024 ** 3;
if (!process.env.MLOPS_TEST_TMPDIR) {
  try {
    accessSync(TMPFS, constants.W_OK);
    const { bavail, bsize } = statfsSync(TMPFS);
    if (bavail * bsize >= TMPFS_MIN_FREE_BYTES) process.env.TMPDIR = TMPFS;
  } catch {
    // No tmpfs here: the tests keep the system's temporary directory.
  }
} else {
  process.env.TMPDIR = process.env.MLOPS_TEST_TMPDIR;
}
