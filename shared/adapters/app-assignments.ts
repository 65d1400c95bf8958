import { CreateApplicationAssignmentCommand, type SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { PermanentError } from '../core/errors.js';
import type { AppAssignments, AssignmentResult } from '../core/ports.js';
import { awsErrorName, classifySdkError, isUniquenessConflict } from './sdk-errors.js';

export const ASSIGNMENT_UNSUPPORTED_FIX =
  'Identity Center does not accept API assignments for this application: assign the agents group to the ' +
  'Amazon Connect application once in the IAM Identity Center console, then set ASSIGNMENT_MODE=none';

// What SSO Admin answers for applications whose assignments cannot be managed by API (seen for SAML applications).
const UNSUPPORTED = /not supported|unsupported|does not support/i;

/** The application-assignment port over @aws-sdk/client-sso-admin, for one application. */
export function appAssignmentsAdapter(client: SSOAdminClient, applicationArn: string): AppAssignments {
  return {
    async assign(principalId, principalType): Promise<AssignmentResult> {
      try {
        await client.send(
          new CreateApplicationAssignmentCommand({
            ApplicationArn: applicationArn,
            PrincipalId: principalId,
            PrincipalType: principalType,
          }),
        );
        return 'assigned';
      } catch (error) {
        if (isUniquenessConflict(error)) return 'already-assigned';
        const message = error instanceof Error ? error.message : '';
        if (awsErrorName(error) === 'ValidationException' && UNSUPPORTED.test(message)) {
          throw new PermanentError('ASSIGNMENT_UNSUPPORTED', `${ASSIGNMENT_UNSUPPORTED_FIX} (${message})`, { cause: error });
        }
        throw classifySdkError(error, 'sso:CreateApplicationAssignment');
      }
    },
  };
}
