import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { asSyncError } from './core/errors.js';
import type { DeadLetters } from './core/ports.js';
import type { SyncUser } from './core/sync-user.js';
import { redact } from './logger.js';
import { parseSyncMessage } from './sync-message.js';

export interface RecordDeps {
  syncUser: SyncUser;
  deadLetters: DeadLetters;
  instanceId: string;
  logger: Logger;
  metrics: Metrics;
}

/**
 * Handles one `sync` queue record. Resolves when the record is done with: synced, deliberately ignored, or
 * parked in the dead-letter queue with its reason. Throws only when the record should be retried (or could not be
 * parked), which the batch processor reports in batchItemFailures. Logs exactly one outcome line per record.
 */
export function createRecordProcessor(deps: RecordDeps): (record: SQSRecord) => Promise<void> {
  const { logger, metrics } = deps;
  const count = (name: string) => metrics.addMetric(name, MetricUnit.Count, 1);

  return async function processRecord(record) {
    const ids: Record<string, string | undefined> = { messageId: record.messageId };
    try {
      const message = parseSyncMessage(record.body, deps.instanceId);
      if (message.kind === 'ignore') {
        logger.info('record ignored', { ...ids, outcome: 'ignored', reason: message.reason, eventInstanceId: message.instanceId });
        count('RecordsIgnored');
        return;
      }
      ids.connectUserId = message.request.userId;
      const result = await deps.syncUser(message.request);
      logger.info('user synced', { ...ids, ...result });
      count(result.outcome === 'created' ? 'UsersCreated' : 'UsersLinked');
    } catch (thrown) {
      const error = asSyncError(thrown);
      const failure = { ...ids, errorCode: error.code, errorMessage: redact(error.message) };
      if (error.retryable) {
        logger.warn('user sync failed, will retry', { ...failure, outcome: 'failed', retryable: true });
        count('RetryableFailures');
        throw error;
      }
      try {
        await deps.deadLetters.send(record.body, { code: error.code, message: error.message });
      } catch (sendError) {
        const reason = asSyncError(sendError);
        logger.error('dead-letter send failed, will retry', { ...failure, outcome: 'failed', deadLetterError: reason.code });
        count('RetryableFailures');
        throw reason;
      }
      logger.error('user sync failed, sent to the dead-letter queue', { ...failure, outcome: 'failed', retryable: false });
      count('DeadLettered');
    }
  };
}
