import { rmSync } from 'node:fs';
import { stopRunServers, TEST_RUN_ID_ENV } from '../helpers/worker-stand-ins';

/**
 * Stops the run's shared DynamoDB Local servers (their watchdogs would, within half a second of
 * their workers' end) and removes the run's temporary directory that `global-setup.ts` made.
 */
export default function globalTeardown(): void {
  const runId = process.env[TEST_RUN_ID_ENV];
  if (runId) stopRunServers(runId);
  const dir = process.env.MLOPS_TEST_TMPDIR;
  if (dir && process.env.MLOPS_TEST_TMPDIR_OWNED === '1') rmSync(dir, { recursive: true, force: true });
}
