/**
 * Nothing left behind (issue 21, items 1 and 2) with the in-memory fakes: a sync that wrote its claim and a membership
 * but died before its link is found from the Connect user id by every deprovision path; a sync that finds its Connect
 * user gone takes back what an earlier attempt wrote; a claim held by a Connect user Connect confirms deleted is handed
 * over to the new one, whatever the order of the two events.
 */
import { PermanentError } from '../../../shared/core/errors.js';
import { agent, buildCore, createWorld, INSTANCE, rejection, type World } from '../../support/core.js';

const request = (connectUserId: string) => ({ instanceId: INSTANCE, connectUserId, source: 'event' as const });

/** Maria's first sync claims her new identity, adds it to ConnectAgents, then dies at the assignment (permanent). */
async function diedAtAssignment(world: World = createWorld(), settings = {}) {
  world.connect.add(agent('c-maria', 'Maria Garcia'));
  world.assignments.hooks.assign = () => {
    throw new PermanentError('ASSIGNMENT_UNSUPPORTED', 'not supported for this application');
  };
  const core = buildCore(settings, world);
  const error = await rejection(core.syncUser({ instanceId: INSTANCE, userId: 'c-maria' }));
  delete world.assignments.hooks.assign;
  const identityUserId = [...world.identityStore.users.values()].find((u) => u.userName === 'maria.garcia@example.com')?.id ?? '';
  return { core, error, identityUserId };
}

describe('a sync that died before its link', () => {
  it('left a claim naming the groups it added, and no link', async () => {
    const world = createWorld();
    const { error, identityUserId } = await diedAtAssignment(world);

    expect(error.code).toBe('ASSIGNMENT_UNSUPPORTED');
    expect(world.links.peek(INSTANCE, 'c-maria')).toBeUndefined();
    expect(world.links.peekRecord(INSTANCE, 'c-maria').claims).toEqual([identityUserId]);
    expect(await world.links.claimOf(INSTANCE, identityUserId)).toEqual({ holder: 'c-maria', created: true, groupIds: [world.identityStore.groupIdByName('ConnectAgents')] });
    expect(world.identityStore.groupNamesOf(identityUserId)).toEqual(['ConnectAgents']);
  });

  it.each(['membership', 'delete'] as const)('is taken back by the DeleteUser event (DEPROVISION=%s): out of its groups, the claim released', async (deprovision) => {
    const world = createWorld();
    const { identityUserId } = await diedAtAssignment(world, { deprovision });
    world.connect.users.delete('c-maria');

    const result = await buildCore({ deprovision }, world).deprovisionUser(request('c-maria'));

    expect(result).toMatchObject({ outcome: deprovision === 'delete' ? 'deleted' : 'deprovisioned', identityUserId, removed: 1 });
    expect(world.identityStore.groupNamesOf(identityUserId)).toEqual([]);
    expect(world.identityStore.users.has(identityUserId)).toBe(deprovision === 'membership');
    expect(world.links.holderOf(INSTANCE, identityUserId)).toBeUndefined();
    expect(world.links.peekRecord(INSTANCE, 'c-maria')).toEqual({ connectUserId: 'c-maria', deletedAt: expect.any(String) });
  });

  it('is taken back by its own retry when the Connect user was deleted meanwhile (a 5xx, then the deletion)', async () => {
    const world = createWorld();
    const { core, identityUserId } = await diedAtAssignment(world);
    world.connect.users.delete('c-maria');

    const result = await core.syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    const late = await core.deprovisionUser(request('c-maria'));

    expect(result).toMatchObject({ outcome: 'ignored', reason: 'connect-user-gone', identityUserId, removed: 1 });
    expect(world.identityStore.groupNamesOf(identityUserId)).toEqual([]);
    expect(late).toEqual({ outcome: 'ignored', reason: 'not-linked', connectUserId: 'c-maria' });
  });

  it('writes nothing for a Connect user gone that the service never wrote for', async () => {
    const { syncUser, links, identityStore } = buildCore();

    const result = await syncUser({ instanceId: INSTANCE, userId: 'c-never' });

    expect(result).toEqual({ outcome: 'ignored', reason: 'connect-user-gone', connectUserId: 'c-never' });
    expect(links.calls).toEqual(['get']);
    expect(identityStore.calls).toEqual([]);
  });

  it('is put right (memberships in line, the link written) when its live user is synced again, even unmapped', async () => {
    const world = createWorld();
    const { identityUserId } = await diedAtAssignment(world);
    world.connect.update('c-maria', { securityProfileIds: ['sp-none'] });
    const unmapped = buildCore({ mapping: { byProfile: new Map([['Agent', ['ConnectAgents']]]), everyone: [] } }, world);

    const result = await unmapped.syncUser({ instanceId: INSTANCE, userId: 'c-maria' });

    expect(result).toMatchObject({ outcome: 'unmapped', identityUserId, removed: 1 });
    expect(world.identityStore.groupNamesOf(identityUserId)).toEqual([]);
    expect(world.links.peek(INSTANCE, 'c-maria')).toMatchObject({ identityUserId, groupIds: [] });
  });

  it('a claim since taken over by another Connect user is only forgotten, never deprovisioned', async () => {
    const world = createWorld();
    const { identityUserId } = await diedAtAssignment(world);
    // Another Connect user holds it now (as after a hand-over); Maria's record still names it.
    await world.links.delete({ instanceId: INSTANCE, connectUserId: 'c-maria', identityUserId });
    world.links.items.set(`${INSTANCE}|c-maria`, { claims: [identityUserId] });
    await world.links.claim(INSTANCE, identityUserId, 'c-other', false);
    world.connect.users.delete('c-maria');

    const result = await buildCore({}, world).deprovisionUser(request('c-maria'));

    expect(result).toEqual({ outcome: 'ignored', reason: 'not-linked', connectUserId: 'c-maria' });
    expect(world.identityStore.groupNamesOf(identityUserId)).toEqual(['ConnectAgents']);
    expect(world.links.peekRecord(INSTANCE, 'c-maria').claims).toBeUndefined();
  });
});

