/** SQS semantics through the real @aws-sdk/client-sqs (JSON protocol): visibility, receive counts, redrive, move tasks. */
import {
  ChangeMessageVisibilityCommand, CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, GetQueueUrlCommand,
  ListMessageMoveTasksCommand, ListQueuesCommand, PurgeQueueCommand, QueueDoesNotExist, ReceiveMessageCommand, SendMessageBatchCommand,
  SendMessageCommand, SQSClient, StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import type { Emulator } from '../../local/emulator/index';
import { startEmulator } from '../../local/emulator/index';

// SQS's clock is the test's: a visibility timeout expires when the test steps past it, never because the machine was slow.
let now = 1_700_000_000_000;
const SECOND = 1000;
const advance = (ms: number) => {
  now += ms;
};
let emulator: Emulator;
let sqs: SQSClient;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, sqsClock: () => now });
  sqs = new SQSClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIATEST000000000000', secretAccessKey: 'test' } });
});

afterAll(async () => {
  sqs.destroy();
  await emulator.stop();
});

/** Resolves once `done()` holds: waits for the emulator's counted work, not for an amount of time. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
}
const receive = (QueueUrl: string, extra: Partial<ConstructorParameters<typeof ReceiveMessageCommand>[0]> = {}) =>
  sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'], ...extra })).then((o) => o.Messages ?? []);

describe('SQS', () => {
  it('creates queues with URLs under the account, lists them and answers QueueDoesNotExist', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'plain', Attributes: { VisibilityTimeout: '1' } }));
    expect(QueueUrl).toBe(`${emulator.endpoint}/123456789012/plain`);
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'plain' }))).QueueUrl).toBe(QueueUrl);
    expect((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'pla' }))).QueueUrls).toEqual([QueueUrl]);
    const error = await sqs.send(new GetQueueUrlCommand({ QueueName: 'missing' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueDoesNotExist);
    expect(error).toMatchObject({ $fault: 'client', $metadata: { httpStatusCode: 400 } });
  });

  it('hides received messages for the visibility timeout and counts receives', async () => {
    const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: 'visibility', Attributes: { VisibilityTimeout: '2' } }));
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"n":1}', MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } } }));
    const [first] = await receive(QueueUrl);
    expect(first).toMatchObject({ MessageId: sent.MessageId, Body: '{"n":1}', MD5OfMessageAttributes: sent.MD5OfMessageAttributes, MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } } });
    expect(first?.Attributes).toMatchObject({ ApproximateReceiveCount: '1', SenderId: expect.any(String), SentTimestamp: expect.stringMatching(/^\d{13}$/), ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/) });
    expect(await receive(QueueUrl)).toHaveLength(0);
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    expect(attributes.Attributes).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '1' });
    advance(2 * SECOND - 1);
    expect(await receive(QueueUrl)).toHaveLength(0);
    advance(1);
    const [again] = await receive(QueueUrl, { VisibilityTimeout: 20 });
    expect(again?.MessageId).toBe(sent.MessageId);
    expect(again?.Attributes?.ApproximateReceiveCount).toBe('2');
    expect(again?.Attributes?.ApproximateFirstReceiveTimestamp).toBe(first?.Attributes?.ApproximateFirstReceiveTimestamp);
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: again?.ReceiptHandle, VisibilityTimeout: 0 }));
    expect((await receive(QueueUrl))[0]?.Attributes?.ApproximateReceiveCount).toBe('3');
  });

  it('long-polls until a message arrives, and answers empty once the wait time has passed', async () => {
    const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: 'long-poll' }));
    const polling = () => emulator.state.queue('long-poll').polling;
    let answered = false;
    const waiting = receive(QueueUrl, { WaitTimeSeconds: 20 }).finally(() => (answered = true));
    await until(() => polling() === 1);
    advance(19 * SECOND); // still within the wait
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(answered).toBe(false);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'late' }));
    expect((await waiting).map((m) => m.Body)).toEqual(['late']);

    const empty = receive(QueueUrl, { WaitTimeSeconds: 20 });
    await until(() => polling() === 1);
    advance(20 * SECOND);
    expect(await empty).toEqual([]);
  });

  it('sends and deletes in batches, reporting bad receipt handles per entry, and purges', async () => {
    const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: 'batches' }));
    const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `body ${i}` })) }));
    expect(sent.Successful).toHaveLength(10);
    const messages = await receive(QueueUrl);
    expect(messages).toHaveLength(10);
    const out = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', ReceiptHandle: messages[0]?.ReceiptHandle }, { Id: 'b', ReceiptHandle: 'bogus' }] }));
    expect(out.Successful?.map((s) => s.Id)).toEqual(['a']);
    expect(out.Failed).toEqual([expect.objectContaining({ Id: 'b', Code: 'ReceiptHandleIsInvalid', SenderFault: true })]);
    expect(emulator.state.queue('batches').messages).toHaveLength(9);
    await sqs.send(new PurgeQueueCommand({ QueueUrl }));
    expect(emulator.state.queue(QueueUrl).messages).toHaveLength(0);
  });

  it('moves a message to the dead-letter queue on the receive after maxReceiveCount, keeping body and attributes', async () => {
    const ids = emulator.seed({ queues: [{ name: 'work', visibilityTimeout: 1, redrive: { dlqName: 'work-dlq', maxReceiveCount: 2 } }] });
    const url = ids.queues.work?.url ?? '';
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    expect(JSON.parse(attributes.Attributes?.RedrivePolicy ?? '{}')).toEqual({ deadLetterTargetArn: ids.queues['work-dlq']?.arn, maxReceiveCount: 2 });
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison', MessageAttributes: { source: { DataType: 'String', StringValue: 'test' } } }));
    for (let i = 1; i <= 2; i += 1) {
      const [message] = await receive(url);
      expect(message?.Attributes?.ApproximateReceiveCount).toBe(String(i));
      advance(SECOND);
    }
    expect(await receive(url)).toHaveLength(0);
    const dlq = emulator.state.queue('work-dlq');
    expect(dlq.messages).toEqual([expect.objectContaining({ messageId: sent.MessageId, body: 'poison', receiveCount: 2, messageAttributes: { source: { DataType: 'String', StringValue: 'test' } } })]);
    const [fromDlq] = await receive(ids.queues['work-dlq']?.url ?? '');
    expect(fromDlq?.MessageAttributes?.source?.StringValue).toBe('test');
  });

  it('StartMessageMoveTask moves dead letters back to their source queue at the given rate', async () => {
    const ids = emulator.seed({ queues: [{ name: 'orders', visibilityTimeout: 1, redrive: { dlqName: 'orders-dlq', maxReceiveCount: 1 } }] });
    const dlq = ids.queues['orders-dlq'];
    const source = ids.queues.orders;
    for (let i = 0; i < 4; i += 1) await sqs.send(new SendMessageCommand({ QueueUrl: dlq?.url, MessageBody: `dead ${i}` }));
    const refused = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: source?.arn })).catch((e: unknown) => e);
    expect(refused).toMatchObject({ $fault: 'client' }); // only a dead-letter queue can be the source
    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq?.arn, MaxNumberOfMessagesPerSecond: 1 }));
    expect(TaskHandle).toEqual(expect.any(String));
    const running = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq?.arn }));
    expect(running.Results?.[0]).toMatchObject({ Status: 'RUNNING', TaskHandle, ApproximateNumberOfMessagesToMove: 4, SourceArn: dlq?.arn });
    // 1 message per SQS second: none moves until the clock moves, then one per second.
    const moved = () => emulator.state.queue('orders').messages.length;
    expect(moved()).toBe(0);
    for (let second = 1; second <= 4; second += 1) {
      advance(SECOND);
      await until(() => moved() === second);
    }
    const done = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq?.arn }));
    expect(done.Results?.[0]).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 4 });
    expect(emulator.state.queue('orders').messages.map((m) => m.body).sort()).toEqual(['dead 0', 'dead 1', 'dead 2', 'dead 3']);
    expect(emulator.state.queue('orders-dlq').messages).toHaveLength(0);
  });
});
