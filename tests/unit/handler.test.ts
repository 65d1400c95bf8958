import { DescribeUserCommand, SearchUsersCommand } from '@aws-sdk/client-connect';
import { CreateUserCommand, GetUserIdCommand } from '@aws-sdk/client-identitystore';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as Timers from 'node:timers';
import { currentAbortSignal } from '../../shared/adapters/abort.js';
import { createUserEvent, eventWith, SAMPLE_INSTANCE_ID, sampleEvent, sqsEvent } from '../support/events.js';
import { addConnectUser, AGENTS, links, mocks, resetAws, state } from './mocked-aws.js';

const DLQ_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/connect-sso-sync-dev-sync-dlq';
const ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  IDENTITY_STORE_ID: 'd-1234567890',
  CONNECT_INSTANCE_ID: SAMPLE_INSTANCE_ID,
  LINKS_TABLE: 'connect-sso-sync-dev-links',
  DLQ_URL,
  MAX_RECEIVE_COUNT: '5',
  SSO_INSTANCE_ARN: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
  CONNECT_APPLICATION_ARN: 'arn:aws:sso::123456789012:application/ssoins-1234567890abcdef/apl-1234567890abcdef',
  CONNECT_REQUESTS_PER_SECOND: '100',
  POWERTOOLS_METRICS_DISABLED: 'true',
};
/**
 * middy arms its early answer with node:timers' setTimeout: here that timer fires when the test says (`expire()`),
 * once the work it means to cut short is where the test wants it, never because the machine was slow or fast.
 */
const armed: (() => void)[] = [];
jest.mock('node:timers', () => {
  const actual = jest.requireActual<typeof Timers>('node:timers');
  return {
    ...actual,
    setTimeout: (callback: () => void) => {
      armed.push(callback);
      return actual.setTimeout(() => undefined, 2 ** 31 - 1).unref();
    },
  };
});
/** Lambda's clock reaches the answer margin of the invocation now running. */
function expire() {
  const callback = armed.shift();
  if (!callback) throw new Error('no invocation is waiting for its timeout');
  callback();
}
/** Resolves once `done()` holds: waits for counted work, not for time. */
async function until(done: () => boolean) {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
}

const context = { functionName: 'syncUser', awsRequestId: 'req-1' } as unknown as Context;
/** A context whose invocation has a deadline (middy arms its early answer; the test fires it with `expire()`). */
const expiring = () => ({ ...context, getRemainingTimeInMillis: () => 60_000 }) as Context;

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

// One container for the file, as in Lambda: the SDK mocks patch the same client classes the handler uses. Its group
// id and group assignment are cached after the first test, as they are after a cold start.
const handler = loadHandler(ENV, false);

