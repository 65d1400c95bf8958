/**
 * `replay run` and the scheduled reconcile send up to ten messages with one SendMessageBatch (issue 21, item 5): one
 * oversized message must not fail the other nine. Through the real SDK against the emulator's SQS, which refuses a
 * batch whose bodies add up to more than its limit (BatchRequestTooLong) and a message over MaximumMessageSize.
 */
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { groupBySize, SEND_BATCH_BYTES, sqsQueueAdapter } from '../../shared/adapters/queues';
import { startEmulator, type Emulator } from '../../local/emulator/index';

let emulator: Emulator;
let sqs: SQSClient;

beforeAll(async () => {
  emulator = await startEmulator({ sqsTimeScale: 0.01, seed: 5 });
  sqs = new SQSClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIATEST000000000000', secretAccessKey: 'test' }, maxAttempts: 1 });
});

afterAll(async () => {
  sqs.destroy();
  await emulator.stop();
});

const KIB = 1024;
const message = (id: string, bytes: number) => ({ id, body: JSON.stringify({ id, pad: 'x'.repeat(Math.max(0, bytes - 40)) }) });

async function received(url: string): Promise<number> {
  let count = 0;
  for (;;) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }));
    if (!out.Messages?.length) return count;
    count += out.Messages.length;
  }
}

it('groups by size: at most ten, at most the limit, an item over the limit alone, order kept', () => {
  const sizes = [100, 100, 300, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50];

  const groups = groupBySize(sizes, (n) => n, 250);

  expect(groups).toEqual([[100, 100], [300], [50, 50, 50, 50, 50], [50, 50, 50, 50, 50]]);
  expect(groupBySize([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], (n) => n, 100).map((g) => g.length)).toEqual([10, 1]);
});

it('sends nine ordinary messages beside one whose size breaks a single batch, and reports only a refused one', async () => {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'replay-target' }))).QueueUrl ?? '';
  const queue = sqsQueueAdapter(sqs, url, 0);
  // 900 KiB + 8 x 30 KiB is over the 1 MiB batch total: one batch would fail all of them. 1.1 MiB is over the per-message limit.
  const batch = [message('big', 900 * KIB), ...Array.from({ length: 8 }, (_, i) => message(`m${i}`, 30 * KIB)), message('huge', 1100 * KIB)];

  const sent = await queue.sendBatch(batch);

  expect([...sent].sort()).toEqual(['big', ...Array.from({ length: 8 }, (_, i) => `m${i}`)].sort());
  expect(await received(url)).toBe(9);
  expect(SEND_BATCH_BYTES).toBe(256 * KIB);
});

it('still throws when every batch is refused (the caller reports the reason)', async () => {
  const queue = sqsQueueAdapter(sqs, `${emulator.endpoint}/123456789012/no-such-queue`, 0);

  await expect(queue.sendBatch([message('a', 10)])).rejects.toMatchObject({ code: expect.any(String) });
});
