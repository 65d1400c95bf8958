import { listMessages, type ListOptions } from '../../../cli/replay.js';
import { RECONCILE_SOURCE } from '../../../shared/adapters/sync-message.js';
import { createUserEvent, sampleEvent } from '../../support/events.js';
import { FakeQueue } from './fake-queues.js';
import { recordingIo } from './io-helpers.js';

const CONNECT_ID = 'b3596a0d-fe8f-4ef8-82b6-f084b6df1ae1';
const reconcileBody = (userId: string) => JSON.stringify({ source: RECONCILE_SOURCE, instanceId: 'i-1', userId });
const deleteUser = sampleEvent('delete-user');
const DELETED_ID = (deleteUser.detail.requestParameters as { UserId: string }).UserId;
const LONG_REASON = `the Connect user has no Email, no SecondaryEmail and a Username that is not an email address ${'x'.repeat(60)} END`;
const plain: ListOptions = { json: false, wide: false, filterText: '' };

function queues() {
  const sync = new FakeQueue('connect-sso-sync-prod-sync-dlq');
  const events = new FakeQueue('connect-sso-sync-prod-events-dlq');
  // list ages messages by the wall clock: put them on it.
  sync.now = Date.now();
  events.now = Date.now();
  return { sync, events };
}

describe('replay list', () => {
  it('says how many messages were read and that none matched the filters, instead of "no messages"', async () => {
    const { sync, events } = queues();
    for (let i = 0; i < 5; i += 1) sync.put(reconcileBody(`u-${i}`), { errorCode: 'THROTTLED', errorMessage: 'Rate exceeded' });
    events.put(reconcileBody('u-e1'), { ERROR_CODE: 'SQS_PERMISSIONS_ERROR', ERROR_MESSAGE: 'denied' });
    events.put(reconcileBody('u-e2'), { ERROR_CODE: 'SQS_PERMISSIONS_ERROR', ERROR_MESSAGE: 'denied' });
    const io = recordingIo();

    const outcome = await listMessages([sync, events], { codes: ['NO_EMAIL'] }, { ...plain, filterText: '--code NO_EMAIL' }, io);

    expect(outcome).toEqual({ result: 'ok' });
    expect(io.stdout).toEqual([
      '7 message(s) read in connect-sso-sync-prod-sync-dlq, connect-sso-sync-prod-events-dlq; none matched --code NO_EMAIL.',
    ]);
  });

  it('still says "No messages" when the queues are empty', async () => {
    const { sync, events } = queues();
    const io = recordingIo();

    await listMessages([sync, events], { codes: ['NO_EMAIL'] }, { ...plain, filterText: '--code NO_EMAIL' }, io);

    expect(io.stdout).toEqual(['No messages in the dead-letter queues (connect-sso-sync-prod-sync-dlq, connect-sso-sync-prod-events-dlq).']);
  });

  it('--json: counts read and matched, in all and per queue, next to the matching messages', async () => {
    const { sync, events } = queues();
    sync.put(reconcileBody('u-1'), { errorCode: 'NO_EMAIL', errorMessage: 'no email for x@example.com' });
    sync.put(reconcileBody('u-2'), { errorCode: 'THROTTLED', errorMessage: 'Rate exceeded' });
    events.put(reconcileBody('u-3'), { ERROR_CODE: 'SQS_PERMISSIONS_ERROR', ERROR_MESSAGE: 'denied' });
    const io = recordingIo();

    await listMessages([sync, events], { codes: ['NO_EMAIL'] }, { ...plain, json: true, filterText: '--code NO_EMAIL' }, io);

    const out = JSON.parse(io.stdout.join('\n'));
    expect(out).toMatchObject({
      read: 3,
      matched: 1,
      queues: [
        { queue: 'connect-sso-sync-prod-sync-dlq', read: 2, matched: 1 },
        { queue: 'connect-sso-sync-prod-events-dlq', read: 1, matched: 0 },
      ],
      summary: [{ code: 'NO_EMAIL', count: 1 }],
    });
    expect(out.messages).toEqual([expect.objectContaining({ connectUserId: 'u-1', code: 'NO_EMAIL', message: 'no email for [redacted]' })]);
  });

  it('names the user by Username where the event has it (CreateUser), else by id (DeleteUser, reconcile)', async () => {
    const { sync } = queues();
    sync.put(JSON.stringify(createUserEvent(CONNECT_ID, 'maria.garcia@example.com')), {}, 300);
    sync.put(JSON.stringify(deleteUser), { errorCode: 'NOT_LINKED', errorMessage: 'no link' }, 200);
    sync.put(reconcileBody('be3481ea-3ba2-4550-8649-c63353dcbe10'), { errorCode: 'THROTTLED', errorMessage: 'Rate exceeded' }, 100);
    const io = recordingIo();

    await listMessages([sync], {}, plain, io);

    const [header, ...rows] = io.stdout;
    expect(header).toMatch(/^QUEUE\s+AGE\s+USER\s+ERROR CODE\s+RECEIVED\s+ERROR MESSAGE$/);
    expect(rows[0]).toMatch(/^sync-dlq\s+5m\s+maria\.garcia@example\.com\s+RETRIES_EXHAUSTED\s+1\s+the sync queue gave up/);
    expect(rows[1]).toMatch(new RegExp(`^sync-dlq\\s+3m20s\\s+${DELETED_ID}\\s+NOT_LINKED`));
    expect(rows[2]).toMatch(/^sync-dlq\s+1m40s\s+be3481ea-3ba2-4550-8649-c63353dcbe10\s+THROTTLED/);
    expect(io.stdout).toContain('3 message(s). By error code:');
  });

  it('labels the receive count for what it is: every read, this one and earlier lists included', async () => {
    const { sync } = queues();
    sync.put(reconcileBody('u-1'), { errorCode: 'NO_EMAIL', errorMessage: 'no email' });
    const first = recordingIo();
    const second = recordingIo();

    await listMessages([sync], {}, plain, first);
    await listMessages([sync], {}, plain, second);

    expect(first.stdout[1]).toMatch(/NO_EMAIL\s+1\s+no email$/);
    expect(second.stdout[1]).toMatch(/NO_EMAIL\s+2\s+no email$/);
    expect(second.text()).toContain('RECEIVED: SQS\'s ApproximateReceiveCount, which counts this read and every earlier replay list or run');
  });

  it('fits the table to the terminal: the error message is cut at its width, the codes are not', async () => {
    const { sync } = queues();
    sync.put(JSON.stringify(createUserEvent(CONNECT_ID, 'a.very.long.username.for.a.table@example.com')), { errorCode: 'ASSIGNMENT_UNSUPPORTED', errorMessage: LONG_REASON });
    const io = { ...recordingIo(), columns: 100 };

    await listMessages([sync], {}, plain, io);

    const rows = io.stdout.slice(0, 2);
    for (const line of rows) expect(line.length).toBeLessThanOrEqual(100);
    expect(rows[1]).toContain('ASSIGNMENT_UNSUPPORTED');
    expect(rows[1]).toMatch(/…$/);
    expect(rows[1]).not.toContain('END');
  });

  it('cuts nothing with --wide, and shows the Connect user id next to the Username', async () => {
    const { sync } = queues();
    sync.put(JSON.stringify(createUserEvent(CONNECT_ID, 'maria.garcia@example.com')), { errorCode: 'NO_EMAIL', errorMessage: LONG_REASON });
    const io = { ...recordingIo(), columns: 80 };

    await listMessages([sync], {}, { ...plain, wide: true }, io);

    expect(io.stdout[0]).toMatch(/USER\s+CONNECT USER ID\s+ERROR CODE/);
    expect(io.stdout[1]).toContain(`maria.garcia@example.com  ${CONNECT_ID}`);
    expect(io.stdout[1]).toMatch(/END$/);
  });

  it('when not a terminal, keeps whole reasons of a normal length (no 80-character cut)', async () => {
    const { sync } = queues();
    sync.put(reconcileBody('u-1'), { errorCode: 'NO_EMAIL', errorMessage: LONG_REASON });
    const io = recordingIo();

    await listMessages([sync], {}, plain, io);

    expect(io.columns).toBeUndefined();
    expect(io.stdout[1]).toMatch(/END$/);
  });

  it('with a filter, the summary says how many of the messages read matched', async () => {
    const { sync } = queues();
    sync.put(reconcileBody('u-1'), { errorCode: 'NO_EMAIL', errorMessage: 'no email' });
    sync.put(reconcileBody('u-2'), { errorCode: 'THROTTLED', errorMessage: 'Rate exceeded' });
    const io = recordingIo();

    await listMessages([sync], { codes: ['NO_EMAIL'] }, { ...plain, filterText: '--code NO_EMAIL' }, io);

    expect(io.stdout).toContain('1 of 2 message(s) read matched --code NO_EMAIL. By error code:');
  });
});
