/** The CLI's exit codes, stable for scripts and CI. */
export const EXIT = {
  OK: 0,
  /** The platform refused the request (a 4xx): the message names its code. */
  REFUSED: 1,
  /** The command line itself is wrong (unknown command, missing argument, bad option value). */
  USAGE: 2,
  /** The platform could not be reached or failed (network, 5xx, no local platform running). */
  UNAVAILABLE: 3,
  /** A watched operation ended badly: a rollout rolled back, refused or failed. */
  OPERATION_FAILED: 4,
} as const;
