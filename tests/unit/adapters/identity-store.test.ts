import {
  ConflictException,
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  DeleteGroupMembershipCommand,
  DeleteUserCommand,
  DescribeUserCommand,
  GetGroupIdCommand,
  GetGroupMembershipIdCommand,
  GetUserIdCommand,
  IdentitystoreClient,
  IsMemberInGroupsCommand,
  ListGroupMembershipsForMemberCommand,
  ResourceNotFoundException,
  ThrottlingException,
  UpdateUserCommand,
} from '@aws-sdk/client-identitystore';
import { mockClient } from 'aws-sdk-client-mock';
import { identityStoreAdapter } from '../../../shared/adapters/identity-store.js';
import { rejection } from '../../support/core.js';

const STORE = 'd-1234567890';
const mock = mockClient(IdentitystoreClient);
const store = identityStoreAdapter(new IdentitystoreClient({ region: 'us-east-1', maxAttempts: 1 }), STORE);
const meta = { $metadata: {} };

const notFound = (type: 'USER' | 'GROUP' | 'GROUP_MEMBERSHIP' | 'IDENTITY_STORE') =>
  new ResourceNotFoundException({ message: 'not found', ResourceType: type, ...meta });
const conflict = (reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' | 'CONCURRENT_MODIFICATION') =>
  new ConflictException({ message: 'conflict', Reason: reason, ...meta });

beforeEach(() => mock.reset());

describe('identity store adapter: users', () => {
  it('looks users up by email and by userName through GetUserId', async () => {
    mock.on(GetUserIdCommand).resolves({ UserId: 'u-1', IdentityStoreId: STORE });

    expect(await store.findUserIdByEmail('a@example.com')).toBe('u-1');
    expect(await store.findUserIdByUserName('agent')).toBe('u-1');
    expect(mock.commandCalls(GetUserIdCommand).map((c) => c.args[0].input)).toEqual([
      { IdentityStoreId: STORE, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'emails.value', AttributeValue: 'a@example.com' } } },
      { IdentityStoreId: STORE, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'agent' } } },
    ]);
  });

  it('answers "nobody" for a missing user but fails for a missing identity store', async () => {
    mock.on(GetUserIdCommand).rejectsOnce(notFound('USER')).rejectsOnce(notFound('IDENTITY_STORE'));

    expect(await store.findUserIdByEmail('a@example.com')).toBeUndefined();
    expect((await rejection(store.findUserIdByEmail('a@example.com'))).code).toBe('NOT_FOUND');
  });

  it('describes a user with its primary email (else the first) and its creation time', async () => {
    const createdAt = new Date('2026-11-28T09:15:01Z');
    mock.on(DescribeUserCommand).resolves({
      UserId: 'u-1',
      IdentityStoreId: STORE,
      UserName: 'mgarcia',
      DisplayName: 'Maria Garcia',
      Name: { GivenName: 'Maria', FamilyName: 'Garcia' },
      Emails: [{ Value: 'old@example.com' }, { Value: 'maria@example.com', Primary: true }],
      CreatedAt: createdAt,
    });

    expect(await store.describeUser('u-1')).toEqual({
      id: 'u-1',
      userName: 'mgarcia',
      displayName: 'Maria Garcia',
      givenName: 'Maria',
      familyName: 'Garcia',
      email: 'maria@example.com',
      createdAt: createdAt.getTime(),
    });
  });

  it('answers undefined for a user that does not exist', async () => {
    mock.on(DescribeUserCommand).rejects(notFound('USER'));

    expect(await store.describeUser('u-gone')).toBeUndefined();
  });

  it('creates a user with one primary work email, and reports a taken userName or email as ALREADY_EXISTS', async () => {
    mock
      .on(CreateUserCommand)
      .resolvesOnce({ UserId: 'u-2', IdentityStoreId: STORE })
      .rejectsOnce(conflict('UNIQUENESS_CONSTRAINT_VIOLATION'));
    const user = { userName: 'agent', displayName: 'A B', givenName: 'A', familyName: 'B', email: 'a@example.com' };

    expect(await store.createUser(user)).toBe('u-2');
    expect(mock.commandCalls(CreateUserCommand)[0]?.args[0].input).toEqual({
      IdentityStoreId: STORE,
      UserName: 'agent',
      DisplayName: 'A B',
      Name: { GivenName: 'A', FamilyName: 'B' },
      Emails: [{ Value: 'a@example.com', Type: 'work', Primary: true }],
    });
    const taken = await rejection(store.createUser(user));
    expect([taken.code, taken.retryable]).toEqual(['ALREADY_EXISTS', false]);
  });

  it('retries a CreateUser that returns no id', async () => {
    mock.on(CreateUserCommand).resolves({ IdentityStoreId: STORE } as never);

    const error = await rejection(store.createUser({ userName: 'a', displayName: 'a', givenName: 'a', familyName: 'a', email: 'a@example.com' }));

    expect([error.code, error.retryable]).toEqual(['UNEXPECTED', true]);
  });

  it('updates each changed attribute with its own operation, and nothing when nothing changed', async () => {
    mock.on(UpdateUserCommand).resolves({});

    await store.updateUser('u-1', { displayName: 'Maria Lopez', givenName: 'Maria', familyName: 'Lopez', email: 'maria.lopez@example.com' });
    await store.updateUser('u-1', { familyName: 'Lopez' });
    await store.updateUser('u-1', {});

    expect(mock.commandCalls(UpdateUserCommand).map((c) => c.args[0].input)).toEqual([
      {
        IdentityStoreId: STORE,
        UserId: 'u-1',
        Operations: [
          { AttributePath: 'displayName', AttributeValue: 'Maria Lopez' },
          { AttributePath: 'name.givenName', AttributeValue: 'Maria' },
          { AttributePath: 'name.familyName', AttributeValue: 'Lopez' },
          { AttributePath: 'emails', AttributeValue: [{ Value: 'maria.lopez@example.com', Type: 'work', Primary: true }] },
        ],
      },
      { IdentityStoreId: STORE, UserId: 'u-1', Operations: [{ AttributePath: 'name.familyName', AttributeValue: 'Lopez' }] },
    ]);
  });

  it('reports an update to a taken email as ALREADY_EXISTS and to a missing user as IDENTITY_NOT_FOUND', async () => {
    mock.on(UpdateUserCommand).rejectsOnce(conflict('UNIQUENESS_CONSTRAINT_VIOLATION')).rejectsOnce(notFound('USER'));

    expect((await rejection(store.updateUser('u-1', { email: 'taken@example.com' }))).code).toBe('ALREADY_EXISTS');
    expect((await rejection(store.updateUser('u-gone', { familyName: 'X' }))).code).toBe('IDENTITY_NOT_FOUND');
  });

  it('deletes a user, and takes a user already gone as success', async () => {
    mock.on(DeleteUserCommand).resolvesOnce({}).rejectsOnce(notFound('USER'));

    await store.deleteUser('u-1');
    await store.deleteUser('u-1');

    expect(mock.commandCalls(DeleteUserCommand).map((c) => c.args[0].input)).toEqual([
      { IdentityStoreId: STORE, UserId: 'u-1' },
      { IdentityStoreId: STORE, UserId: 'u-1' },
    ]);
  });
});

