/**
 * `reconcile --remove-unlinked` counts what it removed (issue 21, item 5): a member linked since the snapshot is
 * skipped by the removal (its link is read again first) and is not counted as removed.
 */
import { inlineExecutor } from '../../../shared/core/reconcile-executors.js';
import type { ReconcileSources } from '../../../shared/core/ports/index.js';
import { reconcile } from '../../../shared/core/reconcile.js';
import { agent, buildCore, createWorld, INSTANCE } from '../../support/core.js';

it('counts only the members it took out; one linked between the snapshot and the removal is skipped, not counted', async () => {
  const world = createWorld();
  const core = buildCore({}, world);
  const agents = world.identityStore.seedGroup('ConnectAgents');
  const stranger = world.identityStore.seedUser({ userName: 'stranger', email: 'stranger@example.com' });
  const late = world.identityStore.seedUser({ userName: 'maria.garcia@example.com', email: 'maria.garcia@example.com' });
  world.identityStore.join(agents, stranger);
  world.identityStore.join(agents, late);
  // Maria's CreateUser is processed by the event path while reconcile runs: linked after the members were read.
  world.connect.add(agent('c-maria', 'Maria Garcia'));
  const sources: ReconcileSources = {
    connectUsers: { async *pages() { yield []; } },
    members: {
      memberIds: async (groupId) => {
        const ids = new Set([...world.identityStore.members].filter((k) => k.startsWith(`${groupId}|`)).map((k) => k.split('|')[1] ?? ''));
        await core.syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
        return ids;
      },
    },
  };

  const report = await reconcile({ deps: core.deps, sources, executor: inlineExecutor(core.deps, { sync: core.syncUser, update: core.updateIdentity, deprovision: core.deprovisionUser }), concurrency: 1, removeUnlinked: true });

  const outcomes = report.results.filter((r) => r.action === 'remove-unlinked').map((r) => [r.subject, r.outcome]);
  expect(outcomes).toEqual(expect.arrayContaining([[stranger, 'removed'], [late, 'skipped: linked since']]));
  expect(report.unlinkedRemoved).toBe(1);
  expect(world.identityStore.isMember(agents, late)).toBe(true);
  expect(world.identityStore.isMember(agents, stranger)).toBe(false);
});
