import type { ConnectUser } from '../../../shared/core/ports/index.js';
import { agent, buildCore, INSTANCE, mappingOf } from '../../support/core.js';

/**
 * SyncRequest.knownLinked: reconcile's in-process sync of a linked user whose change only adds, from what the plan's
 * listings read. It skips the reads (DescribeUser, the link, IsMemberInGroups) and nothing else: the link's write stays
 * conditional, so a deletion confirmed meanwhile still takes back what the sync added.
 */
const PROFILES = { agent: 'sp-agent', manager: 'sp-manager' };
const ROLES = mappingOf({ Agent: 'ConnectAgents', CallCenterManager: ['ConnectAgents', 'ConnectSupervisors'] });

/** Maria synced as an agent, then promoted in Connect; `listed` is what the plan's listings read after the promotion. */
async function promoted() {
  const core = buildCore({ mapping: ROLES });
  core.connect.addProfile(PROFILES.agent, 'Agent');
  core.connect.addProfile(PROFILES.manager, 'CallCenterManager');
  // The plan takes this path only when every wanted group exists.
  core.identityStore.seedGroup('ConnectSupervisors');
  core.connect.add(agent('c-maria', 'Maria Garcia', { securityProfileIds: [PROFILES.agent] }));
  await core.syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
  core.connect.update('c-maria', { securityProfileIds: [PROFILES.manager] });
  const link = core.links.peek(INSTANCE, 'c-maria');
  if (!link) throw new Error('not linked');
  const agents = core.identityStore.groupIdByName('ConnectAgents') ?? '';
  const user: ConnectUser = { id: 'c-maria', username: 'maria.garcia@example.com', securityProfileIds: [PROFILES.manager] };
  core.resetCalls();
  return { ...core, link, agents, knownLinked: { user, link, memberOf: [agents] } };
}

describe('syncUser with knownLinked (reconcile --apply, a linked user whose sync only adds)', () => {
  it('adds the missing group and writes the link without reading Connect, the link or the memberships', async () => {
    const { syncUser, connect, links, identityStore, link, agents, knownLinked } = await promoted();

    const result = await syncUser({ instanceId: INSTANCE, userId: 'c-maria', knownLinked });

    const supervisors = identityStore.groupIdByName('ConnectSupervisors') ?? '';
    expect(result).toMatchObject({ outcome: 'synced', identityUserId: link.identityUserId, added: 1, removed: 0 });
    expect(identityStore.groupNamesOf(link.identityUserId).sort()).toEqual(['ConnectAgents', 'ConnectSupervisors']);
    expect(links.peek(INSTANCE, 'c-maria')?.groupIds).toEqual([agents, supervisors].sort());
    expect(connect.count('describeUser')).toBe(0);
    expect(links.count('get')).toBe(0);
    expect(identityStore.count('memberships')).toBe(0);
    expect(identityStore.calls).toEqual(['addMember']);
    expect(links.calls).toEqual(['put']);
  });

  it('takes back what it added when the deletion was confirmed after the plan read its listings', async () => {
    const { syncUser, deprovisionUser, connect, identityStore, links, link, knownLinked } = await promoted();
    connect.users.delete('c-maria');
    await deprovisionUser({ instanceId: INSTANCE, connectUserId: 'c-maria', source: 'event' });

    const result = await syncUser({ instanceId: INSTANCE, userId: 'c-maria', knownLinked });

    expect(result).toMatchObject({ outcome: 'ignored', reason: 'connect-user-gone' });
    expect(identityStore.groupNamesOf(link.identityUserId)).toEqual([]);
    expect(links.peek(INSTANCE, 'c-maria')).toBeUndefined();
  });

  it('reads Connect afresh when the linked identity turns out deleted, then syncs from scratch', async () => {
    const { syncUser, connect, identityStore, links, link, knownLinked } = await promoted();
    identityStore.dropUser(link.identityUserId);

    const result = await syncUser({ instanceId: INSTANCE, userId: 'c-maria', knownLinked });

    expect(connect.count('describeUser')).toBeGreaterThan(0);
    expect(result).toMatchObject({ outcome: 'created', added: 2 });
    expect(result.identityUserId).not.toBe(link.identityUserId);
    expect(links.peek(INSTANCE, 'c-maria')?.identityUserId).toBe(result.identityUserId);
  });
});
