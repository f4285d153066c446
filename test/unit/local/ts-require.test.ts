/**
 * `local/ts-require.cjs`, the loader local functions and the CLI run their TypeScript sources
 * through, in a fresh Node process as they use it (jest's own module system would stand in the way).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LOADER = join(__dirname, '..', '..', '..', 'local', 'ts-require.cjs');

let dir: string;
let cacheDir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ts-require-'));
  cacheDir = join(dir, 'cache');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Requires `main.ts` of the fixture through the loader and prints what its `run()` resolves to. */
function run(): { stdout: string; stderr: string; status: number | null } {
  const script = `require(${JSON.stringify(LOADER)});
require(${JSON.stringify(join(dir, 'main.ts'))}).run().then(
  (v) => console.log(JSON.stringify(v)),
  (e) => { console.log(JSON.stringify({ error: e.message, stack: e.stack })); },
);`;
  const child = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: { ...process.env, MLOPS_TS_CACHE_DIR: cacheDir },
  });
  return { stdout: child.stdout.trim(), stderr: child.stderr, status: child.status };
}

describe('ts-require', () => {
  it("compiles what Node's type stripping refuses, and import() shares the module require gets", () => {
    writeFileSync(
      join(dir, 'counter.ts'),
      `export let loads = 0;\nloads++;\nexport const named = (n: number): number => n * 2;\n`,
    );
    writeFileSync(
      join(dir, 'main.ts'),
      `import * as required from './counter';
enum Stage { Staging = 'Staging' }
class Holder {
  constructor(private readonly value: number) {}
  get(): number { return this.value; }
}
export async function run() {
  const imported = await import('./counter');
  return { stage: Stage.Staging, held: new Holder(3).get(), named: imported.named(21), loads: imported.loads, same: imported.named === required.named };
}
`,
    );
    const out = run();
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual({ stage: 'Staging', held: 3, named: 42, loads: 1, same: true });
  });

  it('names the TypeScript line in a stack trace, and compiles a changed source again', () => {
    const fails = (line: number) =>
      `${'\n'.repeat(line - 1)}export async function run(): Promise<never> { throw new Error('boom'); }\n`;
    writeFileSync(join(dir, 'main.ts'), fails(7));
    const first = JSON.parse(run().stdout);
    expect(first.error).toBe('boom');
    expect(first.stack).toContain(`${join(dir, 'main.ts')}:7:`);
    // Kept compiled, by content: the same source again is a cache read, a changed one compiles anew.
    expect(readdirSync(cacheDir)).toHaveLength(1);
    expect(JSON.parse(run().stdout).stack).toContain(':7:');
    expect(readdirSync(cacheDir)).toHaveLength(1);
    writeFileSync(join(dir, 'main.ts'), fails(9));
    expect(JSON.parse(run().stdout).stack).toContain(`${join(dir, 'main.ts')}:9:`);
    expect(readdirSync(cacheDir)).toHaveLength(2);
  });
});
