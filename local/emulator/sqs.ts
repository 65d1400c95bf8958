/** SQS JSON protocol (awsJson1_0, target prefix AmazonSQS, query-compatible errors) over the in-process engine. */
import type { Json, JsonObject } from './core.js';
import type { SqsEngine, SqsMessage, SqsMessageAttribute, SqsQueue } from './sqs-engine.js';
import { randomUUID } from 'node:crypto';
import { ApiError, arr, compact, isObject, num, obj, str, strings } from './core.js';

interface MoveTask {
  handle: string;
  source: SqsQueue;
  destinationArn?: string;
  rate?: number;
  status: 'RUNNING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';
  moved: number;
  toMove: number;
  started: number;
  failureReason?: string;
  timer?: NodeJS.Timeout;
}

const SYSTEM_ATTRIBUTES = ['ApproximateReceiveCount', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp'];
/** SQS moves as fast as it can when no rate is given (up to 500 messages/s). */
const DEFAULT_MOVE_RATE = 500;

const badRequest = (code: string, message: string): ApiError => new ApiError(code, 400, message);

function parseAttributes(value: Json | undefined): Record<string, SqsMessageAttribute> {
  const out: Record<string, SqsMessageAttribute> = {};
  if (!isObject(value)) return out;
  for (const [name, raw] of Object.entries(value)) {
    if (!isObject(raw)) continue;
    const dataType = str(raw, 'DataType');
    if (dataType === undefined) throw badRequest('InvalidParameterValue', `The message attribute '${name}' must contain a non-empty attribute type.`);
    const attribute: SqsMessageAttribute = { DataType: dataType };
    const stringValue = str(raw, 'StringValue');
    const binaryValue = str(raw, 'BinaryValue');
    if (stringValue !== undefined) attribute.StringValue = stringValue;
    if (binaryValue !== undefined) attribute.BinaryValue = binaryValue;
    out[name] = attribute;
  }
  return out;
}

export class SqsApi {
  readonly tasks: MoveTask[] = [];

  constructor(private readonly engine: SqsEngine) {}

  private messageJson(message: SqsMessage, systemNames: string[], attributeNames: string[]): JsonObject {
    const system: Record<string, string> = {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentTimestamp),
      SenderId: message.senderId,
      ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp ?? message.sentTimestamp),
    };
    const wanted = systemNames.includes('All') ? SYSTEM_ATTRIBUTES : systemNames.filter((n) => SYSTEM_ATTRIBUTES.includes(n));
    const attributes: JsonObject = {};
    for (const name of wanted) attributes[name] = system[name] ?? null;
    const all = attributeNames.includes('All') || attributeNames.includes('.*');
    const messageAttributes: JsonObject = {};
    for (const [name, value] of Object.entries(message.messageAttributes)) {
      if (all || attributeNames.includes(name) || attributeNames.some((p) => p.endsWith('.*') && name.startsWith(p.slice(0, -1)))) messageAttributes[name] = { ...value };
    }
    const hasAttributes = Object.keys(messageAttributes).length > 0;
    return compact({
      MessageId: message.messageId,
      ReceiptHandle: message.receiptHandle,
      MD5OfBody: message.md5OfBody,
      Body: message.body,
      Attributes: wanted.length > 0 ? attributes : undefined,
      MD5OfMessageAttributes: hasAttributes ? message.md5OfMessageAttributes : undefined,
      MessageAttributes: hasAttributes ? messageAttributes : undefined,
    });
  }

  async handle(operation: string, input: JsonObject): Promise<JsonObject> {
    const engine = this.engine;
    switch (operation) {
      case 'CreateQueue': {
        const attributes = obj(input, 'Attributes') ?? {};
        const queue = engine.createQueue(str(input, 'QueueName') ?? '', Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, String(v)])));
        return { QueueUrl: queue.url };
      }
      case 'GetQueueUrl':
        return { QueueUrl: engine.byName(str(input, 'QueueName')).url };
      case 'ListQueues': {
        const prefix = str(input, 'QueueNamePrefix') ?? '';
        const urls = [...engine.queues.values()].filter((q) => q.name.startsWith(prefix)).map((q) => q.url);
        return urls.length > 0 ? { QueueUrls: urls.slice(0, num(input, 'MaxResults') ?? 1000) } : {};
      }
      case 'DeleteQueue':
        engine.queues.delete(engine.byUrl(str(input, 'QueueUrl')).name);
        return {};
      case 'GetQueueAttributes': {
        const names = strings(input, 'AttributeNames');
        return { Attributes: engine.attributesOf(engine.byUrl(str(input, 'QueueUrl')), names.length === 0 ? ['All'] : names) };
      }
      case 'SetQueueAttributes': {
        const attributes = obj(input, 'Attributes') ?? {};
        engine.setAttributes(engine.byUrl(str(input, 'QueueUrl')), Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, String(v)])));
        return {};
      }
      case 'SendMessage': {
        const message = engine.send(engine.byUrl(str(input, 'QueueUrl')), str(input, 'MessageBody') ?? '', parseAttributes(input.MessageAttributes), num(input, 'DelaySeconds'));
        return compact({ MessageId: message.messageId, MD5OfMessageBody: message.md5OfBody, MD5OfMessageAttributes: message.md5OfMessageAttributes });
      }
      case 'SendMessageBatch': {
        const queue = engine.byUrl(str(input, 'QueueUrl'));
        const entries = arr(input, 'Entries').filter(isObject);
        this.checkBatch(entries);
        const successful = entries.map((entry) => {
          const message = engine.send(queue, str(entry, 'MessageBody') ?? '', parseAttributes(entry.MessageAttributes), num(entry, 'DelaySeconds'));
          return compact({ Id: str(entry, 'Id'), MessageId: message.messageId, MD5OfMessageBody: message.md5OfBody, MD5OfMessageAttributes: message.md5OfMessageAttributes });
        });
        return { Successful: successful, Failed: [] };
      }
      case 'ReceiveMessage': {
        const queue = engine.byUrl(str(input, 'QueueUrl'));
        const max = num(input, 'MaxNumberOfMessages') ?? 1;
        if (max < 1 || max > 10) throw badRequest('InvalidParameterValue', 'Value for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10.');
        const wait = num(input, 'WaitTimeSeconds') ?? Number(queue.attributes.ReceiveMessageWaitTimeSeconds ?? '0');
        if (wait < 0 || wait > 20) throw badRequest('InvalidParameterValue', 'Value for parameter WaitTimeSeconds is invalid. Reason: Must be between 0 and 20.');
        const messages = await engine.receiveWait(queue, max, num(input, 'VisibilityTimeout'), wait);
        const systemNames = [...strings(input, 'MessageSystemAttributeNames'), ...strings(input, 'AttributeNames')];
        const attributeNames = strings(input, 'MessageAttributeNames');
        return messages.length > 0 ? { Messages: messages.map((m) => this.messageJson(m, systemNames, attributeNames)) } : {};
      }
      case 'DeleteMessage':
        engine.delete(engine.byUrl(str(input, 'QueueUrl')), str(input, 'ReceiptHandle'));
        return {};
      case 'ChangeMessageVisibility':
        engine.changeVisibility(engine.byUrl(str(input, 'QueueUrl')), str(input, 'ReceiptHandle'), num(input, 'VisibilityTimeout') ?? 0);
        return {};
      case 'DeleteMessageBatch':
      case 'ChangeMessageVisibilityBatch': {
        const queue = engine.byUrl(str(input, 'QueueUrl'));
        const entries = arr(input, 'Entries').filter(isObject);
        this.checkBatch(entries);
        const successful: JsonObject[] = [];
        const failed: JsonObject[] = [];
        for (const entry of entries) {
          try {
            if (operation === 'DeleteMessageBatch') engine.delete(queue, str(entry, 'ReceiptHandle'));
            else engine.changeVisibility(queue, str(entry, 'ReceiptHandle'), num(entry, 'VisibilityTimeout') ?? 0);
            successful.push({ Id: str(entry, 'Id') ?? '' });
          } catch (error) {
            if (!(error instanceof ApiError)) throw error;
            failed.push({ Id: str(entry, 'Id') ?? '', SenderFault: true, Code: error.code, Message: error.message });
          }
        }
        return { Successful: successful, Failed: failed };
      }
      case 'PurgeQueue':
        engine.byUrl(str(input, 'QueueUrl')).messages.length = 0;
        return {};
      case 'StartMessageMoveTask':
        return this.startMoveTask(input);
      case 'ListMessageMoveTasks': {
        const source = engine.byArn(str(input, 'SourceArn'));
        if (source === undefined) throw new ApiError('ResourceNotFoundException', 404, 'The resource that you specified for the SourceArn parameter does not exist.');
        const results = this.tasks.filter((t) => t.source === source).reverse().slice(0, num(input, 'MaxResults') ?? 1).map((t) => compact({
          TaskHandle: t.status === 'RUNNING' ? t.handle : undefined, Status: t.status, SourceArn: t.source.arn, DestinationArn: t.destinationArn,
          MaxNumberOfMessagesPerSecond: t.rate, ApproximateNumberOfMessagesMoved: t.moved,
          ApproximateNumberOfMessagesToMove: t.status === 'RUNNING' ? t.toMove : undefined, FailureReason: t.failureReason, StartedTimestamp: t.started,
        }));
        return { Results: results };
      }
      case 'CancelMessageMoveTask': {
        const task = this.tasks.find((t) => t.handle === str(input, 'TaskHandle'));
        if (task === undefined || task.status !== 'RUNNING') throw new ApiError('ResourceNotFoundException', 404, 'The task handle does not name a running message move task.');
        this.finish(task, 'CANCELLED');
        return { ApproximateNumberOfMessagesMoved: task.moved };
      }
      default:
        throw badRequest('UnknownOperationException', `Unknown operation ${operation}`);
    }
  }

  private checkBatch(entries: JsonObject[]): void {
    if (entries.length === 0) throw new ApiError('EmptyBatchRequest', 400, 'There should be at least one entry in the request.', {}, { 'x-amzn-query-error': 'AWS.SimpleQueueService.EmptyBatchRequest;Sender' });
    if (entries.length > 10) throw new ApiError('TooManyEntriesInBatchRequest', 400, 'Maximum number of entries per request are 10.', {}, { 'x-amzn-query-error': 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest;Sender' });
    const entryIds = entries.map((e) => str(e, 'Id'));
    if (new Set(entryIds).size !== entryIds.length) throw new ApiError('BatchEntryIdsNotDistinct', 400, 'Two or more batch entries in the request have the same Id.', {}, { 'x-amzn-query-error': 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct;Sender' });
  }

  private startMoveTask(input: JsonObject): JsonObject {
    const engine = this.engine;
    const source = engine.byArn(str(input, 'SourceArn'));
    if (source === undefined) throw new ApiError('ResourceNotFoundException', 404, 'The resource that you specified for the SourceArn parameter does not exist.');
    const sources = engine.sourcesOf(source);
    if (sources.length === 0) throw badRequest('InvalidParameterValue', `Source queue must be configured as a Dead Letter Queue: ${source.arn}`);
    const destinationArn = str(input, 'DestinationArn');
    if (destinationArn !== undefined && engine.byArn(destinationArn) === undefined) throw new ApiError('ResourceNotFoundException', 404, 'The resource that you specified for the DestinationArn parameter does not exist.');
    if (this.tasks.some((t) => t.source === source && t.status === 'RUNNING')) throw badRequest('UnsupportedOperation', 'There is already a task running. Only one active task is allowed for a source queue ARN at a given time.');
    const rate = num(input, 'MaxNumberOfMessagesPerSecond');
    const task: MoveTask = {
      handle: Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn: source.arn })).toString('base64'),
      source, destinationArn, rate, status: 'RUNNING', moved: 0, toMove: engine.counts(source).visible, started: Date.now(),
    };
    this.tasks.push(task);
    let credit = 0;
    let last = Date.now();
    const tickMs = 20;
    task.timer = setInterval(() => {
      const now = Date.now();
      credit += ((now - last) / 1000 / engine.timeScale) * (rate ?? DEFAULT_MOVE_RATE);
      last = now;
      credit = Math.min(credit, Math.max(1, rate ?? DEFAULT_MOVE_RATE));
      while (credit >= 1 && task.moved < task.toMove) {
        const message = source.messages.find((m) => m.visibleAt <= now);
        if (message === undefined) break;
        const target = (destinationArn === undefined ? undefined : engine.byArn(destinationArn))
          ?? sources.find((q) => q.arn === message.originQueueArn) ?? sources[0];
        if (target === undefined) break;
        source.messages.splice(source.messages.indexOf(message), 1);
        engine.send(target, message.body, message.messageAttributes, 0, message.senderId);
        task.moved += 1;
        credit -= 1;
      }
      if (task.moved >= task.toMove || engine.counts(source).visible === 0) this.finish(task, 'COMPLETED');
    }, tickMs);
    return { TaskHandle: task.handle };
  }

  private finish(task: MoveTask, status: MoveTask['status']): void {
    task.status = status;
    if (task.timer !== undefined) clearInterval(task.timer);
    task.timer = undefined;
  }

  stop(): void {
    for (const task of this.tasks) if (task.timer !== undefined) clearInterval(task.timer);
  }
}
