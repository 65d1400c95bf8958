#!/usr/bin/env node
'use strict';
/**
 * `osls <args>`, with its errors readable: when osls stops because a variable could not be resolved (a stage
 * parameter infra/params.js refused, a missing file, ...), its report wraps the message in its own words
 * ("Cannot resolve serverless.yml: Variables resolution errored with: - Cannot resolve variable at ...: Received
 * rejection: <message>"). This prints the message itself first, then osls's report as it was. Everything else passes
 * through unchanged, as it comes. Used by `npm run package` and `npm run deploy`.
 */
const { spawn } = require('node:child_process');
const { paramOptionProblems } = require('./params.js');

/** The values of every --param in `args` (`--param=name=value` or `--param name=value`). */
function paramValues(args) {
  const values = [];
  args.forEach((arg, i) => {
    if (arg.startsWith('--param=')) values.push(arg.slice('--param='.length));
    else if (arg === '--param' && i + 1 < args.length) values.push(args[i + 1]);
  });
  return values;
}

/** The messages of a variable resolution failure in osls's output; [] when it is not one. */
function resolutionErrors(output) {
  if (!/Variables resolution errored with:/.test(output)) return [];
  const block = output.slice(output.indexOf('Variables resolution errored with:'));
  return block
    .split('\n')
    .filter((line) => /^\s+- /.test(line))
    .map((line) => {
      const rejected = /Received rejection: (.+)$/.exec(line);
      return (rejected ? rejected[1] : line.replace(/^\s+- /, '')).trim();
    });
}

function run(args) {
  // A --param osls cannot read: said here, naming it, instead of osls's report blaming the first setting it resolves.
  const unreadable = paramOptionProblems(paramValues(args));
  if (unreadable.length > 0) {
    process.stderr.write(`${unreadable.map((m) => `connect-sso-sync: ${m}`).join('\n')}\n`);
    process.exitCode = 2;
    return;
  }
  const child = spawn(process.execPath, [require.resolve('osls/bin/serverless.js'), ...args], { stdio: ['inherit', 'pipe', 'pipe'] });
  // osls's error report starts with a line "Error:": from there on, output is held back until osls exits.
  let held = '';
  const relay = (stream) => (chunk) => {
    const text = chunk.toString('utf8');
    if (held || /(^|\n)Error:\n/.test(text)) {
      const at = held ? 0 : text.search(/(^|\n)Error:\n/);
      if (!held) stream.write(text.slice(0, at));
      held += text.slice(at);
      return;
    }
    stream.write(text);
  };
  child.stdout.on('data', relay(process.stdout));
  child.stderr.on('data', relay(process.stderr));
  child.on('close', (code) => {
    const messages = resolutionErrors(held);
    if (messages.length > 0) process.stderr.write(`\n${messages.map((m) => `connect-sso-sync: ${m}`).join('\n')}\n`);
    process.stdout.write(held);
    process.exitCode = code ?? 1;
  });
}

module.exports = { resolutionErrors, paramValues };
if (require.main === module) run(process.argv.slice(2));
