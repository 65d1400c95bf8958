import type { SyncSettings } from '../../../shared/core/context.js';
import { explainUser, type ExplainDeps } from '../../../shared/core/explain-user.js';
import { MAX_EMAIL_CANDIDATES } from '../../../shared/core/find-connect-user.js';
import type { ConnectUserLister } from '../../../shared/core/ports/index.js';
import { provisionOnDemand } from '../../../shared/core/provision-on-demand.js';
import { agent, buildCore, createWorld, DEFAULT_SETTINGS, INSTANCE, mappingOf, type World } from '../../support/core.js';

const MARIA = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const ROLES = mappingOf({ Agent: 'ConnectAgents', CallCenterManager: ['ConnectAgents', 'ConnectSupervisors'] });

/** The explain ports over a fake world: the listing from its Connect users, the assignment check from its assignments. */
function depsOf(world: World, overrides: Partial<SyncSettings> = {}): ExplainDeps {
  const lister: ConnectUserLister = {
    async *pages() {
      yield [...world.connect.users.values()].map((u) => ({ id: u.id, username: u.username }));
    },
  };
  return {
    sync: { ...world, settings: { ...DEFAULT_SETTINGS, mapping: ROLES, ...overrides }, now: world.clock.now },
    lister,
    assignments: { isAssigned: async (id, type) => world.assignments.assigned.has(`${type}:${id}`) },
  };
}

function setUp(overrides: Partial<SyncSettings> = {}) {
  const world = createWorld();
  world.connect.identityManagement = 'SAML';
  world.connect.addProfile('sp-agent', 'Agent');
  world.connect.addProfile('sp-manager', 'CallCenterManager');
  world.connect.addProfile('sp-qa', 'QualityAnalyst');
  world.connect.add(agent(MARIA, 'Maria Garcia', { securityProfileIds: ['sp-agent'] }));
  const sync = () => buildCore({ mapping: ROLES, ...overrides }, world).syncUser({ instanceId: INSTANCE, userId: MARIA });
  return { world, deps: depsOf(world, overrides), sync };
}

const WRITES = ['createUser', 'updateUser', 'deleteUser', 'createGroup', 'addMember', 'removeMember'] as const;

describe('explainUser: the verdict and the plan, by the sync\'s own rules', () => {
  it('reads only: a user not synced yet is planned (create, add, assign, link) and nothing is written', async () => {
    const { world, deps } = setUp();

    const x = await explainUser(deps, 'maria.garcia@example.com');

    expect(x.verdict).toMatchObject({ checked: true, canSignIn: false, code: 'NOT_SYNCED' });
    expect(x.plan.steps.map((s) => s.verb)).toEqual(['create-group', 'create-user', 'add-member', 'assign', 'write-link']);
    expect(WRITES.map((verb) => world.identityStore.count(verb))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(world.links.count('put') + world.assignments.count('assign')).toBe(0);
  });

  it('a demotion not applied yet: EXTRA_GROUP, the plan removes the group', async () => {
    const { world, deps, sync } = setUp();
    world.connect.update(MARIA, { securityProfileIds: ['sp-manager'] });
    await sync();
    world.connect.update(MARIA, { securityProfileIds: ['sp-agent'] });

    const x = await explainUser(deps, MARIA);

    expect(x.verdict.code).toBe('EXTRA_GROUP');
    expect(x.plan.steps.map((s) => s.verb)).toEqual(['remove-member', 'write-link']);
    expect(x.identity?.managedGroups).toEqual(['ConnectAgents', 'ConnectSupervisors']);
  });

  it('a user whose profiles map to nothing: UNMAPPED', async () => {
    const { world, deps } = setUp();
    world.connect.update(MARIA, { securityProfileIds: ['sp-qa'] });

    const x = await explainUser(deps, MARIA);

    expect(x.verdict).toMatchObject({ canSignIn: false, code: 'UNMAPPED' });
    expect(x.plan.steps).toEqual([]);
  });

  it('an identity deleted by hand: IDENTITY_GONE, and the plan creates it again', async () => {
    const { world, deps, sync } = setUp();
    await sync();
    world.identityStore.dropUser(world.links.peek(INSTANCE, MARIA)?.identityUserId ?? '');

    const x = await explainUser(deps, MARIA);

    expect(x.verdict.code).toBe('IDENTITY_GONE');
    expect(x.plan.steps.map((s) => s.verb)).toEqual(['delete-link', 'create-user', 'add-member', 'write-link']);
  });

  it('ASSIGNMENT_MODE=user, the user\'s assignment removed: the sync is asked to assign again, and --apply does', async () => {
    const { world, deps, sync } = setUp({ assignmentMode: 'user' });
    await sync();
    const identity = world.links.peek(INSTANCE, MARIA)?.identityUserId ?? '';
    await world.assignments.unassign(identity, 'USER');

    const before = await explainUser(deps, MARIA);
    const applied = await provisionOnDemand(deps.sync, before);
    const after = await explainUser(deps, MARIA);

    expect(before.verdict.code).toBe('NOT_ASSIGNED');
    expect(before.plan).toMatchObject({ ensureAssignment: true, steps: [{ verb: 'assign', subject: identity, detail: 'USER' }] });
    expect(applied?.steps.map((s) => `${s.verb} ${s.result}`)).toEqual(['assign assigned', 'write-link done']);
    expect(after.verdict).toMatchObject({ canSignIn: true, summary: 'can sign in (ConnectAgents — user assigned; its primary email is exactly the Connect Username)' });
  });

  it('an email search through the listing reads at most MAX_EMAIL_CANDIDATES users', async () => {
    const { world, deps } = setUp();
    for (let i = 0; i < MAX_EMAIL_CANDIDATES + 10; i += 1) world.connect.add(agent(`c-${i}`, `Lookalike${i} Agent`, { username: `agent${i}`, email: `someone${i}@example.com` }));

    const x = await explainUser(deps, 'agent@corp.example');

    expect(x.verdict.code).toBe('NOT_FOUND');
    // The fix names where an email is looked for (a SAML instance has no Email: its Username usually is the email).
    expect(x.verdict.fix).toMatch(/Username is matched exactly.*an email against the Username, the email of a linked identity/);
    expect(world.connect.count('describeUser')).toBe(MAX_EMAIL_CANDIDATES);
  });
});
