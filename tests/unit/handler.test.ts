import { ConnectClient, DescribeUserCommand, ResourceNotFoundException, SearchUsersCommand } from '@aws-sdk/client-connect';
import {
  CreateGroupMembershipCommand,
  CreateUserCommand,
  GetGroupIdCommand,
  GetUserIdCommand,
  IdentitystoreClient,
  ResourceNotFoundException as IdentityNotFound,
} from '@aws-sdk/client-identitystore';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateApplicationAssignmentCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createUserEvent, SAMPLE_INSTANCE_ID, sampleEvent, sqsEvent } from '../support/events.js';

const DLQ_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/connect-sso-sync-dev-sync-dlq';
const ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  IDENTITY_STORE_ID: 'd-1234567890',
  CONNECT_INSTANCE_ID: SAMPLE_INSTANCE_ID,
  DLQ_URL,
  SSO_INSTANCE_ARN: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
  CONNECT_APPLICATION_ARN: 'arn:aws:sso::123456789012:application/ssoins-1234567890abcdef/apl-1234567890abcdef',
  CONNECT_REQUESTS_PER_SECOND: '100',
  POWERTOOLS_METRICS_DISABLED: 'true',
};

const connect = mockClient(ConnectClient);
const identity = mockClient(IdentitystoreClient);
const sqs = mockClient(SQSClient);
const sso = mockClient(SSOAdminClient);
const meta = { $metadata: {} };
const context = { functionName: 'syncUser', awsRequestId: 'req-1' } as unknown as Context;

type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** Loads the handler module with `env`, as a cold start does. */
function loadHandler(env: Record<string, string | undefined>, isolated: boolean): Handler {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    // A cold start is a module load: require() is the only way to do it twice in one test file.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const load = () => (require('../../functions/sync-user/handler') as { handler: Handler }).handler;
    if (!isolated) return load();
    let handler: Handler | undefined;
    jest.isolateModules(() => {
      handler = load();
    });
    if (!handler) throw new Error('handler not loaded');
    return handler;
  } finally {
    process.env = saved;
  }
}

// One container for the file, as in Lambda: the SDK mocks above patch the same client classes the handler uses.
// Its group id and group assignment are cached after the first test, as they are after a cold start.
const handler = loadHandler(ENV, false);

