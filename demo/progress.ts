/**
 * The demo's progress display: one line per step with the time since the demo started, so the
 * output reads the same on a terminal, in a pipe and in a test log.
 */
export interface Progress {
  /** A finished step. */
  done(text: string): void;
  /** Something under way, or a detail of the step before. */
  info(text: string): void;
  /** A section heading. */
  section(title: string): void;
  /** Seconds since the start. */
  elapsed(): number;
}

export function progress(write: (line: string) => void = (l) => console.log(l)): Progress {
  const start = Date.now();
  const elapsed = () => (Date.now() - start) / 1000;
  const stamp = () => `[${elapsed().toFixed(1).padStart(6)} s]`;
  return {
    done: (text) => write(`${stamp()} ✔ ${text}`),
    info: (text) => write(`${stamp()}   ${text}`),
    section: (title) => write(`\n== ${title}`),
    elapsed,
  };
}
