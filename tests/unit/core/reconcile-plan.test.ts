import { wantedGroupNames, type GroupMapping } from '../../../shared/core/plan-groups.js';
import type { Link } from '../../../shared/core/ports/index.js';
import { planReconcile, type ConnectUserRow, type PlanInput } from '../../../shared/core/reconcile-plan.js';
import { createIdentityIndex } from '../../../shared/core/sign-in-index.js';

const INSTANCE = 'i-1';
const AGENTS = 'g-agents';
const SUPERVISORS = 'g-sup';
const ADMINS = 'g-admins';
const PROFILE = { agent: 'sp-agent', manager: 'sp-manager', admin: 'sp-admin', analyst: 'sp-qa' };
const NAMES = new Map([
  [PROFILE.agent, 'Agent'],
  [PROFILE.manager, 'CallCenterManager'],
  [PROFILE.admin, 'Admin'],
  [PROFILE.analyst, 'QualityAnalyst'],
]);
const mapping: GroupMapping = {
  byProfile: new Map([
    ['Agent', ['ConnectAgents']],
    ['CallCenterManager', ['ConnectAgents', 'ConnectSupervisors']],
    ['Admin', ['ConnectAdmins']],
  ]),
  everyone: [],
};

const link = (n: number, groupIds: string[]): Link => ({
  instanceId: INSTANCE,
  connectUserId: `c-${n}`,
  identityUserId: `u-${n}`,
  created: true,
  groupIds,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});
const user = (n: number, profiles: string[]): ConnectUserRow => ({ id: `c-${n}`, username: `agent${n}@example.com`, securityProfileIds: profiles });

/** An instance of `n` users, all in sync: agents, every tenth a supervisor, every hundredth an admin. */
function inSync(n: number) {
  const connectUsers = new Map<string, ConnectUserRow>();
  const links = new Map<string, Link>();
  const members = new Map<string, Set<string>>([[AGENTS, new Set()], [SUPERVISORS, new Set()], [ADMINS, new Set()]]);
  for (let i = 0; i < n; i += 1) {
    const role = i % 100 === 0 ? 'admin' : i % 10 === 0 ? 'manager' : 'agent';
    connectUsers.set(`c-${i}`, user(i, [PROFILE[role]]));
    const groups = role === 'admin' ? [ADMINS] : role === 'manager' ? [AGENTS, SUPERVISORS] : [AGENTS];
    links.set(`c-${i}`, link(i, groups));
    for (const g of groups) members.get(g)?.add(`u-${i}`);
  }
  return { connectUsers, links, members };
}

function input(world: ReturnType<typeof inSync>, overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    ...world,
    failures: new Map(),
    managed: new Map([
      ['ConnectAgents', AGENTS],
      ['ConnectSupervisors', SUPERVISORS],
      ['ConnectAdmins', ADMINS],
    ]),
    assigned: new Set([`GROUP:${AGENTS}`, `GROUP:${SUPERVISORS}`, `GROUP:${ADMINS}`]),
    assignmentMode: 'group',
    wantedNames: (u) => wantedGroupNames(mapping, (u.securityProfileIds ?? []).map((id) => ({ id, name: NAMES.get(id) }))),
    ...overrides,
  };
}

describe('reconcile plan: users that agree everywhere', () => {
  it('plans nothing for an instance in sync', () => {
    const plan = planReconcile(input(inSync(1000)));

    expect(plan).toMatchObject({ users: 1000, links: 1000, inSync: 1000, actions: [], unlinkedMembers: [], unassignedGroups: [], missingGroups: [] });
  });
});

