import {
  ConflictException,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  GetGroupMembershipIdCommand,
  GetUserIdCommand,
  IdentitystoreClient,
  IsMemberInGroupsCommand,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-identitystore';
import { mockClient } from 'aws-sdk-client-mock';
import { identityStoreAdapter } from '../../../shared/adapters/identity-store.js';
import { SyncError } from '../../../shared/core/errors.js';

const mock = mockClient(IdentitystoreClient);
const store = identityStoreAdapter(new IdentitystoreClient({ region: 'us-east-1', maxAttempts: 1 }), 'd-1234567890');
const meta = { $metadata: {} };

const notFound = (type: string) =>
  new ResourceNotFoundException({ message: 'not found', ResourceType: type as 'USER', ...meta });
const conflict = (reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' | 'CONCURRENT_MODIFICATION') =>
  new ConflictException({ message: 'conflict', Reason: reason, ...meta });

async function rejection(promise: Promise<unknown>): Promise<SyncError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof SyncError)) throw new Error(`expected a SyncError, got ${String(error)}`);
  return error;
}

beforeEach(() => mock.reset());

describe('identity store adapter', () => {
  it('looks users up by email and by userName through GetUserId', async () => {
    mock.on(GetUserIdCommand).resolves({ UserId: 'u-1', IdentityStoreId: 'd-1234567890' });

    expect(await store.findUserIdByEmail('a@example.com')).toBe('u-1');
    expect(await store.findUserIdByUserName('agent')).toBe('u-1');
    expect(mock.commandCalls(GetUserIdCommand).map((c) => c.args[0].input.AlternateIdentifier)).toEqual([
      { UniqueAttribute: { AttributePath: 'emails.value', AttributeValue: 'a@example.com' } },
      { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'agent' } },
    ]);
  });

  it('answers "nobody" for a missing user but fails for a missing identity store', async () => {
    mock.on(GetUserIdCommand).rejectsOnce(notFound('USER')).rejectsOnce(notFound('IDENTITY_STORE'));

    expect(await store.findUserIdByEmail('a@example.com')).toBeUndefined();
    expect((await rejection(store.findUserIdByEmail('a@example.com'))).code).toBe('NOT_FOUND');
  });

  it('creates a user with one primary work email, and reports a taken userName as ALREADY_EXISTS', async () => {
    mock.on(CreateUserCommand).resolvesOnce({ UserId: 'u-2', IdentityStoreId: 'd-1234567890' }).rejectsOnce(conflict('UNIQUENESS_CONSTRAINT_VIOLATION'));
    const user = { userName: 'agent', displayName: 'A B', givenName: 'A', familyName: 'B', email: 'a@example.com' };

    expect(await store.createUser(user)).toBe('u-2');
    expect(mock.commandCalls(CreateUserCommand)[0]?.args[0].input).toEqual({
      IdentityStoreId: 'd-1234567890',
      UserName: 'agent',
      DisplayName: 'A B',
      Name: { GivenName: 'A', FamilyName: 'B' },
      Emails: [{ Value: 'a@example.com', Type: 'work', Primary: true }],
    });
    expect((await rejection(store.createUser(user))).code).toBe('ALREADY_EXISTS');
  });

  it('treats a membership conflict as already a member only after confirming the membership', async () => {
    mock.on(CreateGroupMembershipCommand).rejects(conflict('UNIQUENESS_CONSTRAINT_VIOLATION'));
    mock.on(GetGroupMembershipIdCommand).resolvesOnce({ MembershipId: 'm-1', IdentityStoreId: 'd-1234567890' }).rejectsOnce(notFound('GROUP_MEMBERSHIP'));

    expect(await store.addMember('g-1', 'u-1')).toBe('already-member');
    const unresolved = await rejection(store.addMember('g-1', 'u-1'));
    expect([unresolved.code, unresolved.retryable]).toEqual(['CONFLICT_UNRESOLVED', true]);
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

  it('reads membership with IsMemberInGroups', async () => {
    mock.on(IsMemberInGroupsCommand).resolves({ Results: [{ GroupId: 'g-1', MembershipExists: true }] });

    expect(await store.isMember('g-1', 'u-1')).toBe(true);
    expect(mock.commandCalls(IsMemberInGroupsCommand)[0]?.args[0].input).toEqual({
      IdentityStoreId: 'd-1234567890',
      MemberId: { UserId: 'u-1' },
      GroupIds: ['g-1'],
    });
  });
});
