import {
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  DeleteGroupMembershipCommand,
  DeleteUserCommand,
  DescribeUserCommand,
  GetGroupIdCommand,
  GetGroupMembershipIdCommand,
  GetUserIdCommand,
  IsMemberInGroupsCommand,
  ListGroupMembershipsForMemberCommand,
  UpdateUserCommand,
  type AttributeOperation,
  type IdentitystoreClient,
} from '@aws-sdk/client-identitystore';
import { RetryableError } from '../core/errors.js';
import type { IdentityAttributes, IdentityStore, IdentityUser, MembershipResult, NewIdentityUser, RemovalResult } from '../core/ports/index.js';
import { paginate } from './paginate.js';
import { call, callUnlessAbsent, classifySdkError, isNotFound, isUniquenessConflict, required } from './sdk-errors.js';

/** IsMemberInGroups takes at most 100 group ids a call. */
const MAX_GROUPS_PER_CHECK = 100;

/** A user's primary email address, else its first. */
export const primaryEmail = (emails: { Value?: string; Primary?: boolean }[] = []) => (emails.find((e) => e.Primary) ?? emails[0])?.Value;

const emailsValue = (email: string) => [{ Value: email, Type: 'work', Primary: true }];

/** The UpdateUser operations for the changed attributes (the document value of each path). */
function operations(changes: Partial<IdentityAttributes>): AttributeOperation[] {
  const ops: AttributeOperation[] = [];
  if (changes.displayName !== undefined) ops.push({ AttributePath: 'displayName', AttributeValue: changes.displayName });
  if (changes.givenName !== undefined) ops.push({ AttributePath: 'name.givenName', AttributeValue: changes.givenName });
  if (changes.familyName !== undefined) ops.push({ AttributePath: 'name.familyName', AttributeValue: changes.familyName });
  if (changes.email !== undefined) ops.push({ AttributePath: 'emails', AttributeValue: emailsValue(changes.email) });
  return ops;
}

