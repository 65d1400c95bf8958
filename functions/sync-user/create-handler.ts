import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { setMaxListeners } from 'node:events';
import { withAbortSignal } from '../../shared/adapters/abort.js';
import type { SyncUserRoot } from '../../shared/composition/sync-user.js';

/**
 * How long before Lambda's own timeout the handler answers with what it has finished (`answerBeforeTimeoutMs`,
 * default 3 s): room to let dead-letter sends in flight finish and to park the records that ran out of receives.
 */
const DEFAULT_ANSWER_MS = 3000;

interface Invocation {
  event: SQSEvent;
  done: Set<string>;
  /** Dead-letter sends in flight, by message id. */
  parking: Map<string, Promise<void>>;
  /** The timeout answer, computed once (it parks records): both middy's early response and the batch's return give it. */
  answer?: Promise<SQSBatchResponse>;
}

/**
 * SQS batch -> one record processor call per record (in parallel; Connect calls are paced) -> the records to retry,
 * over the objects the composition root built. `answerEarly()` answers for the current invocation once it is about to time out.
 */
export function createSyncUserBatch(root: SyncUserRoot, answerBeforeTimeoutMs = DEFAULT_ANSWER_MS) {
  const { processRecord, deadLetters, maxReceiveCount, logger } = root;
  // Half the margin for the sends in flight, half for parking the last-receive records.
  const waitMs = answerBeforeTimeoutMs / 2;
  let current: Invocation | undefined;

  async function syncUserBatch(event: SQSEvent, context: Context, opts: { signal?: AbortSignal } = {}): Promise<SQSBatchResponse> {
    const invocation: Invocation = { event, done: new Set(), parking: new Map() };
    current = invocation;
    const abandoned = () => opts.signal?.aborted === true;
    const account = accountOf(context);
    const processAndMark = async (record: SQSRecord) => {
      await processRecord(record, { abandoned, account, onParking: (send) => invocation.parking.set(record.messageId, send) });
      invocation.done.add(record.messageId);
    };
    // A processor per invocation: a timed-out invocation may still be running when the next one starts.
    const processor = new BatchProcessor(EventType.SQS);
    // Every AWS call of this invocation carries its abort signal (see shared/adapters/abort.ts): one listener per call in flight.
    if (opts.signal) setMaxListeners(0, opts.signal);
    const response = await withAbortSignal(opts.signal, () =>
      processPartialResponse(event, processAndMark, processor, { context, throwOnFullBatchFailure: false }),
    );
    // Aborted calls fail at once, so the batch may finish while the timeout answer is still being computed, and middy
    // answers whichever comes first: give the timeout answer here too, or a record it parks could also be retried.
    return abandoned() ? answerFor(invocation) : response;
  }

  /**
   * The answer just before Lambda's timeout (middy has aborted the invocation's signal: its AWS calls stop). A
   * dead-letter send in flight is let finish: its record is acknowledged if it landed, retried if not. Unfinished
   * records on their last receive are parked here with TIMEOUT, so that every message of sync-dlq carries a reason;
   * the others are handed back to be retried. A record is never both retried and parked.
   */
  async function answerEarly(): Promise<SQSBatchResponse> {
    return current ? answerFor(current) : { batchItemFailures: [] };
  }

  const answerFor = (invocation: Invocation) => (invocation.answer ??= timeoutAnswer(invocation));

  async function timeoutAnswer(invocation: Invocation): Promise<SQSBatchResponse> {
    const parked = await settled(invocation.parking, waitMs);
    const unfinished = invocation.event.Records.filter((r) => !invocation.done.has(r.messageId) && !parked.has(r.messageId));
    // A record whose own send is still running is not parked twice: it is retried.
    const outOfReceives = unfinished.filter(
      (r) => Number(r.attributes.ApproximateReceiveCount) >= maxReceiveCount && !invocation.parking.has(r.messageId),
    );
    const timedOut = await settled(new Map(outOfReceives.map((r) => [r.messageId, parkTimedOut(r)])), waitMs);
    const failures = unfinished.filter((r) => !timedOut.has(r.messageId)).map((r) => ({ itemIdentifier: r.messageId }));
    logger.warn('invocation about to time out; unfinished records will be retried', { unfinished: failures.length, parkedOnTimeout: timedOut.size });
    return { batchItemFailures: failures };
  }

  const timedOutReason = { code: 'TIMEOUT', message: `the function timed out while syncing this record, on its last receive (${maxReceiveCount})` };
  const parkTimedOut = (record: SQSRecord) => withAbortSignal(undefined, () => deadLetters.send(record.body, timedOutReason));

  return { syncUserBatch, answerEarly };
}

/** The function's own account: the fifth field of its ARN (arn:aws:lambda:<region>:<account>:function:<name>). */
function accountOf(context: Context | undefined): string | undefined {
  const account = context?.invokedFunctionArn?.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/**
 * The keys whose promise fulfilled within `withinMs` (the answer cannot wait past Lambda's timeout: a send still
 * running then counts as not landed, and its record is retried — at worst a second dead letter, never a loss).
 */
async function settled(sends: Map<string, Promise<void>>, withinMs: number): Promise<Set<string>> {
  const landed = new Set<string>();
  const all = Promise.allSettled([...sends].map(([key, send]) => send.then(() => landed.add(key))));
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([all, new Promise((resolve) => (timer = setTimeout(resolve, withinMs)))]);
  clearTimeout(timer);
  return new Set(landed);
}

/**
 * The Lambda handler for a configuration, with the Powertools logger context and metrics flushing. Shortly before
 * the function would time out it answers with the records it finished acknowledged and the rest to be retried,
 * instead of letting Lambda fail (and so redeliver) the whole batch.
 */
export function createSyncUserHandler(root: SyncUserRoot, { answerBeforeTimeoutMs = DEFAULT_ANSWER_MS } = {}) {
  const batch = createSyncUserBatch(root, answerBeforeTimeoutMs);
  return middy(batch.syncUserBatch, { timeoutEarlyInMillis: answerBeforeTimeoutMs, timeoutEarlyResponse: () => batch.answerEarly() })
    .use(injectLambdaContext(root.logger, { resetKeys: true }))
    .use(logMetrics(root.metrics));
}
