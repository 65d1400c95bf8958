/**
 * Stages that share managed groups (README "Several Connect instances"; issue 21): a member another stage links or
 * claims is not "unlinked" here — not reported, not removed by --remove-unlinked — and the other stages' tables are
 * read again right before the removals, so a member the other stage linked after the plan stays too.
 */
import { inlineExecutor } from '../../../shared/core/reconcile-executors.js';
import type { ReconcileSources } from '../../../shared/core/ports/index.js';
import { reconcile } from '../../../shared/core/reconcile.js';
import { buildCore, createWorld } from '../../support/core.js';

function sharedWorld() {
  const world = createWorld();
  const core = buildCore({}, world);
  const agents = world.identityStore.seedGroup('ConnectAgents');
  const [stranger, usAgent, usLate] = ['stranger', 'us.agent', 'us.late'].map((name) => world.identityStore.seedUser({ userName: name, email: `${name}@example.com` }));
  for (const id of [stranger, usAgent, usLate]) world.identityStore.join(agents, id ?? '');
  const members: ReconcileSources['members'] = {
    memberIds: async (groupId) => new Set([...world.identityStore.members].filter((k) => k.startsWith(`${groupId}|`)).map((k) => k.split('|')[1] ?? '')),
  };
  const run = (sources: ReconcileSources, removeUnlinked = true) =>
    reconcile({ deps: core.deps, sources, executor: inlineExecutor(core.deps, { sync: core.syncUser, update: core.updateIdentity, deprovision: core.deprovisionUser }), concurrency: 1, removeUnlinked });
  return { world, agents, stranger: stranger ?? '', usAgent: usAgent ?? '', usLate: usLate ?? '', members, run };
}

const noConnectUsers: ReconcileSources['connectUsers'] = { async *pages() { yield []; } };

describe('reconcile over managed groups shared with another stage', () => {
  it('reports and removes only the members no stage links: the other stage\'s agent stays in the group', async () => {
    const { world, agents, stranger, usAgent, usLate, members, run } = sharedWorld();
    const reads: number[] = [];
    // The US stage links one agent at the plan, and a second one before the removals (its event path, meanwhile).
    const sharedLinks = { claimedIdentities: async () => (reads.push(reads.length), new Set(reads.length === 1 ? [usAgent] : [usAgent, usLate])) };

    const report = await run({ connectUsers: noConnectUsers, members, sharedLinks });

    expect(report.plan.unlinkedMembers.map((m) => m.identityUserId).sort()).toEqual([stranger, usLate].sort());
    expect(report.results.filter((r) => r.action === 'remove-unlinked').map((r) => [r.subject, r.outcome])).toEqual([[stranger, 'removed']]);
    expect(report.unlinkedRemoved).toBe(1);
    expect([usAgent, usLate, stranger].map((id) => world.identityStore.isMember(agents, id))).toEqual([true, true, false]);
    expect(reads).toHaveLength(2);
  });

  it('a shared table that cannot be read removes nobody (the run fails rather than guess)', async () => {
    const { world, agents, stranger, usAgent, members, run } = sharedWorld();
    const sharedLinks = {
      claimedIdentities: async (): Promise<ReadonlySet<string>> => {
        throw new Error('AccessDeniedException: not authorized to perform dynamodb:Scan');
      },
    };

    await expect(run({ connectUsers: noConnectUsers, members, sharedLinks })).rejects.toThrow('dynamodb:Scan');

    expect([usAgent, stranger].map((id) => world.identityStore.isMember(agents, id))).toEqual([true, true]);
  });
});