describe('reconcile plan: each drift kind alone', () => {
  it('syncs a Connect user without a link (missing-link)', () => {
    const world = inSync(10);
    world.links.delete('c-3');
    for (const m of world.members.values()) m.delete('u-3');

    const plan = planReconcile(input(world));

    expect(plan.actions).toEqual([{ connectUserId: 'c-3', username: 'agent3@example.com', action: 'sync', drift: ['missing-link'] }]);
    expect(plan.inSync).toBe(9);
  });

  it('deprovisions a link whose Connect user is gone (deleted-connect-user)', () => {
    const world = inSync(10);
    world.connectUsers.delete('c-4');

    const plan = planReconcile(input(world));

    expect(plan.actions).toEqual([{ connectUserId: 'c-4', action: 'deprovision', drift: ['deleted-connect-user'] }]);
  });

  it('fixes a membership removed by hand (missing-membership)', () => {
    const world = inSync(10);
    world.members.get(AGENTS)?.delete('u-5');

    const plan = planReconcile(input(world));

    expect(plan.actions).toEqual([expect.objectContaining({ connectUserId: 'c-5', action: 'sync', drift: ['missing-membership'] })]);
  });

  it('fixes a membership added by hand (extra-membership)', () => {
    const world = inSync(10);
    world.members.get(SUPERVISORS)?.add('u-5');

    const plan = planReconcile(input(world));

    expect(plan.actions).toEqual([expect.objectContaining({ connectUserId: 'c-5', drift: ['extra-membership'] })]);
  });

  it('follows a security profile change whose event was missed (profile-change)', () => {
    const world = inSync(10);
    world.connectUsers.set('c-5', user(5, [PROFILE.manager]));

    const plan = planReconcile(input(world));

    expect(plan.actions).toEqual([expect.objectContaining({ connectUserId: 'c-5', drift: ['profile-change'] })]);
    expect(plan.drift['profile-change']).toBe(1);
  });

  it('treats an unmapped user whose groups are gone as in sync, and one still in a group as a profile change', () => {
    const world = inSync(10);
    world.connectUsers.set('c-5', user(5, [PROFILE.analyst]));
    world.connectUsers.set('c-6', user(6, [PROFILE.analyst]));
    world.members.get(AGENTS)?.delete('u-6');
    world.links.set('c-6', link(6, []));

    const plan = planReconcile(input(world));

    expect(plan.actions.map((a) => [a.connectUserId, a.drift])).toEqual([['c-5', ['profile-change']]]);
  });

  it('does not plan a sync for an unlinked Connect user whose profiles map to no group', () => {
    const world = inSync(3);
    world.connectUsers.set('c-9', user(9, [PROFILE.analyst]));

    expect(planReconcile(input(world)).actions).toEqual([]);
  });

  it('reports members that no link explains, without an action (unlinked members)', () => {
    const world = inSync(3);
    world.members.get(AGENTS)?.add('u-stranger');

    const plan = planReconcile(input(world));

    expect(plan.actions).toEqual([]);
    expect(plan.unlinkedMembers).toEqual([{ identityUserId: 'u-stranger', groupId: AGENTS, groupName: 'ConnectAgents' }]);
  });

  it('reports managed groups not assigned to the application (group mode) and wanted groups that do not exist', () => {
    const world = inSync(20);

    const plan = planReconcile(input(world, { assigned: new Set([`GROUP:${AGENTS}`]), managed: new Map([['ConnectAgents', AGENTS], ['ConnectAdmins', ADMINS]]) }));

    expect(plan.unassignedGroups).toEqual([{ groupId: ADMINS, groupName: 'ConnectAdmins' }]);
    expect(plan.missingGroups).toEqual(['ConnectSupervisors']);
  });

  it('holds an unassigned group back while a sync remembers that the application refuses API assignments (until its back-off is over, or --retry-failed)', () => {
    const world = inSync(20);
    const refused = { code: 'ASSIGNMENT_UNSUPPORTED', since: '2026-01-01T00:00:00Z' };
    const failures = new Map([['c-new', refused]]);
    const groups = (overrides: Partial<PlanInput>) =>
      planReconcile(input(world, { assigned: new Set([`GROUP:${AGENTS}`, `GROUP:${SUPERVISORS}`]), failures, ...overrides })).unassignedGroups;
    const withinBackOff = Date.parse(refused.since) + 30 * 60_000;
    const afterBackOff = Date.parse(refused.since) + 2 * 60 * 60_000;

    expect(groups({ now: withinBackOff })).toEqual([{ groupId: ADMINS, groupName: 'ConnectAdmins', heldBack: 'ASSIGNMENT_UNSUPPORTED' }]);
    expect(groups({ now: afterBackOff })).toEqual([{ groupId: ADMINS, groupName: 'ConnectAdmins' }]);
    expect(groups({ now: withinBackOff, retryFailed: true })).toEqual([{ groupId: ADMINS, groupName: 'ConnectAdmins' }]);
    // Any other remembered failure says nothing about the application.
    expect(groups({ now: withinBackOff, failures: new Map([['c-new', { ...refused, code: 'NO_EMAIL' }]]) })).toEqual([{ groupId: ADMINS, groupName: 'ConnectAdmins' }]);
  });

  it('in user assignment mode, syncs a linked user whose assignment is missing (user-unassigned)', () => {
    const world = inSync(3);
    const assigned = new Set(['USER:u-0', 'USER:u-1']);

    const plan = planReconcile(input(world, { assignmentMode: 'user', assigned }));

    expect(plan.actions).toEqual([expect.objectContaining({ connectUserId: 'c-2', drift: ['user-unassigned'] })]);
    expect(plan.unassignedGroups).toEqual([]);
  });
});

