'use strict';
// Runs s3rver in a Node process of its own, started with --openssl-legacy-provider:
// s3rver 3.7.1 encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3
// (Node >= 17) refuses by default, so in-process every listing longer than one page
// fails with InternalError (jamhall/s3rver#818).
//
// Takes {directory, buckets} as JSON in argv, prints {port} as one JSON line once
// listening, and exits when its stdin closes, so it never outlives the test run.
const S3rver = require('s3rver');

const { directory, buckets } = JSON.parse(process.argv[2]);
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  directory,
  silent: true,
  configureBuckets: buckets.map((name) => ({ name })),
});

server.run().then(
  ({ port }) => process.stdout.write(`${JSON.stringify({ port })}\n`),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
process.stdin.on('end', () => process.exit(0)).resume();
