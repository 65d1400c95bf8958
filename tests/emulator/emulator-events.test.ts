/** CloudTrail events from Connect calls, the local event bus (serverless.yml pattern) and the Lambda SQS poller. */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectClient, CreateUserCommand, DeleteUserCommand, DescribeUserCommand, UpdateUserIdentityInfoCommand } from '@aws-sdk/client-connect';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { loadRulePattern, matchesPattern, wireEventBus } from '../../local/emulator/event-bus';
import type { CloudTrailEvent, Emulator } from '../../local/emulator/index';
import { startEmulator } from '../../local/emulator/index';
import { createPoller } from '../../local/emulator/poller';

const SCALE = 0.05;
let emulator: Emulator;
let connect: ConnectClient;
let instance: { id: string; arn: string };
let agentProfile = '';

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, sqsTimeScale: SCALE, rateLimits: { enabled: false } });
  connect = new ConnectClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIATEST000000000000', secretAccessKey: 'test' } });
  const ids = emulator.seed({ connectInstances: [{ alias: 'events', identityManagementType: 'SAML', users: [{ username: 'seeded@example.com' }] }] });
  instance = ids.connectInstances[0] ?? { id: '', arn: '' };
  agentProfile = ids.connectInstances[0]?.securityProfiles.Agent ?? '';
});

afterAll(async () => {
  connect.destroy();
  await emulator.stop();
});

afterEach(() => emulator.setEventOptions({ instanceIdStyle: 'id', redactIdentityInfo: false, omitResponseElements: false }));

let counter = 0;
const createUser = (): Promise<{ UserId?: string; UserArn?: string }> => {
  counter += 1;
  return connect.send(new CreateUserCommand({
    InstanceId: instance.id, Username: `user${counter}@example.com`, IdentityInfo: { FirstName: 'Ada', LastName: 'Lovelace', SecondaryEmail: `user${counter}@example.org` },
    PhoneConfig: { PhoneType: 'SOFT_PHONE' }, SecurityProfileIds: [agentProfile], RoutingProfileId: 'rp-1',
  }));
};

const collect = (): { events: CloudTrailEvent[]; stop: () => void } => {
  const events: CloudTrailEvent[] = [];
  const stop = emulator.onEvent((e) => events.push(e));
  return { events, stop };
};

