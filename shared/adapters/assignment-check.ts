import { DescribeApplicationAssignmentCommand, type SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { AssignmentCheck, PrincipalType } from '../core/ports/index.js';
import { callUnlessAbsent } from './sdk-errors.js';

/** Whether a principal is assigned to the application: one DescribeApplicationAssignment (not found: false). */
export async function isAssigned(client: SSOAdminClient, applicationArn: string, principalId: string, principalType: PrincipalType): Promise<boolean> {
  const found = await callUnlessAbsent('sso:DescribeApplicationAssignment', async () => {
    await client.send(new DescribeApplicationAssignmentCommand({ ApplicationArn: applicationArn, PrincipalId: principalId, PrincipalType: principalType }));
    return true;
  });
  return found === true;
}

/** The assignment check port over `isAssigned`. */
export function assignmentCheckAdapter(client: SSOAdminClient, applicationArn: string): AssignmentCheck {
  return { isAssigned: (principalId, principalType) => isAssigned(client, applicationArn, principalId, principalType) };
}
