import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { connectUserLister } from '../../shared/adapters/connect-users.js';
import { createPacer } from '../../shared/adapters/pacer.js';
import { createConnectClient, createSqsClient } from '../../shared/clients.js';
import { sqsQueueAdapter } from '../../shared/adapters/queues.js';
import { feedReconcileRequests, type FeedSummary } from '../../shared/core/reconcile-feed.js';
import { logger } from '../../shared/logger.js';
import { loadReconcileFeedConfig } from '../../shared/operator-config.js';

// Cold start: configuration validated, clients built once.
const config = loadReconcileFeedConfig();
const lister = connectUserLister(createConnectClient(), createPacer(config.connectRequestsPerSecond));
const queue = sqsQueueAdapter(createSqsClient(), config.syncQueueUrl);

/** Scheduled: queues one sync request per Connect user; syncUser does the work. Exported unwrapped for tests. */
export async function reconcileFeed(): Promise<FeedSummary> {
  const summary = await feedReconcileRequests(lister, queue, config.connectInstanceId);
  logger.info('reconcile requests queued', { ...summary, instanceId: config.connectInstanceId });
  return summary;
}

export const handler = middy(reconcileFeed).use(injectLambdaContext(logger, { resetKeys: true }));
