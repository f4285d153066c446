// The same Promise.withResolvers polyfill local mode loads on Node 20 (one copy, in local/).
import '../../local/polyfills';

// aws-cdk-lib validates every synthesized template with its CloudFormation rules engine (WASM),
// about 8 s of CPU per synthesis: most of an infra suite's time, and of every local platform a
// test starts. It only warns (errors are downgraded unless a flag is set), and `npm test` ends by
// linting the synthesized templates with cfn-lint, which is the check that fails the build. The
// cdk-nag plugin, registered by the app itself, still runs and writes its report.
process.env.CDK_VALIDATION ??= 'false';
