// `node:http` for the handler bundles (HANDLER_BUILD_OPTIONS.alias), loaded with `require`: an ES
// import of it reads every export to build the module's namespace, and one export is a getter that
// loads Node's fetch (undici), tens of milliseconds of every cold start that sends no fetch.
// Unprefixed so the alias, which names `node:http`, does not send this file back to itself.
// biome-ignore lint/style/useNodejsImportProtocol: the alias above rewrites `node:http` to this file
module.exports = require('http');
