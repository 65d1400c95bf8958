/** In-process SQS queues: visibility timeouts, receive counts, redrive to a dead-letter queue, long polling. */
import { randomUUID } from 'node:crypto';
import { ApiError, md5Hex, sleep } from './core.js';
import { checkQueueAttributes, MAX_MESSAGE_BYTES } from './sqs-rules.js';

export interface SqsMessageAttribute { DataType: string; StringValue?: string; BinaryValue?: string }

export interface SqsMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  messageAttributes: Record<string, SqsMessageAttribute>;
  md5OfMessageAttributes?: string;
  sentTimestamp: number;
  senderId: string;
  receiveCount: number;
  firstReceiveTimestamp?: number;
  /** Epoch ms at which the message becomes visible (delay or visibility timeout). */
  visibleAt: number;
  inFlight: boolean;
  receiptHandle?: string;
  /** ARN of the queue it was redriven from, when it sits in a dead-letter queue. */
  originQueueArn?: string;
}

export interface SqsQueue {
  name: string;
  url: string;
  arn: string;
  attributes: Record<string, string>;
  messages: SqsMessage[];
  /** Every receipt handle ever issued by this queue -> message id. */
  handles: Map<string, string>;
  createdTimestamp: number;
  /** ReceiveMessage calls long-polling this queue right now. */
  polling: number;
}

const DEFAULT_ATTRIBUTES: Record<string, string> = {
  VisibilityTimeout: '30', DelaySeconds: '0', MaximumMessageSize: String(MAX_MESSAGE_BYTES), MessageRetentionPeriod: '345600', ReceiveMessageWaitTimeSeconds: '0',
};

export const queueDoesNotExist = (): ApiError =>
  new ApiError('QueueDoesNotExist', 400, 'The specified queue does not exist.', {}, { 'x-amzn-query-error': 'AWS.SimpleQueueService.NonExistentQueue;Sender' });

/** MD5 of message attributes as SQS computes it (sorted names, length-prefixed name/type/value, transport byte). */
export function md5OfMessageAttributes(attributes: Record<string, SqsMessageAttribute>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  const lengthPrefixed = (data: Buffer): void => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    parts.push(length, data);
  };
  for (const name of names) {
    const attribute = attributes[name];
    if (attribute === undefined) continue;
    lengthPrefixed(Buffer.from(name, 'utf8'));
    lengthPrefixed(Buffer.from(attribute.DataType, 'utf8'));
    if (attribute.BinaryValue !== undefined) {
      parts.push(Buffer.from([2]));
      lengthPrefixed(Buffer.from(attribute.BinaryValue, 'base64'));
    } else {
      parts.push(Buffer.from([1]));
      lengthPrefixed(Buffer.from(attribute.StringValue ?? '', 'utf8'));
    }
  }
  return md5Hex(Buffer.concat(parts));
}

export interface RedrivePolicy { deadLetterTargetArn: string; maxReceiveCount: number }

export class SqsEngine {
  readonly queues = new Map<string, SqsQueue>();
  /** Set when the emulator stops: pending long polls return at once. */
  closed = false;

  /**
   * `timeScale` multiplies every SQS duration (visibility timeout, delay, wait time): 0.1 makes 1 s last 100 ms.
   * `clock` (milliseconds, default `Date.now`) stamps messages and tells when they are visible again: a test that steps
   * its own clock sees a visibility timeout expire exactly when it says, however busy the machine.
   */
  constructor(
    private readonly region: string,
    private readonly accountId: string,
    private readonly baseUrl: () => string,
    public timeScale = 1,
    readonly clock: () => number = Date.now,
  ) {}

  private ms(seconds: number): number {
    return seconds * 1000 * this.timeScale;
  }

