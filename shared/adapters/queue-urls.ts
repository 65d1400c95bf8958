import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueDirectory } from '../core/ports/index.js';
import { classifySdkError, isNotFound } from './sdk-errors.js';

/** Queue URLs by name, over SQS. */
export function queueDirectoryAdapter(sqs: SQSClient): QueueDirectory {
  return {
    async urlOf(name) {
      try {
        return (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl || undefined;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw classifySdkError(error, 'sqs:GetQueueUrl');
      }
    },
  };
}
