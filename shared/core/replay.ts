import { asSyncError } from './errors.js';
import { deadLetterRow, isFiltered, matches, summarizeByCode, type DeadLetterRow, type ReplayFilter } from './dead-letter-view.js';
import type { MessageMover, MessageQueue, QueuedMessage } from './ports/index.js';

/**
 * Reading and replaying the dead-letter queues.
 *
 * Reading a message hides it for the visibility timeout. A scan keeps every message it read hidden until the scan
 * ends (so it sees each message once), then makes the ones it did not replay visible again (ChangeMessageVisibility 0).
 *
 * Replay is at-least-once: a message is sent to the sync queue first and deleted from the dead-letter queue only
 * after the send succeeded. A crash in between leaves it in both queues, which can only duplicate a sync; the sync is
 * idempotent (an existing user is linked, an existing membership or assignment is success).
 */
export interface ScanOptions {
  now?: () => number;
  visibilitySeconds: number;
  onProgress?: (progress: { queue: string; scanned: number; replayed: number; expected: number }) => void;
}

export interface ListResult {
  rows: DeadLetterRow[];
  released: number;
  /** Messages whose visibility could not be reset: they reappear when their (short) timeout ends. */
  releaseFailed: number;
}

export interface ReplayResult extends Omit<ListResult, 'rows'>, Record<'scanned' | 'matched' | 'replayed' | 'failed', number> {
  queue: string;
  mode: 'move-task' | 'resend';
  dryRun: boolean;
  failures: { messageId?: string; reason: string }[];
  byCode: { code: string; count: number }[];
}

