import packageJson from '../package.json';
import { describeFailure, shortenSdkNodeWarning } from './aws.js';
import { runDoctor } from './doctor.js';
import { processIo, type CliIo } from './io.js';
import { EXIT_CODES, exitCodeOf, type Outcome } from './outcome.js';
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

Run connect-sso-sync <command> --help for a command's options; connect-sso-sync --version (-v) prints the version.
Exit status: 0 done and nothing is wrong, 1 done and something is wrong (see the command's help), 2 could not do
its work (usage, configuration, credentials, an AWS error that stopped it).`;

export type Command = (argv: string[], io: CliIo) => Promise<Outcome>;

const COMMANDS: Record<string, Command> = { replay: runReplay, reconcile: runReconcile, doctor: runDoctor, status: runStatus, user: runUser };

/**
 * Runs one command line; resolves with the exit status. The one place that prints a command's failures and picks
 * its exit status (the policy: cli/outcome.ts). A command that throws could not do its work: one readable line on
 * stderr, exit 2.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(MAIN_HELP);
    return command === undefined ? EXIT_CODES.unchecked : EXIT_CODES.ok;
  }
  if (command === '--version' || command === '-v') {
    io.out(packageJson.version);
    return EXIT_CODES.ok;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.err(`unknown command "${command}" (expected status, replay, reconcile, doctor or user)\nRun connect-sso-sync --help for usage.`);
    return EXIT_CODES.unchecked;
  }
  return runCommand(command, run, rest, io);
}

/** Runs one command: its failures on stderr after its report, then the exit status of its outcome; a throw is 2. */
export async function runCommand(name: string, run: Command, argv: string[], io: CliIo): Promise<number> {
  let outcome: Outcome;
  try {
    outcome = await run(argv, io);
  } catch (error) {
    io.err(`connect-sso-sync ${name}: ${describeFailure(error).message}`);
    return EXIT_CODES.unchecked;
  }
  for (const line of outcome.failures ?? []) io.err(line);
  return exitCodeOf(outcome);
}

// `tsx cli/main.ts` (npm run doctor|replay|reconcile); bin/connect-sso-sync.js calls main itself.
if (require.main === module) {
  const io = processIo();
  shortenSdkNodeWarning(io.err);
  void main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
