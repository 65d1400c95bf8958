import {
  ConflictException,
  CreateApplicationAssignmentCommand,
  DeleteApplicationAssignmentCommand,
  DescribeApplicationAssignmentCommand,
  ListAccountAssignmentsForPrincipalCommand,
  ListApplicationAssignmentsForPrincipalCommand,
  ResourceNotFoundException,
  SSOAdminClient,
  ValidationException,
} from '@aws-sdk/client-sso-admin';
import { mockClient } from 'aws-sdk-client-mock';
import { appAssignmentsAdapter } from '../../../shared/adapters/app-assignments.js';
import { rejection } from '../../support/core.js';

const meta = { $metadata: {} };
const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const APP = 'arn:aws:sso::123456789012:application/ssoins-1234567890abcdef/apl-1234567890abcdef';
const OTHER_APP = 'arn:aws:sso::123456789012:application/ssoins-1234567890abcdef/apl-fedcba0987654321';

const mock = mockClient(SSOAdminClient);
const client = new SSOAdminClient({ region: 'us-east-1', maxAttempts: 1 });
const assignments = appAssignmentsAdapter(client, { applicationArn: APP, instanceArn: INSTANCE });

beforeEach(() => mock.reset());

describe('application assignments adapter: assign', () => {
  it('assigns a principal to the configured application', async () => {
    mock.on(CreateApplicationAssignmentCommand).resolves({});

    expect(await assignments.assign('g-1', 'GROUP')).toBe('assigned');
    expect(mock.commandCalls(CreateApplicationAssignmentCommand)[0]?.args[0].input).toEqual({
      ApplicationArn: APP,
      PrincipalId: 'g-1',
      PrincipalType: 'GROUP',
    });
  });

  it('confirms a conflict with DescribeApplicationAssignment: an existing assignment is already-assigned', async () => {
    mock.on(CreateApplicationAssignmentCommand).rejects(new ConflictException({ message: 'conflict', ...meta }));
    mock.on(DescribeApplicationAssignmentCommand).resolves({ ApplicationArn: APP, PrincipalId: 'u-1', PrincipalType: 'USER' });

    expect(await assignments.assign('u-1', 'USER')).toBe('already-assigned');
    expect(mock.commandCalls(DescribeApplicationAssignmentCommand)[0]?.args[0].input).toEqual({
      ApplicationArn: APP,
      PrincipalId: 'u-1',
      PrincipalType: 'USER',
    });
  });

  it('retries (CONFLICT_UNRESOLVED) a conflict when no assignment exists', async () => {
    mock.on(CreateApplicationAssignmentCommand).rejects(new ConflictException({ message: 'concurrent write', ...meta }));
    mock.on(DescribeApplicationAssignmentCommand).rejects(new ResourceNotFoundException({ message: 'none', ...meta }));

    const error = await rejection(assignments.assign('g-1', 'GROUP'));

    expect([error.code, error.retryable]).toEqual(['CONFLICT_UNRESOLVED', true]);
  });

  it('fails with ASSIGNMENT_UNSUPPORTED, telling the administrator the fix, for applications without API assignments', async () => {
    mock.on(CreateApplicationAssignmentCommand).rejects(new ValidationException({ message: 'The operation is not supported for this application', ...meta }));

    const error = await rejection(assignments.assign('g-1', 'GROUP'));

    expect([error.code, error.retryable]).toEqual(['ASSIGNMENT_UNSUPPORTED', false]);
    expect(error.message).toMatch(/in the IAM Identity Center console, then set ASSIGNMENT_MODE=none/);
  });

  it('keeps other validation errors as VALIDATION', async () => {
    mock.on(CreateApplicationAssignmentCommand).rejects(new ValidationException({ message: 'PrincipalId is malformed', ...meta }));

    expect((await rejection(assignments.assign('g-1', 'GROUP'))).code).toBe('VALIDATION');
  });

  it('fails with VALIDATION naming the setting when no application is configured', async () => {
    const unconfigured = appAssignmentsAdapter(client, {});

    const assigning = await rejection(unconfigured.assign('g-1', 'GROUP'));
    const unassigning = await rejection(unconfigured.unassign('u-1', 'USER'));

    expect([assigning.code, assigning.retryable]).toEqual(['VALIDATION', false]);
    expect(assigning.message).toContain('CONNECT_APPLICATION_ARN');
    expect(unassigning.code).toBe('VALIDATION');
    expect(mock.calls()).toHaveLength(0);
  });
});

