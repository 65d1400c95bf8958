/** Optional eventual consistency of Identity Store reads (`consistency.readLagMs`): reads lag, uniqueness checks do not. */
import {
  ConflictException, CreateGroupMembershipCommand, CreateUserCommand, DeleteGroupMembershipCommand, DescribeUserCommand, GetGroupIdCommand,
  GetGroupMembershipIdCommand, GetUserIdCommand, IdentitystoreClient, IsMemberInGroupsCommand, ListGroupMembershipsCommand,
  ListGroupMembershipsForMemberCommand, ListUsersCommand, UpdateUserCommand,
} from '@aws-sdk/client-identitystore';
import type { Emulator, SeededIds } from '../../local/emulator/index';
import { startEmulator } from '../../local/emulator/index';

const LAG = 150;
// The store's clock is the test's: stepping it replaces sleeping, so a slow machine cannot make a read late.
let now = 1_800_000_000_000;
const credentials = { accessKeyId: 'AKIATEST000000000000', secretAccessKey: 'test' };
let emulator: Emulator;
let ids: SeededIds['identityStores'][number];
let client: IdentitystoreClient;

beforeAll(async () => {
  emulator = await startEmulator({ rateLimits: { enabled: false }, consistency: { readLagMs: LAG, clock: () => now } });
  client = new IdentitystoreClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  ids = emulator.seed({ identityStores: [{ users: [{ userName: 'old@example.com', email: 'old@example.com' }], groups: [{ displayName: 'Agents' }] }] }).identityStores[0] ?? { id: '', users: {}, groups: {} };
  await advance(LAG + 20); // the seeded entities become visible
});

afterAll(async () => {
  client.destroy();
  await emulator.stop();
});

const advance = async (ms: number): Promise<void> => {
  now += ms;
};
const store = () => ids.id;
const group = () => ids.groups.Agents ?? '';
const status = (promise: Promise<unknown>) => promise.then(() => 'ok', (e: unknown) => (e as Error).name);
const create = (userName: string) => client.send(new CreateUserCommand({
  IdentityStoreId: store(), UserName: userName, DisplayName: 'D', Name: { GivenName: 'G', FamilyName: 'F' }, Emails: [{ Value: userName }],
}));

describe('with consistency.readLagMs', () => {
  it('hides a new user from GetUserId, DescribeUser and ListUsers until the lag has passed', async () => {
    const { UserId } = await create('fresh@example.com');
    const byName = () => client.send(new GetUserIdCommand({ IdentityStoreId: store(), AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'fresh@example.com' } } }));
    expect(await status(byName())).toBe('ResourceNotFoundException');
    expect(await status(client.send(new DescribeUserCommand({ IdentityStoreId: store(), UserId })))).toBe('ResourceNotFoundException');
    expect((await client.send(new ListUsersCommand({ IdentityStoreId: store() }))).Users?.map((u) => u.UserName)).toEqual(['old@example.com']);
    await advance(LAG + 20);
    expect((await byName()).UserId).toBe(UserId);
    expect((await client.send(new ListUsersCommand({ IdentityStoreId: store() }))).Users).toHaveLength(2);
  });

  it('checks uniqueness against every write at once, as AWS does: a second create conflicts before reads see the first', async () => {
    await create('twice@example.com');
    const second = await create('twice@example.com').catch((e: unknown) => e);
    expect(second).toBeInstanceOf(ConflictException);
    expect(second).toMatchObject({ Reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' });
  });

  it('shows the previous version of an updated user until the lag has passed', async () => {
    const UserId = ids.users['old@example.com'];
    await client.send(new UpdateUserCommand({ IdentityStoreId: store(), UserId, Operations: [{ AttributePath: 'displayName', AttributeValue: 'After' }] }));
    expect((await client.send(new DescribeUserCommand({ IdentityStoreId: store(), UserId }))).DisplayName).toBe('old User');
    await advance(LAG + 20);
    expect((await client.send(new DescribeUserCommand({ IdentityStoreId: store(), UserId }))).DisplayName).toBe('After');
  });

  it('hides new memberships from IsMemberInGroups, GetGroupMembershipId and both membership lists; deletions show late too', async () => {
    const UserId = ids.users['old@example.com'] ?? '';
    const { MembershipId } = await client.send(new CreateGroupMembershipCommand({ IdentityStoreId: store(), GroupId: group(), MemberId: { UserId } }));
    const isMember = async () => (await client.send(new IsMemberInGroupsCommand({ IdentityStoreId: store(), MemberId: { UserId }, GroupIds: [group()] }))).Results?.[0]?.MembershipExists;
    const listed = async () => [
      (await client.send(new ListGroupMembershipsCommand({ IdentityStoreId: store(), GroupId: group() }))).GroupMemberships?.length,
      (await client.send(new ListGroupMembershipsForMemberCommand({ IdentityStoreId: store(), MemberId: { UserId } }))).GroupMemberships?.length,
    ];
    expect(await isMember()).toBe(false);
    expect(await status(client.send(new GetGroupMembershipIdCommand({ IdentityStoreId: store(), GroupId: group(), MemberId: { UserId } })))).toBe('ResourceNotFoundException');
    expect(await listed()).toEqual([0, 0]);
    // The write path sees it: adding it again conflicts.
    expect(await status(client.send(new CreateGroupMembershipCommand({ IdentityStoreId: store(), GroupId: group(), MemberId: { UserId } })))).toBe('ConflictException');
    await advance(LAG + 20);
    expect(await isMember()).toBe(true);
    expect(await listed()).toEqual([1, 1]);
    await client.send(new DeleteGroupMembershipCommand({ IdentityStoreId: store(), MembershipId }));
    expect(await isMember()).toBe(true);
    await advance(LAG + 20);
    expect(await isMember()).toBe(false);
  });

  it('can be changed at runtime: with no lag, reads see writes at once', async () => {
    emulator.setConsistency({ readLagMs: 0 });
    await client.send(new CreateUserCommand({ IdentityStoreId: store(), UserName: 'now@example.com', DisplayName: 'D', Name: { GivenName: 'G', FamilyName: 'F' }, Emails: [{ Value: 'now@example.com' }] }));
    const found = await client.send(new GetUserIdCommand({ IdentityStoreId: store(), AlternateIdentifier: { UniqueAttribute: { AttributePath: 'emails.value', AttributeValue: 'now@example.com' } } }));
    expect(found.UserId).toBeDefined();
    expect((await client.send(new GetGroupIdCommand({ IdentityStoreId: store(), AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'Agents' } } }))).GroupId).toBe(group());
    emulator.setConsistency({ readLagMs: LAG });
  });
});
