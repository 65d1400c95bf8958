import type { SyncSettings } from '../../../shared/core/context.js';
import { agent, buildCore, createWorld, INSTANCE, mappingOf, rejection, type World } from '../../support/core.js';

const ROLES = mappingOf({ Agent: 'ConnectAgents', CallCenterManager: ['ConnectAgents', 'ConnectSupervisors'] });

/**
 * Maria synced as a supervisor (created by the service, in ConnectAgents and ConnectSupervisors), then deleted in
 * Connect: what a DeleteUser event finds. Returns a container with `settings` over that world.
 */
async function deletedSupervisor(settings: Partial<SyncSettings> = {}, world: World = createWorld()) {
  world.connect.addProfile('sp-manager', 'CallCenterManager');
  world.connect.add(agent('c-maria', 'Maria Garcia', { securityProfileIds: ['sp-manager'] }));
  const synced = await buildCore({ mapping: ROLES, ...settings }, world).syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
  world.connect.users.delete('c-maria');
  const core = buildCore({ mapping: ROLES, ...settings }, world);
  core.resetCalls();
  return { ...core, identityUserId: synced.identityUserId ?? '' };
}

const request = { instanceId: INSTANCE, connectUserId: 'c-maria', source: 'event' as const };

describe('deprovisionUser', () => {
  it('ignores a Connect user it never synced (not-linked), writing nothing', async () => {
    const { deprovisionUser, identityStore, assignments } = buildCore();

    const result = await deprovisionUser({ instanceId: INSTANCE, connectUserId: 'c-unknown', source: 'event' });

    expect(result).toEqual({ outcome: 'ignored', reason: 'not-linked', connectUserId: 'c-unknown' });
    expect(identityStore.calls).toEqual([]);
    expect(assignments.calls).toEqual([]);
  });

  it('removes the identity from every managed group, keeps it, and deletes the link and the claim', async () => {
    const { deprovisionUser, identityStore, links, identityUserId } = await deletedSupervisor();

    const result = await deprovisionUser(request);

    expect(result).toEqual({ outcome: 'deprovisioned', connectUserId: 'c-maria', identityUserId, removed: 2 });
    expect(identityStore.groupNamesOf(identityUserId)).toEqual([]);
    expect(identityStore.users.has(identityUserId)).toBe(true);
    expect(links.peek(INSTANCE, 'c-maria')).toBeUndefined();
    expect(links.holderOf(INSTANCE, identityUserId)).toBeUndefined();
  });

  it('also removes it from the groups the link recorded that the mapping no longer names', async () => {
    const world = createWorld();
    await deletedSupervisor({}, world);
    const narrower = buildCore({ mapping: mappingOf({ CallCenterManager: 'ConnectAgents' }) }, world);
    const identityUserId = world.links.peek(INSTANCE, 'c-maria')?.identityUserId ?? '';

    const result = await narrower.deprovisionUser(request);

    expect(result).toMatchObject({ outcome: 'deprovisioned', removed: 2 });
    expect(world.identityStore.groupNamesOf(identityUserId)).toEqual([]);
  });

  it('never touches groups outside the mapping', async () => {
    const { deprovisionUser, identityStore, identityUserId } = await deletedSupervisor();
    identityStore.join(identityStore.seedGroup('Finance'), identityUserId);

    await deprovisionUser(request);

    expect(identityStore.groupNamesOf(identityUserId)).toEqual(['Finance']);
  });

  it('treats a membership already gone as success', async () => {
    const { deprovisionUser, identityStore, links, identityUserId } = await deletedSupervisor();
    // Someone removes the memberships between the read and the removal.
    identityStore.hooks.removeMember = (groupId: string, userId: string) => {
      identityStore.members.delete(`${groupId}|${userId}`);
    };

    const result = await deprovisionUser(request);

    expect(result.outcome).toBe('deprovisioned');
    expect(identityStore.count('removeMember')).toBe(2);
    expect(identityStore.groupNamesOf(identityUserId)).toEqual([]);
    expect(links.peek(INSTANCE, 'c-maria')).toBeUndefined();
  });

  it('is a no-op on a second delivery', async () => {
    const { deprovisionUser, identityStore, assignments, resetCalls } = await deletedSupervisor();
    await deprovisionUser(request);
    resetCalls();

    const second = await deprovisionUser(request);

    expect(second).toMatchObject({ outcome: 'ignored', reason: 'not-linked' });
    expect(identityStore.calls).toEqual([]);
    expect(assignments.calls).toEqual([]);
  });

  it('deletes the link only when the identity is already gone', async () => {
    const { deprovisionUser, identityStore, links, identityUserId } = await deletedSupervisor();
    identityStore.dropUser(identityUserId);

    const result = await deprovisionUser(request);

    expect(result).toMatchObject({ outcome: 'deprovisioned', reason: 'identity-already-gone', removed: 0 });
    expect(links.peek(INSTANCE, 'c-maria')).toBeUndefined();
  });

  it('refuses a protected identity (PROTECTED_IDENTITY) and keeps its memberships and link', async () => {
    const world = createWorld();
    const admins = world.identityStore.seedGroup('Admins');
    const { deprovisionUser, identityStore, links, identityUserId } = await deletedSupervisor({ protectedGroupNames: ['Admins'] }, world);
    identityStore.join(admins, identityUserId);

    const error = await rejection(deprovisionUser(request));

    expect([error.code, error.retryable]).toEqual(['PROTECTED_IDENTITY', false]);
    expect(identityStore.groupNamesOf(identityUserId)).toEqual(['Admins', 'ConnectAgents', 'ConnectSupervisors']);
    expect(links.peek(INSTANCE, 'c-maria')).toBeDefined();
  });

  it('unassigns the user from the application in user assignment mode', async () => {
    const { deprovisionUser, assignments, identityUserId } = await deletedSupervisor({ assignmentMode: 'user' });
    const assignedBefore = assignments.assigned.has(`USER:${identityUserId}`);

    await deprovisionUser(request);

    expect(assignedBefore).toBe(true);
    expect(assignments.assigned.has(`USER:${identityUserId}`)).toBe(false);
  });

  it('leaves a group assignment alone in group assignment mode', async () => {
    const { deprovisionUser, assignments } = await deletedSupervisor();

    await deprovisionUser(request);

    expect(assignments.calls).toEqual([]);
  });

  describe('DEPROVISION=delete', () => {
    it('deletes an identity the service created that opens no other door', async () => {
      const { deprovisionUser, identityStore, links, identityUserId } = await deletedSupervisor({ deprovision: 'delete' });

      const result = await deprovisionUser(request);

      expect(result).toEqual({ outcome: 'deleted', connectUserId: 'c-maria', identityUserId, removed: 2 });
      expect(identityStore.users.has(identityUserId)).toBe(false);
      expect(links.peek(INSTANCE, 'c-maria')).toBeUndefined();
      expect(links.holderOf(INSTANCE, identityUserId)).toBeUndefined();
    });

    it.each([
      ['another group', 'group(s) besides the managed ones'],
      ['another application assignment', 'other application assignment(s)'],
      ['an AWS account assignment', 'AWS account assignment(s)'],
    ])('keeps an identity with %s, out of the managed groups, saying why', async (door, words) => {
      const { deprovisionUser, identityStore, assignments, links, identityUserId } = await deletedSupervisor({ deprovision: 'delete' });
      if (door === 'another group') identityStore.join(identityStore.seedGroup('Finance'), identityUserId);
      if (door === 'another application assignment') assignments.seedAccess(identityUserId, { otherApplications: 1 });
      if (door === 'an AWS account assignment') assignments.seedAccess(identityUserId, { accounts: 1 });

      const result = await deprovisionUser(request);

      expect(result).toMatchObject({ outcome: 'deprovisioned', removed: 2, kept: `opens-other-doors: 1 ${words}` });
      expect(identityStore.users.has(identityUserId)).toBe(true);
      expect(identityStore.calls).not.toContain('deleteUser');
      expect(links.peek(INSTANCE, 'c-maria')).toBeUndefined();
    });

    it('never deletes an identity that was linked (it existed before)', async () => {
      const world = createWorld();
      const existing = world.identityStore.seedUser({ userName: 'mgarcia', email: 'maria.garcia@example.com' });
      const { deprovisionUser, identityStore } = await deletedSupervisor({ deprovision: 'delete' }, world);

      const result = await deprovisionUser(request);

      expect(result).toMatchObject({ outcome: 'deprovisioned', identityUserId: existing, kept: 'not-created-by-this-service' });
      expect(identityStore.users.has(existing)).toBe(true);
      expect(identityStore.groupNamesOf(existing)).toEqual([]);
    });
  });

  it.each(['membership', 'none'] as const)('never deletes a linked identity with DEPROVISION=%s either', async (mode) => {
    const world = createWorld();
    const existing = world.identityStore.seedUser({ userName: 'mgarcia', email: 'maria.garcia@example.com' });
    const { deprovisionUser, identityStore } = await deletedSupervisor({ deprovision: mode }, world);

    await deprovisionUser(request);

    expect(identityStore.users.has(existing)).toBe(true);
    expect(identityStore.calls).not.toContain('deleteUser');
  });

  it('DEPROVISION=none changes nothing in Identity Center but deletes the link', async () => {
    const { deprovisionUser, identityStore, assignments, links, identityUserId } = await deletedSupervisor({
      deprovision: 'none',
      assignmentMode: 'user',
    });

    const result = await deprovisionUser(request);

    expect(result).toMatchObject({ outcome: 'deprovisioned', reason: 'DEPROVISION=none', removed: 0 });
    expect(identityStore.groupNamesOf(identityUserId)).toEqual(['ConnectAgents', 'ConnectSupervisors']);
    expect(identityStore.calls).toEqual([]);
    expect(assignments.assigned.has(`USER:${identityUserId}`)).toBe(true);
    expect(links.peek(INSTANCE, 'c-maria')).toBeUndefined();
    expect(links.holderOf(INSTANCE, identityUserId)).toBeUndefined();
  });

  describe('confirmed with Connect before anything is removed', () => {
    /** Maria synced as a supervisor and still in Connect: what a failed or forged DeleteUser names. */
    async function liveSupervisor(settings: Partial<SyncSettings> = {}) {
      const world = createWorld();
      const core = await deletedSupervisor(settings, world);
      world.connect.add(agent('c-maria', 'Maria Garcia', { securityProfileIds: ['sp-manager'] }));
      core.resetCalls();
      return core;
    }

    it.each(['membership', 'delete'] as const)(
      'a DeleteUser event for a user Connect still has removes nothing and is retried as DELETE_NOT_CONFIRMED (DEPROVISION=%s)',
      async (deprovision) => {
        const { deprovisionUser, identityStore, links, identityUserId } = await liveSupervisor({ deprovision });

        const error = await rejection(deprovisionUser(request));

        expect(error).toMatchObject({ code: 'DELETE_NOT_CONFIRMED', retryable: true });
        expect(identityStore.users.has(identityUserId)).toBe(true);
        expect(identityStore.groupNamesOf(identityUserId)).toEqual(['ConnectAgents', 'ConnectSupervisors']);
        expect(identityStore.calls).toEqual([]);
        expect(links.peekRecord(INSTANCE, 'c-maria')).toMatchObject({ link: { identityUserId } });
        expect(links.peekRecord(INSTANCE, 'c-maria').deletedAt).toBeUndefined();
      },
    );

    it('a reconcile request for a user that exists after all is ignored, changing nothing', async () => {
      const { deprovisionUser, identityStore, links, identityUserId } = await liveSupervisor();

      const result = await deprovisionUser({ ...request, source: 'reconcile' });

      expect(result).toEqual({ outcome: 'ignored', reason: 'connect-user-exists', connectUserId: 'c-maria' });
      expect(identityStore.groupNamesOf(identityUserId)).toEqual(['ConnectAgents', 'ConnectSupervisors']);
      expect(links.peek(INSTANCE, 'c-maria')).toBeDefined();
    });

    it('asks Connect once, then records the deletion (a tombstone) before it removes anything', async () => {
      const { deprovisionUser, connect, links } = await deletedSupervisor();

      const result = await deprovisionUser(request);

      expect(result.outcome).toBe('deprovisioned');
      expect(connect.calls).toEqual(['describeUser']);
      expect(links.calls[0]).toBe('tombstone');
      expect(links.peekRecord(INSTANCE, 'c-maria')).toEqual({ connectUserId: 'c-maria', deletedAt: expect.any(String) });
    });

    it('records a tombstone for a confirmed deletion of a user it never linked', async () => {
      const { deprovisionUser, links } = buildCore();

      await deprovisionUser({ instanceId: INSTANCE, connectUserId: 'c-unknown', source: 'event' });

      expect(links.peekRecord(INSTANCE, 'c-unknown').deletedAt).toEqual(expect.any(String));
    });
  });
});
