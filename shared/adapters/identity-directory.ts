import { ListGroupMembershipsCommand, ListUsersCommand, type IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { ListApplicationAssignmentsCommand, type SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { AssignmentReader, GroupMembers, IdentityLister, IdentityRow } from '../core/ports/index.js';
import { primaryEmail } from './identity-store.js';
import { paginate } from './paginate.js';
import { call } from './sdk-errors.js';

/** The members of a group, ListGroupMemberships 100 a page (the API's maximum). */
export function groupMembersAdapter(client: IdentitystoreClient, identityStoreId: string): GroupMembers {
  const membershipIds = async (groupId: string) => {
    const ids = new Map<string, string>();
    const pages = paginate((token) =>
      call('identitystore:ListGroupMemberships', () =>
        client.send(new ListGroupMembershipsCommand({ IdentityStoreId: identityStoreId, GroupId: groupId, MaxResults: 100, NextToken: token })),
      ),
    );
    for await (const out of pages) {
      for (const m of out.GroupMemberships ?? []) {
        const member = m.MemberId;
        // A member without a MembershipId is still a member: '' (never deleted by id; its removal looks it up).
        if (member && 'UserId' in member && member.UserId) ids.set(member.UserId, m.MembershipId ?? '');
      }
    }
    return ids;
  };
  return {
    memberIds: async (groupId) => new Set((await membershipIds(groupId)).keys()),
    membershipIds,
  };
}

/** Every user of the store, ListUsers 100 a page (the API's maximum), reduced to what sign-in needs. */
export function identityListerAdapter(client: IdentitystoreClient, identityStoreId: string): IdentityLister {
  return {
    async *pages() {
      const pages = paginate((token) =>
        call('identitystore:ListUsers', () => client.send(new ListUsersCommand({ IdentityStoreId: identityStoreId, MaxResults: 100, NextToken: token }))),
      );
      for await (const out of pages) {
        yield (out.Users ?? []).flatMap((u): IdentityRow[] =>
          u.UserId ? [{ id: u.UserId, userName: u.UserName ?? '', email: primaryEmail(u.Emails), status: u.UserStatus }] : [],
        );
      }
    },
  };
}

/** Every principal assigned to the application (ListApplicationAssignments, all pages), as `TYPE:id` keys. */
export function assignmentReaderAdapter(client: SSOAdminClient, applicationArn: string): AssignmentReader {
  return {
    async assignedPrincipals() {
      const keys = new Set<string>();
      const pages = paginate((token) =>
        call('sso:ListApplicationAssignments', () => client.send(new ListApplicationAssignmentsCommand({ ApplicationArn: applicationArn, NextToken: token }))),
      );
      for await (const out of pages) {
        for (const a of out.ApplicationAssignments ?? []) if (a.PrincipalId && a.PrincipalType) keys.add(`${a.PrincipalType}:${a.PrincipalId}`);
      }
      return keys;
    },
  };
}
