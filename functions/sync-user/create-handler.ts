import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { AwsClients } from '../../shared/clients.js';
import { createSyncRecordProcessor, metrics } from '../../shared/composition.js';
import type { SyncConfig } from '../../shared/config.js';
import { logger } from '../../shared/logger.js';

export interface HandlerOptions {
  clients?: AwsClients;
  /** How long before Lambda's own timeout the handler answers with what it has finished (default 1 s). */
  answerBeforeTimeoutMs?: number;
}

/**
 * SQS batch -> one sync per record (in parallel; Connect calls are paced) -> the records to retry, for one
 * configuration. `unfinished()` answers for the current invocation as if every record not yet done had failed.
 */
export function createSyncUserBatch(config: SyncConfig, clients?: AwsClients) {
  const processRecord = createSyncRecordProcessor(config, clients);
  let unfinished: () => SQSBatchResponse = () => ({ batchItemFailures: [] });

  async function syncUserBatch(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
    const done = new Set<string>();
    unfinished = () => ({
      batchItemFailures: event.Records.filter((r) => !done.has(r.messageId)).map((r) => ({ itemIdentifier: r.messageId })),
    });
    const processAndMark = async (record: SQSRecord) => {
      await processRecord(record);
      done.add(record.messageId);
    };
    // A processor per invocation: a timed-out invocation may still be running when the next one starts.
    const processor = new BatchProcessor(EventType.SQS);
    return processPartialResponse(event, processAndMark, processor, { context, throwOnFullBatchFailure: false });
  }

  return { syncUserBatch, unfinished: () => unfinished() };
}

/**
 * The Lambda handler for a configuration, with the Powertools logger context and metrics flushing. Shortly before
 * the function would time out it answers with the records it finished acknowledged and the rest to be retried,
 * instead of letting Lambda fail (and so redeliver) the whole batch.
 */
export function createSyncUserHandler(config: SyncConfig, options: HandlerOptions = {}) {
  const batch = createSyncUserBatch(config, options.clients);
  return middy(batch.syncUserBatch, {
    timeoutEarlyInMillis: options.answerBeforeTimeoutMs ?? 1000,
    timeoutEarlyResponse: () => {
      const answer = batch.unfinished();
      logger.warn('invocation about to time out; unfinished records will be retried', {
        unfinished: answer.batchItemFailures.length,
      });
      return answer;
    },
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
}
