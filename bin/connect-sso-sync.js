#!/usr/bin/env node
// Operator CLI entry: runs the TypeScript sources through tsx, so the commands use the same core and adapters as
// the Lambdas without a separate build step. Calls main itself: run through a node_modules/.bin symlink (npx, npm
// install), neither require.main nor process.argv[1] names cli/main.ts or this file.
require('tsx/cjs');
const { main } = require('../cli/main.ts');
const { processIo } = require('../cli/io.ts');

void main(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
