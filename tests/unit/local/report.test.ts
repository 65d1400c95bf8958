import { printReport, signInCell, type Report } from '../../../local/report.js';

const report: Report = {
  users: [
    { username: 'night_shift_07', result: 'failed: NO_EMAIL', signIn: 'no identity', groups: [] },
    { username: 'dana.smith@example.com', result: 'linked', signIn: 'signs in', identity: 'dsmith (dana.smith@example.com)', groups: ['ConnectAgents', 'ConnectSupervisors'] },
    { username: 'qa.lead@example.com', result: 'unmapped: no group, cannot sign in', signIn: 'no identity', groups: [] },
  ],
  assignments: [],
  deadLetters: [{ connectUser: 'night_shift_07', code: 'NO_EMAIL', message: 'no email' }],
  eventsDeadLetters: 0,
};

function print(options?: { serving?: boolean; csv?: string }): string[] {
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

  it('after --csv FILE, says to run again with that file: the default one has other users', () => {
    const lines = print({ csv: 'uploads/march 2026.csv' });

    expect(lines).toContain(
      "  To replay: run npm start -- --serve --csv 'uploads/march 2026.csv', then in another terminal export the printed variables and run: npx connect-sso-sync replay run",
    );
    expect(lines).toContain("  Why night_shift_07? with npm start -- --serve --csv 'uploads/march 2026.csv': npx connect-sso-sync user night_shift_07");
    expect(print({ csv: 'my-upload.csv' })).toContain(
      '  To replay: run npm start -- --serve --csv my-upload.csv, then in another terminal export the printed variables and run: npx connect-sso-sync replay run',
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

    expect(lines).toContain('  CONNECT USER            SYNC                                SIGN-IN      IDENTITY CENTER USER             GROUPS');
    expect(lines).toContain('  dana.smith@example.com  linked                              signs in     dsmith (dana.smith@example.com)  ConnectAgents, ConnectSupervisors');
    expect(lines).toContain('  night_shift_07          failed: NO_EMAIL                    no identity  -                                -');
    expect(lines).toContain('  qa.lead@example.com     unmapped: no group, cannot sign in  no identity  -                                -');
    expect(lines).toContain('  0 created, 1 linked to an existing person, 0 deprovisioned, 1 failed, 1 unmapped, 0 not synced');
    expect(lines).toContain('  1 of 3 agents in Connect can sign in');
  });
});

describe('the report\'s sign-in column', () => {
  const usernameOf = (id: string) => ({ 'id-maria': 'maria@example.com', 'id-other': 'other@example.com' })[id] ?? id;

  it('says what the simulation answered, in the agent\'s terms', () => {
    expect(signInCell({ result: 'SIGNED_IN', connectUserId: 'id-maria', roleSessionName: 'maria@example.com', message: '' }, 'maria@example.com', usernameOf)).toBe('signs in');
    expect(signInCell({ result: 'SIGNED_IN', connectUserId: 'id-other', roleSessionName: 'other@example.com', message: '' }, 'maria@example.com', usernameOf)).toBe('signs in as other@example.com');
    expect(signInCell({ result: 'NOT_ONBOARDED', roleSessionName: 'maria.lopez@example.com', message: '' }, 'Maria.Lopez@Example.com', usernameOf))
      .toBe('not onboarded (no Connect user named exactly maria.lopez@example.com)');
    expect(signInCell({ result: 'NOT_ASSIGNED', message: '' }, 'x', usernameOf)).toBe('application not assigned');
    expect(signInCell({ result: 'DISABLED', message: '' }, 'x', usernameOf)).toBe('disabled');
    expect(signInCell({ result: 'NO_IDENTITY', message: '' }, 'x', usernameOf)).toBe('no identity');
    expect(signInCell({ result: 'INVALID_SESSION_NAME', roleSessionName: "o'brien@example.com", message: '' }, 'x', usernameOf)).toBe("refused: o'brien@example.com is no RoleSessionName");
  });
});

describe('the report\'s one-user advice', () => {
  it('names the command that explains the user that failed (with --serve, the command itself)', () => {
    expect(print({ serving: true })).toContain('  Why night_shift_07? npx connect-sso-sync user night_shift_07');
    expect(print()).toContain('  Why night_shift_07? with npm start -- --serve: npx connect-sso-sync user night_shift_07');
  });
});
