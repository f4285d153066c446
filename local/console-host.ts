/**
 * The web console on the local platform: `console/dist/` (built by `npm run console:build`) served
 * at `/console/`, unsigned as a browser loads it, and its `config.json` made here with the local API's
 * URL and the key pair `npm start` signs with. The key pair is answered only to a request whose Host
 * is this machine's loopback name (the server listens on 127.0.0.1), so a web page that rebinds its
 * own DNS name to 127.0.0.1 cannot read it; a page of another origin cannot read it either, as
 * nothing here allows cross-origin reads.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { CONSOLE_CONFIG_FILE, type ConsoleConfig, LOCAL_CONSOLE_PATH } from '../contracts/console-config';
import type { LocalCredential } from './sigv4';

/** The console's files, by name; nothing else under the directory is served. */
const FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.js.map': 'application/json',
  'styles.css': 'text/css; charset=utf-8',
};
const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

export const DEFAULT_CONSOLE_DIR = join(__dirname, '..', 'console', 'dist');

export interface ConsolePage {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  readonly headers?: Record<string, string>;
}

export interface ConsoleHostProps {
  /** The signing key pair the console is given (the first of the platform's). */
  readonly credential: LocalCredential;
  readonly region: string;
  /** @default - console/dist of this checkout */
  readonly dir?: string;
}

/** Answers the console's paths; `undefined` for any other. */
export function consolePages(
  props: ConsoleHostProps,
): (req: IncomingMessage, url: URL) => ConsolePage | undefined {
  const dir = props.dir ?? DEFAULT_CONSOLE_DIR;
  return (req, url) => {
    if (url.pathname === LOCAL_CONSOLE_PATH.slice(0, -1)) {
      return { status: 308, contentType: 'text/plain', text: '', headers: { location: LOCAL_CONSOLE_PATH } };
    }
    if (!url.pathname.startsWith(LOCAL_CONSOLE_PATH)) return undefined;
    const name = url.pathname.slice(LOCAL_CONSOLE_PATH.length) || 'index.html';
    const host = req.headers.host ?? '';
    if (name === CONSOLE_CONFIG_FILE) {
      if (!LOOPBACK_HOST.test(host))
        return text(
          403,
          `the console's credentials are served to ${LOCAL_CONSOLE_PATH} on 127.0.0.1 or localhost only`,
        );
      const config: ConsoleConfig = {
        // The origin the browser used, so the API calls are same-origin (no CORS) whichever name it was.
        apiUrl: `http://${host}`,
        region: props.region,
        auth: {
          kind: 'local',
          credentials: {
            accessKeyId: props.credential.accessKeyId,
            secretAccessKey: props.credential.secretAccessKey,
          },
        },
      };
      return {
        status: 200,
        contentType: 'application/json',
        text: JSON.stringify(config),
        headers: NO_STORE,
      };
    }
    const type = FILES[name];
    if (!type) return text(404, `no ${name} in the console`);
    const file = join(dir, name);
    if (!existsSync(file))
      return text(503, 'the console is not built: run `npm run console:build` (npm start does)');
    return { status: 200, contentType: type, text: readFileSync(file, 'utf8'), headers: NO_STORE };
  };
}

const NO_STORE = { 'cache-control': 'no-store' };

const text = (status: number, message: string): ConsolePage => ({
  status,
  contentType: 'text/plain; charset=utf-8',
  text: message,
});
