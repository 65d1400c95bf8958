import { printReport, type Report } from '../../../local/report.js';

const report: Report = {
  users: [{ username: 'night_shift_07', connectUserId: 'u-1', result: 'dead-lettered', inAgentsGroup: false, deadLetter: { code: 'NO_EMAIL', message: 'no email' } }],
  assignments: [],
  deadLetters: [{ connectUser: 'night_shift_07', code: 'NO_EMAIL', message: 'no email' }],
  eventsDeadLetters: 0,
};

function print(options?: { serving?: boolean }): string[] {
  const lines: string[] = [];
  printReport(report, 'ConnectAgents', (line) => lines.push(line), options);
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
