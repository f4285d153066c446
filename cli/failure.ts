/** A failure the CLI reports as is, with its exit code (a watched rollout that rolled back). */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
