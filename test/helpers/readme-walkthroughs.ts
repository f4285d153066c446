/**
 * The README's runnable walk-throughs: every ```bash block right after a
 * `<!-- walkthrough: <name> -->` line, in the README's order, split into the commands a reader
 * pastes one by one (comment lines dropped, `\` continuations and heredocs kept whole). A marker
 * `<!-- walkthrough: <name> (after npm run demo) -->` declares a walk-through that needs what the
 * demo leaves (its training window, its versions): the demo suite runs it, after the demo.
 */
import { readFileSync } from 'node:fs';

export interface WalkthroughCommand {
  /** The walk-through's name, from its marker. */
  readonly walkthrough: string;
  /** The command as written, continuation lines and heredoc bodies included. */
  readonly text: string;
  /** The README line it starts on (1-based), for failure messages. */
  readonly line: number;
  /** Its walk-through runs after `npm run demo` (marked `(after npm run demo)`). */
  readonly afterDemo: boolean;
}

const MARKER = /^<!-- walkthrough: ([a-z0-9-]+)( \(after npm run demo\))? -->$/;

export function readmeWalkthroughs(readmePath: string): WalkthroughCommand[] {
  const lines = readFileSync(readmePath, 'utf8').split('\n');
  const commands: WalkthroughCommand[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i]);
    if (!marker && lines[i].startsWith('<!-- walkthrough:'))
      throw new Error(`README line ${i + 1}: a walkthrough marker this suite does not know: ${lines[i]}`);
    if (!marker) continue;
    if (lines[i + 1] !== '```bash') {
      throw new Error(`README line ${i + 1}: a walkthrough marker must be followed by a \`\`\`bash block`);
    }
    const start = i + 2;
    let end = start;
    while (end < lines.length && lines[end] !== '```') end++;
    if (end === lines.length) throw new Error(`README line ${i + 2}: the walkthrough block never ends`);
    const afterDemo = marker[2] !== undefined;
    commands.push(
      ...splitCommands(marker[1], lines.slice(start, end), start + 1).map((c) => ({ ...c, afterDemo })),
    );
    i = end;
  }
  return commands;
}

/**
 * One block's commands: a line ending in `\` or inside an open quote continues; a heredoc runs to
 * its terminator line.
 */
export function splitCommands(
  walkthrough: string,
  lines: readonly string[],
  firstLine: number,
): Omit<WalkthroughCommand, 'afterDemo'>[] {
  const commands: Omit<WalkthroughCommand, 'afterDemo'>[] = [];
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i].trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const start = i;
    const taken = [lines[i]];
    for (;;) {
      const current = taken[taken.length - 1];
      const heredoc = /<<-?\s*'?"?([A-Za-z_]+)'?"?/.exec(current);
      if (heredoc) {
        while (++i < lines.length && lines[i].trim() !== heredoc[1]) taken.push(lines[i]);
        if (i === lines.length)
          throw new Error(`line ${firstLine + start}: heredoc ${heredoc[1]} never ends`);
        taken.push(lines[i]);
        break;
      }
      const continues = current.endsWith('\\') || insideQuote(taken.join('\n'));
      if (!continues || i + 1 >= lines.length) break;
      taken.push(lines[++i]);
    }
    commands.push({ walkthrough, text: taken.join('\n'), line: firstLine + start });
  }
  return commands;
}

/** Whether a quote is left open at the end of `text` (the shell's single and double quotes). */
function insideQuote(text: string): boolean {
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === undefined) {
      if (c === '\\') i++;
      else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
        // A comment runs to the end of its line; quotes in it open nothing.
        while (i < text.length && text[i] !== '\n') i++;
      } else if (c === "'" || c === '"') quote = c;
    } else if (quote === '"' && c === '\\') i++;
    else if (c === quote) quote = undefined;
  }
  return quote !== undefined;
}
