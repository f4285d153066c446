/**
 * HTML pages the platform renders (drift reports, experiment reports): written to a file whose
 * path the command prints, and opened in the desktop's browser on request.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Output } from './output';

/**
 * Writes `html` to `file` and, with `open`, hands it to `open` (macOS) or `xdg-open` (Linux) when
 * that command exists; without one the note says so and the path is still printed.
 */
export function writeHtml(out: Output, html: string, file: string, open: boolean): string {
  const path = resolve(file);
  writeFileSync(path, html);
  if (open) {
    const opener = process.platform === 'darwin' ? 'open' : 'xdg-open';
    if (onPath(opener)) {
      // Detached: the browser outlives the command, which returns at once.
      spawn(opener, [path], { detached: true, stdio: 'ignore' }).unref();
    } else {
      out.note(`no ${opener} on PATH: open ${path} in a browser`);
    }
  }
  return path;
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}
