import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  StartMessageMoveTaskCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { MessageMover, MessageQueue, QueuedMessage } from '../core/operator-ports.js';
import { call } from './sdk-errors.js';

/** The last path segment of a queue URL: its name. */
export const queueNameOf = (url: string): string => url.slice(url.replace(/\/+$/, '').lastIndexOf('/') + 1).replace(/\/+$/, '');

/**
 * A queue over @aws-sdk/client-sqs. `waitSeconds` long-polls each receive: with it, SQS asks all its servers, so an
 * empty answer means the queue has no visible message (a short poll samples and may answer empty when it has some).
 */
export function sqsQueueAdapter(client: SQSClient, url: string, waitSeconds = 1): MessageQueue {
  let arn: string | undefined;
  type Attribute = 'QueueArn' | 'ApproximateNumberOfMessages' | 'ApproximateNumberOfMessagesNotVisible' | 'ApproximateNumberOfMessagesDelayed';
  const attributes = async (names: Attribute[]) => {
    const out = await call('sqs:GetQueueAttributes', () =>
      client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: names })),
    );
    return out.Attributes ?? {};
  };
  const attribute = async (name: Attribute) => (await attributes([name]))[name] ?? '';
  // Batch ids must be [A-Za-z0-9_-]{1,80}: index them, map back to what the caller knows.
  const entries = <T>(items: T[]) => items.map((item, i) => ({ item, Id: String(i) }));

  return {
    name: queueNameOf(url),

    async receive(visibilitySeconds) {
      const out = await call('sqs:ReceiveMessage', () =>
        client.send(
          new ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: visibilitySeconds,
            WaitTimeSeconds: waitSeconds,
            MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
            MessageAttributeNames: ['All'],
          }),
        ),
      );
      return (out.Messages ?? []).flatMap((m): QueuedMessage[] => {
        if (!m.MessageId || !m.ReceiptHandle) return [];
        const attributes: Record<string, string> = {};
        for (const [key, value] of Object.entries(m.MessageAttributes ?? {})) {
          if (value.StringValue !== undefined) attributes[key] = value.StringValue;
        }
        return [{
          messageId: m.MessageId,
          receiptHandle: m.ReceiptHandle,
          body: m.Body ?? '',
          attributes,
          sentAt: Number(m.Attributes?.SentTimestamp ?? Date.now()),
          receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
        }];
      });
    },

    async sendBatch(messages) {
      if (messages.length === 0) return new Set();
      const indexed = entries(messages);
      const out = await call('sqs:SendMessageBatch', () =>
        client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: indexed.map((e) => ({ Id: e.Id, MessageBody: e.item.body })) })),
      );
      const ok = new Set((out.Successful ?? []).map((s) => s.Id));
      return new Set(indexed.filter((e) => ok.has(e.Id)).map((e) => e.item.id));
    },

    async deleteBatch(handles) {
      if (handles.length === 0) return new Set();
      const indexed = entries(handles);
      const out = await call('sqs:DeleteMessageBatch', () =>
        client.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: indexed.map((e) => ({ Id: e.Id, ReceiptHandle: e.item })) })),
      );
      const ok = new Set((out.Successful ?? []).map((s) => s.Id));
      return new Set(indexed.filter((e) => ok.has(e.Id)).map((e) => e.item));
    },

    async releaseBatch(handles) {
      if (handles.length === 0) return new Set();
      const indexed = entries(handles);
      const out = await call('sqs:ChangeMessageVisibilityBatch', () =>
        client.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: url,
            Entries: indexed.map((e) => ({ Id: e.Id, ReceiptHandle: e.item, VisibilityTimeout: 0 })),
          }),
        ),
      );
      const ok = new Set((out.Successful ?? []).map((s) => s.Id));
      return new Set(indexed.filter((e) => ok.has(e.Id)).map((e) => e.item));
    },

    async approximateCount() {
      return Number(await attribute('ApproximateNumberOfMessages')) || 0;
    },

    async approximateBacklog() {
      const names: Attribute[] = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'];
      const values = await attributes(names);
      return names.reduce((sum, name) => sum + (Number(values[name]) || 0), 0);
    },

    async arn() {
      arn ??= await attribute('QueueArn');
      return arn;
    },
  };
}

/** SQS's native dead-letter queue redrive (StartMessageMoveTask / ListMessageMoveTasks). */
export function sqsMessageMover(client: SQSClient): MessageMover {
  return {
    async start(sourceArn, destinationArn) {
      await call('sqs:StartMessageMoveTask', () =>
        client.send(new StartMessageMoveTaskCommand({ SourceArn: sourceArn, DestinationArn: destinationArn })),
      );
    },
    async status(sourceArn) {
      const out = await call('sqs:ListMessageMoveTasks', () =>
        client.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 1 })),
      );
      const task = out.Results?.[0];
      if (!task) return undefined;
      return {
        status: task.Status ?? 'UNKNOWN',
        moved: task.ApproximateNumberOfMessagesMoved ?? 0,
        toMove: task.ApproximateNumberOfMessagesToMove,
        failureReason: task.FailureReason,
      };
    },
  };
}
