/**
 * Issue 14 at the core: events are hints, Connect is the truth for destruction; a deleted Connect user stays deleted;
 * ownership outlives the link; protection fails closed; an email can never be taken from someone by case alone.
 */
import type { SyncSettings } from '../../../shared/core/context.js';
import { agent, buildCore, createWorld, INSTANCE, mappingOf, rejection, type World } from '../../support/core.js';

const ROLES = mappingOf({ Agent: 'ConnectAgents', CallCenterManager: ['ConnectAgents', 'ConnectSupervisors'] });

function agentWorld(world: World = createWorld()) {
  world.connect.addProfile('sp-agent', 'Agent');
  world.connect.addProfile('sp-manager', 'CallCenterManager');
  world.connect.add(agent('c-maria', 'Maria Garcia', { securityProfileIds: ['sp-agent'] }));
  return world;
}

describe('a sync in flight while its user is deleted', () => {
  it.each(['membership', 'delete'] as const)(
    'a promotion whose sync read Connect before the deletion creates, links and grants nothing after it (DEPROVISION=%s)',
    async (deprovision) => {
      const world = agentWorld();
      const settings: Partial<SyncSettings> = { mapping: ROLES, deprovision };
      await buildCore(settings, world).syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
      const identityUserId = world.links.peek(INSTANCE, 'c-maria')?.identityUserId ?? '';
      world.connect.add(agent('c-maria', 'Maria Garcia', { securityProfileIds: ['sp-manager'] }));
      const syncing = buildCore(settings, world);
      const deleting = buildCore(settings, world);
      // The promotion's sync has read Connect; the user is deleted and the deletion processed before it goes on.
      world.links.hooks.get = async () => {
        world.links.hooks.get = undefined;
        world.connect.users.delete('c-maria');
        await deleting.deprovisionUser({ instanceId: INSTANCE, connectUserId: 'c-maria', source: 'event' });
      };

      const outcome = await syncing.syncUser({ instanceId: INSTANCE, userId: 'c-maria' });

      expect(outcome).toEqual({ outcome: 'ignored', reason: 'connect-user-gone', connectUserId: 'c-maria' });
      expect(world.identityStore.users.size).toBe(deprovision === 'delete' ? 0 : 1);
      expect(world.identityStore.groupNamesOf(identityUserId)).toEqual([]);
      expect(world.links.all()).toEqual([]);
    },
  );

  it('a sync that lost the race after writing (the deletion confirmed between its writes and its link) takes back what it gave', async () => {
    const world = agentWorld();
    const core = buildCore({ mapping: ROLES }, world);
    world.links.hooks.put = async () => {
      world.connect.users.delete('c-maria');
      await buildCore({ mapping: ROLES }, world).deprovisionUser({ instanceId: INSTANCE, connectUserId: 'c-maria', source: 'event' });
    };

    const outcome = await core.syncUser({ instanceId: INSTANCE, userId: 'c-maria' });

    expect(outcome).toMatchObject({ outcome: 'ignored', reason: 'connect-user-gone' });
    const [identityUserId = ''] = [...world.identityStore.users.keys()];
    expect(world.identityStore.groupNamesOf(identityUserId)).toEqual([]);
    expect(world.links.all()).toEqual([]);
    expect(world.links.holderOf(INSTANCE, identityUserId)).toBeUndefined();
  });

  it('a sync of a tombstoned user (Connect still answering just after the deletion) writes nothing', async () => {
    const world = agentWorld();
    await world.links.tombstone(INSTANCE, 'c-maria', '2026-12-01T00:00:00.000Z');
    const core = buildCore({ mapping: ROLES }, world);
    core.resetCalls();

    const outcome = await core.syncUser({ instanceId: INSTANCE, userId: 'c-maria' });

    expect(outcome).toMatchObject({ outcome: 'ignored', reason: 'connect-user-gone' });
    expect(world.identityStore.calls.filter((c) => !['findGroupIdByName'].includes(c))).toEqual([]);
    expect(world.identityStore.users.size).toBe(0);
  });

  it('a linked identity found gone: Connect is asked again; a Connect user gone stops there, one still there is synced afresh', async () => {
    const world = agentWorld();
    const core = buildCore({ mapping: ROLES }, world);
    await core.syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    const first = world.links.peek(INSTANCE, 'c-maria')?.identityUserId ?? '';
    world.identityStore.dropUser(first);
    world.identityStore.hooks.memberships = () => {
      world.identityStore.hooks.memberships = undefined;
      world.connect.users.delete('c-maria');
    };

    const gone = await core.syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    world.connect.add(agent('c-maria', 'Maria Garcia', { securityProfileIds: ['sp-agent'] }));
    const afresh = await core.syncUser({ instanceId: INSTANCE, userId: 'c-maria' });

    expect(gone).toMatchObject({ outcome: 'ignored', reason: 'connect-user-gone' });
    expect(afresh).toMatchObject({ outcome: 'created' });
    expect(world.links.peek(INSTANCE, 'c-maria')?.identityUserId).not.toBe(first);
  });
});

