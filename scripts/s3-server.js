// The S3 server of the tests and of `IMGHOST_STORE=s3 make run`: s3rver (a Node.js S3
// implementation that checks SigV4 signatures) on 127.0.0.1, one bucket, one key pair.
// Started and stopped by scripts/s3-server, which reads the key pair from a file of
// its own and hands it over in the environment.
//
//   node scripts/s3-server.js DIR PORT BUCKET     (S3_SERVER_ACCESS_KEY, S3_SERVER_SECRET_KEY)
'use strict';

const path = require('path');

const modules = path.join(__dirname, '..', 'tests', 'node', 'node_modules', '@20minutes', 's3rver');
const S3rver = require(modules);
const { DUMMY_ACCOUNT } = require(path.join(modules, 'lib', 'models', 'account'));

const [dir, port, bucket] = process.argv.slice(2);
const accessKey = process.env.S3_SERVER_ACCESS_KEY;
const secretKey = process.env.S3_SERVER_SECRET_KEY;
if (!dir || !port || !bucket || !accessKey || !secretKey) {
  console.error('usage: S3_SERVER_ACCESS_KEY=... S3_SERVER_SECRET_KEY=... node s3-server.js DIR PORT BUCKET');
  process.exit(2);
}

// Only our key pair is valid: s3rver's built-in one would let a misconfigured client in.
DUMMY_ACCOUNT.revokeAccessKey('S3RVER');
DUMMY_ACCOUNT.createKeyPair(accessKey, secretKey);

const server = new S3rver({
  address: '127.0.0.1',
  port: Number(port),
  directory: dir,
  silent: false,
  vhostBuckets: false,
  configureBuckets: [{ name: bucket, configs: [] }],
});
server.run().then(({ address, port: bound }) => {
  console.log(`s3-server: listening on ${address}:${bound}, bucket ${bucket}`);
}, (err) => {
  console.error(`s3-server: ${err.message}`);
  process.exit(1);
});
// Stop without tearing anything: s3rver writes an object and its metadata as two files,
// so a request cut off mid-write leaves a bucket it cannot list any more.  No new
// connections; each kept-alive one is closed as soon as it is idle; requests in progress
// finish.  (scripts/s3-server stop kills after ten seconds, as a last resort.)
let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  const http = server.httpServer;
  const closeIdle = () => http && http.closeIdleConnections && http.closeIdleConnections();
  setInterval(closeIdle, 50);
  server.close().then(() => process.exit(0), () => process.exit(1));
  closeIdle();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
