/** What reconcile prints: each row and the summary tell the same story, and the tables stay aligned. */
import { printResult, printSummary } from '../../../cli/reconcile-output.js';
import { DRIFT_KINDS, type ReconcilePlan } from '../../../shared/core/reconcile-plan.js';
import type { ReconcileReport } from '../../../shared/core/reconcile.js';
import type { ReconcileConfig } from '../../../shared/config/operator-config.js';
import { recordingIo } from './io-helpers.js';

const drift = Object.fromEntries(DRIFT_KINDS.map((k) => [k, 0])) as ReconcilePlan['drift'];
const plan = (over: Partial<ReconcilePlan> = {}): ReconcilePlan => ({
  users: 3, links: 3, inSync: 2, actions: [], knownFailures: [], unlinkedMembers: [], unassignedGroups: [], missingGroups: [], drift, signInProblems: [], unmapped: 0, linkWrites: [], ...over,
});
const report = (p: ReconcilePlan, over: Partial<ReconcileReport> = {}): ReconcileReport => ({
  plan: p, results: [], deferred: 0, unlinkedAfter: p.unlinkedMembers, unlinkedRemoved: 0, failed: 0, ...over,
});
const config = {} as ReconcileConfig;

describe('reconcile --apply output', () => {
  it('a deprovision row names its user as the plan does: (deleted in Connect), not an empty USERNAME', () => {
    const io = recordingIo();

    printResult({ subject: 'c-gone', action: 'deprovision', drift: ['deleted-connect-user'], outcome: 'deprovisioned' }, false, io);

    expect(io.stdout).toEqual([expect.stringMatching(/^c-gone\s+\(deleted in Connect\)\s+deprovision\s+deprovisioned$/)]);
  });

  it('the summary says what the group\'s row says: already-assigned, not "assigned"', () => {
    const p = plan({ unassignedGroups: [{ groupId: 'g-1', groupName: 'ConnectAgents' }, { groupId: 'g-2', groupName: 'ConnectSupervisors' }] });
    const results = [
      { subject: 'g-1', label: 'ConnectAgents', action: 'assign-group' as const, drift: [], outcome: 'already-assigned' },
      { subject: 'g-2', label: 'ConnectSupervisors', action: 'assign-group' as const, drift: [], outcome: 'failed', code: 'ACCESS_DENIED' },
    ];
    const io = recordingIo();

    printSummary(report(p, { results, failed: 1 }), config, true, false, io, new Map());

    expect(io.stdout).toContain('Managed group ConnectAgents is not assigned to the application: already-assigned.');
    expect(io.stdout).toContain('Managed group ConnectSupervisors is not assigned to the application: not assigned (failed ACCESS_DENIED).');
  });

  it('a group held back by a remembered ASSIGNMENT_UNSUPPORTED is said to be, in a dry run and applied: not "would be assigned"', () => {
    const p = plan({ unassignedGroups: [{ groupId: 'g-1', groupName: 'ConnectAgents', heldBack: 'ASSIGNMENT_UNSUPPORTED' }] });
    const lines = (applied: boolean) => {
      const io = recordingIo();
      printSummary(report(p), config, applied, false, io, new Map());
      return io.stdout.filter((l) => l.startsWith('Managed group'));
    };

    expect(lines(false)).toEqual(['Managed group ConnectAgents is not assigned to the application: not to be assigned (known failure ASSIGNMENT_UNSUPPORTED, tried again after its back-off or with --retry-failed).']);
    expect(lines(true)).toEqual(['Managed group ConnectAgents is not assigned to the application: not assigned (known failure ASSIGNMENT_UNSUPPORTED, tried again after its back-off or with --retry-failed).']);
  });

  it('the unlinked members are a table whose columns line up, whatever the length of the group names', () => {
    const members = [
      { identityUserId: '906711aaaa-11111111-2222-4333-8444-555566667777', groupId: 'g-1', groupName: 'ConnectAgents' },
      { identityUserId: '906711aaaa-88888888-9999-4aaa-8bbb-ccccddddeeee', groupId: 'g-2', groupName: 'Contact Centre Supervisors (EMEA night shift)' },
    ];
    const io = recordingIo();

    printSummary(report(plan({ unlinkedMembers: members })), config, false, false, io, new Map([[members[0]?.identityUserId ?? '', 'stranger']]));

    const table = io.stdout.slice(io.stdout.findIndex((l) => l.includes('IDENTITY CENTER USER ID')));
    const column = (line: string) => line.indexOf('906711aaaa');
    expect(table[0]).toMatch(/^ {2}GROUP\s+IDENTITY CENTER USER ID\s+USER NAME$/);
    expect(column(table[1] ?? '')).toBe(column(table[2] ?? ''));
    expect(column(table[1] ?? '')).toBe(table[0]?.indexOf('IDENTITY CENTER USER ID'));
    expect(table[1]).toMatch(/stranger$/);
  });
});

describe('reconcile --apply rows: the ACTION column', () => {
  it('shows every action name whole, remove-unlinked included, and keeps the OUTCOME column aligned', () => {
    const io = recordingIo();
    const rows = (['sync', 'update', 'deprovision', 'assign-group', 'remove-unlinked'] as const).map((action) => ({ subject: 'x', label: 'y', action, drift: [], outcome: 'done' }));

    for (const row of rows) printResult(row, false, io);

    expect(io.stdout.map((line) => line.split(/\s{2,}/)[2])).toEqual(['sync', 'update', 'deprovision', 'assign-group', 'remove-unlinked']);
    expect(new Set(io.stdout.map((line) => line.indexOf('done'))).size).toBe(1);
  });
});

