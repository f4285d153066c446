import { rmSync } from 'node:fs';

/** Removes the run's temporary directory that `global-setup.ts` made. */
export default function globalTeardown(): void {
  const dir = process.env.MLOPS_TEST_TMPDIR;
  if (dir && process.env.MLOPS_TEST_TMPDIR_OWNED === '1') rmSync(dir, { recursive: true, force: true });
}