describe('reconcile plan: mixed drift at scale', () => {
  it('plans exactly the drifted users, 1% of each kind among 10,000', () => {
    const world = inSync(10_000);
    // Users 1-4 of every hundred are agents: one of each drift kind per hundred.
    for (let base = 0; base < 10_000; base += 100) {
      world.links.delete(`c-${base + 1}`);
      world.members.get(AGENTS)?.delete(`u-${base + 1}`);
      world.connectUsers.delete(`c-${base + 2}`);
      world.members.get(AGENTS)?.delete(`u-${base + 3}`);
      world.connectUsers.set(`c-${base + 4}`, user(base + 4, [PROFILE.admin]));
    }

    const plan = planReconcile(input(world));

    expect(plan.drift).toMatchObject({ 'missing-link': 100, 'deleted-connect-user': 100, 'missing-membership': 100, 'profile-change': 100 });
    expect(plan.actions).toHaveLength(400);
    expect(plan.actions.filter((a) => a.action === 'deprovision').map((a) => a.connectUserId)).toContain('c-9902');
    expect(plan.inSync).toBe(10_000 - 100 - 300);
  });
});

describe('reconcile plan: never amplify, remove access first', () => {
  /** c-3 never linked and failing NO_EMAIL since its last change; c-5 deleted in Connect; c-7 promoted. */
  function mixed(failureModifiedAt = '2026-12-01T09:00:00.000Z') {
    const world = inSync(10);
    world.links.delete('c-3');
    for (const m of world.members.values()) m.delete('u-3');
    world.connectUsers.set('c-3', { ...user(3, [PROFILE.agent]), lastModifiedTime: '2026-12-01T09:00:00.000Z' });
    world.connectUsers.delete('c-5');
    world.connectUsers.set('c-7', user(7, [PROFILE.manager]));
    const failures = new Map([['c-3', { code: 'NO_EMAIL', since: '2026-12-01T09:01:00.000Z', connectModifiedAt: failureModifiedAt }]]);
    return input(world, { failures });
  }

  it('lists a permanent failure whose Connect user did not change as known, and does not plan it again', () => {
    const plan = planReconcile(mixed());

    expect(plan.knownFailures).toEqual([
      {
        connectUserId: 'c-3',
        username: 'agent3@example.com',
        code: 'NO_EMAIL',
        since: '2026-12-01T09:01:00.000Z',
        connectModifiedAt: '2026-12-01T09:00:00.000Z',
        step: 'sync',
        retryAt: '2026-12-01T10:01:00.000Z',
      },
    ]);
    expect(plan.actions.map((a) => a.connectUserId)).not.toContain('c-3');
  });

  it('counts under drift only what it plans: the known failure is not missing-link drift, the planned sync and deprovision are', () => {
    const held = planReconcile(mixed());
    const retried = planReconcile({ ...mixed(), retryFailed: true });

    expect(held.drift['missing-link']).toBe(0);
    expect(retried.drift['missing-link']).toBe(1);
    expect([held.drift['deleted-connect-user'], held.drift['profile-change']]).toEqual([1, 1]);
  });

  it('plans it again once the Connect user changed, or when asked (--retry-failed)', () => {
    expect(planReconcile(mixed('2026-11-30T00:00:00.000Z')).actions.map((a) => a.connectUserId)).toContain('c-3');
    expect(planReconcile({ ...mixed(), retryFailed: true }).actions.map((a) => a.connectUserId)).toContain('c-3');
  });

  it('takes the same modification time at another precision, or an unknown one, as unchanged', () => {
    const unknownTime = new Map([['c-3', { code: 'NO_EMAIL', since: '2026-12-01T09:01:00.000Z' }]]);
    const known = (plan: ReturnType<typeof planReconcile>) => plan.knownFailures.map((f) => f.connectUserId);

    expect(known(planReconcile(mixed('2026-12-01T09:00:00.400Z')))).toEqual(['c-3']);
    expect(known(planReconcile({ ...mixed(), failures: unknownTime }))).toEqual(['c-3']);
  });

  it('puts every deprovision before every sync', () => {
    const actions = planReconcile({ ...mixed(), retryFailed: true }).actions.map((a) => a.action);

    expect(actions).toEqual(['deprovision', 'sync', 'sync']);
  });
});

