import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { PermanentError, RetryableError } from '../../shared/core/errors.js';
import { createRecordProcessor, type UseCases } from '../../shared/adapters/process-record.js';
import { agent, buildCore, INSTANCE } from '../support/core.js';
import { eventWith, reconcileMessage, sampleEvent, sqsRecord } from '../support/events.js';
import { FakeDeadLetters } from '../support/fakes.js';

const MARIA = '0f1e2d3c-4b5a-4697-8877-665544332211';

/** A logger that keeps every line (level, message, fields) and a metrics sink that keeps every metric name. */
function recorders() {
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const log = (level: string) => (message: string, fields: Record<string, unknown> = {}) => lines.push({ level, message, fields });
  const logger = { info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug') } as unknown as Logger;
  const metricNames: string[] = [];
  const metrics = { addMetric: (name: string) => metricNames.push(name) } as unknown as Metrics;
  return { lines, logger, metricNames, metrics };
}

function setup(useCases?: Partial<UseCases>, maxReceiveCount = 5) {
  const core = buildCore();
  core.connect.add(agent(MARIA, 'Maria Garcia'));
  const deadLetters = new FakeDeadLetters();
  const { lines, logger, metricNames, metrics } = recorders();
  const real: UseCases = { sync: core.syncUser, update: core.updateIdentity, deprovision: core.deprovisionUser, assignGroup: core.assignGroup };
  const processRecord = createRecordProcessor({
    useCases: { ...real, ...useCases },
    deadLetters,
    instance: { id: INSTANCE },
    maxReceiveCount,
    logger,
    metrics,
  });
  return { core, deadLetters, lines, metricNames, processRecord };
}

const onReceive = (body: unknown, receiveCount: number) => {
  const record = sqsRecord(body, 'm-1');
  record.attributes.ApproximateReceiveCount = String(receiveCount);
  return record;
};

describe('processRecord: dispatch', () => {
  it.each([
    ['CreateUser', sampleEvent('create-user'), 'created', 'UsersCreated'],
    ['UpdateUserSecurityProfiles', sampleEvent('update-user-security-profiles'), 'created', 'UsersCreated'],
    // The update arrived first: its sync created the identity, and that is what is reported (it said "unchanged").
    ['UpdateUserIdentityInfo', sampleEvent('update-user-identity-info'), 'created', 'UsersCreated'],
    ['a reconcile sync', reconcileMessage(MARIA), 'created', 'UsersCreated'],
  ])('runs the use case of %s and logs one outcome line with ids only', async (_, body, outcome, metric) => {
    const { processRecord, lines, metricNames } = setup();

    await processRecord(sqsRecord(body, 'm-1'));

    expect(lines).toEqual([{ level: 'info', message: 'record done', fields: expect.objectContaining({ messageId: 'm-1', connectUserId: MARIA, outcome }) }]);
    expect(metricNames).toEqual([metric]);
  });

  it('runs the use case of DeleteUser once Connect confirms the deletion', async () => {
    const { core, processRecord, lines, metricNames } = setup();
    core.connect.users.delete(MARIA);

    await processRecord(sqsRecord(sampleEvent('delete-user'), 'm-1'));

    expect(lines).toEqual([{ level: 'info', message: 'record done', fields: expect.objectContaining({ connectUserId: MARIA, outcome: 'ignored', reason: 'not-linked' }) }]);
    expect(metricNames).toEqual(['RecordsIgnored']);
  });

  it('retries a DeleteUser for a user Connect still has, and dead-letters it as DELETE_NOT_CONFIRMED on its last receive', async () => {
    const { processRecord, deadLetters } = setup();
    const body = sampleEvent('delete-user');

    const first = processRecord(onReceive(body, 1));
    await expect(first).rejects.toMatchObject({ code: 'DELETE_NOT_CONFIRMED' });
    await processRecord(onReceive(body, 5));

    expect(deadLetters.sent.map((d) => d.reason.code)).toEqual(['DELETE_NOT_CONFIRMED']);
  });

  it('acknowledges an ignored record with its reason', async () => {
    const { processRecord, lines, deadLetters } = setup();

    await processRecord(sqsRecord(sampleEvent('update-user-routing-profile'), 'm-1'));

    expect(lines).toEqual([
      { level: 'info', message: 'record ignored', fields: { messageId: 'm-1', event: 'UpdateUserRoutingProfile', outcome: 'ignored', reason: 'not a Connect user event this service follows' } },
    ]);
    expect(deadLetters.sent).toEqual([]);
  });
});

describe('processRecord: failures', () => {
  it('parks a permanent failure in the dead-letter queue with its code and message', async () => {
    const { processRecord, deadLetters, lines, metricNames } = setup({
      sync: () => Promise.reject(new PermanentError('NO_EMAIL', 'the Connect user has no Email')),
    });
    const record = sqsRecord(sampleEvent('create-user'), 'm-1');

    await processRecord(record);

    expect(deadLetters.sent).toEqual([{ body: record.body, reason: { code: 'NO_EMAIL', message: 'the Connect user has no Email' } }]);
    expect(lines).toEqual([
      {
        level: 'error',
        message: 'record failed, sent to the dead-letter queue',
        fields: expect.objectContaining({ errorCode: 'NO_EMAIL', retryable: false, outcome: 'failed', connectUserId: MARIA }),
      },
    ]);
    expect(metricNames).toEqual(['DeadLettered']);
  });

  it('hands a retryable failure back to the queue before its last receive', async () => {
    const { processRecord, deadLetters, lines } = setup({ sync: () => Promise.reject(new RetryableError('THROTTLED', 'slow down')) });

    await expect(processRecord(onReceive(sampleEvent('create-user'), 4))).rejects.toMatchObject({ code: 'THROTTLED' });

    expect(deadLetters.sent).toEqual([]);
    expect(lines.map((l) => [l.level, l.message])).toEqual([['warn', 'record failed, will retry']]);
  });

  it('dead-letters a retryable failure on its last receive, with its own code and a message saying it gave up', async () => {
    const { processRecord, deadLetters, lines } = setup({ sync: () => Promise.reject(new RetryableError('THROTTLED', 'slow down')) });

    await processRecord(onReceive(sampleEvent('create-user'), 5));

    expect(deadLetters.sent.map((s) => s.reason)).toEqual([{ code: 'THROTTLED', message: 'gave up after 5 receives; last error: slow down' }]);
    expect(lines[0]?.fields).toMatchObject({ errorCode: 'THROTTLED', retryable: true });
  });

  it('treats an unforeseen error as retryable (UNEXPECTED)', async () => {
    const { processRecord } = setup({ sync: () => Promise.reject(new TypeError('x is undefined')) });

    await expect(processRecord(onReceive(sampleEvent('create-user'), 1))).rejects.toMatchObject({ code: 'UNEXPECTED', retryable: true });
  });

  it('retries a record whose dead-letter send failed, never acknowledging it', async () => {
    const { processRecord, deadLetters, lines, metricNames } = setup();
    deadLetters.hooks.send = () => {
      throw new RetryableError('SERVICE_ERROR', 'sqs down');
    };

    await expect(processRecord(sqsRecord('not json', 'm-1'))).rejects.toMatchObject({ code: 'SERVICE_ERROR' });

    expect(lines.map((l) => l.message)).toEqual(['dead-letter send failed, will retry']);
    expect(metricNames).toEqual(['RetryableFailures']);
  });

  it('tells the caller of a dead-letter send in flight', async () => {
    const { processRecord } = setup();
    const sends: Promise<void>[] = [];

    await processRecord(sqsRecord('not json', 'm-1'), { onParking: (send) => sends.push(send) });

    expect(sends).toHaveLength(1);
  });

  it('leaves an abandoned record (the invocation answered) to its redelivery: never parked', async () => {
    const { processRecord, deadLetters } = setup({ sync: () => Promise.reject(new PermanentError('NO_EMAIL', 'no email')) });

    await expect(processRecord(onReceive(sampleEvent('create-user'), 5), { abandoned: () => true })).rejects.toMatchObject({ code: 'NO_EMAIL' });

    expect(deadLetters.sent).toEqual([]);
  });

  it('writes no email or name to a log line, even when the error message or the event carries them', async () => {
    const { processRecord, lines } = setup({
      sync: () => Promise.reject(new PermanentError('VALIDATION', "Value 'maria.garcia@example.com' at 'userName' failed")),
    });
    const injected = eventWith('create-user', { eventName: 'Maria Garcia <maria.garcia@example.com>' });

    await processRecord(sqsRecord(sampleEvent('create-user'), 'm-1'));
    await processRecord(sqsRecord(injected, 'm-2'));

    const logged = JSON.stringify(lines);
    expect(logged).toContain('"errorCode":"VALIDATION"');
    for (const personal of ['maria.garcia', 'Maria', 'Garcia', '@example.com']) expect(logged).not.toContain(personal);
  });
});
