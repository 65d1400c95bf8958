import { DescribeApplicationAssignmentCommand, type SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { AssignmentCheck } from '../core/ports/index.js';
import { classifySdkError, isNotFound } from './sdk-errors.js';

/** Whether a principal is assigned to the application: one DescribeApplicationAssignment (not found: false). */
export function assignmentCheckAdapter(client: SSOAdminClient, applicationArn: string): AssignmentCheck {
  return {
    async isAssigned(principalId, principalType) {
      try {
        await client.send(new DescribeApplicationAssignmentCommand({ ApplicationArn: applicationArn, PrincipalId: principalId, PrincipalType: principalType }));
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw classifySdkError(error, 'sso:DescribeApplicationAssignment');
      }
    },
  };
}
