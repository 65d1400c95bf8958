/** SQS limits and partial batch failures through the real @aws-sdk/client-sqs (JSON protocol, query-compatible codes). */
import {
  BatchRequestTooLong, ChangeMessageVisibilityCommand, CreateQueueCommand, InvalidBatchEntryId, InvalidMessageContents, ListQueuesCommand,
  ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SetQueueAttributesCommand, SQSClient, type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import type { Emulator } from '../../local/emulator/index';
import { startEmulator } from '../../local/emulator/index';

let emulator: Emulator;
let sqs: SQSClient;
let url = '';

beforeAll(async () => {
  emulator = await startEmulator({ sqsTimeScale: 0.01, seed: 3 });
  sqs = new SQSClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIATEST000000000000', secretAccessKey: 'test' }, maxAttempts: 1 });
  url = (await sqs.send(new CreateQueueCommand({ QueueName: 'limits' }))).QueueUrl ?? '';
});

afterAll(async () => {
  sqs.destroy();
  await emulator.stop();
});

afterEach(() => {
  emulator.setBehaviour({ sqsInvalidCharacters: 'reject' });
  emulator.setSqsBatchFailures({});
});

const code = (promise: Promise<unknown>) => promise.then(() => 'ok', (e: unknown) => (e as Error).name);
const send = (MessageAttributes: Record<string, MessageAttributeValue>, MessageBody = 'body') => code(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody, MessageAttributes })));
const text = (StringValue: string): MessageAttributeValue => ({ DataType: 'String', StringValue });