/** Runs the handler and returns its answer with every line it logged (info to stdout, warnings and errors to stderr). */
async function run(event: SQSEvent, invocation: Context = context) {
  const lines: string[] = [];
  const capture = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  const spies = [jest.spyOn(process.stdout, 'write').mockImplementation(capture), jest.spyOn(process.stderr, 'write').mockImplementation(capture)];
  try {
    return { response: await handler(event, invocation), logs: lines.join('') };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

const MARIA = { Id: '0f1e2d3c-4b5a-4697-8877-665544332211', Username: 'maria.garcia@example.com', IdentityInfo: { FirstName: 'Maria', LastName: 'Garcia', Email: 'maria.garcia@example.com' } };

beforeEach(() => {
  for (const mock of [connect, identity, sqs, sso]) mock.reset();
  connect.on(DescribeUserCommand).rejects(new ResourceNotFoundException({ message: 'no user', ...meta }));
  connect.on(DescribeUserCommand, { UserId: MARIA.Id }).resolves({ User: MARIA });
  connect.on(SearchUsersCommand).resolves({ Users: [] });
  identity.on(GetUserIdCommand).rejects(new IdentityNotFound({ message: 'none', ResourceType: 'USER', ...meta }));
  identity.on(GetGroupIdCommand).resolves({ GroupId: 'g-agents', IdentityStoreId: 'd-1234567890' });
  identity.on(CreateUserCommand).resolves({ UserId: 'u-new', IdentityStoreId: 'd-1234567890' });
  identity.on(CreateGroupMembershipCommand).resolves({ MembershipId: 'm-1', IdentityStoreId: 'd-1234567890' });
  sso.on(CreateApplicationAssignmentCommand).resolves({});
  sqs.on(SendMessageCommand).resolves({ MessageId: 'dlq-1' });
});

describe('syncUser handler', () => {
  it('syncs the sample event of events/sqs/create-user.json and logs the outcome with ids', async () => {
    const event = JSON.parse(readFileSync(join(__dirname, '..', '..', 'events', 'sqs', 'create-user.json'), 'utf8'));

    const { response, logs } = await run(event);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(identity.commandCalls(CreateUserCommand)).toHaveLength(1);
    expect(identity.commandCalls(CreateGroupMembershipCommand)[0]?.args[0].input).toMatchObject({ GroupId: 'g-agents', MemberId: { UserId: 'u-new' } });
    expect(sso.commandCalls(CreateApplicationAssignmentCommand)[0]?.args[0].input).toMatchObject({ PrincipalId: 'g-agents', PrincipalType: 'GROUP' });
    const line = JSON.parse(logs.split('\n').find((l) => l.includes('user synced')) ?? '{}');
    expect(line).toMatchObject({ connectUserId: MARIA.Id, identityUserId: 'u-new', outcome: 'created', membership: 'added' });
  });

  it('handles a mixed batch record by record: synced, ignored, dead-lettered and retried', async () => {
    connect.on(DescribeUserCommand, { UserId: 'c-noemail' }).resolves({ User: { Id: 'c-noemail', Username: 'agent_7', IdentityInfo: { FirstName: 'Jo' } } });
    connect.on(DescribeUserCommand, { UserId: 'c-throttled' }).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client', $metadata: {} }));
    const event = sqsEvent(
      sampleEvent('create-user'),
      sampleEvent('create-user-other-instance'),
      'this is not json',
      createUserEvent('c-noemail', 'agent_7'),
      createUserEvent('c-throttled', 'agent_8'),
      createUserEvent('c-gone', 'agent_9'),
    );

    const { response } = await run(event);

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-4' }]);
    const parked = sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
    expect(parked.map((p) => [p.QueueUrl, p.MessageAttributes?.errorCode?.StringValue])).toEqual([
      [DLQ_URL, 'MALFORMED_EVENT'],
      [DLQ_URL, 'NO_EMAIL'],
      [DLQ_URL, 'CONNECT_USER_NOT_FOUND'],
    ]);
    expect(parked[0]?.MessageBody).toBe('this is not json');
    expect(JSON.parse(parked[1]?.MessageBody ?? '{}')).toEqual(createUserEvent('c-noemail', 'agent_7'));
  });

  it('hands a record back to the queue when the dead-letter queue cannot take it', async () => {
    sqs.on(SendMessageCommand).rejects(Object.assign(new Error('down'), { name: 'InternalError', $fault: 'server', $metadata: {} }));

    const { response } = await run(sqsEvent('not json', sampleEvent('create-user')));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-0' }]);
    expect(identity.commandCalls(CreateUserCommand)).toHaveLength(1);
  });

  it('answers every record when the whole batch fails, rather than throwing', async () => {
    connect.on(DescribeUserCommand).rejects(Object.assign(new Error('oops'), { name: 'InternalServiceException', $fault: 'server', $metadata: {} }));

    const { response } = await run(sqsEvent(sampleEvent('create-user'), createUserEvent('c-2', 'b@example.com')));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-0' }, { itemIdentifier: 'msg-1' }]);
  });

  it('writes no email address or name to the logs, whatever the outcome', async () => {
    identity.on(CreateUserCommand).rejects(Object.assign(new Error("Value 'maria.garcia@example.com' at 'userName' failed"), { name: 'ValidationException', $fault: 'client', $metadata: {} }));
    const event = sqsEvent(sampleEvent('create-user'), sampleEvent('create-user-encoded-arn-no-response'), createUserEvent('c-x', 'li.wei@example.com'));

    const { logs } = await run(event);

    expect(logs).toContain('"errorCode":"VALIDATION"');
    expect(logs).toContain('"errorCode":"CONNECT_USER_NOT_FOUND"');
    for (const personal of ['maria.garcia', 'li.wei', 'Maria', 'Garcia', '@example.com']) {
      expect(logs).not.toContain(personal);
    }
  });

  it('answers just before the timeout with finished records acknowledged and unfinished ones to retry', async () => {
    connect.on(DescribeUserCommand, { UserId: 'c-slow' }).callsFake(() => new Promise(() => undefined));
    const shortLived = { ...context, getRemainingTimeInMillis: () => 1300 } as Context;

    const { response, logs } = await run(sqsEvent(sampleEvent('create-user'), createUserEvent('c-slow', 'slow@example.com')), shortLived);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-1' }] });
    expect(logs).toContain('"unfinished":1');
  });

  it('fails at cold start with a message naming the missing variable', () => {
    expect(() => loadHandler({ ...ENV, IDENTITY_STORE_ID: '' }, true)).toThrow(/IDENTITY_STORE_ID/);
  });
});