describe('CloudTrail events', () => {
  it('emits CreateUser as EventBridge delivers CloudTrail API calls (not for seeding or reads)', async () => {
    const { events, stop } = collect();
    emulator.seed({ connectInstances: [{ alias: 'quiet', identityManagementType: 'SAML', users: [{ username: 'x@example.com' }] }] });
    const created = await createUser();
    await connect.send(new DescribeUserCommand({ InstanceId: instance.id, UserId: created.UserId }));
    stop();
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({
      version: '0', 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.connect', account: '123456789012', region: 'us-east-1', resources: [],
      detail: {
        eventVersion: '1.09', eventSource: 'connect.amazonaws.com', eventName: 'CreateUser', awsRegion: 'us-east-1',
        userIdentity: expect.objectContaining({ accountId: '123456789012', accessKeyId: 'AKIATEST000000000000' }),
        requestParameters: {
          InstanceId: instance.id, Username: `user${counter}@example.com`, IdentityInfo: { FirstName: 'Ada', LastName: 'Lovelace', SecondaryEmail: `user${counter}@example.org` },
          PhoneConfig: { PhoneType: 'SOFT_PHONE' }, SecurityProfileIds: [agentProfile], RoutingProfileId: 'rp-1',
        },
        responseElements: { UserId: created.UserId, UserArn: created.UserArn },
        readOnly: false, eventType: 'AwsApiCall', managementEvent: true, recipientAccountId: '123456789012', eventCategory: 'Management',
      },
    });
    expect(event?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(event?.detail.userAgent).toEqual(expect.stringContaining('aws-sdk-js'));
  });

  it('can write the instance as an encoded ARN, redact IdentityInfo and omit responseElements', async () => {
    emulator.setEventOptions({ instanceIdStyle: 'encoded-arn', redactIdentityInfo: true, omitResponseElements: true });
    const { events, stop } = collect();
    await createUser();
    stop();
    const detail = events[0]?.detail ?? {};
    expect(detail.requestParameters).toMatchObject({ InstanceId: encodeURIComponent(instance.arn), IdentityInfo: 'HIDDEN_DUE_TO_SECURITY_REASONS' });
    expect('responseElements' in detail).toBe(false);
  });

  it('emits UpdateUserIdentityInfo and DeleteUser with their event names', async () => {
    const created = await createUser();
    const { events, stop } = collect();
    await connect.send(new UpdateUserIdentityInfoCommand({ InstanceId: instance.arn, UserId: created.UserId, IdentityInfo: { FirstName: 'B' } }));
    await connect.send(new DeleteUserCommand({ InstanceId: instance.id, UserId: created.UserId }));
    stop();
    expect(events.map((e) => [e.detail.eventName, (e.detail.requestParameters as Record<string, unknown>).UserId])).toEqual([['UpdateUserIdentityInfo', created.UserId], ['DeleteUser', created.UserId]]);
  });
});

describe('event bus', () => {
  it('reads the deployed rule pattern and matches like EventBridge', () => {
    const pattern = loadRulePattern();
    expect(pattern).toMatchObject({ source: ['aws.connect'], 'detail-type': ['AWS API Call via CloudTrail'] });
    expect(JSON.stringify(pattern)).toContain('CreateUser');
    const event = { source: 'aws.connect', detail: { eventName: 'CreateUser', tags: ['a', 'b'], n: 5 } };
    expect(matchesPattern({ detail: { eventName: [{ prefix: 'Create' }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { eventName: [{ 'anything-but': ['CreateUser'] }] } }, event)).toBe(false);
    expect(matchesPattern({ detail: { missing: [{ exists: false }], tags: ['b'] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { n: [{ numeric: ['>', 1, '<=', 5] }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { eventName: ['DeleteUser'] } }, event)).toBe(false);
  });

  it('delivers the user events the rule names (create, update, delete; not reads) into the sync queue', async () => {
    const ids = emulator.seed({ queues: [{ name: 'bus-target' }] });
    const bus = wireEventBus(emulator, { queueUrl: ids.queues['bus-target']?.url ?? '' });
    const created = await createUser();
    await connect.send(new DescribeUserCommand({ InstanceId: instance.id, UserId: created.UserId }));
    await connect.send(new UpdateUserIdentityInfoCommand({ InstanceId: instance.id, UserId: created.UserId, IdentityInfo: { FirstName: 'C' } }));
    await connect.send(new DeleteUserCommand({ InstanceId: instance.id, UserId: created.UserId }));
    await bus.flush();
    bus.stop();
    expect(bus.stats).toEqual({ matched: 3, unmatched: 0, delivered: 3, failed: 0 });
    const bodies = emulator.state.queue('bus-target').messages.map((m) => JSON.parse(m.body) as CloudTrailEvent);
    expect(bodies.map((b) => b.detail.eventName)).toEqual(['CreateUser', 'UpdateUserIdentityInfo', 'DeleteUser']);
    expect(bodies[0]?.detail.responseElements).toEqual({ UserId: created.UserId, UserArn: created.UserArn });
    expect(bodies[2]?.detail.requestParameters).toEqual({ InstanceId: instance.id, UserId: created.UserId });
  });
});

describe('Lambda SQS poller', () => {
  // SQS's clock is the test's: a visibility timeout expires when the test steps past it, never because the machine
  // was slow (at a real 100 ms, a slow delete once let a success come back).
  let now = 1_700_000_000_000;
  const SECOND = 1000;
  const advance = (ms: number) => {
    now += ms;
  };
  let sqsWithClock: Emulator;
  let clockedSqs: SQSClient;
  beforeAll(async () => {
    sqsWithClock = await startEmulator({ port: 0, sqsClock: () => now, rateLimits: { enabled: false } });
    clockedSqs = new SQSClient({ endpoint: sqsWithClock.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIATEST000000000000', secretAccessKey: 'test' } });
  });
  afterAll(async () => {
    clockedSqs.destroy();
    await sqsWithClock.stop();
  });
  /** Resolves once `done()` holds: waits for the poller's counted work, not for an amount of time. */
  const until = async (done: () => boolean) => {
    while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
  };

  it('reads its settings from serverless.yml (CloudFormation tags included), overridable', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'emulator-')), 'serverless.yml');
    writeFileSync(path, [
      'functions:', '  syncUser:', '    timeout: 45', '    events:', '      - sqs:', '          arn: !GetAtt SyncQueue.Arn',
      '          batchSize: 7', '          maximumBatchingWindow: 3', '          maximumConcurrency: 4',
      'resources:', '  Conditions:', '    HasX: !Not [!Equals [a, b]]',
    ].join('\n'));
    const handler = async (): Promise<void> => undefined;
    expect(createPoller({ endpoint: emulator.endpoint, queueUrl: 'unused', handler, serverlessPath: path }).settings)
      .toEqual({ batchSize: 7, maximumBatchingWindow: 3, maximumConcurrency: 4, timeoutSeconds: 45 });
    expect(createPoller({ endpoint: emulator.endpoint, queueUrl: 'unused', handler, serverlessPath: path, batchSize: 2 }).settings.batchSize).toBe(2);
    expect(createPoller({ endpoint: emulator.endpoint, queueUrl: 'unused', handler }).settings.batchSize).toBeGreaterThan(0);
  });

  it('deletes successes, retries batchItemFailures after the visibility timeout, and redrives them to the DLQ', async () => {
    const ids = sqsWithClock.seed({ queues: [{ name: 'poll', visibilityTimeout: 2, redrive: { dlqName: 'poll-dlq', maxReceiveCount: 3 } }] });
    const url = ids.queues.poll?.url ?? '';
    for (const body of ['ok-1', 'fail', 'ok-2', 'ok-3']) {
      await clockedSqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageAttributes: { origin: { DataType: 'String', StringValue: 'test' } } }));
    }
    const seen: SQSEvent['Records'] = [];
    const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
      seen.push(...event.Records);
      return { batchItemFailures: event.Records.filter((r) => r.body === 'fail').map((r) => ({ itemIdentifier: r.messageId })) };
    };
    const poller = createPoller({ endpoint: sqsWithClock.endpoint, queueUrl: url, handler, maximumBatchingWindow: 0 });
    poller.start();
    // Each receive of 'fail' comes back only when the test moves SQS's clock past the visibility timeout.
    await until(() => poller.stats.succeeded === 3 && poller.stats.failed === 1);
    for (let receives = 2; receives <= 3; receives += 1) {
      advance(2 * SECOND);
      await until(() => poller.stats.failed === receives);
    }
    advance(2 * SECOND);
    await until(() => sqsWithClock.state.queue('poll-dlq').messages.length === 1);
    await poller.drain({ timeoutMs: 60_000 });
    await poller.stop();

    expect(seen.filter((r) => r.body.startsWith('ok'))).toHaveLength(3);
    expect(seen.filter((r) => r.body === 'fail').map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2', '3']);
    expect(sqsWithClock.state.queue('poll-dlq').messages.map((m) => m.body)).toEqual(['fail']);
    expect(poller.stats).toMatchObject({ succeeded: 3, failed: 3 });
    const record = seen[0];
    expect(record).toEqual({
      messageId: expect.any(String), receiptHandle: expect.any(String), body: 'ok-1',
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: expect.stringMatching(/^\d+$/), SenderId: expect.any(String), ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d+$/) },
      messageAttributes: { origin: { stringValue: 'test', stringListValues: [], binaryListValues: [], dataType: 'String' } },
      md5OfMessageAttributes: expect.stringMatching(/^[0-9a-f]{32}$/),
      md5OfBody: createHash('md5').update('ok-1').digest('hex'),
      eventSource: 'aws:sqs', eventSourceARN: ids.queues.poll?.arn, awsRegion: 'us-east-1',
    });
  });

  it('fails the whole batch when the handler throws', async () => {
    const ids = sqsWithClock.seed({ queues: [{ name: 'poll-throw', visibilityTimeout: 2 }] });
    const url = ids.queues['poll-throw']?.url ?? '';
    await clockedSqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'a' }, { Id: 'b', MessageBody: 'b' }] }));
    let calls = 0;
    const counts: string[] = [];
    const poller = createPoller({
      endpoint: sqsWithClock.endpoint, queueUrl: url, maximumConcurrency: 1, maximumBatchingWindow: 0, onHandlerError: () => undefined,
      handler: async (event) => {
        calls += 1;
        counts.push(...event.Records.map((r) => r.attributes.ApproximateReceiveCount));
        if (calls === 1) throw new Error('boom');
        return { batchItemFailures: [] };
      },
    });
    poller.start();
    await until(() => poller.stats.handlerErrors === 1);
    advance(2 * SECOND);
    await until(() => poller.stats.succeeded === 2);
    await poller.drain({ timeoutMs: 60_000 });
    await poller.stop();
    expect(calls).toBe(2);
    expect(counts).toEqual(['1', '1', '2', '2']);
    expect(poller.stats).toMatchObject({ handlerErrors: 1, succeeded: 2, failed: 2 });
  });
});
