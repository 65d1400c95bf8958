import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createSyncRecordProcessor, metrics } from '../../shared/composition.js';
import { loadSyncConfig } from '../../shared/config.js';
import { logger } from '../../shared/logger.js';

// Cold start: configuration is validated and clients are built once; a bad configuration fails here, loudly.
const processRecord = createSyncRecordProcessor(loadSyncConfig());
const processor = new BatchProcessor(EventType.SQS);

/** SQS batch -> one sync per record -> the records to retry. Exported unwrapped for tests. */
export async function syncUserBatch(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  return processPartialResponse(event, processRecord, processor, { context, throwOnFullBatchFailure: false });
}

export const handler = middy(syncUserBatch)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