describe('identity store adapter: groups', () => {
  it('finds a group by display name, and answers undefined for a missing one', async () => {
    mock.on(GetGroupIdCommand).resolvesOnce({ GroupId: 'g-1', IdentityStoreId: STORE }).rejectsOnce(notFound('GROUP'));

    expect(await store.findGroupIdByName('ConnectAgents')).toBe('g-1');
    expect(await store.findGroupIdByName('Nope')).toBeUndefined();
    expect(mock.commandCalls(GetGroupIdCommand)[0]?.args[0].input.AlternateIdentifier).toEqual({
      UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'ConnectAgents' },
    });
  });

  it('creates a group with its description, and reports one that exists as ALREADY_EXISTS', async () => {
    mock.on(CreateGroupCommand).resolvesOnce({ GroupId: 'g-2', IdentityStoreId: STORE }).rejectsOnce(conflict('UNIQUENESS_CONSTRAINT_VIOLATION'));

    expect(await store.createGroup('ConnectAgents', 'managed')).toBe('g-2');
    expect(mock.commandCalls(CreateGroupCommand)[0]?.args[0].input).toEqual({ IdentityStoreId: STORE, DisplayName: 'ConnectAgents', Description: 'managed' });
    expect((await rejection(store.createGroup('ConnectAgents', 'managed'))).code).toBe('ALREADY_EXISTS');
  });
});

