#!/usr/bin/env node
/** The CDK app entry: a validated config in, the platform stack out. No logic lives here. */
import { buildApp, PlatformConfigError } from '../lib/app';

try {
  buildApp().app.synth();
} catch (error) {
  // A bad config is the operator's input, not a bug: print the message alone, no stack trace.
  if (!(error instanceof PlatformConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
