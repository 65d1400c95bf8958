import { printReport, type Report } from '../../../local/report.js';

const report: Report = {
  users: [
    { username: 'night_shift_07', result: 'failed: NO_EMAIL', groups: [] },
    { username: 'dana.smith@example.com', result: 'linked', identity: 'dsmith (dana.smith@example.com)', groups: ['ConnectAgents', 'ConnectSupervisors'] },
  ],
  assignments: [],
  deadLetters: [{ connectUser: 'night_shift_07', code: 'NO_EMAIL', message: 'no email' }],
  eventsDeadLetters: 0,
};

function print(options?: { serving?: boolean }): string[] {
  const lines: string[] = [];
  printReport(report, (line) => lines.push(line), options);
  return lines;
}

describe('the report\'s replay advice', () => {
  it('without --serve (the emulator stops with the demo), says how to get one that keeps running', () => {
    expect(print()).toContain(
      '  To replay: run npm start -- --serve, then in another terminal export the printed variables and run: npx connect-sso-sync replay run',
    );
  });

  it('with --serve, gives the replay command itself', () => {
    const lines = print({ serving: true });

    expect(lines).toContain('  Fix the cause, then (with the variables printed below exported): npx connect-sso-sync replay run');
    expect(lines.join('\n')).not.toContain('npm start -- --serve');
  });
});

describe('the report\'s table', () => {
  it('lists each Connect user with its Identity Center user and its groups, and counts the results', () => {
    const lines = print();

    expect(lines).toContain('  dana.smith@example.com  linked            dsmith (dana.smith@example.com)  ConnectAgents, ConnectSupervisors');
    expect(lines).toContain('  night_shift_07          failed: NO_EMAIL  -                                -');
    expect(lines).toContain('  0 created, 1 linked to an existing person, 0 deprovisioned, 1 failed, 0 not synced');
  });
});

describe('the report\'s one-user advice', () => {
  it('names the command that explains the user that failed (with --serve, the command itself)', () => {
    expect(print({ serving: true })).toContain('  Why night_shift_07? npx connect-sso-sync user night_shift_07');
    expect(print()).toContain('  Why night_shift_07? with npm start -- --serve: npx connect-sso-sync user night_shift_07');
  });
});