describe('identity store adapter: memberships', () => {
  it('reads memberships with IsMemberInGroups, 100 groups a call', async () => {
    const groupIds = Array.from({ length: 250 }, (_, i) => `g-${i}`);
    mock.on(IsMemberInGroupsCommand).callsFake((input: { GroupIds: string[] }) => ({
      Results: input.GroupIds.map((id) => ({ GroupId: id, MemberId: { UserId: 'u-1' }, MembershipExists: id === 'g-7' || id === 'g-201' })),
    }));

    const member = await store.memberships('u-1', groupIds);

    expect(member).toEqual(new Set(['g-7', 'g-201']));
    const calls = mock.commandCalls(IsMemberInGroupsCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.GroupIds?.length)).toEqual([100, 100, 50]);
    expect(calls[0]).toMatchObject({ IdentityStoreId: STORE, MemberId: { UserId: 'u-1' } });
    expect(calls.flatMap((c) => c.GroupIds)).toEqual(groupIds);
  });

  it('classifies a missing user or group named by IsMemberInGroups as IDENTITY_NOT_FOUND / GROUP_NOT_FOUND', async () => {
    mock.on(IsMemberInGroupsCommand).rejectsOnce(notFound('USER')).rejectsOnce(notFound('GROUP'));

    expect((await rejection(store.memberships('u-gone', ['g-1']))).code).toBe('IDENTITY_NOT_FOUND');
    expect((await rejection(store.memberships('u-1', ['g-gone']))).code).toBe('GROUP_NOT_FOUND');
  });

  it('lists every group of a user across pages with ListGroupMembershipsForMember', async () => {
    mock
      .on(ListGroupMembershipsForMemberCommand)
      .resolvesOnce({ GroupMemberships: [{ GroupId: 'g-1', IdentityStoreId: STORE }, { GroupId: 'g-2', IdentityStoreId: STORE }], NextToken: 'page-2' })
      .resolvesOnce({ GroupMemberships: [{ GroupId: 'g-3', IdentityStoreId: STORE }], NextToken: '' });

    const groups = await store.groupIdsOf('u-1');

    expect(groups).toEqual(new Set(['g-1', 'g-2', 'g-3']));
    expect(mock.commandCalls(ListGroupMembershipsForMemberCommand).map((c) => c.args[0].input)).toEqual([
      { IdentityStoreId: STORE, MemberId: { UserId: 'u-1' }, MaxResults: 100, NextToken: undefined },
      { IdentityStoreId: STORE, MemberId: { UserId: 'u-1' }, MaxResults: 100, NextToken: 'page-2' },
    ]);
  });

  it('adds a member, and treats a conflict as already a member only after confirming the membership', async () => {
    mock.on(CreateGroupMembershipCommand).resolvesOnce({ MembershipId: 'm-1', IdentityStoreId: STORE }).rejects(conflict('UNIQUENESS_CONSTRAINT_VIOLATION'));
    mock.on(GetGroupMembershipIdCommand).resolvesOnce({ MembershipId: 'm-1', IdentityStoreId: STORE }).rejectsOnce(notFound('GROUP_MEMBERSHIP'));

    expect(await store.addMember('g-1', 'u-1')).toBe('added');
    expect(await store.addMember('g-1', 'u-1')).toBe('already-member');
    const unresolved = await rejection(store.addMember('g-1', 'u-1'));
    expect([unresolved.code, unresolved.retryable]).toEqual(['CONFLICT_UNRESOLVED', true]);
    expect(mock.commandCalls(CreateGroupMembershipCommand)[0]?.args[0].input).toEqual({ IdentityStoreId: STORE, GroupId: 'g-1', MemberId: { UserId: 'u-1' } });
  });

  it('classifies adding to a missing group or a missing user', async () => {
    mock.on(CreateGroupMembershipCommand).rejectsOnce(notFound('GROUP')).rejectsOnce(notFound('USER'));

    expect((await rejection(store.addMember('g-gone', 'u-1'))).code).toBe('GROUP_NOT_FOUND');
    expect((await rejection(store.addMember('g-1', 'u-gone'))).code).toBe('IDENTITY_NOT_FOUND');
  });

  it('removes a member by looking its membership up in that group, then deleting that membership', async () => {
    mock.on(GetGroupMembershipIdCommand).resolves({ MembershipId: 'm-9', IdentityStoreId: STORE });
    mock.on(DeleteGroupMembershipCommand).resolves({});

    expect(await store.removeMember('g-1', 'u-1')).toBe('removed');
    expect(mock.commandCalls(GetGroupMembershipIdCommand)[0]?.args[0].input).toEqual({ IdentityStoreId: STORE, GroupId: 'g-1', MemberId: { UserId: 'u-1' } });
    expect(mock.commandCalls(DeleteGroupMembershipCommand)[0]?.args[0].input).toEqual({ IdentityStoreId: STORE, MembershipId: 'm-9' });
  });

  it.each(['GROUP_MEMBERSHIP', 'GROUP', 'USER'] as const)('answers not-member when the lookup finds no membership (%s not found)', async (type) => {
    mock.on(GetGroupMembershipIdCommand).rejects(notFound(type));

    expect(await store.removeMember('g-1', 'u-1')).toBe('not-member');
    expect(mock.commandCalls(DeleteGroupMembershipCommand)).toHaveLength(0);
  });

  it('answers not-member when the membership disappears between the lookup and the deletion', async () => {
    mock.on(GetGroupMembershipIdCommand).resolves({ MembershipId: 'm-9', IdentityStoreId: STORE });
    mock.on(DeleteGroupMembershipCommand).rejects(notFound('GROUP_MEMBERSHIP'));

    expect(await store.removeMember('g-1', 'u-1')).toBe('not-member');
  });

  it('deletes a listed membership by its id alone (no lookup), and answers not-member for an id that no longer exists', async () => {
    mock.on(DeleteGroupMembershipCommand).resolvesOnce({}).rejectsOnce(notFound('GROUP_MEMBERSHIP'));

    expect(await store.removeMembership('g-1', 'u-1', 'm-9')).toBe('removed');
    expect(await store.removeMembership('g-1', 'u-1', 'm-stale')).toBe('not-member');
    expect(mock.commandCalls(DeleteGroupMembershipCommand).map((c) => c.args[0].input)).toEqual([
      { IdentityStoreId: STORE, MembershipId: 'm-9' },
      { IdentityStoreId: STORE, MembershipId: 'm-stale' },
    ]);
    expect(mock.commandCalls(GetGroupMembershipIdCommand)).toHaveLength(0);
  });

  it('retries a concurrent modification and throttling, and never retries access denied', async () => {
    mock
      .on(CreateGroupMembershipCommand)
      .rejectsOnce(conflict('CONCURRENT_MODIFICATION'))
      .rejectsOnce(new ThrottlingException({ message: 'slow down', ...meta }))
      .rejectsOnce(Object.assign(new Error('no'), { name: 'AccessDeniedException', $fault: 'client' }));

    const concurrent = await rejection(store.addMember('g-1', 'u-1'));
    const throttled = await rejection(store.addMember('g-1', 'u-1'));
    const denied = await rejection(store.addMember('g-1', 'u-1'));

    expect([concurrent.code, concurrent.retryable]).toEqual(['CONCURRENT_MODIFICATION', true]);
    expect([throttled.code, throttled.retryable]).toEqual(['THROTTLED', true]);
    expect([denied.code, denied.retryable]).toEqual(['ACCESS_DENIED', false]);
  });
});
