import { renderStatus } from '../../../cli/status-screen.js';
import { DRIFT_KINDS, type ReconcilePlan } from '../../../shared/core/reconcile-plan.js';
import type { ReconcileReport } from '../../../shared/core/reconcile.js';
import { summarizeRun } from '../../../shared/core/run-summary.js';
import { verdict, type StatusFacts } from '../../../shared/core/status.js';

const drift = Object.fromEntries(DRIFT_KINDS.map((k) => [k, 0])) as ReconcilePlan['drift'];
const plan: ReconcilePlan = {
  users: 12, links: 9, inSync: 7, actions: [], knownFailures: [], unlinkedMembers: [], unassignedGroups: [], missingGroups: [],
  drift: { ...drift, 'sign-in-mismatch': 2 },
  signInProblems: [
    { connectUserId: 'c-1', username: 'a@example.com', identityUserId: 'u-1', code: 'SIGN_IN_NAME_MISMATCH' },
    { connectUserId: 'c-2', username: 'b@example.com', identityUserId: 'u-2', code: 'IDENTITY_DISABLED' },
  ],
  unmapped: 3,
  linkWrites: [],
  adoption: { matched: 40, linkOnly: 30, toWrite: 10 },
};
const report: ReconcileReport = { plan, results: [], deferred: 0, unlinkedAfter: [], unlinkedRemoved: 0, failed: 0 };

describe('the run summary and status: who cannot sign in, and the first run\'s progress', () => {
  it('counts the agents who cannot sign in by reason, and the adoption, from the plan', () => {
    const run = summarizeRun(report, { instanceId: 'i', trigger: 'schedule', startedAt: new Date(0), finishedAt: new Date(1000), knownFailures: 1 });

    expect(run.cannotSignIn).toEqual({ SIGN_IN_NAME_MISMATCH: 1, IDENTITY_DISABLED: 1, UNMAPPED: 3 });
    expect(run.adoption).toEqual({ matched: 40, linkOnly: 30, toWrite: 10 });
  });

  it('status shows them in the last reconcile\'s section, and sends the operator to the mismatch first among drift', () => {
    const run = summarizeRun(report, { instanceId: 'i', trigger: 'schedule', startedAt: new Date('2026-12-02T09:00:00Z'), finishedAt: new Date('2026-12-02T09:00:10Z'), knownFailures: 0 });
    const facts: StatusFacts = {
      checkedAt: new Date('2026-12-02T10:00:00Z'),
      config: { stage: 'prod', instanceId: 'i', identityStoreId: 'd-1234567890', assignmentMode: 'group', createUsers: true, deprovision: 'membership', updateIdentity: 'created', signInAttribute: 'email', managedGroups: [], protectedGroups: [] },
      outcomes: [], syncQueue: { visible: 0, inFlight: 0 }, deadLetters: [], lastRun: run, alarms: [], subscription: 'confirmed', dashboardUrl: 'https://example.invalid',
    };

    const v = verdict(facts);
    const lines = renderStatus(facts, v);

    expect(lines).toContain('  cannot sign in 5: sign-in name mismatch 1, identity disabled 1, unmapped (no group) 3, known failures 0');
    expect(lines).toContain('  adoption: 40 unlinked user(s) matched by the Identity Store listing, 30 linked at once, 10 to write in Identity Center');
    expect(v.line).toMatch(/^1 linked agent\(s\) cannot sign in: the identity's sign-in name is not exactly the Connect Username/);
  });
});
