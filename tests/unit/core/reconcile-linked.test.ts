import type { Link } from '../../../shared/core/ports/index.js';
import type { ActionResult } from '../../../shared/core/reconcile.js';
import { checkLinked } from '../../../shared/core/reconcile-linked.js';
import type { ReconcilePlan } from '../../../shared/core/reconcile-plan.js';
import { unlinkedAfter } from '../../../shared/core/reconcile-unlinked.js';
import { createIdentityIndex } from '../../../shared/core/sign-in-index.js';

const AGENTS = 'g-agents';
const SUPERVISORS = 'g-sup';
const managed = new Map([
  ['ConnectAgents', AGENTS],
  ['ConnectSupervisors', SUPERVISORS],
]);
const link: Link = { instanceId: 'i-1', connectUserId: 'c-1', identityUserId: 'u-1', created: true, groupIds: [AGENTS], createdAt: '', updatedAt: '' };
const user = { id: 'c-1', username: 'agent1@example.com' };
const members = (agents: string[], supervisors: string[]) =>
  new Map([
    [AGENTS, new Set(agents)],
    [SUPERVISORS, new Set(supervisors)],
  ]);

/** A promotion seen by the listings: wanted both groups, in Agents only, in no protected group. */
const promotion = {
  managed,
  members: members(['u-1'], []),
  wanted: ['ConnectAgents', 'ConnectSupervisors'],
  assignmentMode: 'group' as const,
  protectedMembers: new Set<string>(),
};

describe('checkLinked: which drifted linked users the in-process sync may start from the listings', () => {
  it('a sync that only adds carries the link and the listed memberships', () => {
    expect(checkLinked(promotion, user, link)).toEqual({ kinds: ['profile-change'], mismatch: false, problems: [], listed: { link, memberOf: [AGENTS] } });
    expect(checkLinked({ ...promotion, members: members([], []), wanted: ['ConnectAgents'] }, user, link).listed).toEqual({ link, memberOf: [] });
  });

  it('a sync that removes anything, or of a protected member, or without the protected groups read, reads afresh', () => {
    const demotion = { ...promotion, members: members(['u-1'], ['u-1']), wanted: ['ConnectAgents'] };
    expect(checkLinked(demotion, user, link)).toMatchObject({ kinds: ['extra-membership'] });
    expect(checkLinked(demotion, user, link).listed).toBeUndefined();
    expect(checkLinked({ ...promotion, protectedMembers: new Set(['u-1']) }, user, link).listed).toBeUndefined();
    expect(checkLinked({ ...promotion, protectedMembers: undefined }, user, link).listed).toBeUndefined();
  });

  it('nor when a wanted group is missing, or the store listing does not have the identity', () => {
    expect(checkLinked({ ...promotion, wanted: ['ConnectAgents', 'ConnectAdmins'] }, user, link).listed).toBeUndefined();
    const index = createIdentityIndex('userName');
    index.add({ id: 'u-2', sends: 'agent2@example.com', userName: 'agent2@example.com', disabled: false });
    expect(checkLinked({ ...promotion, identities: index.index() }, user, link).listed).toBeUndefined();
    index.add({ id: 'u-1', sends: 'agent1@example.com', userName: 'agent1@example.com', disabled: false });
    expect(checkLinked({ ...promotion, identities: index.index() }, user, link).listed).toEqual({ link, memberOf: [AGENTS] });
  });
});

describe('unlinkedAfter: the unlinked members once the actions ran, without reading the snapshots again', () => {
  const plan = {
    linkWrites: [{ connectUserId: 'c-7', username: 'agent7@example.com', identityUserId: 'u-7', groupIds: [AGENTS], securityProfileIds: [] }],
    unlinkedMembers: [
      { identityUserId: 'u-7', groupId: AGENTS, groupName: 'ConnectAgents' },
      { identityUserId: 'u-9', groupId: AGENTS, groupName: 'ConnectAgents' },
    ],
  } as unknown as ReconcilePlan;
  const result = (action: ActionResult['action'], subject: string, outcome: string, drift: ActionResult['drift'] = []): ActionResult => ({ subject, action, drift, outcome });

  it('leaves out the identities its link writes linked', () => {
    const results = [result('link', 'c-7', 'linked'), result('deprovision', 'c-2', 'deprovisioned'), result('sync', 'c-3', 'synced', ['profile-change'])];
    expect(unlinkedAfter(plan, results, 'membership')).toEqual([{ identityUserId: 'u-9', groupId: AGENTS, groupName: 'ConnectAgents' }]);
  });

  it('answers nothing (read again) when an action may have linked an identity the plan cannot name', () => {
    expect(unlinkedAfter(plan, [result('link', 'c-7', 'refused'), result('sync', 'c-7', 'linked', ['missing-link'])], 'membership')).toBeUndefined();
    expect(unlinkedAfter(plan, [result('sync', 'c-3', 'queued', ['profile-change'])], 'membership')).toBeUndefined();
    expect(unlinkedAfter(plan, [result('sync', 'c-3', 'created', ['missing-membership'])], 'membership')).toBeUndefined();
    // DEPROVISION=none keeps a deleted user's identity in its groups, now without a link.
    expect(unlinkedAfter(plan, [result('deprovision', 'c-2', 'deprovisioned')], 'none')).toBeUndefined();
  });
});
