/**
 * `npm run bench`: runs every benchmark and prints ratios against a baseline measured in the same
 * run, on the same machine. Never fails on time: the numbers are for reading, not asserting.
 */
import { batch } from './batch';
import { coldStart } from './cold-start';
import { driftVsScipy } from './drift-vs-scipy';
import { experiments } from './experiments';
import { inference } from './inference';
import { onlineLookup } from './online-lookup';
import { registrationContention } from './registration-contention';
import { streamFeatures } from './stream-features';
import { synth } from './synth';
import { tracking } from './tracking';

async function main(): Promise<void> {
  // The stand-ins unref their children and probes (so tests can exit); hold the loop open meanwhile.
  const keepAlive = setInterval(() => undefined, 60_000);
  // `npm run bench -- <name>` runs the benchmarks whose name contains it.
  // (`cold-start` names `coldStart`: case and dashes do not count).
  const key = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');
  const only = process.argv[2];
  const all = [
    registrationContention,
    onlineLookup,
    inference,
    driftVsScipy,
    synth,
    coldStart,
    tracking,
    batch,
    streamFeatures,
    experiments,
  ];
  for (const bench of all.filter((b) => !only || key(b.name).includes(key(only)))) {
    const result = await bench();
    console.log(`\n${result.name}`);
    for (const line of result.lines) console.log(`  ${line}`);
  }
  clearInterval(keepAlive);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
