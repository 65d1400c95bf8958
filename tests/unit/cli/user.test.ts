import { main } from '../../../cli/main.js';
import { recordingIo } from './io-helpers.js';

const ENV = {
  CONNECT_INSTANCE_ID: '4c8b2f3e-9d1a-4b6e-8f2a-7c3d5e9b1a20',
  IDENTITY_STORE_ID: 'd-1234567890',
  LINKS_TABLE: 'connect-sso-sync-test-links',
  ASSIGNMENT_MODE: 'none',
  UPDATE_IDENTITY: 'none',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIAUNITTEST00000000',
  AWS_SECRET_ACCESS_KEY: 'unit',
};

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
