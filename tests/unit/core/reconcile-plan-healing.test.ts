/**
 * Known failures heal, nothing is left behind (issue 21): the reconcile plan takes back the claims of a sync that died
 * before its link, retries a remembered failure after a back-off that grows (1 h, 2 h, ... a day) or when the identity
 * it names is no longer held, and queues a deprovision that failed for good only when its back-off is over.
 */
import { BACKOFF_CAP_MS, retryDueAt } from '../../../shared/core/known-failures.js';
import type { KnownFailure, Link } from '../../../shared/core/ports/index.js';
import { planReconcile, type ConnectUserRow, type PlanInput } from '../../../shared/core/reconcile-plan.js';

const AGENTS = 'g-agents';
const HOUR = 3_600_000;
const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const at = (ms: number) => new Date(ms).toISOString();
const user = (n: number): ConnectUserRow => ({ id: `c-${n}`, username: `agent${n}@example.com`, lastModifiedTime: at(T0 - HOUR) });
const link = (n: number): Link => ({
  instanceId: 'i-1',
  connectUserId: `c-${n}`,
  identityUserId: `u-${n}`,
  created: true,
  groupIds: [AGENTS],
  createdAt: at(T0 - HOUR),
  updatedAt: at(T0 - HOUR),
});

function input(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    connectUsers: new Map([1, 2].map((n) => [`c-${n}`, user(n)])),
    links: new Map([1, 2].map((n) => [`c-${n}`, link(n)])),
    managed: new Map([['ConnectAgents', AGENTS]]),
    members: new Map([[AGENTS, new Set(['u-1', 'u-2'])]]),
    failures: new Map(),
    wantedNames: () => ['ConnectAgents'],
    assignmentMode: 'none',
    ...overrides,
  };
}

const failure = (code: string, attempts: number, lastAt = T0, extra: Partial<KnownFailure> = {}): KnownFailure => ({
  code,
  since: at(T0 - 10 * HOUR),
  connectModifiedAt: at(T0 - HOUR),
  attempts,
  lastAt: at(lastAt),
  ...extra,
});

describe('back-off', () => {
  it('grows 1 h, 2 h, 4 h, ... and is capped at a day', () => {
    const waits = [1, 2, 3, 4, 5, 6, 12].map((n) => (retryDueAt(failure('NO_EMAIL', n)) - T0) / HOUR);

    expect(waits).toEqual([1, 2, 4, 8, 16, 24, 24]);
    expect(BACKOFF_CAP_MS).toBe(24 * HOUR);
  });

  it('keeps an unchanged failure off the plan until its back-off is over, then plans it once more', () => {
    // c-3 never synced (no link); its sync failed twice: next try 2 h after the last.
    const connectUsers = new Map([...input().connectUsers, ['c-3', user(3)]]);
    const failures = new Map([['c-3', failure('AMBIGUOUS_MATCH', 2)]]);
    const planAt = (now: number) => planReconcile(input({ connectUsers, failures, now }));

    const early = planAt(T0 + HOUR);
    const due = planAt(T0 + 2 * HOUR);

    expect(early.actions).toEqual([]);
    expect(early.knownFailures).toEqual([expect.objectContaining({ connectUserId: 'c-3', step: 'sync', retryAt: at(T0 + 2 * HOUR) })]);
    expect(due.actions).toEqual([{ connectUserId: 'c-3', username: 'agent3@example.com', action: 'sync', drift: ['missing-link'] }]);
    expect(due.knownFailures).toEqual([]);
  });
});

describe('a failure naming an identity', () => {
  const connectUsers = new Map([...input().connectUsers, ['c-3', user(3)]]);
  // c-3 wanted u-1, which c-1 holds.
  const failures = new Map([['c-3', failure('IDENTITY_ALREADY_LINKED', 1, T0, { identityUserId: 'u-1' })]]);

  it('is not retried while a live Connect user holds the identity', () => {
    expect(planReconcile(input({ connectUsers, failures, now: T0 })).knownFailures.map((f) => f.connectUserId)).toEqual(['c-3']);
  });

  it('is retried once the holder is gone (deprovisioned in the same plan) or holds it no more', () => {
    const holderGone = new Map([...connectUsers].filter(([id]) => id !== 'c-1'));
    const released = new Map([...input().links].filter(([id]) => id !== 'c-1'));

    const a = planReconcile(input({ connectUsers: holderGone, failures, now: T0 }));
    const b = planReconcile(input({ connectUsers, links: released, failures, now: T0 }));

    expect(a.actions.map((x) => `${x.action}:${x.connectUserId}`)).toEqual(['deprovision:c-1', 'sync:c-3']);
    expect(b.actions.map((x) => `${x.action}:${x.connectUserId}`)).toContain('sync:c-3');
  });
});

describe('what a half-way sync left', () => {
  it('deprovisions the claims of a Connect user gone that never got a link, and counts its identity as explained', () => {
    // c-9 claimed u-9 and put it in ConnectAgents, then died before the link; then it was deleted in Connect.
    const members = new Map([[AGENTS, new Set(['u-1', 'u-2', 'u-9'])]]);
    const plan = planReconcile(input({ members, unlinkedClaims: new Map([['c-9', ['u-9']]]), now: T0 }));

    expect(plan.actions).toEqual([{ connectUserId: 'c-9', action: 'deprovision', drift: ['deleted-connect-user'] }]);
    expect(plan.unlinkedMembers).toEqual([]);
  });

  it('leaves the claims of a live Connect user to its sync (missing-link)', () => {
    const connectUsers = new Map([...input().connectUsers, ['c-9', user(9)]]);
    const plan = planReconcile(input({ connectUsers, unlinkedClaims: new Map([['c-9', ['u-9']]]) }));

    expect(plan.actions).toEqual([{ connectUserId: 'c-9', username: 'agent9@example.com', action: 'sync', drift: ['missing-link'] }]);
  });
});

describe('a deprovision that failed for good (PROTECTED_IDENTITY)', () => {
  const gone = new Map([...input().connectUsers].filter(([id]) => id !== 'c-2'));
  const deprovisionFailures = new Map([['c-2', failure('PROTECTED_IDENTITY', 1)]]);

  it('is listed, not queued, within its back-off: one dead letter, not one an hour', () => {
    const plan = planReconcile(input({ connectUsers: gone, deprovisionFailures, now: T0 + HOUR / 2 }));

    expect(plan.actions).toEqual([]);
    expect(plan.knownFailures).toEqual([expect.objectContaining({ connectUserId: 'c-2', step: 'deprovision', code: 'PROTECTED_IDENTITY', username: '' })]);
    // Drift counts what the run plans: the known failure is counted as such, not under drift as well.
    expect(plan.drift['deleted-connect-user']).toBe(0);
  });

  it('is queued again once its back-off is over, or when asked (--retry-failed)', () => {
    const due = planReconcile(input({ connectUsers: gone, deprovisionFailures, now: T0 + HOUR }));
    const asked = planReconcile(input({ connectUsers: gone, deprovisionFailures, now: T0, retryFailed: true }));

    expect(due.actions.map((a) => a.action)).toEqual(['deprovision']);
    expect(asked.actions.map((a) => a.action)).toEqual(['deprovision']);
  });
});
