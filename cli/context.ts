/**
 * What every command gets: the typed client for the connection the global options name, the
 * output, and one way of turning a failure into a readable line and a stable exit code.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { type LocalCaller, PlatformApiError, type PlatformClient, platformClient } from '../client';
import { EXIT } from './exit-codes';
import { CliFailure } from './failure';
import { type Output, type OutputFormat, output } from './output';

export interface GlobalOptions {
  readonly apiUrl?: string;
  readonly region?: string;
  readonly dataDir?: string;
  readonly output: OutputFormat;
  readonly as: LocalCaller;
  readonly field?: string;
}

export interface CommandContext {
  readonly api: PlatformClient;
  readonly out: Output;
}

export { CliFailure };

/**
 * Wraps a command's action: builds its context from the global options, runs it, and maps what it
 * throws to one line on stderr and an exit code.
 */
export function action<A extends unknown[]>(
  run: (ctx: CommandContext, ...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const command = args.at(-1) as Command;
    const globals = command.optsWithGlobals<GlobalOptions>();
    const out = output(globals.output, { field: globals.field });
    try {
      if (globals.as !== 'local' && (globals.apiUrl ?? process.env.MLOPS_API_URL))
        throw new CliFailure(
          `--as ${globals.as} signs as the local platform's caller; on AWS choose the caller's credentials (AWS_PROFILE)`,
          EXIT.USAGE,
        );
      const api = platformClient({
        apiUrl: globals.apiUrl,
        region: globals.region,
        dataDir: globals.dataDir,
        localCaller: globals.as,
      });
      await run({ api, out }, ...args);
    } catch (err) {
      const [message, code] = describe(err);
      out.note(`mlops: ${message}`);
      process.exitCode = code;
    }
  };
}

function describe(err: unknown): [string, number] {
  if (err instanceof PlatformApiError) {
    const details = detailLines(err.details);
    const line = `${err.message} (${err.code}, HTTP ${err.status})${details}`;
    return [line, err.status >= 500 ? EXIT.UNAVAILABLE : EXIT.REFUSED];
  }
  if (err instanceof CliFailure) return [err.message, err.exitCode];
  // An option value only the action could check, and a file named on the command line that cannot be read.
  if (err instanceof InvalidArgumentError) return [err.message, EXIT.USAGE];
  const local = err as NodeJS.ErrnoException;
  if (local?.syscall && local.path) return [local.message, EXIT.USAGE];
  const message = err instanceof Error ? err.message : String(err);
  // fetch's own failure: nothing answered at the URL.
  const cause = (err as { cause?: { code?: string } })?.cause?.code;
  return [cause ? `${message} (${cause})` : message, EXIT.UNAVAILABLE];
}

/**
 * The list a refusal's details carry, a line each: a validation error's fields
 * (`body.metrics.accuracy: must be a number`), a refused push's rows, a refused change's reasons.
 */
function detailLines(details: unknown): string {
  const list = Array.isArray(details)
    ? details
    : details && typeof details === 'object'
      ? Object.values(details).find((v) => Array.isArray(v) && typeof v[0] === 'object')
      : undefined;
  const lines = (list ?? []).slice(0, 10).map(detailLine);
  return lines.length ? `\n  ${lines.join('\n  ')}` : '';
}

function detailLine(d: {
  field?: string;
  message?: string;
  check?: string;
  row?: number;
  reason?: string;
}): string {
  if (typeof d !== 'object' || d === null) return String(d);
  const where = `${d.row === undefined ? '' : `row ${d.row} `}${d.field ? `${d.field}: ` : ''}`;
  const what = d.message ?? d.reason ?? d.check;
  return what === undefined ? JSON.stringify(d) : `${where}${what}`;
}
