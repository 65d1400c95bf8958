import type { SyncSettings } from '../../../shared/core/context.js';
import type { IdentityAttributes } from '../../../shared/core/ports/index.js';
import { agent, buildCore, createWorld, INSTANCE, rejection, type World } from '../../support/core.js';

const request = { instanceId: INSTANCE, userId: 'c-maria' };

/** Maria synced (created by the service), then her identity info edited in Connect with `changes`. */
async function syncedThenEdited(changes: Parameters<World['connect']['update']>[1], settings: Partial<SyncSettings> = {}) {
  const core = buildCore(settings);
  core.connect.add(agent('c-maria', 'Maria Garcia'));
  const { identityUserId = '' } = await core.syncUser(request);
  core.connect.update('c-maria', changes);
  const before = structuredClone(core.identityStore.users.get(identityUserId));
  core.resetCalls();
  return { ...core, identityUserId, before };
}

describe('updateIdentity: the sync runs first', () => {
  it('creates the identity of an update that arrives before its create, with the new attributes', async () => {
    const { updateIdentity, connect, identityStore } = buildCore();
    connect.add(agent('c-maria', 'Maria Garcia-Lopez'));

    const result = await updateIdentity(request);

    // Reported as what it was: a creation (the --serve line and the metric used to say "unchanged").
    expect(result).toMatchObject({ outcome: 'created', sync: 'created' });
    expect(identityStore.users.get(result.identityUserId ?? '')?.familyName).toBe('Garcia-Lopez');
  });

  it('links the identity of a user synced before the link table existed, and does not update it', async () => {
    const world = createWorld();
    const existing = world.identityStore.seedUser({ userName: 'maria.garcia@example.com', email: 'maria.garcia@example.com' });
    const { updateIdentity, connect, identityStore, links } = buildCore({}, world);
    connect.add(agent('c-maria', 'Maria Garcia'));

    const result = await updateIdentity(request);

    expect(result).toMatchObject({ outcome: 'unchanged', reason: 'linked-identity', sync: 'linked', identityUserId: existing });
    expect(links.peek(INSTANCE, 'c-maria')).toMatchObject({ identityUserId: existing, created: false });
    expect(identityStore.calls).not.toContain('updateUser');
  });

  it('ignores a Connect user that no longer exists', async () => {
    const { updateIdentity } = buildCore();

    const result = await updateIdentity(request);

    expect(result).toEqual({ outcome: 'ignored', reason: 'connect-user-gone', connectUserId: 'c-maria' });
  });
});

