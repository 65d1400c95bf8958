/**
 * The whole life of a Connect user, end to end on the emulator with the link table on dynalite: created, its
 * identity updated, deleted (and deleted twice, before it was created, updated before it was created), under each
 * DEPROVISION and UPDATE_IDENTITY mode, and under both case behaviours AWS does not document.
 */
import { deleteAgent, updateIdentityInfo } from '../../local/admin.js';
import type { Pipeline } from '../../local/pipeline.js';
import { eventFor, groupsByUser, linksOf, sendToSyncQueue } from '../support/lifecycle.js';
import { CONNECT_MANAGED, createConnectUser, deadLetters, errorCodes, identityCenter, person, pipelinesFor } from '../support/pipeline.js';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

describe.each(['insensitive', 'sensitive'] as const)('lookups %s to case', (lookupCase) => {
  const pipeline = pipelinesFor(lookupCase);

  const emailOf = (p: Pipeline, userName: string) =>
    (identityCenter(p).users.find((u) => u.UserName === userName)?.Emails as { Value: string }[] | undefined)?.[0]?.Value;

  // An email correction exists on CONNECT_MANAGED instances only: a SAML instance refuses IdentityInfo.Email.
  it('follows a corrected name and email into the identity it created, and records the link (CONNECT_MANAGED)', async () => {
    const p = await pipeline(CONNECT_MANAGED);
    const id = await createConnectUser(p, 'maria.garcia@example.com', person('Maria', 'Garcia', 'maria.garcia@example.com'));
    await p.drain();

    await updateIdentityInfo(p.adminConnect, p.ids.instanceId, id, person('Maria', 'Garcia-Lopez', 'maria.lopez@example.com'));
    await p.drain();

    const [user] = identityCenter(p).users;
    expect(user).toMatchObject({ UserName: 'maria.garcia@example.com', DisplayName: 'Maria Garcia-Lopez', Name: expect.objectContaining({ FamilyName: 'Garcia-Lopez' }) });
    expect(emailOf(p, 'maria.garcia@example.com')).toBe('maria.lopez@example.com');
    const { links } = await linksOf(p);
    expect(links.get(id)).toEqual({ identityUserId: user?.UserId, created: true, groupIds: [identityCenter(p).memberships[0]?.GroupId] });
    expect(deadLetters(p)).toEqual([]);
  });

  it('never updates an identity it linked (it existed before), only keeps its membership', async () => {
    const p = await pipeline({ identityCenter: { users: [{ userName: 'dsmith', givenName: 'Dana', familyName: 'Smith', email: 'dana.smith@example.com' }] } });
    const id = await createConnectUser(p, 'dana.smith@example.com', person('Dana', 'Smith'));
    await p.drain();

    await updateIdentityInfo(p.adminConnect, p.ids.instanceId, id, person('Dana', 'Jones'));
    await p.drain();

    expect(identityCenter(p).users).toEqual([expect.objectContaining({ UserName: 'dsmith', DisplayName: 'Dana Smith' })]);
    expect(groupsByUser(p)).toEqual({ dsmith: ['ConnectAgents'] });
    expect(deadLetters(p)).toEqual([]);
  });

  it('blocks an email change of an identity that opens another door (IDENTITY_UPDATE_BLOCKED) and changes nothing (CONNECT_MANAGED)', async () => {
    const p = await pipeline({ ...CONNECT_MANAGED, identityCenter: { groups: [{ displayName: 'Finance' }] } });
    const id = await createConnectUser(p, 'omar@example.com', person('Omar', 'Haddad', 'omar@example.com'));
    await p.drain();
    const identityId = String(identityCenter(p).users[0]?.UserId);
    const finance = p.emulator.state.groups(p.ids.identityStoreId).find((g) => g.DisplayName === 'Finance');
    await addMember(p, String(finance?.GroupId), identityId);

    await updateIdentityInfo(p.adminConnect, p.ids.instanceId, id, person('Omar', 'Haddad', 'mallory@example.net'));
    await p.drain();

    expect(emailOf(p, 'omar@example.com')).toBe('omar@example.com');
    expect(errorCodes(deadLetters(p))).toEqual(['IDENTITY_UPDATE_BLOCKED']);
    expect(deadLetters(p)[0]?.messageAttributes.errorMessage?.StringValue).toMatch(/1 group\(s\) besides the managed ones/);
  });

  it('refuses an email another identity has (EMAIL_IN_USE), nothing changed (CONNECT_MANAGED)', async () => {
    const p = await pipeline({ ...CONNECT_MANAGED, identityCenter: { users: [{ userName: 'boss', email: 'boss@example.com' }] } });
    const id = await createConnectUser(p, 'lee@example.com', person('Lee', 'Park', 'lee@example.com'));
    await p.drain();

    await updateIdentityInfo(p.adminConnect, p.ids.instanceId, id, person('Lee', 'Park', 'boss@example.com'));
    await p.drain();

    expect(emailOf(p, 'lee@example.com')).toBe('lee@example.com');
    expect(errorCodes(deadLetters(p))).toEqual(['EMAIL_IN_USE']);
  });

  it('deprovisions a deleted Connect user: out of the groups, identity kept, link gone; a second delivery is a no-op', async () => {
    const p = await pipeline();
    const id = await createConnectUser(p, 'kenji@example.com', person('Kenji', 'Watanabe'));
    await p.drain();
    const deleteEvents: unknown[] = [];
    p.emulator.onEvent((event) => {
      if (event.detail.eventName === 'DeleteUser') deleteEvents.push(event);
    });

    await deleteAgent(p.adminConnect, p.ids.instanceId, id);
    await p.drain();
    await sendToSyncQueue(p, deleteEvents[0]);
    await p.drain();

    expect(identityCenter(p).userNames).toEqual(['kenji@example.com']);
    expect(identityCenter(p).memberships).toEqual([]);
    expect((await linksOf(p)).links.size).toBe(0);
    expect((await linksOf(p)).claims.size).toBe(0);
    expect(deadLetters(p)).toEqual([]);
  });

  it('with DEPROVISION=delete deletes an identity it created that opens no other door, and keeps one that does', async () => {
    const p = await pipeline({ syncEnv: { DEPROVISION: 'delete' }, identityCenter: { groups: [{ displayName: 'Finance' }] } });
    const gone = await createConnectUser(p, 'a@example.com', person('A', 'A'));
    const kept = await createConnectUser(p, 'b@example.com', person('B', 'B'));
    await p.drain();
    const finance = String(p.emulator.state.groups(p.ids.identityStoreId).find((g) => g.DisplayName === 'Finance')?.GroupId);
    await addMember(p, finance, String(identityCenter(p).users.find((u) => u.UserName === 'b@example.com')?.UserId));

    await deleteAgent(p.adminConnect, p.ids.instanceId, gone);
    await deleteAgent(p.adminConnect, p.ids.instanceId, kept);
    await p.drain();

    expect(identityCenter(p).userNames).toEqual(['b@example.com']);
    expect(groupsByUser(p)).toEqual({ 'b@example.com': ['Finance'] });
    expect(deadLetters(p)).toEqual([]);
  });

  it('never deletes an identity it did not create, in any mode', async () => {
    const p = await pipeline({ syncEnv: { DEPROVISION: 'delete' }, identityCenter: { users: [{ userName: 'hr-dana', email: 'dana@example.com' }] } });
    const id = await createConnectUser(p, 'dana@example.com', person('Dana', 'Smith'));
    await p.drain();

    await deleteAgent(p.adminConnect, p.ids.instanceId, id);
    await p.drain();

    expect(identityCenter(p).userNames).toEqual(['hr-dana']);
    expect(identityCenter(p).memberships).toEqual([]);
  });

  it('ignores a deletion that arrives before the creation, and the late creation of a user already gone', async () => {
    const p = await pipeline();
    const ghost = '0f1e2d3c-4b5a-4697-8877-665544332211';

    await sendToSyncQueue(p, eventFor(p, 'delete-user', ghost));
    await sendToSyncQueue(p, { ...eventFor(p, 'create-user', ghost), detail: { ...eventFor(p, 'create-user', ghost).detail, responseElements: { UserId: ghost } } });
    await p.drain();

    expect(identityCenter(p).users).toEqual([]);
    expect(deadLetters(p)).toEqual([]);
    expect(p.poller.stats.succeeded).toBe(2);
  });

  it('syncs an update that arrives before its creation, and the creation afterwards adds nothing', async () => {
    const p = await pipeline();
    // In Connect, but its CreateUser event has not arrived yet.
    const id = p.emulator.addConnectUser(p.ids.instanceId, { username: 'early@example.com', firstName: 'Early', lastName: 'Bird' });

    await sendToSyncQueue(p, eventFor(p, 'update-user-identity-info', id));
    await p.drain();
    const afterUpdate = identityCenter(p).users;
    await sendToSyncQueue(p, { ...eventFor(p, 'create-user', id), detail: { ...eventFor(p, 'create-user', id).detail, responseElements: { UserId: id } } });
    await p.drain();

    expect(afterUpdate).toEqual([expect.objectContaining({ UserName: 'early@example.com', DisplayName: 'Early Bird' })]);
    expect(identityCenter(p).users).toEqual(afterUpdate);
    expect(identityCenter(p).agents).toEqual(['early@example.com']);
    expect((await linksOf(p)).links.get(id)?.created).toBe(true);
    expect(deadLetters(p)).toEqual([]);
  });
});

async function addMember(p: Pipeline, groupId: string, userId: string) {
  const { IdentitystoreClient, CreateGroupMembershipCommand } = await import('@aws-sdk/client-identitystore');
  const client = new IdentitystoreClient({ endpoint: p.emulator.endpoint, region: p.emulator.region });
  await client.send(new CreateGroupMembershipCommand({ IdentityStoreId: p.ids.identityStoreId, GroupId: groupId, MemberId: { UserId: userId } }));
  client.destroy();
}
