import type { DeadLetterRow } from '../../../shared/core/dead-letter-view.js';
import { explainUser, type ExplainDeps } from '../../../shared/core/explain-user.js';
import type { ConnectUserLister } from '../../../shared/core/ports/index.js';
import type { IdentityManagementType } from '../../../shared/core/sign-in.js';
import { buildCore, createWorld, DEFAULT_SETTINGS, INSTANCE, type World } from '../../support/core.js';

const ANA = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

/** A world with one Connect user, Ana, whose Username has capitals, on an instance of the given type. */
function setUp(type: IdentityManagementType = 'SAML', deadLetters: DeadLetterRow[] = []) {
  const world = createWorld();
  world.connect.identityManagement = type;
  world.connect.add({ id: ANA, username: 'Ana.Silva@Example.com', firstName: 'Ana', lastName: 'Silva', securityProfileIds: [] });
  const lister: ConnectUserLister = {
    async *pages() {
      yield [...world.connect.users.values()].map((u) => ({ id: u.id, username: u.username }));
    },
  };
  const deps: ExplainDeps = {
    sync: { ...world, settings: DEFAULT_SETTINGS, now: world.clock.now },
    lister,
    assignments: { isAssigned: async (id, kind) => world.assignments.assigned.has(`${kind}:${id}`) },
    deadLetters: { about: async () => deadLetters },
  };
  const sync = () => buildCore({}, world).syncUser({ instanceId: INSTANCE, userId: ANA });
  return { world, deps, sync };
}

const identityOf = (world: World) => [...world.identityStore.users.values()][0];

describe('the user verdict compares the sign-in name exactly', () => {
  it('CAN_SIGN_IN once the created identity carries the Username exactly', async () => {
    const { deps, sync } = setUp();
    await sync();

    const x = await explainUser(deps, ANA);

    expect(x.verdict).toMatchObject({ canSignIn: true, code: 'CAN_SIGN_IN' });
    expect(x.identity?.signIn).toEqual({ attribute: 'email', sends: 'Ana.Silva@Example.com', username: 'Ana.Silva@Example.com', match: 'exact' });
    expect(x.identityManagement).toBe('SAML');
  });

  it('SIGN_IN_NAME_MISMATCH with both names side by side when the linked identity\'s email was lower-cased in Identity Center', async () => {
    const { world, deps, sync } = setUp();
    await sync();
    const identity = identityOf(world);
    if (!identity) throw new Error('no identity');
    world.identityStore.users.set(identity.id, { ...identity, email: 'ana.silva@example.com' });

    const x = await explainUser(deps, ANA);

    expect(x.verdict).toMatchObject({ canSignIn: false, code: 'SIGN_IN_NAME_MISMATCH' });
    expect(x.verdict.summary).toContain('"ana.silva@example.com"');
    expect(x.verdict.summary).toContain('"Ana.Silva@Example.com"');
    expect(x.verdict.summary).toContain('not been onboarded');
    // Created by the service: the sync sets it back, and the plan says so.
    expect(x.verdict.fix).toContain('set back to the Username');
  });

  it('SIGN_IN_NAME_MISMATCH before any link: an existing identity that differs in case is found and shown, and nothing is planned for the user', async () => {
    const { world, deps } = setUp();
    world.identityStore.seedUser({ userName: 'asilva', email: 'ana.silva@example.com' });

    const x = await explainUser(deps, ANA);

    expect(x.identity?.foundBy).toBe('sign-in name');
    expect(x.verdict.code).toBe('SIGN_IN_NAME_MISMATCH');
    expect(x.verdict.fix).toContain('a Connect Username cannot be changed');
    expect(x.plan.error?.code).toBe('SIGN_IN_NAME_MISMATCH');
    // Only the managed group the mapping needs would be created first (it is no one's access); nothing for the user.
    expect(x.plan.steps.map((s) => s.verb)).toEqual(['create-group', 'remember-failure']);
  });

  it('says Identity Center sign-in does not apply on a CONNECT_MANAGED instance', async () => {
    const { deps, world, sync } = setUp('CONNECT_MANAGED');
    world.connect.update(ANA, { email: 'ana.silva@example.com' });
    await sync();

    const x = await explainUser(deps, ANA);

    expect(x.verdict).toMatchObject({ canSignIn: false, code: 'NOT_SAML_INSTANCE' });
  });

  it('marks a dead letter that a later sync fixed as resolved, and one newer than the last sync as standing', async () => {
    const row = (ageSeconds: number): DeadLetterRow => ({ queue: 'sync-dlq', messageId: `m-${ageSeconds}`, ageSeconds, code: 'NO_EMAIL', message: 'x', receiveCount: 5 });
    const { deps, world, sync } = setUp('SAML', [row(3600), row(0)]);
    await sync();
    world.clock.advance(60_000);

    const x = await explainUser(deps, ANA);

    expect(x.deadLetters.messages.map((m) => m.resolved === true)).toEqual([true, false]);
  });

  it('finds a deleted agent by its email through the claim it held (DELETED, as by its id), not NOT_FOUND', async () => {
    const { deps, world, sync } = setUp();
    await sync();
    world.connect.users.delete(ANA);
    await buildCore({}, world).deprovisionUser({ instanceId: INSTANCE, connectUserId: ANA, source: 'event' });

    const byEmail = await explainUser(deps, 'Ana.Silva@Example.com');
    const byId = await explainUser(deps, ANA);

    expect(byEmail.found).toMatchObject({ connectUserId: ANA, by: 'email (linked identity)', inConnect: false });
    expect(byEmail.verdict.code).toBe('DELETED');
    expect(byId.verdict.code).toBe('DELETED');
  });
});

