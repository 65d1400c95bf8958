/**
 * A plan never calls a creation that CreateUser would refuse "would succeed" (issue 21, item 5): the dry run answers a
 * UserName another Identity Center user holds as CreateUser would (a uniqueness conflict), so the planned sync says
 * USERNAME_TAKEN, as the real one does.
 */
import { withSharedRules } from '../../../shared/core/context.js';
import { dryRun } from '../../../shared/core/dry-run.js';
import { createSyncUser } from '../../../shared/core/sync-user.js';
import { agent, buildCore, createWorld, INSTANCE, rejection } from '../../support/core.js';

function plannedSync(world: ReturnType<typeof createWorld>) {
  const { deps, steps } = dryRun({ ...world, settings: buildCore({}, world).settings, now: world.clock.now });
  return { steps, syncUser: createSyncUser(withSharedRules(deps)) };
}

it('plans USERNAME_TAKEN where the UserName is another person’s, as the real sync fails, and writes nothing', async () => {
  const world = createWorld();
  world.identityStore.seedUser({ userName: 'maria.garcia@example.com', email: 'someone.else@example.com' });
  world.connect.add(agent('c-maria', 'Maria Garcia'));
  const { syncUser, steps } = plannedSync(world);

  const planned = await rejection(syncUser({ instanceId: INSTANCE, userId: 'c-maria' }));
  const real = await rejection(buildCore({}, world).syncUser({ instanceId: INSTANCE, userId: 'c-maria' }));

  expect(planned.code).toBe('USERNAME_TAKEN');
  expect(real.code).toBe('USERNAME_TAKEN');
  expect(steps.map((s) => s.verb)).not.toContain('write-link');
});

it('still plans the creation when the UserName is free', async () => {
  const world = createWorld();
  world.connect.add(agent('c-maria', 'Maria Garcia'));
  const { syncUser } = plannedSync(world);

  expect((await syncUser({ instanceId: INSTANCE, userId: 'c-maria' })).outcome).toBe('created');
  expect(world.identityStore.users.size).toBe(0);
});

it('plans the hand-over of a re-created agent: the old holder deprovisioned, the new user linked, nothing written', async () => {
  const world = createWorld();
  world.connect.add(agent('c-old', 'Maria Garcia'));
  const { identityUserId = '' } = await buildCore({}, world).syncUser({ instanceId: INSTANCE, userId: 'c-old' });
  world.connect.users.delete('c-old');
  world.connect.add(agent('c-new', 'Maria Garcia'));
  const { syncUser, steps } = plannedSync(world);

  const outcome = await syncUser({ instanceId: INSTANCE, userId: 'c-new' });

  expect(outcome).toMatchObject({ outcome: 'linked', identityUserId });
  expect(steps.map((s) => `${s.verb}:${s.subject ?? ''}`)).toEqual(
    expect.arrayContaining(['record-deletion:c-old', 'delete-link:c-old', 'write-link:c-new']),
  );
  expect(world.links.holderOf(INSTANCE, identityUserId)).toBe('c-old');
});