describe('ownership outlives the link', () => {
  it('a lost link: the identity the service created is linked again as created, so its email follows and delete may remove it', async () => {
    const world = agentWorld();
    await buildCore({ mapping: ROLES }, world).syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    world.links.items.clear();

    const outcome = await buildCore({ mapping: ROLES }, world).syncUser({ instanceId: INSTANCE, userId: 'c-maria' });

    expect(outcome.outcome).toBe('linked');
    expect(world.links.peek(INSTANCE, 'c-maria')?.created).toBe(true);
  });

  it('a Connect user deleted and created again with the same email keeps created: true for the identity the service made', async () => {
    const world = agentWorld();
    const core = buildCore({ mapping: ROLES }, world);
    await core.syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    const identityUserId = world.links.peek(INSTANCE, 'c-maria')?.identityUserId;
    world.connect.users.delete('c-maria');
    await core.deprovisionUser({ instanceId: INSTANCE, connectUserId: 'c-maria', source: 'event' });
    world.connect.add(agent('c-maria-2', 'Maria Garcia', { securityProfileIds: ['sp-agent'] }));

    const outcome = await core.syncUser({ instanceId: INSTANCE, userId: 'c-maria-2' });

    expect(outcome).toMatchObject({ outcome: 'linked', identityUserId });
    expect(world.links.peek(INSTANCE, 'c-maria-2')?.created).toBe(true);
  });

  it('an identity that existed before stays not created, whoever links it', async () => {
    const world = agentWorld();
    world.identityStore.seedUser({ userName: 'mgarcia', email: 'maria.garcia@example.com' });

    await buildCore({ mapping: ROLES }, world).syncUser({ instanceId: INSTANCE, userId: 'c-maria' });

    expect(world.links.peek(INSTANCE, 'c-maria')?.created).toBe(false);
  });
});

describe('protection fails closed', () => {
  it('a protected group created after the container started protects its members at once (no negative cache)', async () => {
    const world = agentWorld();
    const core = buildCore({ mapping: ROLES, protectedGroupNames: ['Admins'] }, world);
    world.connect.add(agent('c-other', 'Omar Other', { securityProfileIds: ['sp-agent'] }));
    await core.syncUser({ instanceId: INSTANCE, userId: 'c-other' });
    const admin = world.identityStore.seedUser({ userName: 'maria.admin', email: 'maria.garcia@example.com' });
    world.identityStore.join(world.identityStore.seedGroup('Admins'), admin);

    const error = await rejection(core.syncUser({ instanceId: INSTANCE, userId: 'c-maria' }));

    expect(error.code).toBe('PROTECTED_IDENTITY');
    expect(world.identityStore.groupNamesOf(admin)).toEqual(['Admins']);
  });
});

describe('the email in use, whatever case the store compares in', () => {
  it("an email changed to the upper-case form of another person's is EMAIL_IN_USE even where lookups are case-sensitive", async () => {
    const world = agentWorld(createWorld({ ignoreCase: false }));
    world.identityStore.seedUser({ userName: 'admin', email: 'admin@corp.com' });
    const core = buildCore({ mapping: ROLES }, world);
    await core.syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    world.connect.add(agent('c-maria', 'Maria Garcia', { securityProfileIds: ['sp-agent'], email: 'ADMIN@corp.com' }));

    const error = await rejection(core.updateIdentity({ instanceId: INSTANCE, userId: 'c-maria' }));

    expect(error.code).toBe('EMAIL_IN_USE');
    expect((await world.identityStore.describeUser(world.links.peek(INSTANCE, 'c-maria')?.identityUserId ?? ''))?.email).toBe('maria.garcia@example.com');
  });
});

describe("permanent failures are remembered, with the Connect user's LastModifiedTime", () => {
  it('records the code and the modification once, keeps since for the same failure, forgets it when the user syncs', async () => {
    const world = createWorld();
    world.connect.add({ id: 'c-night', username: 'night_shift_07', securityProfileIds: [], lastModifiedTime: '2026-12-01T09:00:00.000Z' });
    const core = buildCore({}, world);

    await rejection(core.syncUser({ instanceId: INSTANCE, userId: 'c-night' }));
    const first = world.links.peekRecord(INSTANCE, 'c-night').failure;
    world.clock.advance(60_000);
    await rejection(core.syncUser({ instanceId: INSTANCE, userId: 'c-night' }));
    world.connect.add({ id: 'c-night', username: 'night_shift_07', email: 'night@example.com', securityProfileIds: [], lastModifiedTime: '2026-12-01T10:00:00.000Z' });
    await core.syncUser({ instanceId: INSTANCE, userId: 'c-night' });

    expect(first).toEqual({ code: 'NO_EMAIL', since: expect.any(String), connectModifiedAt: '2026-12-01T09:00:00.000Z', attempts: 1, lastAt: expect.any(String) });
    expect(world.links.count('recordFailure')).toBe(2);
    expect(world.links.peekRecord(INSTANCE, 'c-night')).toEqual({ connectUserId: 'c-night', link: expect.objectContaining({ created: true }), claims: [expect.any(String)] });
  });
});

describe('assign-group requests (queued by the scheduled reconcile)', () => {
  it('assigns a managed group, and nothing for a group the service does not manage, whoever queued it', async () => {
    const world = agentWorld();
    const agents = world.identityStore.seedGroup('ConnectAgents');
    const other = world.identityStore.seedGroup('Finance');
    const core = buildCore({ mapping: ROLES }, world);

    const managed = await core.assignGroup({ groupId: agents });
    const refused = await core.assignGroup({ groupId: other });

    expect(managed).toEqual({ outcome: 'assigned', groupId: agents });
    expect(refused).toEqual({ outcome: 'ignored', reason: 'not-a-managed-group', groupId: other });
    expect([...world.assignments.assigned]).toEqual([`GROUP:${agents}`]);
  });
});