  createQueue(name: string, attributes: Record<string, string> = {}): SqsQueue {
    if (!/^[a-zA-Z0-9_-]{1,80}(\.fifo)?$/.test(name)) throw new ApiError('InvalidParameterValue', 400, 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length.');
    const existing = this.queues.get(name);
    if (existing !== undefined) {
      for (const [key, value] of Object.entries(attributes)) {
        if (existing.attributes[key] !== undefined && existing.attributes[key] !== value) {
          throw new ApiError('QueueNameExists', 400, `A queue already exists with the same name and a different value for attribute ${key}`, {}, { 'x-amzn-query-error': 'QueueAlreadyExists;Sender' });
        }
      }
      return existing;
    }
    const queue: SqsQueue = {
      name,
      url: `${this.baseUrl()}/${this.accountId}/${name}`,
      arn: `arn:aws:sqs:${this.region}:${this.accountId}:${name}`,
      attributes: { ...DEFAULT_ATTRIBUTES },
      messages: [],
      handles: new Map(),
      polling: 0,
      createdTimestamp: Math.floor(this.clock() / 1000),
    };
    this.setAttributes(queue, attributes);
    this.queues.set(name, queue);
    return queue;
  }

  setAttributes(queue: SqsQueue, attributes: Record<string, string>): void {
    checkQueueAttributes(attributes);
    const policy = attributes.RedrivePolicy;
    if (policy !== undefined && policy !== '') {
      const parsed = parseRedrivePolicy(policy);
      if (parsed === undefined) throw new ApiError('InvalidAttributeValue', 400, 'Invalid value for the parameter RedrivePolicy.');
    }
    Object.assign(queue.attributes, attributes);
  }

  /**
   * The queue a QueueUrl names: `<scheme>://<host>/<account>/<name>`. Anything else (a bare queue name included) is
   * InvalidAddress, which every queue operation's model lists; another account's queue does not exist here. The host
   * is not compared: clients reach the emulator by several names (127.0.0.1, localhost, the endpoint variable).
   */
  byUrl(url: string | undefined): SqsQueue {
    const match = /^https?:\/\/[^/]+\/(\d{12})\/([^/]+)\/?$/.exec(url ?? '');
    if (match === null) throw new ApiError('InvalidAddress', 404, 'The address of the queue is not valid.', {}, { 'x-amzn-query-error': 'InvalidAddress;Sender' });
    const queue = match[1] === this.accountId ? this.queues.get(match[2] ?? '') : undefined;
    if (queue === undefined) throw queueDoesNotExist();
    return queue;
  }

  byName(name: string | undefined): SqsQueue {
    const queue = name === undefined ? undefined : this.queues.get(name);
    if (queue === undefined) throw queueDoesNotExist();
    return queue;
  }

  byArn(arn: string | undefined): SqsQueue | undefined {
    return [...this.queues.values()].find((q) => q.arn === arn);
  }

  redrivePolicy(queue: SqsQueue): RedrivePolicy | undefined {
    const policy = queue.attributes.RedrivePolicy;
    return policy === undefined || policy === '' ? undefined : parseRedrivePolicy(policy);
  }

  /** Queues whose RedrivePolicy names this queue as their dead-letter queue. */
  sourcesOf(dlq: SqsQueue): SqsQueue[] {
    return [...this.queues.values()].filter((q) => this.redrivePolicy(q)?.deadLetterTargetArn === dlq.arn);
  }

  send(queue: SqsQueue, body: string, messageAttributes: Record<string, SqsMessageAttribute> = {}, delaySeconds?: number, senderId = 'AIDAEMULATOR'): SqsMessage {
    if (body.length === 0) throw new ApiError('MissingParameter', 400, 'The request must contain the parameter MessageBody.');
    const delay = delaySeconds ?? Number(queue.attributes.DelaySeconds ?? '0');
    const now = this.clock();
    const message: SqsMessage = {
      messageId: randomUUID(), body, md5OfBody: md5Hex(body), messageAttributes, md5OfMessageAttributes: md5OfMessageAttributes(messageAttributes),
      sentTimestamp: now, senderId, receiveCount: 0, visibleAt: now + this.ms(delay), inFlight: false,
    };
    queue.messages.push(message);
    return message;
  }

  /** One pass of ReceiveMessage, moving messages past maxReceiveCount to the dead-letter queue first. */
  receive(queue: SqsQueue, max: number, visibilityTimeout?: number): SqsMessage[] {
    const now = this.clock();
    const policy = this.redrivePolicy(queue);
    const dlq = policy === undefined ? undefined : this.byArn(policy.deadLetterTargetArn);
    const received: SqsMessage[] = [];
    for (const message of [...queue.messages]) {
      if (received.length >= max) break;
      if (message.visibleAt > now) continue;
      if (policy !== undefined && dlq !== undefined && message.receiveCount >= policy.maxReceiveCount) {
        this.remove(queue, message);
        dlq.messages.push({ ...message, inFlight: false, receiptHandle: undefined, visibleAt: now, originQueueArn: queue.arn });
        continue;
      }
      message.receiveCount += 1;
      message.firstReceiveTimestamp ??= now;
      message.inFlight = true;
      message.visibleAt = now + this.ms(visibilityTimeout ?? Number(queue.attributes.VisibilityTimeout ?? '30'));
      message.receiptHandle = Buffer.from(`${queue.name}:${message.messageId}:${randomUUID()}`).toString('base64');
      queue.handles.set(message.receiptHandle, message.messageId);
      received.push(message);
    }
    return received;
  }

  /** ReceiveMessage with long polling: waits up to `waitSeconds` (scaled) for a message. */
  async receiveWait(queue: SqsQueue, max: number, visibilityTimeout: number | undefined, waitSeconds: number): Promise<SqsMessage[]> {
    const deadline = this.clock() + this.ms(waitSeconds);
    queue.polling += 1;
    try {
      for (;;) {
        const received = this.receive(queue, max, visibilityTimeout);
        if (received.length > 0 || this.clock() >= deadline || this.closed) return received;
        await sleep(Math.min(20, Math.max(1, deadline - this.clock())));
      }
    } finally {
      queue.polling -= 1;
    }
  }

  private remove(queue: SqsQueue, message: SqsMessage): void {
    const index = queue.messages.indexOf(message);
    if (index >= 0) queue.messages.splice(index, 1);
  }

  private byHandle(queue: SqsQueue, receiptHandle: string | undefined): SqsMessage | undefined {
    const messageId = receiptHandle === undefined ? undefined : queue.handles.get(receiptHandle);
    if (messageId === undefined) {
      throw new ApiError('ReceiptHandleIsInvalid', 404, 'The input receipt handle is not a valid receipt handle.', {}, { 'x-amzn-query-error': 'ReceiptHandleIsInvalid;Sender' });
    }
    return queue.messages.find((m) => m.messageId === messageId);
  }

  /** Deleting with any handle the queue issued succeeds, even when the message is already gone (as SQS does). */
  delete(queue: SqsQueue, receiptHandle: string | undefined): void {
    const message = this.byHandle(queue, receiptHandle);
    if (message !== undefined) this.remove(queue, message);
  }

  changeVisibility(queue: SqsQueue, receiptHandle: string | undefined, seconds: number): void {
    const message = this.byHandle(queue, receiptHandle);
    if (message === undefined || !message.inFlight || message.receiptHandle !== receiptHandle || message.visibleAt <= this.clock()) {
      throw new ApiError('MessageNotInflight', 400, 'The message referred to is not in flight.', {}, { 'x-amzn-query-error': 'AWS.SimpleQueueService.MessageNotInflight;Sender' });
    }
    message.visibleAt = this.clock() + this.ms(seconds);
  }

  counts(queue: SqsQueue): { visible: number; inFlight: number; delayed: number } {
    const now = this.clock();
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const m of queue.messages) {
      if (m.visibleAt <= now) visible += 1;
      else if (m.inFlight) inFlight += 1;
      else delayed += 1;
    }
    return { visible, inFlight, delayed };
  }

  attributesOf(queue: SqsQueue, names: string[]): Record<string, string> {
    const counts = this.counts(queue);
    const all: Record<string, string> = {
      ...queue.attributes,
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(counts.visible),
      ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
      ApproximateNumberOfMessagesDelayed: String(counts.delayed),
      CreatedTimestamp: String(queue.createdTimestamp),
      LastModifiedTimestamp: String(queue.createdTimestamp),
    };
    if (names.includes('All')) return all;
    const out: Record<string, string> = {};
    for (const name of names) {
      const value = all[name];
      if (value !== undefined) out[name] = value;
    }
    return out;
  }
}

export function parseRedrivePolicy(text: string): RedrivePolicy | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { deadLetterTargetArn, maxReceiveCount } = parsed as Record<string, unknown>;
    const count = Number(maxReceiveCount);
    if (typeof deadLetterTargetArn !== 'string' || !Number.isInteger(count) || count < 1) return undefined;
    return { deadLetterTargetArn, maxReceiveCount: count };
  } catch {
    return undefined;
  }
}
