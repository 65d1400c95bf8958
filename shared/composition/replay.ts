import type { SQSClient } from '@aws-sdk/client-sqs';
import { sqsMessageMover, sqsQueueAdapter } from '../adapters/queues.js';
import type { QueueRole } from '../config/operator-config.js';
import type { MessageQueue } from '../core/ports/index.js';
import { createSqsClient } from './clients.js';
import { logger } from './logger.js';

/** Wires the replay function to AWS, once per cold start: the dead-letter queues it reads, the sync queue it refills. */
export function composeReplay(urls: Readonly<Record<QueueRole, string>>, sqs: SQSClient = createSqsClient()) {
  const sources = { 'sync-dlq': sqsQueueAdapter(sqs, urls['sync-dlq']), 'events-dlq': sqsQueueAdapter(sqs, urls['events-dlq']) };
  const source = (role: keyof typeof sources): MessageQueue => sources[role];
  return { queues: { source, destination: sqsQueueAdapter(sqs, urls.sync), mover: sqsMessageMover(sqs) }, logger };
}