/** Runs `work` and returns what it resolved with and every line logged meanwhile (stdout and stderr). */
async function capturing<T>(work: (lines: string[]) => Promise<T>): Promise<{ result: T; logs: string }> {
  const lines: string[] = [];
  const capture = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  const spies = [jest.spyOn(process.stdout, 'write').mockImplementation(capture), jest.spyOn(process.stderr, 'write').mockImplementation(capture)];
  try {
    return { result: await work(lines), logs: lines.join('') };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

async function run(event: SQSEvent, invocation: Context = context) {
  const { result, logs } = await capturing(() => handler(event, invocation));
  return { response: result, logs };
}

const uuid = (n: number) => `a0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const MARIA = '0f1e2d3c-4b5a-4697-8877-665544332211';
const NO_EMAIL = uuid(1);
const THROTTLED = uuid(2);
const GONE = uuid(3);
const SLOW = uuid(4);
const failure = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(`${name} happened`), { name, $metadata: {}, ...extra });
const throttling = () => failure('ThrottlingException', { $fault: 'client', message: 'Rate exceeded' });

/** The dead letters sent: body, errorCode and errorMessage. */
const deadLetters = () =>
  mocks.sqs.commandCalls(SendMessageCommand).map((c) => ({
    body: c.args[0].input.MessageBody,
    code: c.args[0].input.MessageAttributes?.errorCode?.StringValue,
    message: c.args[0].input.MessageAttributes?.errorMessage?.StringValue ?? '',
  }));

/** A record's receive count, as SQS reports it. */
function onReceive(event: SQSEvent, index: number, count: number): SQSEvent {
  const record = event.Records[index];
  if (record) record.attributes.ApproximateReceiveCount = String(count);
  return event;
}

/** An AWS call that never answers until the invocation's abort signal fires, then fails as the SDK's handler does. */
function hangUntilAborted(seen: (AbortSignal | undefined)[]) {
  return () =>
    new Promise((_, reject) => {
      const signal = currentAbortSignal();
      seen.push(signal);
      signal?.addEventListener('abort', () => reject(failure('AbortError')));
    });
}

beforeEach(() => {
  resetAws();
  addConnectUser({ Id: MARIA, Username: 'maria.garcia@example.com', IdentityInfo: { FirstName: 'Maria', LastName: 'Garcia' } });
  addConnectUser({ Id: NO_EMAIL, Username: 'agent_7', IdentityInfo: { FirstName: 'Jo', LastName: 'Bloggs' } });
});

describe('syncUser handler: outcomes', () => {
  it('syncs the sample event of events/sqs/create-user.json and logs the outcome with ids', async () => {
    const event = JSON.parse(readFileSync(join(__dirname, '..', '..', 'events', 'sqs', 'create-user.json'), 'utf8'));

    const { response, logs } = await run(event);

    expect(response).toEqual({ batchItemFailures: [] });
    const [identityUserId] = [...state.identities.keys()];
    expect(links().get(MARIA)).toEqual({ identityUserId, created: true, groupIds: [AGENTS] });
    expect(state.members).toEqual(new Set([`${AGENTS}|${identityUserId}`]));
    const line = JSON.parse(logs.split('\n').find((l) => l.includes('record done')) ?? '{}');
    expect(line).toMatchObject({ connectUserId: MARIA, identityUserId, outcome: 'created', groupIds: [AGENTS], event: 'CreateUser' });
  });

  it('handles a mixed batch record by record: synced, ignored, dead-lettered and retried', async () => {
    mocks.connect.on(DescribeUserCommand, { UserId: THROTTLED }).rejects(throttling());
    const event = sqsEvent(
      sampleEvent('create-user'),
      sampleEvent('create-user-other-instance'),
      'this is not json',
      createUserEvent(NO_EMAIL, 'agent_7'),
      createUserEvent(THROTTLED, 'agent_8'),
      createUserEvent(GONE, 'agent_9'),
      sampleEvent('update-user-routing-profile'),
      eventWith('delete-user', { requestParameters: { InstanceId: SAMPLE_INSTANCE_ID, UserId: GONE } }),
    );

    const { response, logs } = await run(event);

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-4' }]);
    expect(deadLetters().map((d) => d.code).sort()).toEqual(['MALFORMED_EVENT', 'NO_EMAIL']);
    expect(deadLetters().find((d) => d.code === 'MALFORMED_EVENT')?.body).toBe('this is not json');
    expect(JSON.parse(deadLetters().find((d) => d.code === 'NO_EMAIL')?.body ?? '{}')).toEqual(createUserEvent(NO_EMAIL, 'agent_7'));
    expect([...links().keys()]).toEqual([MARIA]);
    expect(logs).toContain('"reason":"connect-user-gone"');
    expect(logs).toContain('"reason":"not-linked"');
    expect(logs).toContain('"reason":"event of another Connect instance"');
  });

  it('ends duplicate deliveries of one CreateUser in one batch in one identity, one membership and one link', async () => {
    const event = sqsEvent(sampleEvent('create-user'), sampleEvent('create-user'), sampleEvent('create-user'));

    const { response } = await run(event);

    expect(response.batchItemFailures).toEqual([]);
    expect(state.identities.size).toBe(1);
    const [identityUserId] = [...state.identities.keys()];
    expect(state.members).toEqual(new Set([`${AGENTS}|${identityUserId}`]));
    expect(links()).toEqual(new Map([[MARIA, { identityUserId, created: true, groupIds: [AGENTS] }]]));
    expect(deadLetters()).toEqual([]);
  });

  it('hands a record back to the queue when the dead-letter queue cannot take it', async () => {
    mocks.sqs.on(SendMessageCommand).rejects(failure('InternalError', { $fault: 'server' }));

    const { response } = await run(sqsEvent('not json', sampleEvent('create-user')));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-0' }]);
    expect(links().has(MARIA)).toBe(true);
  });

  it('answers every record when the whole batch fails, rather than throwing', async () => {
    mocks.connect.on(DescribeUserCommand).rejects(failure('InternalServiceException', { $fault: 'server' }));

    const { response } = await run(sqsEvent(sampleEvent('create-user'), createUserEvent(NO_EMAIL, 'agent_7')));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-0' }, { itemIdentifier: 'msg-1' }]);
  });

  it('dead-letters a retryable failure on its last receive with its own code and a message saying it gave up', async () => {
    mocks.connect.on(DescribeUserCommand, { UserId: THROTTLED }).rejects(throttling());
    const event = onReceive(sqsEvent(createUserEvent(THROTTLED, 'agent_8'), createUserEvent(THROTTLED, 'agent_8')), 1, 5);

    const { response, logs } = await run(event);

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-0' }]);
    expect(deadLetters()).toEqual([
      { body: event.Records[1]?.body, code: 'THROTTLED', message: expect.stringMatching(/^gave up after 5 receives; last error: .*ThrottlingException/) },
    ]);
    expect(logs).toContain('"retryable":true');
  });

  it('retries expired credentials (CREDENTIALS_EXPIRED)', async () => {
    mocks.identity.on(GetUserIdCommand).rejects(failure('ExpiredTokenException', { $fault: 'client', message: 'The security token included in the request is expired' }));

    const { response, logs } = await run(sqsEvent(sampleEvent('create-user')));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-0' }]);
    expect(deadLetters()).toEqual([]);
    expect(logs).toMatch(/"errorCode":"CREDENTIALS_EXPIRED"[^\n]*"retryable":true/);
  });

  it('fails at cold start with a message naming the missing variable', () => {
    expect(() => loadHandler({ ...ENV, IDENTITY_STORE_ID: '' }, true)).toThrow(/IDENTITY_STORE_ID is required/);
    expect(() => loadHandler({ ...ENV, LINKS_TABLE: '' }, true)).toThrow(/LINKS_TABLE is required/);
  });
});

describe('syncUser handler: no personal data', () => {
  const PERSONAL = ['maria', 'Maria', 'Garcia', 'li.wei', 'Jo', 'Bloggs', '@example.com', 'example.com'];

  it('writes no email or name to any log line nor to any errorMessage attribute, whatever the outcome', async () => {
    mocks.identity
      .on(CreateUserCommand)
      .rejects(failure('ValidationException', { $fault: 'client', message: "Value 'maria.garcia@example.com' at 'userName' failed" }));
    const injectedName = eventWith('create-user', { eventName: 'Maria Garcia <maria.garcia@example.com>' });
    const injectedInstance = withRequest({ InstanceId: 'Maria Garcia maria.garcia@example.com' });
    const injectedUser = withRequest({ UserId: 'maria.garcia@example.com' }, 'delete-user');
    const event = sqsEvent(
      sampleEvent('create-user'),
      sampleEvent('create-user-encoded-arn-no-response'),
      createUserEvent(NO_EMAIL, 'agent_7'),
      injectedName,
      injectedInstance,
      injectedUser,
      'Maria Garcia maria.garcia@example.com',
    );

    const { logs } = await run(event);

    expect(logs).toContain('"errorCode":"VALIDATION"');
    expect(logs).toContain('"errorCode":"NO_EMAIL"');
    expect(logs).toContain('"errorCode":"MALFORMED_EVENT"');
    expect(logs).toContain('"event":"(unrecognised)"');
    const messages = deadLetters().map((d) => d.message);
    expect(messages.length).toBeGreaterThanOrEqual(4);
    for (const personal of PERSONAL) {
      expect(logs).not.toContain(personal);
      for (const message of messages) expect(message).not.toContain(personal);
    }
  });

  it('cuts errorMessage without splitting a surrogate pair and without characters SQS refuses', async () => {
    const long = `${'x'.repeat(940)}\u0007\uD800${'😀'.repeat(100)}`;
    mocks.identity.on(CreateUserCommand).rejects(failure('ValidationException', { $fault: 'client', message: long }));

    await run(sqsEvent(sampleEvent('create-user')));

    const [letter] = deadLetters();
    expect(letter?.code).toBe('VALIDATION');
    expect(Array.from(letter?.message ?? '')).toHaveLength(1000);
    expect(letter?.message.endsWith('😀…')).toBe(true);
    expect(letter?.message).toMatch(/^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u);
    expect(letter?.message).not.toMatch(/\p{Cs}/u);
  });
});

describe('syncUser handler: the answer before the timeout', () => {
  it('acknowledges finished records, retries unfinished ones, and aborts their AWS calls', async () => {
    const seen: (AbortSignal | undefined)[] = [];
    addConnectUser({ Id: SLOW, Username: 'slow.one@example.com', IdentityInfo: {} });
    mocks.connect.on(DescribeUserCommand, { UserId: SLOW }).callsFake(hangUntilAborted(seen));
    let releaseSearch: () => void = () => undefined;
    mocks.connect.on(SearchUsersCommand).callsFake(
      () => new Promise((resolve) => (releaseSearch = () => resolve({ Users: [{ Id: SLOW, Username: 'slow.one@example.com' }] }))),
    );
    const byName = withRequest({ Username: 'slow.one@example.com' });
    delete (byName.detail as { responseElements?: unknown }).responseElements;
    const event = sqsEvent(sampleEvent('create-user'), createUserEvent(SLOW, 'slow.one@example.com'), byName);

    const { result, logs } = await capturing(async (lines) => {
      const answer = handler(event, expiring());
      // Maria synced, the slow record hangs in DescribeUser, the third waits for its search: then the deadline comes.
      await until(() => links().has(MARIA) && seen.length === 1 && mocks.connect.commandCalls(SearchUsersCommand).length === 1);
      expire();
      const response = await answer;
      const callsAtAnswer = state.calls.length;
      // The record found by Username gets its answer only now: its next Connect call must not start.
      releaseSearch();
      await until(() => lines.filter((line) => line.includes('record failed, will retry')).length === 2);
      return { response, callsAfterAnswer: state.calls.slice(callsAtAnswer) };
    });

    expect(result.response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-1' }, { itemIdentifier: 'msg-2' }] });
    expect(links().has(MARIA)).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.aborted).toBe(true);
    expect(mocks.connect.commandCalls(DescribeUserCommand, { UserId: SLOW })).toHaveLength(1);
    expect(result.callsAfterAnswer.filter((c) => c.signal?.aborted !== true)).toEqual([]);
    expect(deadLetters()).toEqual([]);
    expect(logs).toContain('"unfinished":2');
  });

  it('acknowledges a record whose dead-letter send lands in time and retries one whose send fails: never both', async () => {
    // Both sends are still in flight when the deadline comes; they settle (one lands, one fails) only after it.
    let settle: () => void = () => undefined;
    const deadlinePassed = new Promise<void>((resolve) => (settle = resolve));
    mocks.sqs.on(SendMessageCommand, { MessageBody: 'landing' }).callsFake(async () => {
      await deadlinePassed;
      return { MessageId: 'dlq-1' };
    });
    mocks.sqs.on(SendMessageCommand, { MessageBody: 'failing' }).callsFake(async () => {
      await deadlinePassed;
      throw failure('InternalError', { $fault: 'server' });
    });
    const event = onReceive(sqsEvent('landing', 'failing'), 1, 5);

    const { result: response, logs } = await capturing(async () => {
      const answer = handler(event, expiring());
      await until(() => mocks.sqs.commandCalls(SendMessageCommand).length === 2);
      expire();
      settle();
      return answer;
    });

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-1' }] });
    // The failing record was on its last receive: its own send was in flight, so it is not parked again with TIMEOUT.
    expect(deadLetters().map((d) => [d.body, d.code])).toEqual([
      ['landing', 'MALFORMED_EVENT'],
      ['failing', 'MALFORMED_EVENT'],
    ]);
    expect(logs).toContain('"parkedOnTimeout":0');
  });

  it('parks unfinished records on their last receive with TIMEOUT, and retries the others', async () => {
    const seen: (AbortSignal | undefined)[] = [];
    mocks.connect.on(DescribeUserCommand, { UserId: SLOW }).callsFake(hangUntilAborted(seen));
    mocks.connect.on(DescribeUserCommand, { UserId: GONE }).callsFake(hangUntilAborted(seen));
    const event = onReceive(sqsEvent(createUserEvent(SLOW, 'slow.one@example.com'), createUserEvent(GONE, 'gone@example.com')), 0, 5);

    const { result } = await capturing(async () => {
      const answer = handler(event, expiring());
      await until(() => seen.length === 2);
      expire();
      return answer;
    });

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-1' }] });
    expect(deadLetters()).toEqual([
      { body: event.Records[0]?.body, code: 'TIMEOUT', message: 'the function timed out while syncing this record, on its last receive (5)' },
    ]);
    expect(seen.map((s) => s?.aborted)).toEqual([true, true]);
  });
});

/** The sample CreateUser event with these request parameters (merged), or another sample's. */
function withRequest(requestParameters: Record<string, unknown>, name = 'create-user') {
  const event = sampleEvent(name);
  return eventWith(name, { requestParameters: { ...(event.detail.requestParameters as object), ...requestParameters } });
}
