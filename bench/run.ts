/**
 * `npm run bench`: runs every benchmark and prints ratios against a baseline measured in the same
 * run, on the same machine. Never fails on time: the numbers are for reading, not asserting.
 */
import { registrationContention } from './registration-contention';

async function main(): Promise<void> {
  for (const bench of [registrationContention]) {
    const result = await bench();
    console.log(`\n${result.name}`);
    for (const line of result.lines) console.log(`  ${line}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
