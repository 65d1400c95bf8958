import { ASSIGNMENT_TTL_MS } from '../../../shared/core/groups.js';
import { PermanentError } from '../../../shared/core/errors.js';
import { agent, buildCore, createWorld, INSTANCE, mappingOf, rejection, type Core } from '../../support/core.js';

const PROFILES = { agent: 'sp-agent', manager: 'sp-manager', analyst: 'sp-qa' };
const ROLES = mappingOf({ Agent: 'ConnectAgents', CallCenterManager: ['ConnectAgents', 'ConnectSupervisors'] });

/** A container with the instance's security profiles and Maria (an agent) in Connect. */
function setup(...args: Parameters<typeof buildCore>) {
  const core = buildCore(...args);
  core.connect.addProfile(PROFILES.agent, 'Agent');
  core.connect.addProfile(PROFILES.manager, 'CallCenterManager');
  core.connect.addProfile(PROFILES.analyst, 'QualityAnalyst');
  const maria = core.connect.add(agent('c-maria', 'Maria Garcia', { securityProfileIds: [PROFILES.agent] }));
  return { ...core, maria };
}

/** What nothing-written means: no identity, no membership, no link, no claim, no assignment (a remembered failure is no access). */
function expectNothingWritten(core: Core, identitiesBefore: number) {
  expect(core.identityStore.users.size).toBe(identitiesBefore);
  expect(core.identityStore.calls).not.toEqual(expect.arrayContaining(['addMember']));
  expect(core.identityStore.calls).not.toEqual(expect.arrayContaining(['removeMember']));
  expect(core.links.all()).toEqual([]);
  expect([...core.links.identities.values()]).toEqual([]);
  expect(core.assignments.calls).toEqual([]);
}

describe('syncUser: a new Connect user', () => {
  it('creates the Identity Center user, adds it to the wanted group, assigns the group and writes the link', async () => {
    const { syncUser, identityStore, assignments, links } = setup();

    const result = await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });

    const groupId = identityStore.groupIdByName('ConnectAgents') ?? '';
    expect(result).toEqual({
      outcome: 'created',
      connectUserId: 'c-maria',
      identityUserId: expect.any(String),
      groupIds: [groupId],
      added: 1,
      removed: 0,
      assignment: 'assigned',
    });
    const id = result.identityUserId ?? '';
    expect(identityStore.users.get(id)).toMatchObject({
      userName: 'maria.garcia@example.com',
      displayName: 'Maria Garcia',
      givenName: 'Maria',
      familyName: 'Garcia',
      email: 'maria.garcia@example.com',
    });
    expect(identityStore.membersOf(groupId)).toEqual([id]);
    expect([...assignments.assigned]).toEqual([`GROUP:${groupId}`]);
    expect(links.peek(INSTANCE, 'c-maria')).toMatchObject({ identityUserId: id, created: true, groupIds: [groupId] });
    expect(links.holderOf(INSTANCE, id)).toBe('c-maria');
  });

  it('creates a missing managed group with a description saying who manages it', async () => {
    const { syncUser, identityStore } = setup();

    await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });

    const groupId = identityStore.groupIdByName('ConnectAgents') ?? '';
    expect(identityStore.count('createGroup')).toBe(1);
    expect(identityStore.descriptions.get(groupId)).toMatch(/managed by connect-sso-sync/);
  });

  it('removes control and format characters from the names and cuts them to 1,024 characters without splitting a pair', async () => {
    const { syncUser, connect, identityStore } = setup();
    const long = `${'a'.repeat(1023)}😀tail`;
    connect.add(agent('c-odd', 'X Y', { firstName: 'Ma\u00ADri\u200Ba\u200E', lastName: long, email: 'odd@example.com', username: 'odd' }));

    const { identityUserId } = await syncUser({ instanceId: INSTANCE, userId: 'c-odd' });

    const created = identityStore.users.get(identityUserId ?? '');
    expect(created?.givenName).toBe('Maria');
    expect(created?.familyName).toBe(`${'a'.repeat(1023)}😀`);
    expect(Array.from(created?.displayName ?? '')).toHaveLength(1024);
    expect(created?.displayName.startsWith('Maria aaa')).toBe(true);
    expect(created?.displayName).not.toMatch(/\p{Cs}/u);
  });

  it('costs one Connect read and three Identity Store calls (lookup, create, add) once the group is known', async () => {
    const { syncUser, connect, identityStore, assignments, resetCalls } = setup();
    connect.add(agent('c-li', 'Li Wei', { securityProfileIds: [PROFILES.agent] }));
    await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    resetCalls();

    await syncUser({ instanceId: INSTANCE, userId: 'c-li' });

    expect(connect.calls).toEqual(['describeUser']);
    expect(identityStore.calls).toEqual(['findUserIdByEmail', 'createUser', 'addMember']);
    expect(assignments.calls).toEqual([]);
  });

  it('costs one Connect read and one membership read for a user already linked, with no lookup', async () => {
    const { syncUser, connect, identityStore, assignments, resetCalls } = setup();
    await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    resetCalls();

    const again = await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });

    expect(again).toMatchObject({ outcome: 'synced', added: 0, removed: 0 });
    expect(connect.calls).toEqual(['describeUser']);
    expect(identityStore.calls).toEqual(['memberships']);
    expect(assignments.calls).toEqual([]);
  });

  it('finds the Connect user by Username when the event has no user id', async () => {
    const { syncUser } = setup();

    const result = await syncUser({ instanceId: INSTANCE, username: 'MARIA.GARCIA@example.com' });

    expect(result).toMatchObject({ outcome: 'created', connectUserId: 'c-maria' });
  });
});