describe('message attributes', () => {
  it('refuses empty values and types, more than 10 attributes, and names outside the allowed form (InvalidParameterValue)', async () => {
    expect(await send({ a: text('') })).toBe('InvalidParameterValue');
    expect(await send({ a: { DataType: '', StringValue: 'x' } })).toBe('InvalidParameterValue');
    expect(await send({ a: { DataType: 'Binary', BinaryValue: new Uint8Array() } })).toBe('InvalidParameterValue');
    expect(await send(Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, text('x')])))).toBe('InvalidParameterValue');
    for (const name of ['AWS.trace', 'amazon.x', '.lead', 'trail.', 'two..dots', 'has space', 'x'.repeat(257)]) expect(await send({ [name]: text('x') })).toBe('InvalidParameterValue');
    expect(await send({ a: { DataType: 'Number', StringValue: 'twelve' } })).toBe('InvalidParameterValue');
    expect(await send({ a: { DataType: 'Text', StringValue: 'x' } })).toBe('InvalidParameterValue');
    expect(await send({ 'ok_name-1.v2': text('x'), n: { DataType: 'Number.int', StringValue: '-12.5e3' }, b: { DataType: 'Binary', BinaryValue: new Uint8Array([1]) } })).toBe('ok');
    expect(await send(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i}`, text('x')])))).toBe('ok');
  });

  it('refuses characters outside #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF (InvalidMessageContents)', async () => {
    expect(await send({}, 'bell \u0007')).toBe('InvalidMessageContents');
    expect(await send({}, 'nul \u0000')).toBe('InvalidMessageContents');
    expect(await send({}, 'lone \ud800 surrogate')).toBe('InvalidMessageContents');
    expect(await send({ a: text('vertical\u000btab') })).toBe('InvalidMessageContents');
    expect(await send({}, 'tab\t cr\r lf\n 😀 \ue000 \ufffd')).toBe('ok');
    const error = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '\u0001' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidMessageContents);
  });

  it("sqsInvalidCharacters 'replace' stores U+FFFD instead (newer documentation), unless nothing valid is left", async () => {
    emulator.setBehaviour({ sqsInvalidCharacters: 'replace' });
    const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: 'replace' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a\u0007b', MessageAttributes: { k: text('c\u0000d') } }));
    const [message] = emulator.state.queue('replace').messages;
    expect([message?.body, message?.messageAttributes.k?.StringValue]).toEqual(['a\ufffdb', 'c\ufffdd']);
    expect(await code(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '\u0007' })))).toBe('InvalidMessageContents');
  });
});

describe('sizes and ranges', () => {
  it('counts body plus attribute names, types and values against MaximumMessageSize (1 MiB by default)', async () => {
    expect(await send({}, 'x'.repeat(1_048_576))).toBe('ok');
    // 1 MiB - 7 body bytes + 'k' + 'String' + 'v' = 1 MiB + 1.
    expect(await send({ k: text('v') }, 'x'.repeat(1_048_576 - 7))).toBe('InvalidParameterValue');
    expect(await send({ k: text('v') }, 'x'.repeat(1_048_576 - 8))).toBe('ok');
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { MaximumMessageSize: '1024' } }));
    expect(await send({}, 'x'.repeat(1025))).toBe('InvalidParameterValue');
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { MaximumMessageSize: '1048576' } }));
  });

  it('checks VisibilityTimeout 0..43200, MaxNumberOfMessages 1..10, WaitTimeSeconds 0..20, DelaySeconds 0..900, ListQueues MaxResults 1..1000', async () => {
    expect(await code(sqs.send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 43201 })))).toBe('InvalidParameterValue');
    expect(await code(sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 11 })))).toBe('InvalidParameterValue');
    expect(await code(sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 21 })))).toBe('InvalidParameterValue');
    expect(await code(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: 'x', VisibilityTimeout: -1 })))).toBe('InvalidParameterValue');
    expect(await code(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', DelaySeconds: 901 })))).toBe('InvalidParameterValue');
    expect(await code(sqs.send(new ListQueuesCommand({ MaxResults: 1001 })))).toBe('InvalidParameterValue');
    expect(await code(sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: '43201' } })))).toBe('InvalidAttributeValue');
    expect(await code(sqs.send(new CreateQueueCommand({ QueueName: 'bad-attrs', Attributes: { MaximumMessageSize: '1048577' } })))).toBe('InvalidAttributeValue');
    expect(await code(sqs.send(new CreateQueueCommand({ QueueName: 'bad-name', Attributes: { NoSuchAttribute: '1' } as never })))).toBe('InvalidAttributeName');
  });
});

describe('SendMessageBatch', () => {
  const entries = (n: number, body = 'm') => Array.from({ length: n }, (_, i) => ({ Id: `e${i}`, MessageBody: `${body}${i}` }));

  it('refuses bad entry ids and a total over 1 MiB for the whole batch', async () => {
    expect(await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'has space', MessageBody: 'x' }] })).catch((e: unknown) => e)).toBeInstanceOf(InvalidBatchEntryId);
    expect(await code(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'x'.repeat(81), MessageBody: 'x' }] })))).toBe('InvalidBatchEntryId');
    const big = Array.from({ length: 3 }, (_, i) => ({ Id: `b${i}`, MessageBody: 'x'.repeat(400_000) }));
    expect(await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: big })).catch((e: unknown) => e)).toBeInstanceOf(BatchRequestTooLong);
  });

  it('answers per-entry rule violations under Failed (SenderFault) and sends the rest', async () => {
    const before = emulator.state.queue('limits').messages.length;
    const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'good', MessageBody: 'fine' }, { Id: 'bad', MessageBody: 'bell\u0007' }] }));
    expect(out.Successful?.map((s) => s.Id)).toEqual(['good']);
    expect(out.Failed).toEqual([{ Id: 'bad', SenderFault: true, Code: 'InvalidMessageContents', Message: expect.any(String) }]);
    expect(emulator.state.queue('limits').messages.length).toBe(before + 1);
  });

  it('fails the next N entries of a queue on request (InternalError, SenderFault false) without sending them', async () => {
    const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: 'partial' }));
    emulator.setSqsBatchFailures({ partial: { failNext: 3 } });
    const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries(5) }));
    expect(out.Failed?.map((f) => [f.Id, f.Code, f.SenderFault])).toEqual([['e0', 'InternalError', false], ['e1', 'InternalError', false], ['e2', 'InternalError', false]]);
    expect(out.Successful?.map((s) => s.Id)).toEqual(['e3', 'e4']);
    expect(emulator.state.queue('partial').messages.map((m) => m.body)).toEqual(['m3', 'm4']);
    const next = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries(2) }));
    expect(next.Failed).toEqual([]);
  });

  it('fails a seeded fraction of entries, with a chosen code, reproducibly', async () => {
    const run = async () => {
      const local = await startEmulator({ seed: 11, sqsBatchFailures: { '*': { failRate: 0.5, code: 'KMS.ThrottlingException' } } });
      const client = new SQSClient({ endpoint: local.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIATEST000000000000', secretAccessKey: 'test' } });
      const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'rate' }));
      const out = await client.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries(10) }));
      client.destroy();
      await local.stop();
      return out;
    };
    const first = await run();
    expect(first.Failed?.length).toBeGreaterThan(0);
    expect(first.Successful?.length).toBeGreaterThan(0);
    expect(first.Failed?.every((f) => f.Code === 'KMS.ThrottlingException' && f.SenderFault === true)).toBe(true);
    expect((await run()).Failed?.map((f) => f.Id)).toEqual(first.Failed?.map((f) => f.Id));
  });
});