describe('updateIdentity: an identity the service created', () => {
  it('makes the names and the email follow Connect', async () => {
    const { updateIdentity, identityStore, identityUserId } = await syncedThenEdited({
      firstName: 'María',
      lastName: 'García-López',
      email: 'maria.garcia-lopez@example.com',
    });

    const result = await updateIdentity(request);

    expect(result).toEqual({
      outcome: 'updated',
      connectUserId: 'c-maria',
      identityUserId,
      sync: 'synced',
      changed: ['displayName', 'givenName', 'familyName', 'email'],
    });
    expect(identityStore.users.get(identityUserId)).toMatchObject({
      userName: 'maria.garcia@example.com',
      displayName: 'María García-López',
      givenName: 'María',
      familyName: 'García-López',
      email: 'maria.garcia-lopez@example.com',
    });
  });

  it('writes only the attributes that changed, and nothing when nothing did', async () => {
    const { updateIdentity, identityStore } = await syncedThenEdited({ lastName: 'Lopez' });
    const written: Partial<IdentityAttributes>[] = [];
    identityStore.hooks.updateUser = (_id: string, changes: Partial<IdentityAttributes>) => {
      written.push(changes);
    };

    const first = await updateIdentity(request);
    const second = await updateIdentity(request);

    expect(first).toMatchObject({ outcome: 'updated', changed: ['displayName', 'familyName'] });
    expect(written).toEqual([{ displayName: 'Maria Lopez', familyName: 'Lopez' }]);
    expect(second).toMatchObject({ outcome: 'unchanged', sync: 'synced' });
    expect(second.reason).toBeUndefined();
    expect(identityStore.count('updateUser')).toBe(1);
  });

  it('treats an email that differs only in case as unchanged', async () => {
    const { updateIdentity, identityStore } = await syncedThenEdited({ email: 'Maria.Garcia@Example.com' });

    const result = await updateIdentity(request);

    expect(result.outcome).toBe('unchanged');
    expect(identityStore.calls).not.toContain('updateUser');
  });

  it('never changes the UserName', async () => {
    const { updateIdentity, identityStore, identityUserId } = await syncedThenEdited({
      username: 'maria.lopez@example.com',
      email: 'maria.lopez@example.com',
    });
    const written: Partial<IdentityAttributes>[] = [];
    identityStore.hooks.updateUser = (_id: string, changes: Partial<IdentityAttributes>) => {
      written.push(changes);
    };

    const result = await updateIdentity(request);

    expect(result.changed).toEqual(['email']);
    expect(written).toEqual([{ email: 'maria.lopez@example.com' }]);
    expect(identityStore.users.get(identityUserId)?.userName).toBe('maria.garcia@example.com');
  });

  it('keeps the Identity Center email when the Connect user has no email any more', async () => {
    const core = buildCore();
    core.connect.add(agent('c-maria', 'Maria Garcia', { username: 'mgarcia' }));
    const { identityUserId = '' } = await core.syncUser(request);
    core.connect.update('c-maria', { email: undefined, lastName: 'Lopez' });

    const result = await core.updateIdentity(request);

    expect(result).toMatchObject({ outcome: 'updated', changed: ['displayName', 'familyName'] });
    expect(core.identityStore.users.get(identityUserId)?.email).toBe('maria.garcia@example.com');
  });

  it.each([
    ['another group', 'group(s) besides the managed ones'],
    ['another application assignment', 'other application assignment(s)'],
    ['an AWS account assignment', 'AWS account assignment(s)'],
  ])('is blocked (IDENTITY_UPDATE_BLOCKED) for an identity with %s, naming it and changing nothing', async (door, words) => {
    const { updateIdentity, identityStore, assignments, identityUserId, before } = await syncedThenEdited({
      email: 'attacker@example.net',
    });
    if (door === 'another group') identityStore.join(identityStore.seedGroup('AWSAdministrators'), identityUserId);
    if (door === 'another application assignment') assignments.seedAccess(identityUserId, { otherApplications: 1 });
    if (door === 'an AWS account assignment') assignments.seedAccess(identityUserId, { accounts: 1 });

    const error = await rejection(updateIdentity(request));

    expect([error.code, error.retryable]).toEqual(['IDENTITY_UPDATE_BLOCKED', false]);
    expect(error.message).toContain(`1 ${words}`);
    expect(error.message).toContain('email');
    expect(error.message).not.toContain('attacker');
    expect(identityStore.users.get(identityUserId)).toEqual(before);
    expect(identityStore.calls).not.toContain('updateUser');
  });

  it('fails with EMAIL_IN_USE when another identity has the new email, changing nothing', async () => {
    const { updateIdentity, identityStore, identityUserId, before } = await syncedThenEdited({ email: 'li.wei@example.com' });
    const other = identityStore.seedUser({ userName: 'lwei', email: 'li.wei@example.com' });

    const error = await rejection(updateIdentity(request));

    expect([error.code, error.retryable]).toEqual(['EMAIL_IN_USE', false]);
    expect(error.message).toContain(other);
    expect(identityStore.users.get(identityUserId)).toEqual(before);
    expect(identityStore.calls).not.toContain('updateUser');
  });

  it('fails with EMAIL_IN_USE when the update itself finds the email taken (taken after the lookup)', async () => {
    const { updateIdentity, identityStore, identityUserId, before } = await syncedThenEdited({ email: 'li.wei@example.com' });
    identityStore.hooks.updateUser = () => {
      identityStore.seedUser({ userName: 'lwei', email: 'li.wei@example.com' });
    };

    const error = await rejection(updateIdentity(request));

    expect([error.code, error.retryable]).toEqual(['EMAIL_IN_USE', false]);
    expect(identityStore.users.get(identityUserId)).toEqual(before);
  });

  it('fails with PROTECTED_IDENTITY, changing nothing, once the identity is in a protected group', async () => {
    const world = createWorld();
    const admins = world.identityStore.seedGroup('Admins');
    const core = buildCore({ protectedGroupNames: ['Admins'] }, world);
    core.connect.add(agent('c-maria', 'Maria Garcia'));
    const { identityUserId = '' } = await core.syncUser(request);
    core.identityStore.join(admins, identityUserId);
    core.connect.update('c-maria', { email: 'someone@example.net' });

    const error = await rejection(core.updateIdentity(request));

    expect(error.code).toBe('PROTECTED_IDENTITY');
    expect(core.identityStore.users.get(identityUserId)?.email).toBe('maria.garcia@example.com');
  });
});

describe('updateIdentity: identities it may not update', () => {
  it('never updates a linked identity (unchanged, linked-identity)', async () => {
    const world = createWorld();
    const existing = world.identityStore.seedUser({ userName: 'mgarcia', email: 'maria.garcia@example.com', familyName: 'Garcia' });
    const core = buildCore({}, world);
    core.connect.add(agent('c-maria', 'Maria Garcia'));
    await core.syncUser(request);
    core.connect.update('c-maria', { lastName: 'Lopez', email: 'maria.lopez@example.com' });

    const result = await core.updateIdentity(request);

    expect(result).toMatchObject({ outcome: 'unchanged', reason: 'linked-identity', identityUserId: existing });
    expect(core.identityStore.users.get(existing)).toMatchObject({ familyName: 'Garcia', email: 'maria.garcia@example.com' });
    expect(core.identityStore.calls).not.toContain('updateUser');
  });

  it('changes no identity attribute with UPDATE_IDENTITY=none', async () => {
    const { updateIdentity, identityStore, identityUserId, before } = await syncedThenEdited(
      { lastName: 'Lopez' },
      { updateIdentity: 'none' },
    );

    const result = await updateIdentity(request);

    expect(result).toMatchObject({ outcome: 'unchanged', reason: 'UPDATE_IDENTITY=none', sync: 'synced' });
    expect(identityStore.users.get(identityUserId)).toEqual(before);
  });

  it('does nothing for a user whose profiles map to no group and that was never linked', async () => {
    const { updateIdentity, connect, identityStore } = buildCore({
      mapping: { byProfile: new Map([['Agent', ['ConnectAgents']]]), everyone: [] },
    });
    connect.addProfile('sp-qa', 'QualityAnalyst');
    connect.add(agent('c-maria', 'Maria Garcia', { securityProfileIds: ['sp-qa'] }));

    const result = await updateIdentity(request);

    expect(result).toMatchObject({ outcome: 'unchanged', reason: 'not-linked', sync: 'unmapped' });
    expect(identityStore.calls).toEqual([]);
  });
});
