import { DescribeApplicationAssignmentCommand, type SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { AssignmentCheck } from '../core/ports/index.js';
import { callUnlessAbsent } from './sdk-errors.js';

/** Whether a principal is assigned to the application: one DescribeApplicationAssignment (not found: false). */
export function assignmentCheckAdapter(client: SSOAdminClient, applicationArn: string): AssignmentCheck {
  return {
    async isAssigned(principalId, principalType) {
      const found = await callUnlessAbsent('sso:DescribeApplicationAssignment', async () => {
        await client.send(new DescribeApplicationAssignmentCommand({ ApplicationArn: applicationArn, PrincipalId: principalId, PrincipalType: principalType }));
        return true;
      });
      return found === true;
    },
  };
}
