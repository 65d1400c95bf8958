import type { SyncSettings } from '../../../shared/core/context.js';
import type { ConnectUser } from '../../../shared/core/ports/index.js';
import { compareSignIn, signInNameOf } from '../../../shared/core/sign-in.js';
import { redact } from '../../../shared/core/redact.js';
import { buildCore, createWorld, INSTANCE, rejection, type Core } from '../../support/core.js';

/** A container over a SAML instance (Identity Center is its identity provider), whose store ignores case or not. */
function saml(settings: Partial<SyncSettings> = {}, ignoreCase = true): Core {
  const world = createWorld({ ignoreCase });
  world.connect.identityManagement = 'SAML';
  return buildCore(settings, world);
}

/** A SAML agent: no Email (Connect refuses one on a SAML instance), the Username is the sign-in name. */
const samlAgent = (id: string, username: string, overrides: Partial<ConnectUser> = {}): ConnectUser => ({
  id,
  username,
  firstName: 'Maria',
  lastName: 'Lopez',
  securityProfileIds: [],
  ...overrides,
});

function expectNothingWritten(core: Core, identitiesBefore: number) {
  expect(core.identityStore.users.size).toBe(identitiesBefore);
  expect(core.identityStore.calls).not.toContain('createUser');
  expect(core.identityStore.calls).not.toContain('addMember');
  expect(core.links.all()).toEqual([]);
  expect([...core.links.identities.values()]).toEqual([]);
  expect(core.assignments.calls).toEqual([]);
}

describe('the sign-in name (sign-in.ts)', () => {
  it('compares exactly, and tells a difference of case or spaces from another name', () => {
    expect(compareSignIn('Maria.Lopez@Example.com', 'Maria.Lopez@Example.com')).toBe('exact');
    expect(compareSignIn('maria.lopez@example.com', 'Maria.Lopez@Example.com')).toBe('case');
    expect(compareSignIn(' Maria.Lopez@Example.com', 'Maria.Lopez@Example.com')).toBe('case');
    expect(compareSignIn('someone.else@example.com', 'Maria.Lopez@Example.com')).toBe('other');
    expect(compareSignIn(undefined, 'Maria.Lopez@Example.com')).toBe('other');
  });

  it.each([
    ['a', 'email', 'SIGN_IN_NAME_INVALID'],
    ['has space@example.com', 'email', 'SIGN_IN_NAME_INVALID'],
    [`${'x'.repeat(60)}@example.com`, 'userName', 'SIGN_IN_NAME_INVALID'],
    ['agent_007', 'email', 'NO_EMAIL'],
  ] as const)('refuses the Username %j in %s mode with %s', (username, attribute, code) => {
    let thrown: unknown;
    try {
      signInNameOf({ username }, attribute);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code });
  });

  it('takes a Username of RoleSessionName characters as it is, case kept', () => {
    expect(signInNameOf({ username: 'Ana.Silva+cc=1,x@Example.com' }, 'email')).toBe('Ana.Silva+cc=1,x@Example.com');
    expect(signInNameOf({ username: 'agent_007' }, 'userName')).toBe('agent_007');
  });
});

