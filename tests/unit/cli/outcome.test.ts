import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main, runCommand, type Command } from '../../../cli/main.js';
import { UsageError } from '../../../cli/io.js';
import { EXIT_CODES, exitCodeOf, ok, okUnless, problem, unchecked } from '../../../cli/outcome.js';
import { statusOutcome } from '../../../cli/status.js';
import { outcomeOf } from '../../../cli/user.js';
import { ConfigError } from '../../../shared/config/config.js';
import { PermanentError } from '../../../shared/core/errors.js';
import { recordingIo } from './io-helpers.js';

/** The exit-status policy of every command (README, "Operator commands"): main alone prints failures and picks it. */
describe('one exit-status policy', () => {
  it('0 done and nothing wrong, 1 done and something is wrong, 2 could not do its work', () => {
    expect(EXIT_CODES).toEqual({ ok: 0, problem: 1, unchecked: 2 });
    expect([ok(), problem(), unchecked()].map(exitCodeOf)).toEqual([0, 1, 2]);
    expect([okUnless(false), okUnless(true)].map(exitCodeOf)).toEqual([0, 1]);
  });

  it('main prints a command\'s failures on stderr after its report, and exits by its outcome alone', async () => {
    const io = recordingIo();
    const replayed: Command = async (_argv, out) => {
      out.out('1 message(s) failed: they are still in the dead-letter queue (run again to retry).');
      return problem(['  failed m-1: AccessDenied']);
    };
    const noted: Command = async () => ok(['note: the run summary for status was not recorded (throttled)']);

    const failed = await runCommand('replay', replayed, [], io);
    const fine = await runCommand('reconcile', noted, [], io);

    expect([failed, fine]).toEqual([1, 0]);
    expect(io.stdout).toEqual(['1 message(s) failed: they are still in the dead-letter queue (run again to retry).']);
    expect(io.stderr).toEqual(['  failed m-1: AccessDenied', 'note: the run summary for status was not recorded (throttled)']);
  });

  it.each([
    ['wrong usage', new UsageError('--max must be a positive integer (got "x")'), 'connect-sso-sync replay: --max must be a positive integer (got "x")\nRun with --help for usage.'],
    ['configuration', new ConfigError('LINKS_TABLE is required'), 'connect-sso-sync reconcile: LINKS_TABLE is required'],
    ['an AWS error that stopped it', new PermanentError('ACCESS_DENIED', 'connect:ListUsers denied'), 'connect-sso-sync reconcile: ACCESS_DENIED: connect:ListUsers denied'],
    ['anything else', new Error('boom'), 'connect-sso-sync status: Error: boom'],
  ])('a command that throws (%s) could not do its work: one line on stderr, exit 2', async (_what, error, line) => {
    const io = recordingIo();
    const name = /^connect-sso-sync (\w+):/.exec(line)?.[1] ?? '';
    const throwing: Command = async () => {
      throw error;
    };

    const code = await runCommand(name, throwing, [], io);

    expect(code).toBe(2);
    expect(io.stderr).toEqual([line]);
    expect(io.stdout).toEqual([]);
  });

  it('status: healthy 0, needs attention 1, a source it could not read 2', () => {
    expect([statusOutcome('healthy'), statusOutcome('attention'), statusOutcome('unknown')].map(exitCodeOf)).toEqual([0, 1, 2]);
  });

  it('user: can sign in 0, cannot (or not as mapped) 1, a verdict it could not reach 2', () => {
    const verdict = { code: 'X', summary: 's' };

    expect(exitCodeOf(outcomeOf({ ...verdict, checked: true, canSignIn: true }))).toBe(0);
    expect(exitCodeOf(outcomeOf({ ...verdict, checked: true, canSignIn: false }))).toBe(1);
    expect(exitCodeOf(outcomeOf({ ...verdict, checked: true, canSignIn: false, partial: true }))).toBe(1);
    expect(exitCodeOf(outcomeOf({ ...verdict, checked: false, canSignIn: false }))).toBe(2);
  });

  it('an unknown command or none at all is wrong usage: exit 2', async () => {
    expect(await main(['sync-all'], recordingIo())).toBe(2);
    expect(await main([], recordingIo())).toBe(2);
  });

  it('the README has one exit-status table, with a row for every command main knows', async () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Operator commands'), readme.indexOf('### status'));
    const rows = section.split('\n').filter((line) => /^\| `\w+`/.test(line)).map((line) => /^\| `(\w+)`/.exec(line)?.[1]);
    const help = recordingIo();

    await main(['--help'], help);

    expect(section).toContain('| Command | 0 | 1 | 2 |');
    expect(rows.sort()).toEqual(['doctor', 'reconcile', 'replay', 'status', 'user']);
    const listed = help.stdout.join('\n').match(/^ {2}(\w+) {2,}/gm)?.map((s) => s.trim()).sort();
    expect(listed).toEqual(rows);
  });
});
