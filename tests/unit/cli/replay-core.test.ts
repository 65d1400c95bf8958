import { RECONCILE_SOURCE } from '../../../shared/adapters/sync-message.js';
import { listDeadLetters, replayDeadLetters } from '../../../shared/core/replay.js';
import { createUserEvent } from '../../support/events.js';
import { FakeMover, FakeQueue } from './fake-queues.js';

const body = (userId: string) => JSON.stringify({ source: RECONCILE_SOURCE, instanceId: 'i-1', userId });
const failed = (code: string) => ({ errorCode: code, errorMessage: `${code} happened` });

function queues() {
  const dlq = new FakeQueue('connect-sso-sync-dev-sync-dlq');
  const sync = new FakeQueue('connect-sso-sync-dev-sync');
  for (const q of [dlq, sync]) q.now = 1_800_000_000_000;
  return { dlq, sync };
}

describe('listDeadLetters', () => {
  it('reads every message once, reports user, code, age and receives, then makes them all visible again', async () => {
    const { dlq } = queues();
    dlq.put(body('u-1'), failed('NO_EMAIL'), 3600);
    dlq.put(JSON.stringify(createUserEvent('u-2', 'agent@example.com')), {}, 60);
    for (let i = 0; i < 15; i += 1) dlq.put(body(`bulk-${i}`), { ERROR_CODE: 'SQS_PERMISSIONS_ERROR', ERROR_MESSAGE: 'denied' });

    const result = await listDeadLetters(dlq, { visibilitySeconds: 30, now: () => dlq.now });

    expect(result.rows).toHaveLength(17);
    expect(result.rows[0]).toMatchObject({ connectUserId: 'u-1', code: 'NO_EMAIL', ageSeconds: 3600, receiveCount: 1 });
    expect(result.rows[1]).toMatchObject({ connectUserId: 'u-2', code: 'RETRIES_EXHAUSTED' });
    expect(result.rows[2]).toMatchObject({ code: 'SQS_PERMISSIONS_ERROR', message: 'denied' });
    expect(result.released).toBe(17);
    expect(dlq.visible()).toHaveLength(17);
  });
});

describe('replayDeadLetters', () => {
  it('filtered: sends the chosen messages to the sync queue, deletes only those, releases the rest', async () => {
    const { dlq, sync } = queues();
    dlq.put(body('u-1'), failed('THROTTLED'));
    dlq.put(body('u-2'), failed('NO_EMAIL'));
    dlq.put(body('u-3'), failed('THROTTLED'));

    const result = await replayDeadLetters(dlq, sync, { filter: { codes: ['throttled'] }, dryRun: false, visibilitySeconds: 300, mover: new FakeMover(dlq, sync) });

    expect(result).toMatchObject({ mode: 'resend', scanned: 3, matched: 2, replayed: 2, failed: 0 });
    expect(sync.messages.map((m) => JSON.parse(m.body).userId)).toEqual(['u-1', 'u-3']);
    expect(dlq.messages.map((m) => JSON.parse(m.body).userId)).toEqual(['u-2']);
    expect(dlq.visible()).toHaveLength(1);
  });

  it('never deletes a message whose send failed; reports it and exits as failed', async () => {
    const { dlq, sync } = queues();
    dlq.put(body('u-1'), failed('THROTTLED'));
    dlq.put(body('u-2'), failed('THROTTLED'));
    sync.failSend = (b) => b.includes('u-2');

    const result = await replayDeadLetters(dlq, sync, { filter: { users: ['u-1', 'u-2'] }, dryRun: false, visibilitySeconds: 300 });

    expect(result).toMatchObject({ replayed: 1, failed: 1 });
    expect(dlq.messages.map((m) => JSON.parse(m.body).userId)).toEqual(['u-2']);
    expect(dlq.visible()).toHaveLength(1);
  });

  it('counts a message sent but not deleted as failed (it stays in the DLQ: a later replay only duplicates it)', async () => {
    const { dlq, sync } = queues();
    dlq.put(body('u-1'), failed('THROTTLED'));
    dlq.failDelete = true;

    const result = await replayDeadLetters(dlq, sync, { filter: { codes: ['THROTTLED'] }, dryRun: false, visibilitySeconds: 300 });

    expect(result).toMatchObject({ replayed: 0, failed: 1 });
    expect(sync.messages).toHaveLength(1);
    expect(dlq.visible()).toHaveLength(1);
  });

  it('dry run changes nothing and says what it would replay; --max bounds the choice', async () => {
    const { dlq, sync } = queues();
    for (let i = 0; i < 25; i += 1) dlq.put(body(`u-${i}`), failed('THROTTLED'), 7200);

    const result = await replayDeadLetters(dlq, sync, { filter: { olderThanSeconds: 3600 }, max: 12, dryRun: true, visibilitySeconds: 300, now: () => dlq.now });

    expect(result).toMatchObject({ matched: 12, replayed: 0, byCode: [{ code: 'THROTTLED', count: 12 }] });
    expect(sync.messages).toHaveLength(0);
    expect(dlq.visible()).toHaveLength(25);
    expect(dlq.calls).not.toContain('deleteBatch');
  });

  it('unfiltered with a mover: one native move task from the DLQ ARN to the sync queue ARN, progress reported', async () => {
    const { dlq, sync } = queues();
    for (let i = 0; i < 5; i += 1) dlq.put(body(`u-${i}`));
    const mover = new FakeMover(dlq, sync);
    const progress: number[] = [];

    const result = await replayDeadLetters(dlq, sync, {
      filter: {}, dryRun: false, visibilitySeconds: 300, mover, pollMs: 0, sleep: async () => undefined,
      onProgress: (p) => progress.push(p.replayed),
    });

    expect(mover.started).toEqual([{ source: dlq.queueArn, destination: sync.queueArn }]);
    expect(result).toMatchObject({ mode: 'move-task', replayed: 5, failed: 0 });
    expect(progress).toEqual([5]);
    expect(sync.messages).toHaveLength(5);
  });

  it('unfiltered with a mover: reports what it replayed per error code (read before the move), not byCode []', async () => {
    const { dlq, sync } = queues();
    dlq.put(body('u-1'), failed('NO_EMAIL'));
    dlq.put(body('u-2'), failed('NO_EMAIL'));
    dlq.put(body('u-3'));

    const result = await replayDeadLetters(dlq, sync, { filter: {}, dryRun: false, visibilitySeconds: 300, mover: new FakeMover(dlq, sync), pollMs: 0, sleep: async () => undefined });

    expect(result).toMatchObject({ mode: 'move-task', replayed: 3, failed: 0 });
    expect(result.byCode).toEqual([{ code: 'NO_EMAIL', count: 2 }, { code: 'RETRIES_EXHAUSTED', count: 1 }]);
    expect(sync.messages).toHaveLength(3);
  });

  it('reports a failed move task as a failure', async () => {
    const { dlq, sync } = queues();
    dlq.put(body('u-1'));

    const result = await replayDeadLetters(dlq, sync, {
      filter: {}, dryRun: false, visibilitySeconds: 300, mover: new FakeMover(dlq, sync, 'FAILED'), sleep: async () => undefined,
    });

    expect(result.failed).toBe(1);
    expect(result.failures[0]?.reason).toContain('FAILED: AccessDenied');
  });
});