describe.each([true, false])('syncUser on a SAML instance, email mode (store ignores case: %s)', (ignoreCase) => {
  it('links nothing to an identity whose email is the Username but for case: SIGN_IN_NAME_MISMATCH, remembered, nothing written', async () => {
    const core = saml({}, ignoreCase);
    core.identityStore.seedUser({ userName: 'mlopez', email: 'maria.lopez@example.com' });
    core.connect.add(samlAgent('c-maria', 'Maria.Lopez@Example.com'));

    const error = await rejection(core.syncUser({ instanceId: INSTANCE, userId: 'c-maria' }));

    expect(error.code).toBe('SIGN_IN_NAME_MISMATCH');
    expect(error.retryable).toBe(false);
    // Both forms for the operator's screen; neither survives redaction (log lines, dead-letter reasons).
    expect(error.message).toContain('maria.lopez@example.com');
    expect(error.message).toContain('Maria.Lopez@Example.com');
    expect(error.message).toContain('letter case at characters 1, 7, 13');
    expect(redact(error.message)).not.toMatch(/maria|lopez/i);
    expectNothingWritten(core, 1);
    expect(core.links.peekRecord(INSTANCE, 'c-maria').failure).toMatchObject({ code: 'SIGN_IN_NAME_MISMATCH' });
  });

  it('creates the identity with the Username exactly as Connect holds it, as UserName and primary email', async () => {
    const core = saml({}, ignoreCase);
    core.connect.add(samlAgent('c-ana', 'Ana.Silva@Example.com'));

    const result = await core.syncUser({ instanceId: INSTANCE, userId: 'c-ana' });

    expect(result.outcome).toBe('created');
    expect(core.identityStore.users.get(result.identityUserId ?? '')).toMatchObject({ userName: 'Ana.Silva@Example.com', email: 'Ana.Silva@Example.com' });
  });

  it('links an identity whose primary email is exactly the Username', async () => {
    const core = saml({}, ignoreCase);
    const id = core.identityStore.seedUser({ userName: 'asilva', email: 'Ana.Silva@Example.com' });
    core.connect.add(samlAgent('c-ana', 'Ana.Silva@Example.com'));

    const result = await core.syncUser({ instanceId: INSTANCE, userId: 'c-ana' });

    expect(result).toMatchObject({ outcome: 'linked', identityUserId: id });
  });

  it('never keys on SecondaryEmail: the notification address holder is left alone, the Username gets its own identity', async () => {
    const core = saml({}, ignoreCase);
    const other = core.identityStore.seedUser({ userName: 'notify', email: 'team.inbox@example.com' });
    core.connect.add(samlAgent('c-jo', 'jo.doe@example.com', { secondaryEmail: 'team.inbox@example.com' }));

    const result = await core.syncUser({ instanceId: INSTANCE, userId: 'c-jo' });

    expect(result.outcome).toBe('created');
    expect(result.identityUserId).not.toBe(other);
    expect(core.identityStore.users.get(result.identityUserId ?? '')).toMatchObject({ userName: 'jo.doe@example.com', email: 'jo.doe@example.com' });
    expect(core.identityStore.groupNamesOf(other)).toEqual([]);
  });

  it('dead-letters a Username that is not an address as NO_EMAIL, one that can never be a RoleSessionName as SIGN_IN_NAME_INVALID', async () => {
    const core = saml({}, ignoreCase);
    core.connect.add(samlAgent('c-night', 'night_shift_07', { secondaryEmail: 'night@example.com' }));
    core.connect.add(samlAgent('c-x', 'x'));

    expect((await rejection(core.syncUser({ instanceId: INSTANCE, userId: 'c-night' }))).code).toBe('NO_EMAIL');
    expect((await rejection(core.syncUser({ instanceId: INSTANCE, userId: 'c-x' }))).code).toBe('SIGN_IN_NAME_INVALID');
    expectNothingWritten(core, 0);
  });

  it('reads the identity management type once per container', async () => {
    const core = saml({}, ignoreCase);
    core.connect.add(samlAgent('c-1', 'one@example.com'));
    core.connect.add(samlAgent('c-2', 'two@example.com'));

    await core.syncUser({ instanceId: INSTANCE, userId: 'c-1' });
    await core.syncUser({ instanceId: INSTANCE, userId: 'c-2' });

    expect(core.connect.count('identityManagementType')).toBe(1);
  });
});