describe('syncUser: the application assignment of the groups', () => {
  it('assigns a group once per container, and again once ASSIGNMENT_TTL_MS has passed', async () => {
    const { syncUser, connect, assignments, clock } = setup();
    connect.add(agent('c-li', 'Li Wei'));
    connect.add(agent('c-sam', 'Sam Okafor'));

    await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    await syncUser({ instanceId: INSTANCE, userId: 'c-li' });
    const beforeTtl = assignments.count('assign');
    clock.advance(ASSIGNMENT_TTL_MS);
    const late = await syncUser({ instanceId: INSTANCE, userId: 'c-sam' });

    expect(beforeTtl).toBe(1);
    expect(assignments.count('assign')).toBe(2);
    expect(late.assignment).toBe('already-assigned');
  });

  it('ASSIGNMENT_MODE=user assigns each user once, on its first sync', async () => {
    const { syncUser, assignments } = setup({ assignmentMode: 'user' });

    const first = await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    const second = await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });

    expect(first.assignment).toBe('assigned');
    expect(second.assignment).toBe('skipped');
    expect([...assignments.assigned]).toEqual([`USER:${first.identityUserId}`]);
    expect(assignments.count('assign')).toBe(1);
  });

  it('ASSIGNMENT_MODE=user assigns a linked user again when reconcile found its assignment missing', async () => {
    const { syncUser, assignments } = setup({ assignmentMode: 'user' });
    const first = await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    assignments.assigned.clear();

    const repaired = await syncUser({ instanceId: INSTANCE, userId: 'c-maria', ensureAssignment: true });

    expect(repaired.assignment).toBe('assigned');
    expect([...assignments.assigned]).toEqual([`USER:${first.identityUserId}`]);
  });

  it('ASSIGNMENT_MODE=none never assigns anything', async () => {
    const { syncUser, assignments } = setup({ assignmentMode: 'none' });

    const first = await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    await syncUser({ instanceId: INSTANCE, userId: 'c-maria', ensureAssignment: true });

    expect(first.assignment).toBe('skipped');
    expect(assignments.calls).toEqual([]);
  });
});

describe('syncUser: the email', () => {
  it.each([
    ['SecondaryEmail when Email is missing', { email: undefined, secondaryEmail: 'second@example.com' }, 'second@example.com'],
    ['the Username when it is an email address', { email: undefined, username: 'agent@example.com' }, 'agent@example.com'],
  ])('uses %s', async (_, identity, expected) => {
    const { syncUser, connect, identityStore } = setup();
    connect.add(agent('c-9', 'Jo Doe', identity));

    const result = await syncUser({ instanceId: INSTANCE, userId: 'c-9' });

    expect(identityStore.users.get(result.identityUserId ?? '')?.email).toBe(expected);
  });

  it('fails permanently with NO_EMAIL and writes nothing when there is none', async () => {
    const core = setup();
    core.connect.add(agent('c-9', 'James Bond', { email: undefined, username: 'agent_007' }));

    const error = await rejection(core.syncUser({ instanceId: INSTANCE, userId: 'c-9' }));

    expect([error.code, error.retryable]).toEqual(['NO_EMAIL', false]);
    expectNothingWritten(core, 0);
  });
});

