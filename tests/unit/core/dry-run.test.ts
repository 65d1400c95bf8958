import { withSharedRules } from '../../../shared/core/context.js';
import { createDeprovisionUser } from '../../../shared/core/deprovision-user.js';
import { dryRun, PLANNED_IDENTITY } from '../../../shared/core/dry-run.js';
import { createSyncUser } from '../../../shared/core/sync-user.js';
import { createUpdateIdentity } from '../../../shared/core/update-identity.js';
import { agent, buildCore, createWorld, INSTANCE, mappingOf } from '../../support/core.js';

const ROLES = mappingOf({ Agent: 'ConnectAgents', CallCenterManager: ['ConnectAgents', 'ConnectSupervisors'] });

/** The use cases over the dry-run ports of `world`: what they would write, and nothing written. */
function planned(world: ReturnType<typeof createWorld>, settings = buildCore({ mapping: ROLES }, world).settings) {
  const { deps, steps } = dryRun({ ...world, settings, now: world.clock.now });
  const core = withSharedRules(deps);
  return { steps, syncUser: createSyncUser(core), updateIdentity: createUpdateIdentity(core), deprovisionUser: createDeprovisionUser(core) };
}

describe('dryRun: the use cases say what they would write, and write nothing', () => {
  it('plans the creation of a new agent: the user, its group, the assignment and the link', async () => {
    const world = createWorld();
    world.connect.addProfile('sp-agent', 'Agent');
    world.connect.add(agent('c-maria', 'Maria Garcia', { securityProfileIds: ['sp-agent'] }));
    const agents = world.identityStore.seedGroup('ConnectAgents');
    const { steps, syncUser } = planned(world);

    const outcome = await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });

    expect(outcome).toMatchObject({ outcome: 'created', identityUserId: PLANNED_IDENTITY });
    expect(steps.map((s) => s.verb)).toEqual(['create-user', 'add-member', 'assign', 'write-link']);
    expect(steps[1]).toEqual({ verb: 'add-member', subject: PLANNED_IDENTITY, detail: agents });
    expect(world.identityStore.users.size).toBe(0);
    expect(world.links.all()).toEqual([]);
    expect(world.assignments.assigned.size).toBe(0);
  });

  it('plans a promotion that was not applied yet: the supervisors group to add', async () => {
    const world = createWorld();
    world.connect.addProfile('sp-agent', 'Agent');
    world.connect.addProfile('sp-manager', 'CallCenterManager');
    world.connect.add(agent('c-maria', 'Maria Garcia', { securityProfileIds: ['sp-agent'] }));
    world.identityStore.seedGroup('ConnectSupervisors');
    await buildCore({ mapping: ROLES }, world).syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    world.connect.add(agent('c-maria', 'Maria Garcia', { securityProfileIds: ['sp-manager'] }));
    const { steps, syncUser } = planned(world);

    await syncUser({ instanceId: INSTANCE, userId: 'c-maria' });

    const supervisors = await world.identityStore.findGroupIdByName('ConnectSupervisors');
    expect(steps.filter((s) => s.verb === 'add-member').map((s) => s.detail)).toEqual([supervisors]);
    expect(world.identityStore.groupNamesOf(world.links.peek(INSTANCE, 'c-maria')?.identityUserId ?? '')).toEqual(['ConnectAgents']);
  });

  it('plans the identity update of a corrected email by attribute name, never by value', async () => {
    const world = createWorld();
    world.connect.add(agent('c-maria', 'Maria Garcia'));
    await buildCore({}, world).syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    world.connect.add(agent('c-maria', 'Maria Garcia', { email: 'maria.g@example.com' }));
    const { steps, updateIdentity } = planned(world, buildCore({}, world).settings);

    const outcome = await updateIdentity({ instanceId: INSTANCE, userId: 'c-maria' });

    expect(outcome).toMatchObject({ outcome: 'updated', changed: ['email'] });
    expect(steps.find((s) => s.verb === 'update-user')).toMatchObject({ detail: 'email' });
    expect(JSON.stringify(steps)).not.toContain('maria.g@example.com');
  });

  it('plans the deprovision of a deleted Connect user still linked', async () => {
    const world = createWorld();
    world.connect.add(agent('c-maria', 'Maria Garcia'));
    await buildCore({}, world).syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    world.connect.users.delete('c-maria');
    const { steps, deprovisionUser } = planned(world, buildCore({}, world).settings);

    const outcome = await deprovisionUser({ instanceId: INSTANCE, connectUserId: 'c-maria', source: 'reconcile' });

    expect(outcome.outcome).toBe('deprovisioned');
    expect(steps.map((s) => s.verb)).toEqual(['record-deletion', 'remove-member', 'delete-link']);
    expect(world.links.peek(INSTANCE, 'c-maria')).toBeDefined();
  });
});
