/**
 * Reconcile --apply, drifted linked users: a sync that only adds starts from what the listings read (no DescribeUser,
 * no link read, no IsMemberInGroups); one that removes a membership reads Connect and the memberships afresh.
 */
import { inlineExecutor } from '../../../shared/core/reconcile-executors.js';
import type { ReconcileSources } from '../../../shared/core/ports/index.js';
import { reconcile } from '../../../shared/core/reconcile.js';
import { agent, buildCore, createWorld, INSTANCE, mappingOf } from '../../support/core.js';

const PROFILES = { agent: 'sp-agent', manager: 'sp-manager' };

it('syncs a promotion from the listings and a demotion with fresh reads, both ending right', async () => {
  const world = createWorld();
  const core = buildCore({ mapping: mappingOf({ Agent: 'ConnectAgents', CallCenterManager: ['ConnectAgents', 'ConnectSupervisors'] }) }, world);
  world.connect.addProfile(PROFILES.agent, 'Agent');
  world.connect.addProfile(PROFILES.manager, 'CallCenterManager');
  world.identityStore.seedGroup('ConnectAgents');
  world.identityStore.seedGroup('ConnectSupervisors');
  world.connect.add(agent('c-ana', 'Ana Lima', { securityProfileIds: [PROFILES.agent] }));
  world.connect.add(agent('c-bo', 'Bo Chen', { securityProfileIds: [PROFILES.manager] }));
  for (const id of ['c-ana', 'c-bo']) await core.syncUser({ instanceId: INSTANCE, userId: id });
  // Missed events: Ana promoted, Bo demoted.
  world.connect.update('c-ana', { securityProfileIds: [PROFILES.manager] });
  world.connect.update('c-bo', { securityProfileIds: [PROFILES.agent] });
  const sources: ReconcileSources = {
    connectUsers: {
      async *pages() {
        yield [...world.connect.users.values()].map((u) => ({ id: u.id, username: u.username, securityProfileIds: u.securityProfileIds }));
      },
    },
    members: {
      memberIds: async (groupId) => new Set([...world.identityStore.members].filter((k) => k.startsWith(`${groupId}|`)).map((k) => k.split('|')[1] ?? '')),
    },
  };
  core.resetCalls();

  const report = await reconcile({ deps: core.deps, sources, executor: inlineExecutor(core.deps, { sync: core.syncUser, update: core.updateIdentity, deprovision: core.deprovisionUser }), concurrency: 1 });

  expect(report.results.map((r) => [r.subject, r.outcome]).sort()).toEqual([['c-ana', 'synced'], ['c-bo', 'synced']]);
  const ana = core.links.peek(INSTANCE, 'c-ana')?.identityUserId ?? '';
  const bo = core.links.peek(INSTANCE, 'c-bo')?.identityUserId ?? '';
  expect(world.identityStore.groupNamesOf(ana).sort()).toEqual(['ConnectAgents', 'ConnectSupervisors']);
  expect(world.identityStore.groupNamesOf(bo)).toEqual(['ConnectAgents']);
  // Only Bo's sync, which removes a membership, read Connect, its link and its memberships.
  expect(world.connect.calls.filter((c) => c === 'describeUser')).toHaveLength(1);
  expect(world.links.count('get')).toBe(1);
  expect(world.identityStore.count('memberships')).toBe(1);
});