describe('syncUser: linking an existing Identity Center user', () => {
  it('links the user with the same email (any case) and records that it was not created by the service', async () => {
    const { syncUser, identityStore, links } = setup();
    const existing = identityStore.seedUser({ userName: 'mgarcia', email: 'Maria.Garcia@example.com' });

    const result = await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });

    expect(result).toMatchObject({ outcome: 'linked', identityUserId: existing, added: 1 });
    expect(identityStore.users.size).toBe(1);
    expect(links.peek(INSTANCE, 'c-maria')).toMatchObject({ identityUserId: existing, created: false });
  });

  it('fails with AMBIGUOUS_MATCH when the email names one user and the Username another, writing nothing', async () => {
    const core = setup();
    core.identityStore.seedUser({ userName: 'mgarcia', email: 'maria.garcia@example.com' });
    core.identityStore.seedUser({ userName: 'maria.garcia@example.com', email: 'someone.else@example.com' });

    const error = await rejection(core.syncUser({ instanceId: INSTANCE, userId: 'c-maria' }));

    expect([error.code, error.retryable]).toEqual(['AMBIGUOUS_MATCH', false]);
    expectNothingWritten(core, 2);
  });

  it.each([
    ['CREATE_USERS=false', { createUsers: false }],
    ['the CreateUser conflict', { createUsers: true }],
  ])('fails with USERNAME_TAKEN when only the UserName matches, with another email (%s), writing nothing', async (_, settings) => {
    const core = setup(settings);
    const other = core.identityStore.seedUser({ userName: 'maria.garcia@example.com', email: 'maria@elsewhere.example' });

    const error = await rejection(core.syncUser({ instanceId: INSTANCE, userId: 'c-maria' }));

    expect([error.code, error.retryable]).toEqual(['USERNAME_TAKEN', false]);
    expect(error.message).toContain(other);
    expect(error.message).not.toContain('@');
    expectNothingWritten(core, 1);
  });

  it.each([
    ['CREATE_USERS=false', { createUsers: false }],
    ['the CreateUser conflict', { createUsers: true }],
  ])('links a UserName match whose email differs only in case (%s, case-sensitive lookups)', async (_, settings) => {
    const core = setup(settings, createWorld({ ignoreCase: false }));
    const existing = core.identityStore.seedUser({ userName: 'maria.garcia@example.com', email: 'MARIA.GARCIA@example.com' });

    const result = await core.syncUser({ instanceId: INSTANCE, userId: 'c-maria' });

    expect(result).toMatchObject({ outcome: 'linked', identityUserId: existing });
    expect(core.identityStore.users.size).toBe(1);
    expect(core.links.peek(INSTANCE, 'c-maria')?.created).toBe(false);
  });

  it('fails with IDENTITY_ALREADY_LINKED for a second Connect user with the same email, writing nothing for it', async () => {
    const { syncUser, connect, identityStore, links } = setup();
    const first = await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    connect.add(agent('c-twin', 'Maria Garcia', { username: 'mgarcia2', securityProfileIds: [PROFILES.agent] }));
    const membersBefore = [...identityStore.members];

    const error = await rejection(syncUser({ instanceId: INSTANCE, userId: 'c-twin' }));

    expect([error.code, error.retryable]).toEqual(['IDENTITY_ALREADY_LINKED', false]);
    expect(error.message).toContain('c-maria');
    expect(links.peek(INSTANCE, 'c-twin')).toBeUndefined();
    expect(links.holderOf(INSTANCE, first.identityUserId ?? '')).toBe('c-maria');
    expect([...identityStore.members]).toEqual(membersBefore);
  });

  it('never links a member of a protected group (PROTECTED_IDENTITY), writing nothing', async () => {
    const core = setup({ protectedGroupNames: ['Admins'] });
    const admin = core.identityStore.seedUser({ userName: 'maria', email: 'maria.garcia@example.com' });
    core.identityStore.join(core.identityStore.seedGroup('Admins'), admin);

    const error = await rejection(core.syncUser({ instanceId: INSTANCE, userId: 'c-maria' }));

    expect([error.code, error.retryable]).toEqual(['PROTECTED_IDENTITY', false]);
    expect(core.identityStore.groupNamesOf(admin)).toEqual(['Admins']);
    expect(core.links.all()).toEqual([]);
    expect([...core.links.identities.values()]).toEqual([]);
    expect(core.assignments.calls).toEqual([]);
  });

  it('leaves an already-linked identity alone once it is in a protected group', async () => {
    const { syncUser, connect, identityStore, links } = setup({ mapping: ROLES, protectedGroupNames: ['Admins'] });
    const admins = identityStore.seedGroup('Admins');
    const { identityUserId = '' } = await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    identityStore.join(admins, identityUserId);
    connect.update('c-maria', { securityProfileIds: [PROFILES.manager] });
    const linkBefore = links.peek(INSTANCE, 'c-maria');

    const error = await rejection(syncUser({ instanceId: INSTANCE, userId: 'c-maria' }));

    expect(error.code).toBe('PROTECTED_IDENTITY');
    expect(identityStore.groupNamesOf(identityUserId)).toEqual(['Admins', 'ConnectAgents']);
    expect(links.peek(INSTANCE, 'c-maria')).toEqual(linkBefore);
  });

  it('fails with USER_NOT_FOUND when CREATE_USERS=false and nobody has the email', async () => {
    const core = setup({ createUsers: false });

    const error = await rejection(core.syncUser({ instanceId: INSTANCE, userId: 'c-maria' }));

    expect([error.code, error.retryable]).toEqual(['USER_NOT_FOUND', false]);
    expect(core.identityStore.calls).not.toContain('createUser');
    expectNothingWritten(core, 0);
  });

  it('retries (CONFLICT_UNRESOLVED) when CreateUser reports a conflict and no matching user is visible', async () => {
    const core = setup();
    core.identityStore.hooks.createUser = () => {
      throw new PermanentError('ALREADY_EXISTS', 'conflict');
    };

    const error = await rejection(core.syncUser({ instanceId: INSTANCE, userId: 'c-maria' }));

    expect([error.code, error.retryable]).toEqual(['CONFLICT_UNRESOLVED', true]);
    expect(core.links.all()).toEqual([]);
  });

  it('ends concurrent deliveries of one CreateUser in one identity, one membership and a link that says created', async () => {
    const { syncUser, identityStore, links } = setup();

    const outcomes = await Promise.all([
      syncUser({ instanceId: INSTANCE, userId: 'c-maria' }),
      syncUser({ instanceId: INSTANCE, userId: 'c-maria' }),
    ]);

    expect(identityStore.users.size).toBe(1);
    const [id] = [...identityStore.users.keys()];
    expect(outcomes.map((o) => o.identityUserId)).toEqual([id, id]);
    expect(identityStore.membersOf(identityStore.groupIdByName('ConnectAgents') ?? '')).toEqual([id]);
    expect(identityStore.groups.size).toBe(1);
    expect(links.all()).toEqual([expect.objectContaining({ connectUserId: 'c-maria', identityUserId: id, created: true })]);
  });

  it('knows it created the identity when an earlier attempt was cut off before writing the link', async () => {
    const world = createWorld();
    const first = setup({}, world);
    world.identityStore.hooks.addMember = () => {
      throw new Error('the invocation timed out');
    };
    await expect(first.syncUser({ instanceId: INSTANCE, userId: 'c-maria' })).rejects.toThrow('timed out');
    delete world.identityStore.hooks.addMember;
    world.clock.advance(5 * 60_000);

    const retried = await buildCore({}, world).syncUser({ instanceId: INSTANCE, userId: 'c-maria' });

    expect(world.identityStore.users.size).toBe(1);
    expect(retried.outcome).toBe('created');
    expect(world.links.peek(INSTANCE, 'c-maria')?.created).toBe(true);
  });

  it('does not take an identity that existed before for one it created (no creation attempt of this user)', async () => {
    const { syncUser, identityStore, links } = setup();
    identityStore.seedUser({ userName: 'maria.garcia@example.com', email: 'maria.garcia@example.com' });

    await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });

    expect(links.peek(INSTANCE, 'c-maria')?.created).toBe(false);
  });
});

