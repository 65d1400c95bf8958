import { PermanentError, SyncError } from '../../../shared/core/errors.js';
import { createSyncUser, type SyncSettings } from '../../../shared/core/sync-user.js';
import { FakeAssignments, FakeConnect, FakeIdentityStore } from '../../support/fakes.js';

const INSTANCE = 'instance-1';

function setup(settings: Partial<SyncSettings> = {}) {
  const connect = new FakeConnect(INSTANCE);
  const identityStore = new FakeIdentityStore();
  const assignments = new FakeAssignments();
  const syncUser = createSyncUser({
    connect,
    identityStore,
    assignments,
    settings: { agentGroupName: 'ConnectAgents', assignmentMode: 'group', createUsers: true, ...settings },
  });
  const maria = connect.add({
    id: 'c-1',
    username: 'maria.garcia@example.com',
    firstName: 'Maria',
    lastName: 'Garcia',
    email: 'maria.garcia@example.com',
  });
  return { connect, identityStore, assignments, syncUser, maria };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof SyncError)) throw new Error(`expected a SyncError, got ${String(error)}`);
  return error.code;
}

describe('syncUser: a new Connect user', () => {
  it('creates the Identity Center user, adds it to a new agents group and assigns the group to the application', async () => {
    const { syncUser, identityStore, assignments } = setup();

    const result = await syncUser({ instanceId: INSTANCE, userId: 'c-1' });

    expect(result).toMatchObject({ outcome: 'created', connectUserId: 'c-1', membership: 'added', assignment: 'assigned' });
    const created = identityStore.users.get(result.identityUserId);
    expect(created).toEqual({
      id: result.identityUserId,
      userName: 'maria.garcia@example.com',
      displayName: 'Maria Garcia',
      givenName: 'Maria',
      familyName: 'Garcia',
      email: 'maria.garcia@example.com',
    });
    expect(identityStore.groups.get(result.groupId)).toBe('ConnectAgents');
    expect(identityStore.membersOf(result.groupId)).toEqual([result.identityUserId]);
    expect([...assignments.assigned]).toEqual([`GROUP:${result.groupId}`]);
  });

  it('costs one Connect read, one lookup and two writes per user once the group is resolved', async () => {
    const { syncUser, connect, identityStore, assignments } = setup();
    identityStore.seedGroup('ConnectAgents');
    connect.add({ id: 'c-2', username: 'li.wei@example.com', email: 'li.wei@example.com', firstName: 'Li', lastName: 'Wei' });
    await syncUser({ instanceId: INSTANCE, userId: 'c-1' });
    connect.calls.length = 0;
    identityStore.calls.length = 0;
    assignments.calls.length = 0;

    await syncUser({ instanceId: INSTANCE, userId: 'c-2' });

    expect(connect.calls).toEqual(['describeUser']);
    expect(identityStore.calls).toEqual(['findUserIdByEmail', 'createUser', 'addMember']);
    expect(assignments.calls).toEqual([]);
  });

  it('finds the user by Username when the event has no user id', async () => {
    const { syncUser } = setup();

    const result = await syncUser({ instanceId: INSTANCE, username: 'MARIA.GARCIA@example.com' });

    expect(result).toMatchObject({ outcome: 'created', connectUserId: 'c-1' });
  });

  it('fails permanently with CONNECT_USER_NOT_FOUND when the Connect user is gone', async () => {
    const { syncUser } = setup();

    expect(await codeOf(syncUser({ instanceId: INSTANCE, userId: 'deleted' }))).toBe('CONNECT_USER_NOT_FOUND');
    expect(await codeOf(syncUser({ instanceId: INSTANCE, username: 'nobody' }))).toBe('CONNECT_USER_NOT_FOUND');
  });
});