describe('a re-created agent (same email, new Connect id)', () => {
  /** Maria synced and linked; then deleted in Connect and created again under a new id. */
  async function recreated(deprovision: 'membership' | 'delete') {
    const world = createWorld();
    world.connect.add(agent('c-old', 'Maria Garcia'));
    const first = await buildCore({ deprovision }, world).syncUser({ instanceId: INSTANCE, userId: 'c-old' });
    world.connect.users.delete('c-old');
    world.connect.add(agent('c-new', 'Maria Garcia'));
    return { world, core: buildCore({ deprovision }, world), oldIdentity: first.identityUserId ?? '' };
  }

  it.each(['membership', 'delete'] as const)('CreateUser before DeleteUser (DEPROVISION=%s): the claim is handed over, the new user synced', async (deprovision) => {
    const { world, core, oldIdentity } = await recreated(deprovision);

    const created = await core.syncUser({ instanceId: INSTANCE, userId: 'c-new' });
    const late = await core.deprovisionUser(request('c-old'));

    const identity = world.links.peek(INSTANCE, 'c-new')?.identityUserId ?? '';
    expect(created.outcome).toBe(deprovision === 'delete' ? 'created' : 'linked');
    expect(identity === oldIdentity).toBe(deprovision === 'membership');
    expect(world.identityStore.groupNamesOf(identity)).toEqual(['ConnectAgents']);
    expect(world.links.peek(INSTANCE, 'c-old')).toBeUndefined();
    expect(world.links.peekRecord(INSTANCE, 'c-old').deletedAt).toBeDefined();
    expect(world.links.peekRecord(INSTANCE, 'c-new').failure).toBeUndefined();
    expect(late).toEqual({ outcome: 'ignored', reason: 'not-linked', connectUserId: 'c-old' });
  });

  it('the same end whichever event comes first', async () => {
    const a = await recreated('membership');
    await a.core.syncUser({ instanceId: INSTANCE, userId: 'c-new' });
    await a.core.deprovisionUser(request('c-old'));
    const b = await recreated('membership');
    await b.core.deprovisionUser(request('c-old'));
    await b.core.syncUser({ instanceId: INSTANCE, userId: 'c-new' });

    for (const { world, oldIdentity } of [a, b]) {
      expect(world.links.all().map((l) => [l.connectUserId, l.identityUserId === oldIdentity])).toEqual([['c-new', true]]);
      expect(world.identityStore.groupNamesOf(oldIdentity)).toEqual(['ConnectAgents']);
    }
  });

  it('a holder that Connect still has is a real conflict: IDENTITY_ALREADY_LINKED, naming the identity', async () => {
    const { world, core, oldIdentity } = await recreated('membership');
    world.connect.add(agent('c-old', 'Maria Garcia'));

    const error = await rejection(core.syncUser({ instanceId: INSTANCE, userId: 'c-new' }));

    expect(error.code).toBe('IDENTITY_ALREADY_LINKED');
    expect(error.message).toContain('--apply');
    expect(world.links.peekRecord(INSTANCE, 'c-new').failure).toMatchObject({ code: 'IDENTITY_ALREADY_LINKED', identityUserId: oldIdentity });
    expect(world.links.peekRecord(INSTANCE, 'c-new').claims).toBeUndefined();
  });
});
