/**
 * What the console's bucket holds: the built app (or a placeholder page when it is not built)
 * and `config.json`, written at deploy time from the stack's own values.
 */

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type { CognitoConsoleAuth, ConsoleConfig } from '../../contracts/console-config';
import { CONSOLE_CONFIG_FILE } from './defaults';

/**
 * What the console reads from `config.json`: where the API is and how to sign in. The app's own
 * schema of this file is in `contracts/console-config.ts`.
 */
export type ConsoleRuntimeConfig = ConsoleConfig & { readonly auth: CognitoConsoleAuth };

/**
 * Shown when the console was not built before synth: the deployment still succeeds, and the
 * page says how to put the real console in its place. No script, so the CSP holds as is.
 */
export const PLACEHOLDER_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>cdk-mlops console</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">
<h1>The console is not built yet</h1>
<p>This deployment ran without the console's static files. From the repository, run
<code>npm run console:build</code> and then <code>npx cdk deploy</code> again.</p>
<p>The platform API works meanwhile: use the <code>mlops</code> CLI.</p>
</body>
</html>
`;

/** Whether `directory` holds a built console (its `index.html`). */
export function isBuilt(directory: string): boolean {
  return existsSync(path.join(directory, 'index.html'));
}

/**
 * The deployment's sources, `config.json` last so it replaces any the build left there.
 * Tokens in `config` become the deployed values (CDK's deploy-time markers).
 */
export function consoleSources(directory: string, config: ConsoleRuntimeConfig): s3deploy.ISource[] {
  const app = isBuilt(directory)
    ? s3deploy.Source.asset(directory)
    : s3deploy.Source.data('index.html', PLACEHOLDER_HTML);
  return [app, s3deploy.Source.jsonData(CONSOLE_CONFIG_FILE, config)];
}