describe('syncUser: role mapping', () => {
  it('puts every user in the "*" groups, whatever its profiles', async () => {
    const { syncUser, connect, identityStore } = setup({ mapping: mappingOf({ '*': 'ConnectAgents', CallCenterManager: 'ConnectSupervisors' }) });
    connect.add(agent('c-qa', 'Quinn Analyst', { securityProfileIds: [PROFILES.analyst] }));

    const { identityUserId = '' } = await syncUser({ instanceId: INSTANCE, userId: 'c-qa' });

    expect(identityStore.groupNamesOf(identityUserId)).toEqual(['ConnectAgents']);
  });

  it('adds a promoted agent to the supervisors group and removes it again on demotion', async () => {
    const { syncUser, connect, identityStore, links } = setup({ mapping: ROLES });
    const { identityUserId = '' } = await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });

    connect.update('c-maria', { securityProfileIds: [PROFILES.manager] });
    const promoted = await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    const asSupervisor = identityStore.groupNamesOf(identityUserId);
    connect.update('c-maria', { securityProfileIds: [PROFILES.agent] });
    const demoted = await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });

    expect(promoted).toMatchObject({ outcome: 'synced', added: 1, removed: 0 });
    expect(asSupervisor).toEqual(['ConnectAgents', 'ConnectSupervisors']);
    expect(demoted).toMatchObject({ outcome: 'synced', added: 0, removed: 1 });
    expect(identityStore.groupNamesOf(identityUserId)).toEqual(['ConnectAgents']);
    expect(links.peek(INSTANCE, 'c-maria')?.groupIds).toEqual([identityStore.groupIdByName('ConnectAgents')]);
  });

  it('takes a user whose profile maps to nothing out of every managed group: unmapped, not a failure', async () => {
    const { syncUser, connect, identityStore, links } = setup({ mapping: ROLES });
    connect.update('c-maria', { securityProfileIds: [PROFILES.manager] });
    const { identityUserId = '' } = await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    connect.update('c-maria', { securityProfileIds: [PROFILES.analyst] });

    const result = await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });

    expect(result).toMatchObject({ outcome: 'unmapped', identityUserId, groupIds: [], removed: 2 });
    expect(identityStore.groupNamesOf(identityUserId)).toEqual([]);
    expect(links.peek(INSTANCE, 'c-maria')).toMatchObject({ identityUserId, groupIds: [] });
  });

  it('neither creates nor links a new user whose profiles map to nothing', async () => {
    const { syncUser, connect, identityStore, links } = setup({ mapping: ROLES });
    connect.add(agent('c-qa', 'Quinn Analyst', { securityProfileIds: [PROFILES.analyst] }));

    const result = await syncUser({ instanceId: INSTANCE, userId: 'c-qa' });

    expect(result).toEqual({ outcome: 'unmapped', connectUserId: 'c-qa', groupIds: [], added: 0, removed: 0 });
    expect(identityStore.calls).toEqual([]);
    expect(links.all()).toEqual([]);
  });

  it('never touches groups outside the mapping', async () => {
    const { syncUser, connect, identityStore } = setup({ mapping: ROLES });
    const existing = identityStore.seedUser({ userName: 'mgarcia', email: 'maria.garcia@example.com' });
    identityStore.join(identityStore.seedGroup('Finance'), existing);

    await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    connect.update('c-maria', { securityProfileIds: [PROFILES.analyst] });
    await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });

    expect(identityStore.groupNamesOf(existing)).toEqual(['Finance']);
    expect(identityStore.calls.filter((c) => c === 'removeMember')).toHaveLength(1);
  });

  it('maps by security profile id as well as by name', async () => {
    const { syncUser, identityStore } = setup({ mapping: mappingOf({ [PROFILES.agent]: 'ConnectAgents', Agent: 'AgentsByName' }) });

    const { identityUserId = '' } = await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });

    expect(identityStore.groupNamesOf(identityUserId)).toEqual(['AgentsByName', 'ConnectAgents']);
  });

  it('reads the security profiles again when an unknown profile id appears, and not for every user while it stays unknown', async () => {
    const { syncUser, connect, identityStore } = setup({ mapping: mappingOf({ Agent: 'ConnectAgents', Trainer: 'ConnectTrainers' }) });
    await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    connect.addProfile('sp-trainer', 'Trainer');
    connect.add(agent('c-tom', 'Tom Trainer', { securityProfileIds: ['sp-trainer'] }));
    for (const n of [1, 2, 3]) connect.add(agent(`c-ghost${n}`, `Ghost Number${n}`, { securityProfileIds: [PROFILES.agent, 'sp-deleted'] }));

    const trainer = await syncUser({ instanceId: INSTANCE, userId: 'c-tom' });
    const readsAfterNewProfile = connect.count('listSecurityProfiles');
    for (const n of [1, 2, 3]) await syncUser({ instanceId: INSTANCE, userId: `c-ghost${n}` });

    expect(identityStore.groupNamesOf(trainer.identityUserId ?? '')).toEqual(['ConnectTrainers']);
    expect(readsAfterNewProfile).toBe(2);
    expect(connect.count('listSecurityProfiles')).toBe(3);
  });

  it('creates missing managed groups when MANAGED_GROUP_IDS is unset', async () => {
    const { syncUser, connect, identityStore } = setup({ mapping: ROLES });
    connect.update('c-maria', { securityProfileIds: [PROFILES.manager] });

    await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });

    expect([...identityStore.groups.values()].sort()).toEqual(['ConnectAgents', 'ConnectSupervisors']);
  });

  it('fails with GROUP_NOT_FOUND, never creating the group, when MANAGED_GROUP_IDS is set and a group is missing', async () => {
    const world = createWorld();
    const agents = world.identityStore.seedGroup('ConnectAgents');
    const { syncUser, connect, identityStore } = setup({ mapping: ROLES, managedGroupIds: new Set([agents]) }, world);
    connect.update('c-maria', { securityProfileIds: [PROFILES.manager] });

    const error = await rejection(syncUser({ instanceId: INSTANCE, userId: 'c-maria' }));

    expect([error.code, error.retryable]).toEqual(['GROUP_NOT_FOUND', false]);
    expect(error.message).toMatch(/managedGroupIds/);
    expect(identityStore.calls).not.toContain('createGroup');
  });

  it('fails with GROUP_NOT_MANAGED when a managed group resolves outside MANAGED_GROUP_IDS', async () => {
    const world = createWorld();
    const agents = world.identityStore.seedGroup('ConnectAgents');
    const { syncUser, identityStore } = setup({ managedGroupIds: new Set(['g-other']) }, world);

    const error = await rejection(syncUser({ instanceId: INSTANCE, userId: 'c-maria' }));

    expect([error.code, error.retryable]).toEqual(['GROUP_NOT_MANAGED', false]);
    expect(error.message).toContain(agents);
    expect(identityStore.calls).not.toContain('addMember');
  });

  it('looks a managed group up again when its cached id is stale (deleted and recreated), for linked and new users', async () => {
    const { syncUser, connect, identityStore } = setup();
    connect.add(agent('c-li', 'Li Wei'));
    connect.add(agent('c-sam', 'Sam Okafor'));
    const maria = await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    identityStore.dropGroup(identityStore.groupIdByName('ConnectAgents') ?? '');
    const recreated = identityStore.seedGroup('ConnectAgents');

    const linked = await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    const fresh = await syncUser({ instanceId: INSTANCE, userId: 'c-li' });
    const later = await syncUser({ instanceId: INSTANCE, userId: 'c-sam' });

    expect(linked).toMatchObject({ outcome: 'synced', groupIds: [recreated], added: 1 });
    expect(fresh).toMatchObject({ outcome: 'created', groupIds: [recreated] });
    expect(later).toMatchObject({ outcome: 'created', groupIds: [recreated] });
    expect(identityStore.membersOf(recreated).sort()).toEqual([maria.identityUserId, fresh.identityUserId, later.identityUserId].sort());
  });

  it('recovers from a stale group id for a brand-new user too (the add fails, the group is looked up again)', async () => {
    const { syncUser, connect, identityStore } = setup();
    connect.add(agent('c-li', 'Li Wei'));
    await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    identityStore.dropGroup(identityStore.groupIdByName('ConnectAgents') ?? '');
    const recreated = identityStore.seedGroup('ConnectAgents');

    const fresh = await syncUser({ instanceId: INSTANCE, userId: 'c-li' });

    expect(fresh).toMatchObject({ outcome: 'created', groupIds: [recreated], added: 1 });
  });
});

describe('syncUser: stale links and users gone', () => {
  it('drops the link of an Identity Center user deleted since, and syncs afresh', async () => {
    const { syncUser, identityStore, links } = setup();
    const before = await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    identityStore.dropUser(before.identityUserId ?? '');

    const after = await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });

    expect(after.outcome).toBe('created');
    expect(after.identityUserId).not.toBe(before.identityUserId);
    expect(links.peek(INSTANCE, 'c-maria')).toMatchObject({ identityUserId: after.identityUserId, created: true });
    expect(links.holderOf(INSTANCE, before.identityUserId ?? '')).toBeUndefined();
  });

  it('ignores a Connect user that no longer exists (connect-user-gone)', async () => {
    const { syncUser, identityStore } = setup();

    const byId = await syncUser({ instanceId: INSTANCE, userId: 'c-deleted' });
    const byName = await syncUser({ instanceId: INSTANCE, username: 'nobody' });

    expect(byId).toEqual({ outcome: 'ignored', reason: 'connect-user-gone', connectUserId: 'c-deleted' });
    expect(byName).toMatchObject({ outcome: 'ignored', reason: 'connect-user-gone' });
    expect(identityStore.calls).toEqual([]);
  });
});
