/** Identity Store fidelity through the real @aws-sdk/client-identitystore: UpdateUser, memberships per member, model validation. */
import {
  ConflictException, CreateGroupMembershipCommand, CreateUserCommand, DeleteGroupMembershipCommand, DeleteUserCommand, DescribeGroupCommand,
  DescribeUserCommand, GetGroupMembershipIdCommand, IdentitystoreClient, IsMemberInGroupsCommand, ListGroupMembershipsForMemberCommand,
  ListUsersCommand, ResourceNotFoundException, UpdateUserCommand, ValidationException, paginateListGroupMembershipsForMember,
  type CreateUserCommandInput,
} from '@aws-sdk/client-identitystore';
import type { Emulator, SeededIds } from '../../local/emulator/index';
import { startEmulator } from '../../local/emulator/index';

const credentials = { accessKeyId: 'AKIATEST000000000000', secretAccessKey: 'test' };
let emulator: Emulator;
let ids: SeededIds['identityStores'][number];
let client: IdentitystoreClient;

beforeAll(async () => {
  emulator = await startEmulator({ rateLimits: { enabled: false } });
  client = new IdentitystoreClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  const seeded = emulator.seed({
    identityStores: [{
      users: [{ userName: 'ana@example.com', email: 'ana@example.com' }, { userName: 'ben@example.com', email: 'ben@example.com' }, { userName: 'no-email' }],
      groups: [{ displayName: 'A', members: ['ana@example.com'] }, { displayName: 'B', members: ['ana@example.com'] }, { displayName: 'C', members: ['ana@example.com'] }],
    }],
  });
  ids = seeded.identityStores[0] ?? { id: '', users: {}, groups: {} };
});

afterAll(async () => {
  client.destroy();
  await emulator.stop();
});

const store = () => ids.id;
const user = (name: string) => ids.users[name] ?? '';
const newUser = (userName: string, extra: Partial<CreateUserCommandInput> = {}): CreateUserCommand => new CreateUserCommand({
  IdentityStoreId: store(), UserName: userName, DisplayName: 'New Person', Name: { GivenName: 'New', FamilyName: 'Person' }, Emails: [{ Value: `${userName}@example.org`, Primary: true }], ...extra,
});
const fails = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e);

describe('CreateUser and DescribeUser', () => {
  it('describes a user with the User shape: status, timestamps, the store id', async () => {
    const described = await client.send(new DescribeUserCommand({ IdentityStoreId: store(), UserId: user('ana@example.com') }));
    expect(described).toMatchObject({ UserName: 'ana@example.com', UserStatus: 'ENABLED', IdentityStoreId: store(), Emails: [{ Value: 'ana@example.com', Primary: true }] });
    expect(described.CreatedAt).toBeInstanceOf(Date);
    expect(described.UserId).toMatch(new RegExp(`^${store().slice(2)}-[0-9a-f-]{36}$`));
  });

  it('seeds a generated e-mail for a user given none (Identity Center requires one)', async () => {
    const described = await client.send(new DescribeUserCommand({ IdentityStoreId: store(), UserId: user('no-email') }));
    expect(described.Emails).toEqual([expect.objectContaining({ Value: 'no-email@seeded.invalid' })]);
  });

  it('refuses a user without an e-mail (ValidationException) and an e-mail another user has (UNIQUENESS_CONSTRAINT_VIOLATION)', async () => {
    expect(await fails(client.send(newUser('nomail', { Emails: undefined })))).toBeInstanceOf(ValidationException);
    const taken = await fails(client.send(newUser('other', { Emails: [{ Value: 'ANA@example.com' }] })));
    expect(taken).toBeInstanceOf(ConflictException);
    expect(taken).toMatchObject({ Reason: 'UNIQUENESS_CONSTRAINT_VIOLATION', $metadata: { httpStatusCode: 409 } });
  });

  it('validates UserName: 1-128 letters, marks, symbols, numbers, punctuation; no spaces or control characters; not reserved', async () => {
    for (const bad of ['has space', 'tab\there', 'a'.repeat(129), 'Administrator', 'awsadministrators', 'zero\u200bwidth']) {
      expect(await fails(client.send(newUser(bad)))).toBeInstanceOf(ValidationException);
    }
    await expect(client.send(newUser('Émile.Zoë+sales@exämple.com'))).resolves.toMatchObject({ UserId: expect.any(String) });
  });

  it('refuses control and format characters (Cc, Cf) in names and DisplayName, and more than 1024 characters', async () => {
    const bad = ['Soft\u00adHyphen', 'Zero\u200bWidth', 'Joiner\u200dX', 'Mark\u200eLTR', 'Embed\u202aX', 'Word\u2060Joiner', 'Bom\ufeff', 'Bell\u0007', 'x'.repeat(1025)];
    let n = 0;
    for (const value of bad) {
      n += 1;
      expect(await fails(client.send(newUser(`cf${n}`, { DisplayName: value })))).toBeInstanceOf(ValidationException);
      expect(await fails(client.send(newUser(`cg${n}`, { Name: { GivenName: value, FamilyName: 'F' } })))).toBeInstanceOf(ValidationException);
    }
    // Space, tab, no-break space and accents are allowed in SensitiveStringType.
    await expect(client.send(newUser('allowed', { DisplayName: 'Zoë\u00a0van\tDijk', Name: { GivenName: 'Zoë', FamilyName: 'van Dijk' } }))).resolves.toBeDefined();
  });

  it('answers ValidationException (not ResourceNotFoundException) for ids that do not match the model patterns', async () => {
    expect(await fails(client.send(new DescribeUserCommand({ IdentityStoreId: store(), UserId: 'not-an-id' })))).toBeInstanceOf(ValidationException);
    expect(await fails(client.send(new DescribeUserCommand({ IdentityStoreId: 'd-123', UserId: user('ana@example.com') })))).toBeInstanceOf(ValidationException);
    expect(await fails(client.send(new DescribeGroupCommand({ IdentityStoreId: store(), GroupId: 'group-1' })))).toBeInstanceOf(ValidationException);
    expect(await fails(client.send(new DeleteGroupMembershipCommand({ IdentityStoreId: store(), MembershipId: '123' })))).toBeInstanceOf(ValidationException);
    expect(await fails(client.send(new IsMemberInGroupsCommand({ IdentityStoreId: store(), MemberId: { UserId: user('ana@example.com') }, GroupIds: ['x'] })))).toBeInstanceOf(ValidationException);
    // Well-formed but unknown: ResourceNotFoundException with its ResourceType and ResourceId.
    const missing = await fails(client.send(new DescribeUserCommand({ IdentityStoreId: store(), UserId: '00000000-0000-4000-8000-000000000000' })));
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing).toMatchObject({ ResourceType: 'USER', ResourceId: '00000000-0000-4000-8000-000000000000' });
  });

  it('pages ListUsers within MaxResults 1..100 and refuses a bad NextToken', async () => {
    expect((await client.send(new ListUsersCommand({ IdentityStoreId: store(), MaxResults: 1 }))).NextToken).toEqual(expect.any(String));
    expect(await fails(client.send(new ListUsersCommand({ IdentityStoreId: store(), MaxResults: 101 })))).toBeInstanceOf(ValidationException);
    expect(await fails(client.send(new ListUsersCommand({ IdentityStoreId: store(), NextToken: 'not*a*token' })))).toBeInstanceOf(ValidationException);
  });
});

