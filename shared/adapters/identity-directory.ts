import { DescribeUserCommand, ListGroupMembershipsCommand, type IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { ListApplicationAssignmentsCommand, type SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { AssignmentReader, IdentityDirectory, IdentityUserView } from '../core/operator-ports.js';
import { awsErrorName, call, classifySdkError } from './sdk-errors.js';

/** Reads of the Identity Store that drift detection needs (group members, users by id). */
export function identityDirectoryAdapter(client: IdentitystoreClient, identityStoreId: string): IdentityDirectory {
  return {
    async *groupMemberPages(groupId) {
      let token: string | undefined;
      do {
        const out = await call('identitystore:ListGroupMemberships', () =>
          client.send(new ListGroupMembershipsCommand({ IdentityStoreId: identityStoreId, GroupId: groupId, MaxResults: 100, NextToken: token })),
        );
        yield (out.GroupMemberships ?? []).flatMap((m) => {
          const member = m.MemberId;
          return member && 'UserId' in member && member.UserId ? [member.UserId] : [];
        });
        token = out.NextToken || undefined;
      } while (token);
    },

    async describeUser(userId): Promise<IdentityUserView | undefined> {
      try {
        const out = await client.send(new DescribeUserCommand({ IdentityStoreId: identityStoreId, UserId: userId }));
        const emails = (out.Emails ?? []).flatMap((e) => (e.Value ? [e.Value] : []));
        return { id: userId, userName: out.UserName, emails };
      } catch (error) {
        if (awsErrorName(error) === 'ResourceNotFoundException') return undefined;
        throw classifySdkError(error, 'identitystore:DescribeUser');
      }
    },
  };
}

/** Every principal assigned to the application (ListApplicationAssignments, all pages), as `TYPE:id` keys. */
export function assignmentReaderAdapter(client: SSOAdminClient, applicationArn: string): AssignmentReader {
  return {
    async assignedPrincipals() {
      const keys = new Set<string>();
      let token: string | undefined;
      do {
        const out = await call('sso:ListApplicationAssignments', () =>
          client.send(new ListApplicationAssignmentsCommand({ ApplicationArn: applicationArn, NextToken: token })),
        );
        for (const a of out.ApplicationAssignments ?? []) {
          if (a.PrincipalId && a.PrincipalType) keys.add(`${a.PrincipalType}:${a.PrincipalId}`);
        }
        token = out.NextToken || undefined;
      } while (token);
      return keys;
    },
  };
}
