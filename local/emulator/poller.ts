/**
 * Lambda's SQS event source mapping, locally: workers (maximumConcurrency) long-poll the emulator's queue through the
 * real @aws-sdk/client-sqs, gather up to batchSize messages within maximumBatchingWindow, invoke the handler with
 * Lambda-shaped records, delete what succeeded and leave batchItemFailures (or the whole batch, when the handler throws
 * or names an unknown item) to come back after the visibility timeout. Settings come from serverless.yml
 * (functions.<name>.events[].sqs) unless overridden.
 */
import { randomUUID } from 'node:crypto';
import type { Message } from '@aws-sdk/client-sqs';
import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { sleep } from './core.js';
import { dig, loadServerlessConfig } from './serverless-config.js';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface PollerOptions {
  endpoint: string;
  region?: string;
  queueUrl: string;
  handler: SqsHandler;
  /** serverless.yml function whose sqs event supplies the defaults (syncUser). */
  functionName?: string;
  serverlessPath?: string;
  batchSize?: number;
  /** Seconds, as in serverless.yml. */
  maximumBatchingWindow?: number;
  maximumConcurrency?: number;
  /** Multiplies the batching window and the function timeout (0.01 turns 5 s into 50 ms). */
  timeScale?: number;
  /** The function's deadline in ms, instead of its timeout times `timeScale` (when it must stay longer than the clock's speed says). */
  deadlineMs?: number;
  /** Called with errors thrown by the handler (the batch is then retried as a whole). */
  onHandlerError?: (error: unknown) => void;
}

export interface PollerStats { invocations: number; records: number; succeeded: number; failed: number; handlerErrors: number }

export interface Poller {
  readonly stats: PollerStats;
  readonly settings: { batchSize: number; maximumBatchingWindow: number; maximumConcurrency: number; timeoutSeconds: number };
  start(): void;
  stop(): Promise<void>;
  /** Resolves when the queue has no visible, delayed or in-flight messages and no invocation is running. */
  drain(options?: { timeoutMs?: number }): Promise<void>;
}

function readSettings(options: PollerOptions): Poller['settings'] {
  const fn = options.functionName ?? 'syncUser';
  let sqs: unknown;
  let timeout: unknown;
  try {
    const config = loadServerlessConfig(options.serverlessPath);
    const events = dig(config, 'functions', fn, 'events');
    sqs = Array.isArray(events) ? events.map((e) => dig(e, 'sqs')).find((e) => e !== undefined) : undefined;
    timeout = dig(config, 'functions', fn, 'timeout');
  } catch {
    sqs = undefined;
  }
  const numberAt = (key: string): number | undefined => {
    const value = dig(sqs, key);
    return typeof value === 'number' ? value : undefined;
  };
  return {
    batchSize: options.batchSize ?? numberAt('batchSize') ?? 10,
    maximumBatchingWindow: options.maximumBatchingWindow ?? numberAt('maximumBatchingWindow') ?? 0,
    maximumConcurrency: options.maximumConcurrency ?? numberAt('maximumConcurrency') ?? 2,
    timeoutSeconds: typeof timeout === 'number' ? timeout : 6,
  };
}