describe('syncUser on a SAML instance, userName mode', () => {
  it('links the identity whose UserName is exactly the Username, whatever its email', async () => {
    const core = saml({ signInAttribute: 'userName' });
    const id = core.identityStore.seedUser({ userName: 'agent_007', email: 'bond@example.com' });
    core.connect.add(samlAgent('c-007', 'agent_007'));

    expect(await core.syncUser({ instanceId: INSTANCE, userId: 'c-007' })).toMatchObject({ outcome: 'linked', identityUserId: id });
  });

  it('refuses a UserName that differs in case (SIGN_IN_NAME_MISMATCH)', async () => {
    const core = saml({ signInAttribute: 'userName' });
    core.identityStore.seedUser({ userName: 'Agent_007', email: 'bond@example.com' });
    core.connect.add(samlAgent('c-007', 'agent_007'));

    expect((await rejection(core.syncUser({ instanceId: INSTANCE, userId: 'c-007' }))).code).toBe('SIGN_IN_NAME_MISMATCH');
    expectNothingWritten(core, 1);
  });

  it('creates with the Username as UserName and the SecondaryEmail as email when the Username is not an address', async () => {
    const core = saml({ signInAttribute: 'userName' });
    core.connect.add(samlAgent('c-007', 'agent_007', { secondaryEmail: 'bond@example.com' }));
    core.connect.add(samlAgent('c-008', 'agent_008'));

    const result = await core.syncUser({ instanceId: INSTANCE, userId: 'c-007' });

    expect(core.identityStore.users.get(result.identityUserId ?? '')).toMatchObject({ userName: 'agent_007', email: 'bond@example.com' });
    expect((await rejection(core.syncUser({ instanceId: INSTANCE, userId: 'c-008' }))).code).toBe('NO_EMAIL');
  });
});

describe('updateIdentity on a SAML instance', () => {
  it('corrects the email of an identity it created back to the Username (the sign-in attribute follows only the Username)', async () => {
    const core = saml();
    core.connect.add(samlAgent('c-ana', 'Ana.Silva@Example.com'));
    const { identityUserId = '' } = await core.syncUser({ instanceId: INSTANCE, userId: 'c-ana' });
    await core.identityStore.updateUser(identityUserId, { email: 'ana.silva@example.com' });
    core.connect.update('c-ana', { firstName: 'Ana', secondaryEmail: 'elsewhere@example.com' });

    const result = await core.updateIdentity({ instanceId: INSTANCE, userId: 'c-ana' });

    expect(result).toMatchObject({ outcome: 'updated', changed: expect.arrayContaining(['email', 'givenName']) });
    expect(core.identityStore.users.get(identityUserId)).toMatchObject({ email: 'Ana.Silva@Example.com', givenName: 'Ana' });
  });

  it('reports, and never modifies, a linked identity whose email no longer is the Username', async () => {
    const core = saml();
    const id = core.identityStore.seedUser({ userName: 'asilva', email: 'Ana.Silva@Example.com' });
    core.connect.add(samlAgent('c-ana', 'Ana.Silva@Example.com'));
    await core.syncUser({ instanceId: INSTANCE, userId: 'c-ana' });
    core.identityStore.users.set(id, { ...(core.identityStore.users.get(id) ?? ({} as never)), email: 'ana@example.com' });

    const error = await rejection(core.updateIdentity({ instanceId: INSTANCE, userId: 'c-ana' }));

    expect(error.code).toBe('SIGN_IN_NAME_MISMATCH');
    expect(error.message).toContain('different names');
    expect(core.identityStore.calls).not.toContain('updateUser');
    expect(core.identityStore.users.get(id)?.email).toBe('ana@example.com');
  });
});

describe('on a CONNECT_MANAGED instance the email keys the identity (agents do not sign in through Identity Center)', () => {
  it('links the identity whose email matches ignoring case', async () => {
    const core = buildCore();
    const id = core.identityStore.seedUser({ userName: 'mlopez', email: 'maria.lopez@example.com' });
    core.connect.add({ id: 'c-maria', username: 'mlopez', email: 'Maria.Lopez@Example.com', securityProfileIds: [] });

    expect(await core.syncUser({ instanceId: INSTANCE, userId: 'c-maria' })).toMatchObject({ outcome: 'linked', identityUserId: id });
  });
});
