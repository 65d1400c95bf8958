import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ListSubscriptionsByTopicCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { QueueDirectory, StatusReads } from '../core/ports/index.js';
import { paginate } from './paginate.js';
import { call, callUnlessAbsent } from './sdk-errors.js';

/** Queue URLs by name, over SQS. */
export function queueDirectoryAdapter(sqs: SQSClient): QueueDirectory {
  return {
    async urlOf(name) {
      return (await callUnlessAbsent('sqs:GetQueueUrl', () => sqs.send(new GetQueueUrlCommand({ QueueName: name }))))?.QueueUrl || undefined;
    },
  };
}

/** What `status` reads of SQS and SNS; the region is the SQS client's (the stack's: its queues, metrics and dashboard). */
export function statusReadsAdapter(sqs: SQSClient, sns: SNSClient): StatusReads {
  return {
    async backlog(queueUrl) {
      const out = await call('sqs:GetQueueAttributes', () =>
        sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] })),
      );
      const count = (value: string | undefined) => Number(value ?? 0) || 0;
      return { visible: count(out.Attributes?.ApproximateNumberOfMessages), inFlight: count(out.Attributes?.ApproximateNumberOfMessagesNotVisible) };
    },

    // SNS lists a subscription nobody confirmed with SubscriptionArn `PendingConfirmation`.
    async emailSubscription(topicArn) {
      const confirmed: boolean[] = [];
      const pages = paginate((token) =>
        call('sns:ListSubscriptionsByTopic', () => sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: token }))),
      );
      for await (const out of pages) {
        for (const s of out.Subscriptions ?? []) {
          if (s.Protocol === 'email' || s.Protocol === 'email-json') confirmed.push(s.SubscriptionArn !== undefined && s.SubscriptionArn !== 'PendingConfirmation');
        }
      }
      return confirmed.length === 0 ? 'none' : confirmed.some(Boolean) ? 'confirmed' : 'pending';
    },

    region: () => sqs.config.region(),
  };
}