const toLambdaAttributes = (message: Message): SQSMessageAttributes => {
  const out: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    out[name] = {
      ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
      ...(value.BinaryValue === undefined ? {} : { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
      dataType: value.DataType ?? 'String',
    };
  }
  return out;
};

export function createPoller(options: PollerOptions): Poller {
  const settings = readSettings(options);
  const region = options.region ?? 'us-east-1';
  const scale = options.timeScale ?? 1;
  const functionName = options.functionName ?? 'syncUser';
  const client = new SQSClient({ endpoint: options.endpoint, region, credentials: { accessKeyId: 'AKIALAMBDAPOLLER0000', secretAccessKey: 'emulator' } });
  const stats: PollerStats = { invocations: 0, records: 0, succeeded: 0, failed: 0, handlerErrors: 0 };
  let running = false;
  let abort = new AbortController();
  let workers: Promise<void>[] = [];
  let busy = 0;
  let queueArn: string | undefined;

  const arn = async (): Promise<string> => {
    if (queueArn === undefined) {
      const out = await client.send(new GetQueueAttributesCommand({ QueueUrl: options.queueUrl, AttributeNames: ['QueueArn'] }));
      queueArn = out.Attributes?.QueueArn ?? '';
    }
    return queueArn;
  };

  const receive = async (max: number, wait: number): Promise<Message[]> => {
    const out = await client.send(new ReceiveMessageCommand({
      QueueUrl: options.queueUrl, MaxNumberOfMessages: Math.min(10, max), WaitTimeSeconds: wait,
      MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'],
    }), { abortSignal: abort.signal });
    return out.Messages ?? [];
  };

  const invoke = async (messages: Message[]): Promise<void> => {
    const sourceArn = await arn();
    const records: SQSRecord[] = messages.map((m) => ({
      messageId: m.MessageId ?? '',
      receiptHandle: m.ReceiptHandle ?? '',
      body: m.Body ?? '',
      attributes: {
        ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
        SentTimestamp: m.Attributes?.SentTimestamp ?? '',
        SenderId: m.Attributes?.SenderId ?? '',
        ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? '',
      },
      messageAttributes: toLambdaAttributes(m),
      ...(m.MD5OfMessageAttributes === undefined ? {} : { md5OfMessageAttributes: m.MD5OfMessageAttributes }),
      md5OfBody: m.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: sourceArn,
      awsRegion: region,
    }));
    const deadline = Date.now() + (options.deadlineMs ?? settings.timeoutSeconds * 1000 * scale);
    const account = sourceArn.split(':')[4] ?? '123456789012';
    const context: Context = {
      callbackWaitsForEmptyEventLoop: true,
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${region}:${account}:function:${functionName}`,
      memoryLimitInMB: '256',
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: `local/[$LATEST]${randomUUID().replace(/-/g, '')}`,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
    stats.invocations += 1;
    stats.records += records.length;
    let failedIds: Set<string>;
    try {
      const response = await options.handler({ Records: records }, context);
      const ids = (response?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
      const known = new Set(records.map((r) => r.messageId));
      // Lambda treats an empty or unknown itemIdentifier as a failure of the whole batch.
      failedIds = ids.every((id) => typeof id === 'string' && known.has(id)) ? new Set(ids) : known;
    } catch (error) {
      stats.handlerErrors += 1;
      options.onHandlerError?.(error);
      failedIds = new Set(records.map((r) => r.messageId));
    }
    const done = records.filter((r) => !failedIds.has(r.messageId));
    for (let i = 0; i < done.length; i += 10) {
      const entries = done.slice(i, i + 10).map((r, j) => ({ Id: String(j), ReceiptHandle: r.receiptHandle }));
      await client.send(new DeleteMessageBatchCommand({ QueueUrl: options.queueUrl, Entries: entries }));
    }
    // Counted once the batch's outcome is on the queue (successes deleted): a test may wait on these counts.
    stats.failed += records.length - done.length;
    stats.succeeded += done.length;
  };

  const worker = async (): Promise<void> => {
    while (running) {
      try {
        const batch = await receive(settings.batchSize, 1);
        if (batch.length === 0) continue;
        busy += 1;
        try {
          const windowEnd = Date.now() + settings.maximumBatchingWindow * 1000 * scale;
          while (running && batch.length < settings.batchSize && Date.now() < windowEnd) {
            const more = await receive(settings.batchSize - batch.length, 0);
            if (more.length === 0) await sleep(Math.min(20, Math.max(1, windowEnd - Date.now())));
            batch.push(...more);
          }
          await invoke(batch);
        } finally {
          busy -= 1;
        }
      } catch (error) {
        if (!running) return;
        options.onHandlerError?.(error);
        await sleep(50);
      }
    }
  };

  return {
    stats,
    settings,
    start: () => {
      if (running) return;
      running = true;
      abort = new AbortController();
      workers = Array.from({ length: Math.max(1, settings.maximumConcurrency) }, () => worker());
    },
    stop: async () => {
      running = false;
      abort.abort();
      await Promise.all(workers);
      workers = [];
    },
    drain: async ({ timeoutMs = 30000 } = {}) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const out = await client.send(new GetQueueAttributesCommand({ QueueUrl: options.queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }));
        const a = out.Attributes ?? {};
        const left = Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(a.ApproximateNumberOfMessagesDelayed ?? 0);
        if (left === 0 && busy === 0) return;
        if (Date.now() > until) throw new Error(`drain: ${left} message(s) still in ${options.queueUrl} after ${timeoutMs} ms`);
        await sleep(25);
      }
    },
  };
}
