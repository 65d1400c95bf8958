import packageJson from '../package.json';
import { describeFailure, shortenSdkNodeWarning } from './aws.js';
import { runDoctor } from './doctor.js';
import { EXIT, processIo, type CliIo } from './io.js';
import { runReconcile } from './reconcile.js';
import { runReplay } from './replay.js';
import { runStatus } from './status.js';
import { runUser } from './user.js';

export const MAIN_HELP = `Usage: connect-sso-sync <command> [options]

Operator commands for connect-sso-sync. They use the caller's AWS credentials (AWS_PROFILE, ...) and the same
configuration variables as the deployed function.

Commands:
  status      is it working, and what needs me? one screen: events, queues, dead letters, last reconcile, alarms
  replay      list the dead-letter queues, replay failed syncs to the sync queue
  reconcile   bring every Connect user into Identity Center (dry run by default), report drift
  doctor      check a configuration against the account before deploying (read-only)
  user        why can't this agent sign in? one user end to end, and provision it on demand (--apply)

Run connect-sso-sync <command> --help for a command's options; connect-sso-sync --version (-v) prints the version.`;

const COMMANDS: Record<string, (argv: string[], io: CliIo) => Promise<number>> = {
  replay: runReplay,
  reconcile: runReconcile,
  doctor: runDoctor,
  status: runStatus,
  user: runUser,
};

/** Runs one command line; resolves with the exit status. Errors become one readable line on stderr. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(MAIN_HELP);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === '--version' || command === '-v') {
    io.out(packageJson.version);
    return EXIT.ok;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.err(`unknown command "${command}" (expected status, replay, reconcile, doctor or user)\nRun connect-sso-sync --help for usage.`);
    return EXIT.usage;
  }
  try {
    return await run(rest, io);
  } catch (error) {
    const failure = describeFailure(error);
    io.err(`connect-sso-sync ${command}: ${failure.message}`);
    // status: 1 means "needs attention", so a status that could not check at all says 2.
    return failure.usage || command === 'status' ? EXIT.usage : EXIT.failed;
  }
}

// `tsx cli/main.ts` (npm run doctor|replay|reconcile); bin/connect-sso-sync.js calls main itself.
if (require.main === module) {
  const io = processIo();
  shortenSdkNodeWarning(io.err);
  void main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
