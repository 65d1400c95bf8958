import { inlineExecutor } from '../../../shared/core/reconcile-executors.js';
import { agent, buildCore, INSTANCE } from '../../support/core.js';

describe('reconcile --remove-unlinked: the link table is read again right before each removal', () => {
  it('takes an unlinked member out of the group, and skips one the event path linked since the snapshot', async () => {
    const core = buildCore();
    const agents = core.identityStore.seedGroup('ConnectAgents');
    const stranger = core.identityStore.seedUser({ userName: 'stranger', email: 'stranger@example.com' });
    const maria = core.identityStore.seedUser({ userName: 'maria', email: 'maria.garcia@example.com' });
    for (const id of [stranger, maria]) core.identityStore.join(agents, id);
    const executor = inlineExecutor(core.deps, { sync: core.syncUser, update: core.updateIdentity, deprovision: core.deprovisionUser });
    // Both were unlinked in the snapshot; Maria's CreateUser event linked her since.
    core.connect.add(agent('c-maria', 'Maria Garcia'));
    await core.syncUser({ instanceId: INSTANCE, userId: 'c-maria' });

    const removed = await executor.removeUnlinked?.({ identityUserId: stranger, groupId: agents, groupName: 'ConnectAgents' });
    const skipped = await executor.removeUnlinked?.({ identityUserId: maria, groupId: agents, groupName: 'ConnectAgents' });

    expect([removed, skipped]).toEqual(['removed', 'skipped: linked since']);
    expect(core.identityStore.groupNamesOf(stranger)).toEqual([]);
    expect(core.identityStore.groupNamesOf(maria)).toEqual(['ConnectAgents']);
  });
});
