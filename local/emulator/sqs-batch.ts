/**
 * SendMessageBatch with partial failures: entries that break a per-message rule, and entries chosen by the
 * `sqsBatchFailures` fault option, are answered under `Failed` ({ Id, SenderFault, Code, Message }) and not sent,
 * while the others are sent, as SQS answers a batch it accepted only in part.
 */
import type { JsonObject } from './core.js';
import type { SqsEngine, SqsMessageAttribute, SqsQueue } from './sqs-engine.js';
import { ApiError, arr, compact, isObject, md5Hex, num, seededRandom, str } from './core.js';
import { md5OfMessageAttributes } from './sqs-engine.js';
import { MAX_BATCH_BYTES, batchTooLong, checkBatchEntries, checkSize, cleanAttributes, cleanText, inRange, messageBytes, parseMessageAttributes } from './sqs-rules.js';

export interface BatchFailureSpec {
  /** Deterministic: the next N entries sent to the queue fail. */
  failNext?: number;
  /** Probability (0..1) that an entry fails; draws come from the emulator's seeded PRNG. */
  failRate?: number;
  /** Default `InternalError` (a service-side failure: the sender may retry the entry). */
  code?: string;
  /** Default false for InternalError, true for any other code. */
  senderFault?: boolean;
  message?: string;
}

/** Keyed by queue name, or `*` for every queue. */
export type BatchFailureOptions = Record<string, BatchFailureSpec>;

export class BatchFailures {
  private specs: BatchFailureOptions = {};
  private readonly random: () => number;

  constructor(seed: number, options: BatchFailureOptions = {}) {
    this.random = seededRandom(seed ^ 0x5a5a5a5a);
    this.configure(options);
  }

  configure(options: BatchFailureOptions): void {
    this.specs = structuredClone(options);
  }

  /** The failure to answer for the next entry of `queue`, if any. */
  next(queue: SqsQueue): JsonObject | undefined {
    const spec = this.specs[queue.name] ?? this.specs['*'];
    if (spec === undefined) return undefined;
    const draw = this.random();
    let fail = false;
    if ((spec.failNext ?? 0) > 0) {
      spec.failNext = (spec.failNext ?? 0) - 1;
      fail = true;
    } else if (draw < (spec.failRate ?? 0)) {
      fail = true;
    }
    if (!fail) return undefined;
    const code = spec.code ?? 'InternalError';
    return { SenderFault: spec.senderFault ?? code !== 'InternalError', Code: code, Message: spec.message ?? 'The entry failed (injected fault).' };
  }
}

export function sendMessageBatch(engine: SqsEngine, failures: BatchFailures, input: JsonObject, mode: 'reject' | 'replace'): JsonObject {
  const queue = engine.byUrl(str(input, 'QueueUrl'));
  const entries = arr(input, 'Entries');
  checkBatchEntries(entries, entries.map((e) => (isObject(e) ? str(e, 'Id') : undefined)));
  const limit = Number(queue.attributes.MaximumMessageSize ?? MAX_BATCH_BYTES);
  // Whole-batch checks first: the total size refuses the request before anything is sent.
  const prepared = entries.filter(isObject).map((entry) => {
    const id = str(entry, 'Id') ?? '';
    try {
      const body = str(entry, 'MessageBody') ?? '';
      if (body === '') throw new ApiError('MissingParameter', 400, 'The request must contain the parameter MessageBody.');
      const sent: Record<string, SqsMessageAttribute> = parseMessageAttributes(entry.MessageAttributes);
      const bytes = messageBytes(body, sent);
      const stored = { body: cleanText(body, mode), attributes: cleanAttributes(sent, mode) };
      return { id, bytes, ...stored, md5: md5Hex(body), md5Attributes: md5OfMessageAttributes(sent), delay: inRange(num(entry, 'DelaySeconds'), 'DelaySeconds', 0, 900) };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return { id, bytes: 0, error };
    }
  });
  if (prepared.reduce((total, p) => total + p.bytes, 0) > MAX_BATCH_BYTES) throw batchTooLong();
  const successful: JsonObject[] = [];
  const failed: JsonObject[] = [];
  for (const p of prepared) {
    let error = 'error' in p ? p.error : undefined;
    if (error === undefined) {
      try {
        checkSize(p.bytes, limit);
      } catch (sizeError) {
        if (!(sizeError instanceof ApiError)) throw sizeError;
        error = sizeError;
      }
    }
    if (error !== undefined) {
      failed.push({ Id: p.id, SenderFault: true, Code: error.code, Message: error.message });
      continue;
    }
    const injected = failures.next(queue);
    if (injected !== undefined) {
      failed.push({ Id: p.id, ...injected });
      continue;
    }
    if ('body' in p && p.body !== undefined) {
      const message = engine.send(queue, p.body, p.attributes, p.delay);
      successful.push(compact({ Id: p.id, MessageId: message.messageId, MD5OfMessageBody: p.md5, MD5OfMessageAttributes: p.md5Attributes }));
    }
  }
  return { Successful: successful, Failed: failed };
}