describe('UpdateUser', () => {
  it('replaces and removes attributes by path: displayName, name.givenName, emails, nickName', async () => {
    const { UserId } = await client.send(newUser('updatable', { NickName: 'Nick' }));
    const before = await client.send(new DescribeUserCommand({ IdentityStoreId: store(), UserId }));
    await client.send(new UpdateUserCommand({
      IdentityStoreId: store(), UserId, Operations: [
        { AttributePath: 'displayName', AttributeValue: 'Renamed Person' },
        { AttributePath: 'name.givenName', AttributeValue: 'Renamed' },
        { AttributePath: 'emails', AttributeValue: [{ Value: 'renamed@example.org', Type: 'work', Primary: true }] },
        { AttributePath: 'nickName' },
      ],
    }));
    const after = await client.send(new DescribeUserCommand({ IdentityStoreId: store(), UserId }));
    expect(after).toMatchObject({ DisplayName: 'Renamed Person', Name: { GivenName: 'Renamed', FamilyName: 'Person' }, Emails: [{ Value: 'renamed@example.org', Type: 'work', Primary: true }] });
    expect(after.NickName).toBeUndefined();
    expect(after.UpdatedAt?.getTime()).toBeGreaterThanOrEqual(before.UpdatedAt?.getTime() ?? Infinity);
  });

  it('refuses unknown or malformed paths, values breaking the model, removing a required attribute, and 0 or 101 operations', async () => {
    const UserId = user('ben@example.com');
    const update = (Operations: { AttributePath: string; AttributeValue?: unknown }[]) =>
      fails(client.send(new UpdateUserCommand({ IdentityStoreId: store(), UserId, Operations: Operations as never })));
    for (const path of ['shoeSize', 'name.nickName', 'name.givenName.first', 'UserName', 'emails.value', '1name', 'userStatus']) {
      expect(await update([{ AttributePath: path, AttributeValue: 'x' }])).toBeInstanceOf(ValidationException);
    }
    expect(await update([{ AttributePath: 'displayName', AttributeValue: 'Soft\u00adHyphen' }])).toBeInstanceOf(ValidationException);
    expect(await update([{ AttributePath: 'userName', AttributeValue: 'has space' }])).toBeInstanceOf(ValidationException);
    expect(await update([{ AttributePath: 'emails' }])).toBeInstanceOf(ValidationException);
    expect(await update([{ AttributePath: 'name.familyName' }])).toBeInstanceOf(ValidationException);
    expect(await update([])).toBeInstanceOf(ValidationException);
    expect(await update(Array.from({ length: 101 }, () => ({ AttributePath: 'title', AttributeValue: 'T' })))).toBeInstanceOf(ValidationException);
    expect((await client.send(new DescribeUserCommand({ IdentityStoreId: store(), UserId }))).DisplayName).toBe('ben User');
  });

  it('keeps user names and e-mails unique (ConflictException UNIQUENESS_CONSTRAINT_VIOLATION) and answers USER for an unknown user', async () => {
    const UserId = user('ben@example.com');
    const taken = await fails(client.send(new UpdateUserCommand({ IdentityStoreId: store(), UserId, Operations: [{ AttributePath: 'userName', AttributeValue: 'ANA@example.com' }] })));
    expect(taken).toMatchObject({ name: 'ConflictException', Reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' });
    const email = await fails(client.send(new UpdateUserCommand({ IdentityStoreId: store(), UserId, Operations: [{ AttributePath: 'emails', AttributeValue: [{ Value: 'ana@example.com' }] }] })));
    expect(email).toBeInstanceOf(ConflictException);
    // Its own values are no conflict.
    await client.send(new UpdateUserCommand({ IdentityStoreId: store(), UserId, Operations: [{ AttributePath: 'userName', AttributeValue: 'ben@example.com' }] }));
    const unknown = await fails(client.send(new UpdateUserCommand({ IdentityStoreId: store(), UserId: '00000000-0000-4000-8000-000000000001', Operations: [{ AttributePath: 'title', AttributeValue: 'T' }] })));
    expect(unknown).toMatchObject({ name: 'ResourceNotFoundException', ResourceType: 'USER' });
  });
});

describe('memberships', () => {
  it('ListGroupMembershipsForMember pages up to 100 a page (MaxResults 1..100), through the SDK paginator', async () => {
    const pages: string[][] = [];
    const paginator = paginateListGroupMembershipsForMember({ client, pageSize: 2 }, { IdentityStoreId: store(), MemberId: { UserId: user('ana@example.com') } });
    for await (const page of paginator) pages.push((page.GroupMemberships ?? []).map((m) => m.GroupId ?? ''));
    expect(pages.map((p) => p.length)).toEqual([2, 1]);
    expect(pages.flat().sort()).toEqual([ids.groups.A, ids.groups.B, ids.groups.C].sort());
    for (const MaxResults of [0, 101]) {
      expect(await fails(client.send(new ListGroupMembershipsForMemberCommand({ IdentityStoreId: store(), MemberId: { UserId: user('ana@example.com') }, MaxResults })))).toBeInstanceOf(ValidationException);
    }
  });

  it('DeleteUser removes the user and its memberships; deleting again or an unknown membership is ResourceNotFoundException', async () => {
    const { UserId = '' } = await client.send(newUser('leaver'));
    const { MembershipId = '' } = await client.send(new CreateGroupMembershipCommand({ IdentityStoreId: store(), GroupId: ids.groups.A, MemberId: { UserId } }));
    await client.send(new DeleteUserCommand({ IdentityStoreId: store(), UserId }));
    expect(emulator.state.memberships(store()).map((m) => m.MembershipId)).not.toContain(MembershipId);
    expect(await fails(client.send(new DeleteUserCommand({ IdentityStoreId: store(), UserId })))).toMatchObject({ name: 'ResourceNotFoundException', ResourceType: 'USER' });
    expect(await fails(client.send(new DeleteGroupMembershipCommand({ IdentityStoreId: store(), MembershipId })))).toMatchObject({ ResourceType: 'GROUP_MEMBERSHIP' });
  });

  it('GetGroupMembershipId finds a membership and answers GROUP_MEMBERSHIP when there is none', async () => {
    const found = await client.send(new GetGroupMembershipIdCommand({ IdentityStoreId: store(), GroupId: ids.groups.B, MemberId: { UserId: user('ana@example.com') } }));
    expect(found.MembershipId).toMatch(/^[0-9a-f]{10}-/);
    const none = await fails(client.send(new GetGroupMembershipIdCommand({ IdentityStoreId: store(), GroupId: ids.groups.B, MemberId: { UserId: user('ben@example.com') } })));
    expect(none).toMatchObject({ name: 'ResourceNotFoundException', ResourceType: 'GROUP_MEMBERSHIP' });
  });

  it('IsMemberInGroups takes 1 to 100 group ids', async () => {
    const call = (GroupIds: string[]) => client.send(new IsMemberInGroupsCommand({ IdentityStoreId: store(), MemberId: { UserId: user('ana@example.com') }, GroupIds }));
    expect((await call([ids.groups.A ?? ''])).Results).toEqual([{ GroupId: ids.groups.A, MemberId: { UserId: user('ana@example.com') }, MembershipExists: true }]);
    expect(await fails(call([]))).toBeInstanceOf(ValidationException);
    expect(await fails(call(Array.from({ length: 101 }, () => ids.groups.A ?? '')))).toBeInstanceOf(ValidationException);
  });
});