describe('application assignments adapter: unassign', () => {
  it('deletes the assignment, and takes one already gone as success', async () => {
    mock.on(DeleteApplicationAssignmentCommand).resolvesOnce({}).rejectsOnce(new ResourceNotFoundException({ message: 'none', ...meta }));

    await assignments.unassign('u-1', 'USER');
    await assignments.unassign('u-1', 'USER');

    expect(mock.commandCalls(DeleteApplicationAssignmentCommand).map((c) => c.args[0].input)).toEqual([
      { ApplicationArn: APP, PrincipalId: 'u-1', PrincipalType: 'USER' },
      { ApplicationArn: APP, PrincipalId: 'u-1', PrincipalType: 'USER' },
    ]);
  });

  it('reports other failures classified', async () => {
    mock.on(DeleteApplicationAssignmentCommand).rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException', $fault: 'client', ...meta }));

    expect((await rejection(assignments.unassign('u-1', 'USER'))).code).toBe('ACCESS_DENIED');
  });
});

describe('application assignments adapter: accessOf', () => {
  it('counts the other applications (not ours) and the account assignments, across pages', async () => {
    const app = (arn: string) => ({ ApplicationArn: arn, PrincipalId: 'u-1', PrincipalType: 'USER' as const });
    mock
      .on(ListApplicationAssignmentsForPrincipalCommand)
      .resolvesOnce({ ApplicationAssignments: [app(APP), app(OTHER_APP)], NextToken: 'apps-2' })
      .resolvesOnce({ ApplicationAssignments: [app(`${OTHER_APP}x`)] });
    const account = { AccountId: '123456789012', PermissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1' };
    mock
      .on(ListAccountAssignmentsForPrincipalCommand)
      .resolvesOnce({ AccountAssignments: [account], NextToken: 'accounts-2' })
      .resolvesOnce({ AccountAssignments: [account, account], NextToken: '' });

    const access = await assignments.accessOf('u-1');

    expect(access).toEqual({ otherApplications: 2, accounts: 3 });
    expect(mock.commandCalls(ListApplicationAssignmentsForPrincipalCommand).map((c) => c.args[0].input)).toEqual([
      { InstanceArn: INSTANCE, PrincipalId: 'u-1', PrincipalType: 'USER', NextToken: undefined },
      { InstanceArn: INSTANCE, PrincipalId: 'u-1', PrincipalType: 'USER', NextToken: 'apps-2' },
    ]);
    expect(mock.commandCalls(ListAccountAssignmentsForPrincipalCommand)[1]?.args[0].input.NextToken).toBe('accounts-2');
  });

  it('answers no access for a user with none', async () => {
    mock.on(ListApplicationAssignmentsForPrincipalCommand).resolves({ ApplicationAssignments: [] });
    mock.on(ListAccountAssignmentsForPrincipalCommand).resolves({});

    expect(await assignments.accessOf('u-1')).toEqual({ otherApplications: 0, accounts: 0 });
  });

  it('fails with VALIDATION naming SSO_INSTANCE_ARN when the instance is not configured', async () => {
    const unconfigured = appAssignmentsAdapter(client, { applicationArn: APP });

    const error = await rejection(unconfigured.accessOf('u-1'));

    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain('SSO_INSTANCE_ARN');
  });
});
