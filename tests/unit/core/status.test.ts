/** The status verdict: the first thing that needs the operator, in order of harm, and the exit code it maps to. */
import { sparkline } from '../../../cli/status-screen.js';
import { verdict, type StatusFacts } from '../../../shared/core/status.js';

const NOW = new Date('2026-12-02T10:00:00Z');
const healthy = (): StatusFacts => ({
  checkedAt: NOW,
  config: { stage: 'prod', instanceId: 'i', identityStoreId: 'd-1234567890', assignmentMode: 'group', createUsers: true, deprovision: 'membership', updateIdentity: 'created', signInAttribute: 'email', managedGroups: [], protectedGroups: [] },
  outcomes: [{ outcome: 'created', metric: 'UsersCreated', hourly: [...new Array<number>(23).fill(0), 2], total: 2 }],
  syncQueue: { visible: 0, inFlight: 0 },
  deadLetters: [],
  lastRun: undefined,
  alarms: [{ name: 'a', state: 'OK' }],
  subscription: 'confirmed',
  dashboardUrl: 'https://example.invalid',
});

describe('verdict', () => {
  it('is healthy with nothing to do', () => {
    expect(verdict(healthy())).toEqual({ health: 'healthy', line: 'healthy' });
  });

  it('names the oldest dead-letter group first, with its fix and replay command (events-dlq: by queue)', () => {
    const f = healthy();
    f.deadLetters = [
      { queue: 'sync-dlq', code: 'NO_EMAIL', count: 3, oldest: new Date('2026-12-02T09:12:00Z') },
      { queue: 'events-dlq', code: 'SQS_PERMISSIONS_ERROR', count: 1, oldest: new Date('2026-12-01T08:00:00Z') },
    ];
    f.alarms = [{ name: 'a', state: 'ALARM' }];

    expect(verdict(f)).toEqual({
      health: 'attention',
      line: '1 SQS_PERMISSIONS_ERROR in the events dead-letter queue since 2026-12-01 08:00 UTC: fix the cause (connect-sso-sync replay list shows each reason), then `connect-sso-sync replay run --queue events-dlq`',
    });
    f.deadLetters = f.deadLetters.slice(0, 1);
    expect(verdict(f).line).toBe('3 NO_EMAIL in the dead-letter queue since 09:12 UTC: on a SAML instance re-create those Connect users with their email as Username (or set SIGN_IN_ATTRIBUTE=userName if the application sends the UserName); elsewhere add emails in Connect, then `connect-sso-sync replay run --code NO_EMAIL`');
    expect(verdict(f).health).toBe('attention');
  });

  it('a backlog is news only when it is old or nothing was processed in the last hour', () => {
    const young = healthy();
    young.syncQueue = { visible: 5, inFlight: 2, oldestAgeSeconds: 30 };
    const old = healthy();
    old.syncQueue = { visible: 5, inFlight: 0, oldestAgeSeconds: 20 * 60 };

    expect(verdict(young).health).toBe('healthy');
    expect(verdict(old).line).toBe('5 message(s) in the sync queue, the oldest 20 min old: is the syncUser function failing? (its errors are on the dashboard)');
  });

  it('reports the last reconcile\'s failures before its drift, and known permanent failures', () => {
    const f = healthy();
    const run = {
      instanceId: 'i', trigger: 'schedule' as const, startedAt: '2026-12-02T09:00:00Z', finishedAt: '2026-12-02T09:00:12Z', durationMs: 12_000,
      users: 10, links: 10, inSync: 9, drift: { 'missing-link': 1, 'deleted-connect-user': 0, 'missing-membership': 0, 'extra-membership': 0, 'profile-change': 0, 'user-unassigned': 0, 'sign-in-mismatch': 0 },
      acted: 1, deferred: 0, failed: 0, unlinkedMembers: 0, unassignedGroups: 0, missingGroups: 0, knownFailures: 0,
    };
    f.lastRun = { ...run, failed: 2 };
    expect(verdict(f).line).toBe('the last reconcile (09:00 UTC) had 2 failed action(s): run `connect-sso-sync reconcile` to see them');
    f.lastRun = { ...run, knownFailures: 4 };
    expect(verdict(f).line).toBe(
      '4 Connect user(s) failed for good (each retried after a back-off of up to a day, or once its cause changes): ' +
        'fix the cause, then `connect-sso-sync reconcile --apply --retry-failed` (`connect-sso-sync reconcile` lists them)',
    );
    expect(verdict(f).line).not.toContain('replay');
    f.lastRun = run;
    expect(verdict(f).line).toMatch(/^the last reconcile \(09:00 UTC\) found drift \(1 missing-link\)/);
  });

  it('says what it could not check when nothing else needs attention', () => {
    const f = healthy();
    f.alarms = { error: 'cannot reach 127.0.0.1:9 (connection refused)' };
    f.outcomes = { error: 'AccessDenied' };

    expect(verdict(f)).toEqual({ health: 'unknown', line: 'could not check outcomes, alarms (see above)' });
  });
});

describe('sparkline', () => {
  it('one mark per value, scaled to the largest, a blank for zero', () => {
    expect(sparkline([0, 1, 2, 4, 8])).toBe(' ▁▂▄█');
    expect(sparkline([0, 0])).toBe('  ');
  });
});
