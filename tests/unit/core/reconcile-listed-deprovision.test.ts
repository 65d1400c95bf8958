/**
 * Reconcile --apply, deleted Connect users: the in-process deprovision deletes the memberships the group listings saw by
 * their ids (no GetGroupMembershipId), still confirming with Connect and reading the memberships afresh; a stale id
 * falls back to the lookup; a membership added after the listing goes too; a queued deprovision never carries ids.
 */
import { parseSyncMessage } from '../../../shared/adapters/sync-message.js';
import { inlineExecutor, queueExecutor, RECONCILE_SOURCE } from '../../../shared/core/reconcile-executors.js';
import type { ReconcileSources } from '../../../shared/core/ports/index.js';
import { reconcile } from '../../../shared/core/reconcile.js';
import { agent, buildCore, createWorld, INSTANCE, mappingOf, type World } from '../../support/core.js';
import { FakeQueue } from '../cli/fake-queues.js';

const ANA = '11111111-1111-4111-8111-111111111111';
const BO = '22222222-2222-4222-8222-222222222222';
const MANAGER = 'sp-manager';
const AGENT = 'sp-agent';

/** Ana (manager: both groups) and Bo (agent: ConnectAgents) synced, then deleted in Connect with no event seen. */
async function leavers() {
  const world = createWorld();
  const core = buildCore({ mapping: mappingOf({ Agent: 'ConnectAgents', CallCenterManager: ['ConnectAgents', 'ConnectSupervisors'] }) }, world);
  world.connect.addProfile(AGENT, 'Agent');
  world.connect.addProfile(MANAGER, 'CallCenterManager');
  const agents = world.identityStore.seedGroup('ConnectAgents');
  const supervisors = world.identityStore.seedGroup('ConnectSupervisors');
  world.connect.add(agent(ANA, 'Ana Lima', { securityProfileIds: [MANAGER] }));
  world.connect.add(agent(BO, 'Bo Chen', { securityProfileIds: [AGENT] }));
  for (const id of [ANA, BO]) await core.syncUser({ instanceId: INSTANCE, userId: id });
  const identityOf = (id: string) => core.links.peek(INSTANCE, id)?.identityUserId ?? '';
  const [ana, bo] = [identityOf(ANA), identityOf(BO)];
  expect(world.identityStore.groupNamesOf(ana)).toEqual(['ConnectAgents', 'ConnectSupervisors']);
  expect(world.identityStore.groupNamesOf(bo)).toEqual(['ConnectAgents']);
  for (const id of [ANA, BO]) world.connect.users.delete(id);
  core.resetCalls();
  return { world, core, agents, supervisors, ana, bo };
}

const sources = (world: World, withIds = true): ReconcileSources => ({
  connectUsers: {
    async *pages() {
      yield [...world.connect.users.values()].map((u) => ({ id: u.id, username: u.username, securityProfileIds: u.securityProfileIds }));
    },
  },
  members: {
    memberIds: async (groupId) => new Set(world.identityStore.membersOf(groupId)),
    ...(withIds && { membershipIds: async (groupId: string) => world.identityStore.membershipIdsOf(groupId) }),
  },
});

describe('reconcile --apply deprovisions with the listed membership ids', () => {
  it('deletes each listed membership by its id: no lookup, Connect still asked, memberships still read', async () => {
    const { world, core, ana, bo } = await leavers();

    const report = await reconcile({ deps: core.deps, sources: sources(world), executor: inlineExecutor(core.deps, { sync: core.syncUser, update: core.updateIdentity, deprovision: core.deprovisionUser }), concurrency: 1 });

    expect(report.results.map((r) => [r.subject, r.outcome]).sort()).toEqual([[ANA, 'deprovisioned'], [BO, 'deprovisioned']]);
    expect(world.identityStore.groupNamesOf(ana)).toEqual([]);
    expect(world.identityStore.groupNamesOf(bo)).toEqual([]);
    expect(world.identityStore.count('removeMembership')).toBe(3);
    expect(world.identityStore.count('removeMember')).toBe(0);
    expect(world.connect.count('describeUser')).toBe(2);
    expect(world.identityStore.count('memberships')).toBe(2);
  });

  it('falls back to the lookup for a membership re-created since the listing, and removes one added since', async () => {
    const { world, core, agents, supervisors, ana, bo } = await leavers();
    // Between the listing and each removal (at Connect's confirmation): Ana's ConnectAgents membership is removed and
    // re-created (a new MembershipId), and Bo is added to ConnectSupervisors (no listed id).
    world.connect.hooks.describeUser = (_instance: unknown, userId: unknown) => {
      if (userId === ANA) {
        world.identityStore.members.delete(`${agents}|${ana}`);
        world.identityStore.join(agents, ana);
      }
      if (userId === BO) world.identityStore.join(supervisors, bo);
    };

    const report = await reconcile({ deps: core.deps, sources: sources(world), executor: inlineExecutor(core.deps, { sync: core.syncUser, update: core.updateIdentity, deprovision: core.deprovisionUser }), concurrency: 1 });

    expect(report.failed).toBe(0);
    expect(world.identityStore.groupNamesOf(ana)).toEqual([]);
    expect(world.identityStore.groupNamesOf(bo)).toEqual([]);
    // Ana: both listed ids tried, the stale one answered not-member and was looked up; Bo: ConnectAgents by its id,
    // ConnectSupervisors (no listed id) looked up.
    expect(world.identityStore.count('removeMembership')).toBe(3);
    expect(world.identityStore.count('removeMember')).toBe(2);
  });

  it('looks every membership up when the source lists no ids', async () => {
    const { world, core, ana, bo } = await leavers();

    await reconcile({ deps: core.deps, sources: sources(world, false), executor: inlineExecutor(core.deps, { sync: core.syncUser, update: core.updateIdentity, deprovision: core.deprovisionUser }), concurrency: 1 });

    expect([world.identityStore.groupNamesOf(ana), world.identityStore.groupNamesOf(bo)]).toEqual([[], []]);
    expect(world.identityStore.count('removeMembership')).toBe(0);
    expect(world.identityStore.count('removeMember')).toBe(3);
  });

  it('never puts listed ids in a queued deprovision, whose removal looks each membership up', async () => {
    const { world, core, ana, bo } = await leavers();
    const queue = new FakeQueue('sync');
    const listedIds = [...world.identityStore.membershipIdsOf(world.identityStore.groupIdByName('ConnectAgents') ?? '').values()];

    await reconcile({ deps: core.deps, sources: sources(world), executor: queueExecutor(core.deps, queue, RECONCILE_SOURCE), concurrency: 10 });

    expect(queue.messages).toHaveLength(2);
    for (const { body } of queue.messages) {
      expect(listedIds.some((id) => body.includes(id))).toBe(false);
      const parsed = parseSyncMessage(body, { id: INSTANCE });
      if (parsed.kind !== 'deprovision') throw new Error(`expected a deprovision, got ${parsed.kind}`);
      expect(parsed.request.listedMemberships).toBeUndefined();
      await core.deprovisionUser(parsed.request);
    }
    expect([world.identityStore.groupNamesOf(ana), world.identityStore.groupNamesOf(bo)]).toEqual([[], []]);
    expect(world.identityStore.count('removeMembership')).toBe(0);
    expect(world.identityStore.count('removeMember')).toBe(3);
  });
});