describe('syncUser: the email', () => {
  it.each([
    ['SecondaryEmail when Email is missing', { secondaryEmail: 'second@example.com' }, 'second@example.com'],
    ['the Username when it is an email address', {}, 'agent@example.com'],
  ])('uses %s', async (_, identity, expected) => {
    const { syncUser, connect, identityStore } = setup();
    connect.add({ id: 'c-9', username: 'agent@example.com', ...identity });

    const result = await syncUser({ instanceId: INSTANCE, userId: 'c-9' });

    expect(identityStore.users.get(result.identityUserId)?.email).toBe(expected);
  });

  it('fails permanently with NO_EMAIL and changes nothing when there is none', async () => {
    const { syncUser, connect, identityStore } = setup();
    connect.add({ id: 'c-9', username: 'agent_007', firstName: 'James' });

    expect(await codeOf(syncUser({ instanceId: INSTANCE, userId: 'c-9' }))).toBe('NO_EMAIL');
    expect(identityStore.users.size).toBe(0);
    expect(identityStore.groups.size).toBe(0);
  });
});

describe('syncUser: matching an existing Identity Center user', () => {
  it('links the user that has the email, and skips the add when it is already a member', async () => {
    const { syncUser, identityStore } = setup();
    const existing = identityStore.seedUser({ userName: 'mgarcia', email: 'Maria.Garcia@example.com' });
    const group = identityStore.seedGroup('ConnectAgents');
    identityStore.memberships.add(`${group}|${existing}`);

    const result = await syncUser({ instanceId: INSTANCE, userId: 'c-1' });

    expect(result).toMatchObject({ outcome: 'linked', identityUserId: existing, membership: 'already-member' });
    expect(identityStore.users.size).toBe(1);
    expect(identityStore.calls).not.toContain('addMember');
  });

  it('links the user that has the Username when no user has the email', async () => {
    const { syncUser, identityStore } = setup();
    const existing = identityStore.seedUser({ userName: 'maria.garcia@example.com', email: 'old@example.com' });

    const result = await syncUser({ instanceId: INSTANCE, userId: 'c-1' });

    expect(result).toMatchObject({ outcome: 'linked', identityUserId: existing, membership: 'added' });
    expect(identityStore.users.size).toBe(1);
  });

  it('fails permanently with AMBIGUOUS_MATCH, changing nothing, when email and Username match different users', async () => {
    const { syncUser, identityStore, assignments } = setup();
    identityStore.seedUser({ userName: 'someone-else', email: 'maria.garcia@example.com' });
    identityStore.seedUser({ userName: 'maria.garcia@example.com', email: 'other@example.com' });

    expect(await codeOf(syncUser({ instanceId: INSTANCE, userId: 'c-1' }))).toBe('AMBIGUOUS_MATCH');
    expect(identityStore.groups.size).toBe(0);
    expect(identityStore.memberships.size).toBe(0);
    expect(assignments.assigned.size).toBe(0);
  });

  it('with CREATE_USERS=false links an existing user and fails with USER_NOT_FOUND otherwise', async () => {
    const { syncUser, identityStore, connect } = setup({ createUsers: false });
    const existing = identityStore.seedUser({ userName: 'maria.garcia@example.com', email: 'x@example.com' });
    connect.add({ id: 'c-2', username: 'new@example.com' });

    expect(await syncUser({ instanceId: INSTANCE, userId: 'c-1' })).toMatchObject({ outcome: 'linked', identityUserId: existing });
    expect(await codeOf(syncUser({ instanceId: INSTANCE, userId: 'c-2' }))).toBe('USER_NOT_FOUND');
    expect(identityStore.calls).not.toContain('createUser');
  });
});

describe('syncUser: names', () => {
  it('fills missing names by the documented rule', async () => {
    const { syncUser, connect, identityStore } = setup();
    connect.add({ id: 'c-3', username: 'agent-3', email: 'sam.okafor@example.com' });
    connect.add({ id: 'c-4', username: 'agent-4', email: 'ana@example.com', firstName: ' Ana ' });

    const noNames = await syncUser({ instanceId: INSTANCE, userId: 'c-3' });
    const firstOnly = await syncUser({ instanceId: INSTANCE, userId: 'c-4' });

    expect(identityStore.users.get(noNames.identityUserId)).toMatchObject({
      givenName: 'sam.okafor',
      familyName: '-',
      displayName: 'agent-3',
    });
    expect(identityStore.users.get(firstOnly.identityUserId)).toMatchObject({
      givenName: 'Ana',
      familyName: '-',
      displayName: 'Ana',
    });
  });
});

