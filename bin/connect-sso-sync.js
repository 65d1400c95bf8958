#!/usr/bin/env node
// Operator CLI entry: runs the TypeScript sources through tsx, so the commands use the same core and adapters as
// the Lambdas without a separate build step.
require('tsx/cjs');
require('../cli/main.ts');
