import type { SQSClient } from '@aws-sdk/client-sqs';
import { sqsMessageMover, sqsQueueAdapter } from '../adapters/queues.js';
import type { DeadLetterQueueRole, QueueRole } from '../config/operator-config.js';
import type { MessageMover, MessageQueue } from '../core/operator-ports.js';
import { createSqsClient } from './clients.js';
import { logger } from './logger.js';

/** The queues of a replay, ready: the dead-letter queues it reads, the sync queue it refills, SQS's move task. */
export interface ReplayQueues {
  source(role: DeadLetterQueueRole): MessageQueue;
  destination: MessageQueue;
  /** SQS's message move task (it redrives only queues fed by an SQS redrive policy: sync-dlq). */
  mover: MessageMover;
}

/** Queue adapters over one SQS client, for the queue URLs given. */
export function replayQueues(sqs: SQSClient, urls: Readonly<Record<QueueRole, string>>): ReplayQueues {
  const sources = { 'sync-dlq': sqsQueueAdapter(sqs, urls['sync-dlq']), 'events-dlq': sqsQueueAdapter(sqs, urls['events-dlq']) };
  return { source: (role) => sources[role], destination: sqsQueueAdapter(sqs, urls.sync), mover: sqsMessageMover(sqs) };
}

/** Wires the replay function to AWS, once per cold start. */
export function composeReplay(urls: Readonly<Record<QueueRole, string>>, sqs: SQSClient = createSqsClient()) {
  return { queues: replayQueues(sqs, urls), logger };
}
