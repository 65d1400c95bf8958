import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { AwsClients } from '../../shared/clients.js';
import { createSyncRecordProcessor, metrics } from '../../shared/composition.js';
import type { SyncConfig } from '../../shared/config.js';
import { logger } from '../../shared/logger.js';

/**
 * SQS batch -> one sync per record -> the records to retry, for one configuration. The returned function is the
 * bare batch handler (for tests); `handler` below is it wrapped in middleware.
 */
export function createSyncUserBatch(config: SyncConfig, clients?: AwsClients) {
  const processRecord = createSyncRecordProcessor(config, clients);
  const processor = new BatchProcessor(EventType.SQS);
  return async function syncUserBatch(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
    return processPartialResponse(event, processRecord, processor, { context, throwOnFullBatchFailure: false });
  };
}

/** The Lambda handler for a configuration, with the Powertools logger context and metrics flushing. */
export function createSyncUserHandler(config: SyncConfig, clients?: AwsClients) {
  return middy(createSyncUserBatch(config, clients))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
}
