import {
  CreateApplicationAssignmentCommand,
  DeleteApplicationAssignmentCommand,
  ListAccountAssignmentsForPrincipalCommand,
  ListApplicationAssignmentsForPrincipalCommand,
  type SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { PermanentError, RetryableError } from '../core/errors.js';
import type { AppAssignments, AssignmentResult, PrincipalAccess } from '../core/ports/index.js';
import { isAssigned } from './assignment-check.js';
import { paginate, type TokenPage } from './paginate.js';
import { awsErrorName, call, callUnlessAbsent, classifySdkError } from './sdk-errors.js';

export const ASSIGNMENT_UNSUPPORTED_FIX =
  'Identity Center does not accept API assignments for this application: assign the agents group to the ' +
  'Amazon Connect application once in the IAM Identity Center console, then set ASSIGNMENT_MODE=none';

// What SSO Admin answers for applications whose assignments cannot be managed by API (seen for SAML applications).
const UNSUPPORTED = /not supported|unsupported|does not support/i;

export interface AssignmentTarget {
  applicationArn?: string;
  /** The Identity Center instance: needed to read a principal's other assignments (ownership rules). */
  instanceArn?: string;
}

/** A setting the call needs; missing, a permanent VALIDATION error (thrown outside any try: it is no SDK error). */
function configured(value: string | undefined, name: string): string {
  if (!value) throw new PermanentError('VALIDATION', `${name} is not configured`);
  return value;
}

/** The application-assignment port over @aws-sdk/client-sso-admin, for one application. */
export function appAssignmentsAdapter(client: SSOAdminClient, target: AssignmentTarget): AppAssignments {
  const application = () => configured(target.applicationArn, 'CONNECT_APPLICATION_ARN');

  /** How many items every page of a listing holds together, each page counted by `count`. */
  async function countAll<P extends TokenPage>(pages: AsyncIterable<P>, count: (page: P) => number): Promise<number> {
    let total = 0;
    for await (const page of pages) total += count(page);
    return total;
  }

  return {
    async assign(principalId, principalType): Promise<AssignmentResult> {
      const ApplicationArn = application();
      try {
        await client.send(new CreateApplicationAssignmentCommand({ ApplicationArn, PrincipalId: principalId, PrincipalType: principalType }));
        return 'assigned';
      } catch (error) {
        const message = error instanceof Error ? error.message : '';
        if (awsErrorName(error) === 'ValidationException' && UNSUPPORTED.test(message)) {
          throw new PermanentError('ASSIGNMENT_UNSUPPORTED', `${ASSIGNMENT_UNSUPPORTED_FIX} (${message})`, { cause: error });
        }
        // SSO Admin documents its ConflictException as a concurrent write, not as "already assigned": confirm.
        if (awsErrorName(error) !== 'ConflictException') throw classifySdkError(error, 'sso:CreateApplicationAssignment');
      }
      if (await isAssigned(client, ApplicationArn, principalId, principalType)) return 'already-assigned';
      throw new RetryableError('CONFLICT_UNRESOLVED', 'CreateApplicationAssignment reported a conflict but no assignment exists');
    },

    async unassign(principalId, principalType) {
      const ApplicationArn = application();
      await callUnlessAbsent('sso:DeleteApplicationAssignment', () =>
        client.send(new DeleteApplicationAssignmentCommand({ ApplicationArn, PrincipalId: principalId, PrincipalType: principalType })),
      );
    },

    async accessOf(userId): Promise<PrincipalAccess> {
      const principal = { InstanceArn: configured(target.instanceArn, 'SSO_INSTANCE_ARN'), PrincipalId: userId, PrincipalType: 'USER' as const };
      const [applications, accounts] = await Promise.all([
        countAll(
          paginate((token) =>
            call('sso:ListApplicationAssignmentsForPrincipal', () => client.send(new ListApplicationAssignmentsForPrincipalCommand({ ...principal, NextToken: token }))),
          ),
          (out) => (out.ApplicationAssignments ?? []).filter((a) => a.ApplicationArn !== target.applicationArn).length,
        ),
        countAll(
          paginate((token) =>
            call('sso:ListAccountAssignmentsForPrincipal', () => client.send(new ListAccountAssignmentsForPrincipalCommand({ ...principal, NextToken: token }))),
          ),
          (out) => (out.AccountAssignments ?? []).length,
        ),
      ]);
      return { otherApplications: applications, accounts };
    },
  };
}
