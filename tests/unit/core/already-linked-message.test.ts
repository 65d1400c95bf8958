/**
 * IDENTITY_ALREADY_LINKED says what matched the identity (issue 21): on a SAML instance the sign-in name (the Connect
 * Username, which cannot be changed), elsewhere the email. The sync's message and `user`'s one-line fix agree.
 */
import type { SyncSettings } from '../../../shared/core/context.js';
import { explainUser, type ExplainDeps } from '../../../shared/core/explain-user.js';
import type { IdentityManagementType } from '../../../shared/core/sign-in.js';
import { agent, buildCore, createWorld, DEFAULT_SETTINGS, INSTANCE, rejection, type World } from '../../support/core.js';

const OLD = '0b6e1f2a-3c4d-4e5f-8a6b-7c8d9e0f1a2b';
const NEW = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

/** Maria linked as OLD; NEW is keyed to the same identity while Connect still has OLD. */
async function twins(identityManagement: IdentityManagementType, overrides: Partial<SyncSettings> = {}) {
  const world = createWorld();
  world.connect.identityManagement = identityManagement;
  world.connect.add(agent(OLD, 'Maria Garcia'));
  await buildCore(overrides, world).syncUser({ instanceId: INSTANCE, userId: OLD });
  // SAML: the same Username (Connect lagging behind a delete-and-re-create); else the same email under another Username.
  world.connect.add(agent(NEW, 'Maria Garcia', identityManagement === 'SAML' ? {} : { username: 'mgarcia2' }));
  return { world, core: buildCore(overrides, world) };
}

function depsOf(world: World, overrides: Partial<SyncSettings> = {}): ExplainDeps {
  return {
    sync: { ...world, settings: { ...DEFAULT_SETTINGS, ...overrides }, now: world.clock.now },
    lister: { async *pages() { yield [...world.connect.users.values()].map((u) => ({ id: u.id, username: u.username })); } },
    assignments: { isAssigned: async (id, type) => world.assignments.assigned.has(`${type}:${id}`) },
  };
}

describe('IDENTITY_ALREADY_LINKED names what matched', () => {
  it.each([['email', 'primary email'], ['userName', 'UserName']] as const)('SAML (SIGN_IN_ATTRIBUTE=%s): the sign-in name, never "its own email"', async (signInAttribute, label) => {
    const { core } = await twins('SAML', { signInAttribute });

    const error = await rejection(core.syncUser({ instanceId: INSTANCE, userId: NEW }));

    expect(error.code).toBe('IDENTITY_ALREADY_LINKED');
    expect(error.message).toContain(`whose ${label} is this Connect user's sign-in name (its Username)`);
    expect(error.message).toContain('re-create this Connect user with its own Username');
    expect(error.message).not.toContain("this Connect user's email");
    expect(error.message).not.toContain('own email');
  });

  it('CONNECT_MANAGED: the email', async () => {
    const { core } = await twins('CONNECT_MANAGED');

    const error = await rejection(core.syncUser({ instanceId: INSTANCE, userId: NEW }));

    expect(error.code).toBe('IDENTITY_ALREADY_LINKED');
    expect(error.message).toContain("whose email is this Connect user's email");
    expect(error.message).toContain('give this Connect user its own email');
    expect(error.message).not.toContain('sign-in name');
  });

  it.each([
    ['SAML', 'Username'],
    ['CONNECT_MANAGED', 'its own email'],
  ] as const)('`user` on %s gives the fix by the same rule', async (identityManagement, fix) => {
    const { world } = await twins(identityManagement);

    const x = await explainUser(depsOf(world), NEW);

    expect(x.verdict.code).toBe('IDENTITY_ALREADY_LINKED');
    expect(x.verdict.fix).toContain(fix);
    expect(x.verdict.fix?.includes('with this email')).toBe(identityManagement !== 'SAML');
  });
});
