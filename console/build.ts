/**
 * `npm run console:build`: bundles the web console from `console/src/` into `console/dist/`
 * (`index.html`, `app.js`, `styles.css`), which the local platform serves at `/console/` and the
 * console's hosting uploads to its bucket. esbuild bundles the SigV4 signer and the zod schema of
 * `config.json` for the browser; a build is skipped while `dist/` is newer than every source it
 * reads (the console's own files, `client/`, `contracts/`), so `npm start`, `npm test` and
 * `npm run synth` can run it first at no cost.
 * @see https://esbuild.github.io/api/#build
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = join(__dirname, '..');
export const CONSOLE_SOURCE_DIR = join(__dirname, 'src');
export const CONSOLE_DIST_DIR = join(__dirname, 'dist');
/** Files copied as they are, beside the bundle. */
const STATIC_FILES = ['index.html', 'styles.css'];
const INPUTS = [CONSOLE_SOURCE_DIR, join(ROOT, 'client'), join(ROOT, 'contracts'), __filename];

export interface ConsoleBuild {
  readonly dir: string;
  /** False when `dist/` was already up to date. */
  readonly built: boolean;
}

/** Builds the console when `dist/` is missing or older than a source; `force` builds anyway. */
export function buildConsole(options: { force?: boolean } = {}): ConsoleBuild {
  if (!options.force && !isStale()) return { dir: CONSOLE_DIST_DIR, built: false };
  mkdirSync(CONSOLE_DIST_DIR, { recursive: true });
  buildSync({
    entryPoints: [join(CONSOLE_SOURCE_DIR, 'main.ts')],
    outfile: join(CONSOLE_DIST_DIR, 'app.js'),
    bundle: true,
    minify: true,
    sourcemap: true,
    platform: 'browser',
    format: 'iife',
    target: ['es2022'],
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const file of STATIC_FILES) copyFileSync(join(CONSOLE_SOURCE_DIR, file), join(CONSOLE_DIST_DIR, file));
  return { dir: CONSOLE_DIST_DIR, built: true };
}

function isStale(): boolean {
  const outputs = ['app.js', ...STATIC_FILES].map((f) => join(CONSOLE_DIST_DIR, f));
  if (!outputs.every(existsSync)) return true;
  const builtAt = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  return INPUTS.some((input) => newestMtime(input) > builtAt);
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), 0);
}

if (require.main === module) {
  const started = Date.now();
  const { dir, built } = buildConsole({ force: process.argv.includes('--force') });
  console.log(built ? `console built in ${Date.now() - started} ms: ${dir}` : `console up to date: ${dir}`);
}
