import { RECONCILE_SOURCE, type ReconcileRequest } from '../sync-message.js';
import type { ConnectUserLister, MessageQueue } from './operator-ports.js';
import { RetryableError } from './errors.js';

export interface FeedSummary {
  pages: number;
  queued: number;
}

/**
 * The scheduled reconcile: one `reconcileRequest` message per Connect user into the sync queue, which syncUser
 * handles like a CreateUser event (same code path, same rate limits, same dead-letter queue). Streams ListUsers pages.
 * Throws RetryableError when SQS refuses part of a batch (the schedule's next run, or a retry, sends them again;
 * duplicates are harmless: the sync is idempotent).
 */
export async function feedReconcileRequests(lister: ConnectUserLister, queue: MessageQueue, instanceId: string): Promise<FeedSummary> {
  const summary: FeedSummary = { pages: 0, queued: 0 };
  for await (const page of lister.pages(instanceId)) {
    summary.pages += 1;
    for (let i = 0; i < page.users.length; i += 10) {
      const batch = page.users.slice(i, i + 10).map((user) => {
        const request: ReconcileRequest = { source: RECONCILE_SOURCE, instanceId, userId: user.id };
        return { id: user.id, body: JSON.stringify(request) };
      });
      const sent = await queue.sendBatch(batch);
      summary.queued += sent.size;
      if (sent.size < batch.length) {
        throw new RetryableError('SERVICE_ERROR', `the sync queue refused ${batch.length - sent.size} of ${batch.length} messages`);
      }
    }
  }
  return summary;
}
