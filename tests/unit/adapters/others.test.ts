import { ConnectClient, DescribeUserCommand, ResourceNotFoundException, SearchUsersCommand } from '@aws-sdk/client-connect';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  ConflictException,
  CreateApplicationAssignmentCommand,
  SSOAdminClient,
  ValidationException,
} from '@aws-sdk/client-sso-admin';
import { mockClient } from 'aws-sdk-client-mock';
import { appAssignmentsAdapter } from '../../../shared/adapters/app-assignments.js';
import { connectDirectoryAdapter } from '../../../shared/adapters/connect-directory.js';
import { deadLettersAdapter } from '../../../shared/adapters/dead-letters.js';
import { SyncError } from '../../../shared/core/errors.js';

const meta = { $metadata: {} };
const APP = 'arn:aws:sso::123456789012:application/ssoins-1234567890abcdef/apl-1234567890abcdef';

async function rejection(promise: Promise<unknown>): Promise<SyncError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof SyncError)) throw new Error(`expected a SyncError, got ${String(error)}`);
  return error;
}

describe('connect directory adapter', () => {
  const mock = mockClient(ConnectClient);
  let paced = 0;
  const connect = connectDirectoryAdapter(new ConnectClient({ region: 'us-east-1', maxAttempts: 1 }), async () => {
    paced += 1;
  });
  beforeEach(() => {
    mock.reset();
    paced = 0;
  });

  it('maps DescribeUser to a ConnectUser, pacing the call', async () => {
    mock.on(DescribeUserCommand).resolves({
      User: { Id: 'c-1', Username: 'agent', IdentityInfo: { FirstName: 'A', LastName: 'B', Email: 'a@example.com', SecondaryEmail: 's@example.com' } },
    });

    expect(await connect.describeUser('i-1', 'c-1')).toEqual({
      id: 'c-1',
      username: 'agent',
      firstName: 'A',
      lastName: 'B',
      email: 'a@example.com',
      secondaryEmail: 's@example.com',
    });
    expect(paced).toBe(1);
  });

  it('answers undefined for a user that does not exist', async () => {
    mock.on(DescribeUserCommand).rejects(new ResourceNotFoundException({ message: 'gone', ...meta }));

    expect(await connect.describeUser('i-1', 'c-1')).toBeUndefined();
  });

  it('finds a user id by exact Username with SearchUsers', async () => {
    mock.on(SearchUsersCommand).resolves({ Users: [{ Id: 'c-7', Username: 'Agent@Example.com' }] });

    expect(await connect.findUserIdByUsername('i-1', 'agent@example.com')).toBe('c-7');
    expect(mock.commandCalls(SearchUsersCommand)[0]?.args[0].input.SearchCriteria).toEqual({
      StringCondition: { FieldName: 'Username', Value: 'agent@example.com', ComparisonType: 'EXACT' },
    });
  });

  it('classifies a 429 as retryable throttling', async () => {
    mock.on(DescribeUserCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client' }));

    const error = await rejection(connect.describeUser('i-1', 'c-1'));
    expect([error.code, error.retryable]).toEqual(['THROTTLED', true]);
  });
});

describe('application assignments adapter', () => {
  const mock = mockClient(SSOAdminClient);
  const assignments = appAssignmentsAdapter(new SSOAdminClient({ region: 'us-east-1', maxAttempts: 1 }), APP);
  beforeEach(() => mock.reset());

  it('assigns, and treats an existing assignment as success', async () => {
    mock.on(CreateApplicationAssignmentCommand).resolvesOnce({}).rejectsOnce(new ConflictException({ message: 'exists', ...meta }));

    expect(await assignments.assign('g-1', 'GROUP')).toBe('assigned');
    expect(await assignments.assign('g-1', 'GROUP')).toBe('already-assigned');
    expect(mock.commandCalls(CreateApplicationAssignmentCommand)[0]?.args[0].input).toEqual({
      ApplicationArn: APP,
      PrincipalId: 'g-1',
      PrincipalType: 'GROUP',
    });
  });

  it('fails with ASSIGNMENT_UNSUPPORTED, telling the administrator the fix, for applications without API assignments', async () => {
    mock.on(CreateApplicationAssignmentCommand).rejects(new ValidationException({ message: 'The operation is not supported for this application', ...meta }));

    const error = await rejection(assignments.assign('g-1', 'GROUP'));
    expect(error.code).toBe('ASSIGNMENT_UNSUPPORTED');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/assign the agents group .* in the IAM Identity Center console, then set ASSIGNMENT_MODE=none/);
  });

  it('keeps other validation errors as VALIDATION', async () => {
    mock.on(CreateApplicationAssignmentCommand).rejects(new ValidationException({ message: 'PrincipalId is malformed', ...meta }));

    expect((await rejection(assignments.assign('g-1', 'GROUP'))).code).toBe('VALIDATION');
  });
});

describe('dead letters adapter', () => {
  const mock = mockClient(SQSClient);
  const deadLetters = deadLettersAdapter(new SQSClient({ region: 'us-east-1', maxAttempts: 1 }), 'https://sqs.us-east-1.amazonaws.com/123456789012/dlq');
  beforeEach(() => mock.reset());

  it('sends the original body with errorCode and errorMessage as String attributes', async () => {
    mock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });

    await deadLetters.send('{"original":true}', { code: 'NO_EMAIL', message: 'no email' });

    expect(mock.commandCalls(SendMessageCommand)[0]?.args[0].input).toEqual({
      QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/dlq',
      MessageBody: '{"original":true}',
      MessageAttributes: {
        errorCode: { DataType: 'String', StringValue: 'NO_EMAIL' },
        errorMessage: { DataType: 'String', StringValue: 'no email' },
      },
    });
  });

  it('reports a failed send as a retryable error', async () => {
    mock.on(SendMessageCommand).rejects(Object.assign(new Error('boom'), { name: 'InternalError', $fault: 'server' }));

    const error = await rejection(deadLetters.send('{}', { code: 'NO_EMAIL', message: 'x' }));
    expect([error.code, error.retryable]).toEqual(['SERVICE_ERROR', true]);
  });
});
