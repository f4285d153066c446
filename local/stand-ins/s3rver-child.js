// @ts-check
/**
 * Runs s3rver in its own process, forked by `s3-local.ts`. Its own process because s3rver's
 * ListObjectsV2 continuation tokens use DES, which Node 17+ only offers with
 * `--openssl-legacy-provider`; the parent sets that in this process's NODE_OPTIONS rather than in
 * its own. Plain JavaScript so it starts with bare `node`, without a TypeScript loader.
 *
 * Protocol over the IPC channel: args are `<directory> <port> [temporary]`; sends `{ type: 'ready', port }` or
 * `{ type: 'error', message }`; exits when the channel closes, which is also what happens when the
 * parent dies, so this process never outlives it.
 */

const { rmSync } = require('node:fs');
const S3rver = require('s3rver');

const [directory, port, lifetime] = process.argv.slice(2);

const server = new S3rver({
  address: '127.0.0.1',
  port: Number(port),
  directory,
  silent: true,
  // Clients use path-style URLs; vhost parsing would read `127.0.0.1` as a bucket-less host anyway.
  vhostBuckets: false,
});

let closing = false;
function shutdown() {
  if (closing) return;
  closing = true;
  const exit = () => {
    // Removed here rather than by the parent, so a parent killed outright leaves no temp dir.
    if (lifetime === 'temporary') rmSync(directory, { recursive: true, force: true });
    process.exit(0);
  };
  server.close().then(exit, exit);
  // A keep-alive client connection would hold close() open; the files are already on disk.
  setTimeout(exit, 1000).unref();
}

process.on('disconnect', shutdown);
process.on('SIGTERM', shutdown);

server.run().then(
  (address) => process.send?.({ type: 'ready', port: address.port }),
  (error) => {
    process.send?.({ type: 'error', message: String(error?.stack ?? error) });
    process.exit(1);
  },
);
