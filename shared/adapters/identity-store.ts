import {
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  GetGroupIdCommand,
  GetGroupMembershipIdCommand,
  GetUserIdCommand,
  IsMemberInGroupsCommand,
  type IdentitystoreClient,
} from '@aws-sdk/client-identitystore';
import { RetryableError } from '../core/errors.js';
import type { IdentityStore, MembershipResult, NewIdentityUser } from '../core/ports.js';
import { awsErrorName, call, classifySdkError, isUniquenessConflict, required } from './sdk-errors.js';

/** The Identity Store port over @aws-sdk/client-identitystore, for one identity store. */
export function identityStoreAdapter(client: IdentitystoreClient, identityStoreId: string): IdentityStore {
  /** A lookup by a unique attribute: ResourceNotFoundException means "nobody", anything else is an error. */
  async function lookup<T>(what: string, send: () => Promise<T>): Promise<T | undefined> {
    try {
      return await send();
    } catch (error) {
      if (awsErrorName(error) === 'ResourceNotFoundException' && resourceType(error) !== 'IDENTITY_STORE') {
        return undefined;
      }
      throw classifySdkError(error, what);
    }
  }

  const findUserId = async (attributePath: 'userName' | 'emails.value', value: string) =>
    (
      await lookup('identitystore:GetUserId', () =>
        client.send(
          new GetUserIdCommand({
            IdentityStoreId: identityStoreId,
            AlternateIdentifier: { UniqueAttribute: { AttributePath: attributePath, AttributeValue: value } },
          }),
        ),
      )
    )?.UserId;

  return {
    findUserIdByEmail: (email) => findUserId('emails.value', email),
    findUserIdByUserName: (userName) => findUserId('userName', userName),

    async createUser(user: NewIdentityUser) {
      const out = await call('identitystore:CreateUser', () =>
        client.send(
          new CreateUserCommand({
            IdentityStoreId: identityStoreId,
            UserName: user.userName,
            DisplayName: user.displayName,
            Name: { GivenName: user.givenName, FamilyName: user.familyName },
            Emails: [{ Value: user.email, Type: 'work', Primary: true }],
          }),
        ),
      );
      return required(out.UserId, 'identitystore:CreateUser');
    },

    async findGroupIdByName(displayName) {
      const out = await lookup('identitystore:GetGroupId', () =>
        client.send(
          new GetGroupIdCommand({
            IdentityStoreId: identityStoreId,
            AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: displayName } },
          }),
        ),
      );
      return out?.GroupId;
    },

    async createGroup(displayName) {
      const out = await call('identitystore:CreateGroup', () =>
        client.send(
          new CreateGroupCommand({
            IdentityStoreId: identityStoreId,
            DisplayName: displayName,
            Description: 'Amazon Connect agents (managed by connect-sso-sync)',
          }),
        ),
      );
      return required(out.GroupId, 'identitystore:CreateGroup');
    },

    async isMember(groupId, userId) {
      const out = await call('identitystore:IsMemberInGroups', () =>
        client.send(
          new IsMemberInGroupsCommand({ IdentityStoreId: identityStoreId, MemberId: { UserId: userId }, GroupIds: [groupId] }),
        ),
      );
      return out.Results?.some((r) => r.GroupId === groupId && r.MembershipExists === true) ?? false;
    },

    async addMember(groupId, userId): Promise<MembershipResult> {
      try {
        await client.send(
          new CreateGroupMembershipCommand({ IdentityStoreId: identityStoreId, GroupId: groupId, MemberId: { UserId: userId } }),
        );
        return 'added';
      } catch (error) {
        if (!isUniquenessConflict(error)) throw classifySdkError(error, 'identitystore:CreateGroupMembership');
      }
      // The conflict's wording is not documented: confirm the membership exists before calling it success.
      const existing = await lookup('identitystore:GetGroupMembershipId', () =>
        client.send(
          new GetGroupMembershipIdCommand({ IdentityStoreId: identityStoreId, GroupId: groupId, MemberId: { UserId: userId } }),
        ),
      );
      if (existing?.MembershipId) return 'already-member';
      throw new RetryableError('CONFLICT_UNRESOLVED', 'CreateGroupMembership reported a conflict but no membership exists');
    },
  };
}

function resourceType(error: unknown): string | undefined {
  return (error as { ResourceType?: string }).ResourceType;
}