describe('reconcile plan: the sign-in check of a SAML instance', () => {
  /** The store's listing as reconcile indexes it: every identity sends exactly its Connect Username, unless overridden. */
  const identitiesOf = (world: ReturnType<typeof inSync>, overrides: Record<string, { sends?: string; disabled?: boolean }> = {}) => {
    const index = createIdentityIndex('email');
    for (const l of world.links.values()) {
      const username = world.connectUsers.get(l.connectUserId)?.username;
      index.add({ id: l.identityUserId, userName: l.identityUserId, sends: username, disabled: false, ...overrides[l.identityUserId] });
    }
    return index.index();
  };

  it('finds nothing when every identity sends exactly its Connect Username', () => {
    const world = inSync(100);

    const plan = planReconcile(input(world, { identities: identitiesOf(world) }));

    expect(plan).toMatchObject({ inSync: 100, actions: [], signInProblems: [] });
    expect(plan.drift['sign-in-mismatch']).toBe(0);
  });

  it('queues an identity update for an identity the service created whose email drifted in case, and only reports one it did not create', () => {
    const world = inSync(10);
    const found = world.links.get('c-4');
    if (found) world.links.set('c-4', { ...found, created: false });

    const plan = planReconcile(input(world, { identities: identitiesOf(world, { 'u-3': { sends: 'AGENT3@example.com' }, 'u-4': { sends: 'someone@example.com' } }) }));

    expect(plan.actions).toEqual([{ connectUserId: 'c-3', username: 'agent3@example.com', action: 'update', drift: ['sign-in-mismatch'] }]);
    expect(plan.signInProblems).toEqual([{ connectUserId: 'c-4', username: 'agent4@example.com', identityUserId: 'u-4', code: 'SIGN_IN_NAME_MISMATCH' }]);
    expect(plan.drift['sign-in-mismatch']).toBe(2);
    expect(plan.inSync).toBe(8);
  });

  it('counts a disabled identity and an unmapped Connect user as agents who cannot sign in, queuing neither', () => {
    const world = inSync(10);
    world.connectUsers.set('c-20', user(20, [PROFILE.analyst]));

    const plan = planReconcile(input(world, { identities: identitiesOf(world, { 'u-5': { disabled: true } }) }));

    expect(plan.actions).toEqual([]);
    expect(plan.signInProblems).toEqual([{ connectUserId: 'c-5', username: 'agent5@example.com', identityUserId: 'u-5', code: 'IDENTITY_DISABLED' }]);
    expect(plan.unmapped).toBe(1);
  });
});
