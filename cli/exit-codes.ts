/** The CLI's exit codes, stable for scripts and CI. */
export const EXIT = {
  OK: 0,
  /** The platform refused the request (a 4xx, the message names its code), or would (a plan with an incompatible change). */
  REFUSED: 1,
  /** The command line is wrong (unknown command, bad option value, unreadable file, no terminal to confirm). */
  USAGE: 2,
  /** The platform could not be reached or failed (network, 5xx, no local platform running). */
  UNAVAILABLE: 3,
  /**
   * A watched operation ended badly (a rollout rolled back, a retraining run, batch job or erasure
   * failed), or a check found what `--fail-on-drift` asked to fail on.
   */
  OPERATION_FAILED: 4,
} as const;
