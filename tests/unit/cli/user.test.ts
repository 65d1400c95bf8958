import { main } from '../../../cli/main.js';
import { CLI_ENV as ENV, recordingIo } from './io-helpers.js';

describe('connect-sso-sync user: usage', () => {
  it('--help prints its usage, the exit codes and the cost of an email search (exit 0)', async () => {
    const io = recordingIo();

    const code = await main(['user', '--help'], io);

    expect(code).toBe(0);
    expect(io.text()).toContain('Usage: connect-sso-sync user <username | Connect user id | email>');
    expect(io.text()).toContain('Exit status: 0 the user can sign in as mapped, 1 it cannot');
    expect(io.text()).toContain('at most 20 DescribeUser');
  });

  it('two users, an unknown flag or a missing variable: one line and exit 2', async () => {
    const two = recordingIo(ENV);
    const flag = recordingIo(ENV);
    const config = recordingIo({ ...ENV, LINKS_TABLE: '' });

    expect(await main(['user', 'a', 'b'], two)).toBe(2);
    expect(await main(['user', 'a', '--fix'], flag)).toBe(2);
    expect(await main(['user', 'a'], config)).toBe(2);
    expect(two.stderr[0]).toBe('connect-sso-sync user: unexpected argument "b" (one user at a time)\nRun with --help for usage.');
    expect(flag.stderr[0]).toMatch(/^connect-sso-sync user: .*'--fix'/);
    expect(config.stderr[0]).toMatch(/LINKS_TABLE/);
  });
});
