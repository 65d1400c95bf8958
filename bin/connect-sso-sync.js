#!/usr/bin/env node
// Operator CLI entry: runs the TypeScript sources through tsx, so the commands use the same core and adapters as
// the Lambdas without a separate build step. Calls main itself: run through a node_modules/.bin symlink (npx, npm
// install), neither require.main nor process.argv[1] names cli/main.ts or this file.
require('tsx/cjs');
const { main } = require('../cli/main.ts');
const { processIo } = require('../cli/io.ts');
const { shortenSdkNodeWarning } = require('../cli/aws.ts');

const io = processIo();
// One line instead of the AWS SDK's eight-line Node version warning (see cli/aws.ts).
shortenSdkNodeWarning(io.err);
void main(process.argv.slice(2), io).then((code) => {
  process.exitCode = code;
});