export interface ReplayOptions extends ScanOptions {
  filter: ReplayFilter;
  max?: number;
  dryRun: boolean;
  /** Given when this dead-letter queue is fed by SQS redrive: unfiltered replays use a native move task. */
  mover?: MessageMover;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

type Visit = (fresh: QueuedMessage[], held: Map<string, string>) => Promise<'continue' | 'stop'>;

/** Reads the queue until it has no more fresh messages, then releases what is still held. */
async function scan(queue: MessageQueue, options: ScanOptions, visit: Visit) {
  const held = new Map<string, string>(); // messageId -> newest receipt handle
  const seen = new Set<string>();
  for (;;) {
    const batch = await queue.receive(options.visibilitySeconds);
    if (batch.length === 0) break;
    const fresh = batch.filter((m) => !seen.has(m.messageId));
    for (const m of batch) {
      seen.add(m.messageId);
      held.set(m.messageId, m.receiptHandle);
    }
    // Only messages seen before: their timeout ran out during the scan, which has come full circle.
    if (fresh.length === 0) break;
    if ((await visit(fresh, held)) === 'stop') break;
  }
  const handles = [...held.values()];
  let released = 0;
  for (let i = 0; i < handles.length; i += 10) {
    released += await queue.releaseBatch(handles.slice(i, i + 10)).then((ok) => ok.size, () => 0);
  }
  return { released, releaseFailed: handles.length - released };
}

/** Lists the messages of a dead-letter queue. Changes nothing: every message read is made visible again. */
export async function listDeadLetters(queue: MessageQueue, options: ScanOptions): Promise<ListResult> {
  const now = options.now ?? Date.now;
  const expected = await queue.approximateCount();
  const rows: DeadLetterRow[] = [];
  const { released, releaseFailed } = await scan(queue, options, async (fresh) => {
    rows.push(...fresh.map((m) => deadLetterRow(queue.name, m, now())));
    options.onProgress?.({ queue: queue.name, scanned: rows.length, replayed: 0, expected });
    return 'continue';
  });
  return { rows, released, releaseFailed };
}

/** Replays a dead-letter queue into `destination` (the sync queue). See the module comment for the guarantees. */
export async function replayDeadLetters(source: MessageQueue, destination: MessageQueue, options: ReplayOptions): Promise<ReplayResult> {
  if (options.mover && !isFiltered(options.filter) && options.max === undefined) {
    return moveAll(source, destination, options.mover, options);
  }
  const now = options.now ?? Date.now;
  const expected = await source.approximateCount();
  const result: ReplayResult = {
    queue: source.name, mode: 'resend', dryRun: options.dryRun, scanned: 0, matched: 0, replayed: 0, failed: 0,
    failures: [], byCode: [], released: 0, releaseFailed: 0,
  };
  const chosenRows: DeadLetterRow[] = [];
  const room = () => (options.max === undefined ? Infinity : options.max - result.matched);

  const { released, releaseFailed } = await scan(source, options, async (fresh, held) => {
    result.scanned += fresh.length;
    const chosen = fresh
      .map((m) => ({ m, row: deadLetterRow(source.name, m, now()) }))
      .filter(({ row }) => matches(row, options.filter))
      .slice(0, room());
    result.matched += chosen.length;
    chosenRows.push(...chosen.map(({ row }) => row));
    if (!options.dryRun && chosen.length > 0) await resend(chosen.map(({ m }) => m), held);
    options.onProgress?.({ queue: source.name, scanned: result.scanned, replayed: result.replayed, expected });
    return room() <= 0 ? 'stop' : 'continue';
  });

  async function resend(messages: QueuedMessage[], held: Map<string, string>) {
    let sendError = '';
    const sent = await destination.sendBatch(messages.map((m) => ({ id: m.messageId, body: m.body }))).catch((error: unknown) => {
      sendError = ` (${asSyncError(error).code})`;
      return new Set<string>();
    });
    fail(messages.filter((m) => !sent.has(m.messageId)), `send to the sync queue failed${sendError}: kept in the dead-letter queue`);
    const delivered = messages.filter((m) => sent.has(m.messageId));
    if (delivered.length === 0) return;
    const deleted = await source.deleteBatch(delivered.map((m) => m.receiptHandle)).catch(() => new Set<string>());
    for (const m of delivered) {
      if (deleted.has(m.receiptHandle)) {
        held.delete(m.messageId);
        result.replayed += 1;
      } else {
        // Sent but still in the dead-letter queue: replaying it again later only duplicates an idempotent sync.
        fail([m], 'sent to the sync queue but not deleted from the dead-letter queue (a later replay duplicates it)');
      }
    }
  }

  function fail(messages: QueuedMessage[], reason: string): void {
    for (const m of messages) result.failures.push({ messageId: m.messageId, reason });
    result.failed += messages.length;
  }

  return { ...result, byCode: summarizeByCode(chosenRows), released, releaseFailed };
}

/** Unfiltered replay of an SQS-fed dead-letter queue: one native move task, progress by polling. */
async function moveAll(source: MessageQueue, destination: MessageQueue, mover: MessageMover, options: ReplayOptions) {
  const expected = await source.approximateCount();
  const result: ReplayResult = {
    queue: source.name, mode: 'move-task', dryRun: options.dryRun, scanned: expected, matched: expected, replayed: 0,
    failed: 0, failures: [], byCode: [], released: 0, releaseFailed: 0,
  };
  if (expected === 0) return result;
  // The move task moves without reading: the codes are read first (each message made visible again at once), so the
  // report says what was replayed, as the filtered path's does.
  const { rows, released, releaseFailed } = await listDeadLetters(source, { visibilitySeconds: options.visibilitySeconds, now: options.now });
  Object.assign(result, { byCode: summarizeByCode(rows), released, releaseFailed });
  if (options.dryRun) return result;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const sourceArn = await source.arn();
  await mover.start(sourceArn, await destination.arn());
  for (;;) {
    await sleep(options.pollMs ?? 2000);
    const status = await mover.status(sourceArn);
    const moved = status?.moved ?? 0;
    options.onProgress?.({ queue: source.name, scanned: expected, replayed: moved, expected: status?.toMove ?? expected });
    if (status?.status === 'RUNNING' || status?.status === 'CANCELLING') continue;
    result.replayed = moved;
    if (status?.status !== 'COMPLETED') {
      result.failed = Math.max(1, expected - moved);
      result.failures.push({ reason: `move task ${status?.status ?? 'vanished'}${status?.failureReason ? `: ${status.failureReason}` : ''}` });
    }
    return result;
  }
}
