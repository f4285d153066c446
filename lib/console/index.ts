/** The web console on AWS: the public surface of `lib/console/`. */
export { type ConsoleRuntimeConfig, PLACEHOLDER_HTML } from './assets';
export { ConsoleAuth, type ConsoleAuthProps } from './console-auth';
export { CONSOLE_CONFIG_FILE, CONSOLE_DIST_DIR } from './defaults';
export { type ConsoleOrigins, contentSecurityPolicy } from './security-headers';
export { type ConsoleApi, WebConsole, type WebConsoleProps } from './web-console';