/** The Identity Store port over @aws-sdk/client-identitystore, for one identity store. */
export function identityStoreAdapter(client: IdentitystoreClient, IdentityStoreId: string): IdentityStore {
  /** A call by a unique attribute or id: not found means "nobody" (but a wrong store is an error). */
  const nobody = (error: unknown) => isNotFound(error) && (error as { ResourceType?: string }).ResourceType !== 'IDENTITY_STORE';
  const lookup = <T>(what: string, send: () => Promise<T>) => callUnlessAbsent(what, send, nobody);

  /** A GetUserId / GetGroupId input: the one user or group whose unique attribute has this value. */
  const uniquely = (AttributePath: string, AttributeValue: string) =>
    ({ IdentityStoreId, AlternateIdentifier: { UniqueAttribute: { AttributePath, AttributeValue } } });

  const findUserId = async (attributePath: 'userName' | 'emails.value', value: string) =>
    (await lookup('identitystore:GetUserId', () => client.send(new GetUserIdCommand(uniquely(attributePath, value)))))?.UserId;

  const membershipId = async (groupId: string, userId: string) => {
    const input = { IdentityStoreId, GroupId: groupId, MemberId: { UserId: userId } };
    return (await lookup('identitystore:GetGroupMembershipId', () => client.send(new GetGroupMembershipIdCommand(input))))?.MembershipId;
  };

  /** Deletes a membership by its id: one gone already was not a member. */
  async function deleteMembership(MembershipId: string): Promise<RemovalResult> {
    const gone = await lookup('identitystore:DeleteGroupMembership', async () => {
      await client.send(new DeleteGroupMembershipCommand({ IdentityStoreId, MembershipId }));
      return true;
    });
    return gone ? 'removed' : 'not-member';
  }

  return {
    findUserIdByEmail: (email) => findUserId('emails.value', email),
    findUserIdByUserName: (userName) => findUserId('userName', userName),

    async describeUser(userId): Promise<IdentityUser | undefined> {
      const out = await lookup('identitystore:DescribeUser', () => client.send(new DescribeUserCommand({ IdentityStoreId, UserId: userId })));
      if (!out) return undefined;
      return {
        id: userId,
        userName: out.UserName ?? '',
        displayName: out.DisplayName,
        givenName: out.Name?.GivenName,
        familyName: out.Name?.FamilyName,
        email: primaryEmail(out.Emails),
        createdAt: out.CreatedAt?.getTime(),
        status: out.UserStatus,
      };
    },

    async createUser(user: NewIdentityUser) {
      const Name = { GivenName: user.givenName, FamilyName: user.familyName };
      const input = { IdentityStoreId, UserName: user.userName, DisplayName: user.displayName, Name, Emails: emailsValue(user.email) };
      const out = await call('identitystore:CreateUser', () => client.send(new CreateUserCommand(input)));
      return required(out.UserId, 'identitystore:CreateUser');
    },

    async updateUser(userId, changes) {
      const ops = operations(changes);
      if (ops.length === 0) return;
      await call('identitystore:UpdateUser', () => client.send(new UpdateUserCommand({ IdentityStoreId, UserId: userId, Operations: ops })));
    },

    async deleteUser(userId) {
      await lookup('identitystore:DeleteUser', () => client.send(new DeleteUserCommand({ IdentityStoreId, UserId: userId })));
    },

    findGroupIdByName: async (displayName) =>
      (await lookup('identitystore:GetGroupId', () => client.send(new GetGroupIdCommand(uniquely('displayName', displayName)))))?.GroupId,

    async createGroup(displayName, description) {
      const input = { IdentityStoreId, DisplayName: displayName, Description: description };
      const out = await call('identitystore:CreateGroup', () => client.send(new CreateGroupCommand(input)));
      return required(out.GroupId, 'identitystore:CreateGroup');
    },

    async memberships(userId, groupIds) {
      const member = new Set<string>();
      for (let i = 0; i < groupIds.length; i += MAX_GROUPS_PER_CHECK) {
        const input = { IdentityStoreId, MemberId: { UserId: userId }, GroupIds: groupIds.slice(i, i + MAX_GROUPS_PER_CHECK) };
        const out = await call('identitystore:IsMemberInGroups', () => client.send(new IsMemberInGroupsCommand(input)));
        for (const r of out.Results ?? []) if (r.GroupId && r.MembershipExists === true) member.add(r.GroupId);
      }
      return member;
    },

    async groupIdsOf(userId) {
      const groups = new Set<string>();
      const pages = paginate((token) =>
        call('identitystore:ListGroupMembershipsForMember', () =>
          client.send(new ListGroupMembershipsForMemberCommand({ IdentityStoreId, MemberId: { UserId: userId }, MaxResults: 100, NextToken: token })),
        ),
      );
      for await (const out of pages) for (const m of out.GroupMemberships ?? []) if (m.GroupId) groups.add(m.GroupId);
      return groups;
    },

    async addMember(groupId, userId): Promise<MembershipResult> {
      try {
        await client.send(new CreateGroupMembershipCommand({ IdentityStoreId, GroupId: groupId, MemberId: { UserId: userId } }));
        return 'added';
      } catch (error) {
        if (!isUniquenessConflict(error)) throw classifySdkError(error, 'identitystore:CreateGroupMembership');
      }
      // The conflict's wording is not documented: confirm the membership exists before calling it success.
      if (await membershipId(groupId, userId)) return 'already-member';
      throw new RetryableError('CONFLICT_UNRESOLVED', 'CreateGroupMembership reported a conflict but no membership exists');
    },

    async removeMember(groupId, userId) {
      // DeleteGroupMembership takes a membership id: look it up by the (managed) group, so only a membership of
      // that group can ever be deleted.
      const id = await membershipId(groupId, userId);
      return id === undefined ? 'not-member' : deleteMembership(id);
    },

    removeMembership: (_groupId, _userId, membershipId) => deleteMembership(membershipId),
  };
}
