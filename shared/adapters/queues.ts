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
import type { MessageMover, MessageQueue, QueuedMessage } from '../core/ports/index.js';
import { call } from './sdk-errors.js';

/** The last path segment of a queue URL: its name. */
export const queueNameOf = (url: string): string => url.slice(url.replace(/\/+$/, '').lastIndexOf('/') + 1).replace(/\/+$/, '');

/**
 * The total of message bodies one SendMessageBatch may carry here: 256 KiB, the batch limit every queue has accepted
 * (newer queues allow 1 MiB; a queue's MaximumMessageSize may be lower, and what it was set to is not read here).
 */
export const SEND_BATCH_BYTES = 262_144;

/** Splits `items` in order into groups of at most 10 whose sizes add up to at most `limit` (an item over it alone). */
export function groupBySize<T>(items: readonly T[], size: (item: T) => number, limit: number): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const n = size(item);
    if (current.length > 0 && (current.length === 10 || bytes + n > limit)) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += n;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * A queue over @aws-sdk/client-sqs. `waitSeconds` long-polls each receive: with it, SQS asks all its servers, so an
 * empty answer means the queue has no visible message (a short poll samples and may answer empty when it has some).
 */
export function sqsQueueAdapter(client: SQSClient, url: string, waitSeconds = 1): MessageQueue {
  let arn: string | undefined;
  type Attribute = 'QueueArn' | 'ApproximateNumberOfMessages' | 'ApproximateNumberOfMessagesNotVisible' | 'ApproximateNumberOfMessagesDelayed';
  const attributes = async (names: Attribute[]) =>
    (await call('sqs:GetQueueAttributes', () => client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: names })))).Attributes ?? {};
  const attribute = async (name: Attribute) => (await attributes([name]))[name] ?? '';
  // Batch ids must be [A-Za-z0-9_-]{1,80}: entries are indexed, and the successful ids mapped back to their items.
  type Indexed<T> = { item: T; Id: string }[];
  async function batch<T>(what: string, items: readonly T[], send: (entries: Indexed<T>) => Promise<{ Successful?: { Id?: string }[] }>) {
    if (items.length === 0) return new Set<T>();
    const indexed = items.map((item, i) => ({ item, Id: String(i) }));
    const ok = new Set(((await call(what, () => send(indexed))).Successful ?? []).map((s) => s.Id));
    return new Set(indexed.filter((e) => ok.has(e.Id)).map((e) => e.item));
  }

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
        const attributes = Object.fromEntries(
          Object.entries(m.MessageAttributes ?? {}).flatMap(([key, value]) => (value.StringValue === undefined ? [] : [[key, value.StringValue]])),
        );
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
      // One SendMessageBatch carries at most SEND_BATCH_BYTES of bodies: an oversized message goes alone, so it fails
      // alone (BatchRequestTooLong refuses a whole batch). A batch refused is reported as not sent; all refused: thrown.
      const sent = new Set<string>();
      const refused: unknown[] = [];
      const groups = groupBySize(messages, (m) => Buffer.byteLength(m.body, 'utf8'), SEND_BATCH_BYTES);
      for (const group of groups) {
        try {
          const done = await batch('sqs:SendMessageBatch', group, (entries) =>
            client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries.map((e) => ({ Id: e.Id, MessageBody: e.item.body })) })),
          );
          for (const message of done) sent.add(message.id);
        } catch (error) {
          refused.push(error);
        }
      }
      if (refused.length === groups.length) throw refused[0];
      return sent;
    },

    deleteBatch: (handles) =>
      batch('sqs:DeleteMessageBatch', handles, (entries) =>
        client.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: entries.map((e) => ({ Id: e.Id, ReceiptHandle: e.item })) })),
      ),

    releaseBatch: (handles) =>
      batch('sqs:ChangeMessageVisibilityBatch', handles, (entries) =>
        client.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: url,
            Entries: entries.map((e) => ({ Id: e.Id, ReceiptHandle: e.item, VisibilityTimeout: 0 })),
          }),
        ),
      ),

    approximateCount: async () => Number(await attribute('ApproximateNumberOfMessages')) || 0,

    async approximateBacklog() {
      const names: Attribute[] = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'];
      const values = await attributes(names);
      return names.reduce((sum, name) => sum + (Number(values[name]) || 0), 0);
    },

    arn: async () => (arn ??= await attribute('QueueArn')),
  };
}

/** SQS's native dead-letter queue redrive (StartMessageMoveTask / ListMessageMoveTasks). */
export function sqsMessageMover(client: SQSClient): MessageMover {
  return {
    async start(sourceArn, destinationArn) {
      const input = { SourceArn: sourceArn, DestinationArn: destinationArn };
      await call('sqs:StartMessageMoveTask', () => client.send(new StartMessageMoveTaskCommand(input)));
    },
    async status(sourceArn) {
      const out = await call('sqs:ListMessageMoveTasks', () => client.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 1 })));
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