describe('syncUser: group and assignment', () => {
  it('resolves the group and the group assignment once per container', async () => {
    const { syncUser, connect, identityStore, assignments } = setup();
    connect.add({ id: 'c-2', username: 'li.wei@example.com' });

    await syncUser({ instanceId: INSTANCE, userId: 'c-1' });
    await syncUser({ instanceId: INSTANCE, userId: 'c-2' });

    expect(identityStore.calls.filter((c) => c === 'findGroupIdByName')).toHaveLength(1);
    expect(identityStore.calls.filter((c) => c === 'createGroup')).toHaveLength(1);
    expect(assignments.calls).toEqual(['assign:GROUP']);
  });

  it('uses the existing group of that name', async () => {
    const { syncUser, identityStore } = setup({ agentGroupName: 'Agents-EU' });
    const group = identityStore.seedGroup('Agents-EU');

    const result = await syncUser({ instanceId: INSTANCE, userId: 'c-1' });

    expect(result.groupId).toBe(group);
    expect(identityStore.calls).not.toContain('createGroup');
  });

  it('assigns each user in user mode and nobody in none mode', async () => {
    const user = setup({ assignmentMode: 'user' });
    const none = setup({ assignmentMode: 'none' });

    const assigned = await user.syncUser({ instanceId: INSTANCE, userId: 'c-1' });
    const skipped = await none.syncUser({ instanceId: INSTANCE, userId: 'c-1' });

    expect([...user.assignments.assigned]).toEqual([`USER:${assigned.identityUserId}`]);
    expect(skipped.assignment).toBe('skipped');
    expect(none.assignments.calls).toEqual([]);
  });

  it('retries a failed group assignment on the next user instead of remembering the failure', async () => {
    const { syncUser, assignments, connect } = setup();
    connect.add({ id: 'c-2', username: 'li.wei@example.com' });
    assignments.failWith = new PermanentError('ASSIGNMENT_UNSUPPORTED', 'assign in the console');

    expect(await codeOf(syncUser({ instanceId: INSTANCE, userId: 'c-1' }))).toBe('ASSIGNMENT_UNSUPPORTED');
    assignments.failWith = undefined;
    const result = await syncUser({ instanceId: INSTANCE, userId: 'c-2' });

    expect(result.assignment).toBe('assigned');
    expect(assignments.calls).toEqual(['assign:GROUP', 'assign:GROUP']);
  });
});

describe('syncUser: duplicates and concurrency', () => {
  it('ends a duplicate delivery in the same single user and membership', async () => {
    const { syncUser, identityStore } = setup();

    const first = await syncUser({ instanceId: INSTANCE, userId: 'c-1' });
    const second = await syncUser({ instanceId: INSTANCE, userId: 'c-1' });

    expect(second).toMatchObject({ outcome: 'linked', identityUserId: first.identityUserId, membership: 'already-member' });
    expect(identityStore.users.size).toBe(1);
    expect(identityStore.memberships.size).toBe(1);
  });

  it('ends concurrent deliveries in one user, one membership and one group', async () => {
    const { syncUser, identityStore } = setup();

    const results = await Promise.all(Array.from({ length: 5 }, () => syncUser({ instanceId: INSTANCE, userId: 'c-1' })));

    expect(new Set(results.map((r) => r.identityUserId)).size).toBe(1);
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(1);
    expect(identityStore.users.size).toBe(1);
    expect(identityStore.groups.size).toBe(1);
    expect(identityStore.memberships.size).toBe(1);
  });
});
