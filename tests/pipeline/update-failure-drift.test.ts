/**
 * A remembered update failure hides no drift (issue 21, item 4), end to end: an agent whose identity update is blocked
 * (IDENTITY_UPDATE_BLOCKED: it opens another door) and who is then added to ConnectSupervisors by hand is taken out of
 * it by `reconcile --apply`, which exits 0; the update failure stays remembered as the update's.
 */
import { CreateGroupMembershipCommand, GetGroupIdCommand, GetUserIdCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { main } from '../../cli/main.js';
import { updateIdentityInfo } from '../../local/admin.js';
import { groupsByUser, linksOf } from '../support/lifecycle.js';
import { createConnectUser, deadLetters, errorCodes, person, pipelinesFor } from '../support/pipeline.js';
import { recordingIo } from '../unit/cli/io-helpers.js';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const pipeline = pipelinesFor();
const MAPPING = { Agent: 'ConnectAgents', CallCenterManager: ['ConnectAgents', 'ConnectSupervisors'] };

it('reconcile --apply repairs the group drift of a user whose identity update failed for good, and exits 0', async () => {
  const p = await pipeline({
    syncEnv: { GROUP_MAPPING: JSON.stringify(MAPPING) },
    identityCenter: { groups: [{ displayName: 'Finance' }, { displayName: 'ConnectSupervisors' }] },
  });
  const maria = await createConnectUser(p, 'maria@example.com', person('Maria', 'Garcia'));
  await p.drain();
  const client = new IdentitystoreClient({ endpoint: p.emulator.endpoint, region: p.emulator.region });
  const IdentityStoreId = p.ids.identityStoreId;
  const join = async (group: string) => {
    const { GroupId } = await client.send(new GetGroupIdCommand({ IdentityStoreId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: group } } }));
    const { UserId } = await client.send(
      new GetUserIdCommand({ IdentityStoreId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'maria@example.com' } } }),
    );
    await client.send(new CreateGroupMembershipCommand({ IdentityStoreId, GroupId, MemberId: { UserId: UserId ?? '' } }));
  };
  // Another door (Finance) blocks the update of her names; then someone puts her in ConnectSupervisors by hand.
  await join('Finance');
  await updateIdentityInfo(p.adminConnect, p.ids.instanceId, maria, person('Maria', 'Lopez'));
  await p.drain();
  await join('ConnectSupervisors');
  client.destroy();

  const saved = { ...process.env };
  const io = recordingIo(p.env);
  let code: number;
  try {
    code = await main(['reconcile', '--apply', '--json'], io);
  } finally {
    process.env = saved;
  }

  expect(errorCodes(deadLetters(p))).toEqual(['IDENTITY_UPDATE_BLOCKED']);
  expect(code).toBe(0);
  expect(groupsByUser(p)['maria@example.com']).toEqual(['ConnectAgents', 'Finance']);
  expect((await linksOf(p)).failures.has(maria)).toBe(false);
});
