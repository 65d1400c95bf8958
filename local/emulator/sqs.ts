/** SQS JSON protocol (awsJson1_0, target prefix AmazonSQS, query-compatible errors) over the in-process engine. */
import type { Behaviour } from './behaviour.js';
import type { JsonObject } from './core.js';
import type { BatchFailures } from './sqs-batch.js';
import type { SqsEngine, SqsMessage, SqsQueue } from './sqs-engine.js';
import { randomUUID } from 'node:crypto';
import { ApiError, arr, compact, isObject, md5Hex, num, obj, str, strings } from './core.js';
import { sendMessageBatch } from './sqs-batch.js';
import { md5OfMessageAttributes } from './sqs-engine.js';
import { checkBatchEntries, checkSize, cleanAttributes, cleanText, inRange, invalidValue, messageBytes, parseMessageAttributes } from './sqs-rules.js';

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

export class SqsApi {
  readonly tasks: MoveTask[] = [];

  constructor(private readonly engine: SqsEngine, private readonly behaviour: Behaviour, readonly batchFailures: BatchFailures) {}

  private get characters(): 'reject' | 'replace' {
    return this.behaviour.current.sqsInvalidCharacters;
  }

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
        const max = inRange(input.MaxResults, 'MaxResults', 1, 1000) ?? 1000;
        const urls = [...engine.queues.values()].filter((q) => q.name.startsWith(prefix)).map((q) => q.url);
        return urls.length > 0 ? { QueueUrls: urls.slice(0, max) } : {};
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
        const queue = engine.byUrl(str(input, 'QueueUrl'));
        const body = str(input, 'MessageBody') ?? '';
        if (body === '') throw new ApiError('MissingParameter', 400, 'The request must contain the parameter MessageBody.');
        const attributes = parseMessageAttributes(input.MessageAttributes);
        checkSize(messageBytes(body, attributes), Number(queue.attributes.MaximumMessageSize));
        const delay = inRange(input.DelaySeconds, 'DelaySeconds', 0, 900);
        const message = engine.send(queue, cleanText(body, this.characters), cleanAttributes(attributes, this.characters), delay);
        // The MD5s answer what was sent (the SDK checks them); a replaced character shows only when received.
        return compact({ MessageId: message.messageId, MD5OfMessageBody: md5Hex(body), MD5OfMessageAttributes: md5OfMessageAttributes(attributes) });
      }
      case 'SendMessageBatch':
        return sendMessageBatch(engine, this.batchFailures, input, this.characters);
      case 'ReceiveMessage': {
        const queue = engine.byUrl(str(input, 'QueueUrl'));
        const max = inRange(input.MaxNumberOfMessages, 'MaxNumberOfMessages', 1, 10) ?? 1;
        const wait = inRange(input.WaitTimeSeconds, 'WaitTimeSeconds', 0, 20) ?? Number(queue.attributes.ReceiveMessageWaitTimeSeconds ?? '0');
        const messages = await engine.receiveWait(queue, max, inRange(input.VisibilityTimeout, 'VisibilityTimeout', 0, 43200), wait);
        const systemNames = [...strings(input, 'MessageSystemAttributeNames'), ...strings(input, 'AttributeNames')];
        const attributeNames = strings(input, 'MessageAttributeNames');
        return messages.length > 0 ? { Messages: messages.map((m) => this.messageJson(m, systemNames, attributeNames)) } : {};
      }
      case 'DeleteMessage':
        engine.delete(engine.byUrl(str(input, 'QueueUrl')), str(input, 'ReceiptHandle'));
        return {};
      case 'ChangeMessageVisibility': {
        const queue = engine.byUrl(str(input, 'QueueUrl'));
        const seconds = inRange(input.VisibilityTimeout, 'VisibilityTimeout', 0, 43200);
        if (seconds === undefined) throw new ApiError('MissingParameter', 400, 'The request must contain the parameter VisibilityTimeout.');
        engine.changeVisibility(queue, str(input, 'ReceiptHandle'), seconds);
        return {};
      }
      case 'DeleteMessageBatch':
      case 'ChangeMessageVisibilityBatch': {
        const queue = engine.byUrl(str(input, 'QueueUrl'));
        const raw = arr(input, 'Entries');
        checkBatchEntries(raw, raw.map((e) => (isObject(e) ? str(e, 'Id') : undefined)));
        const entries = raw.filter(isObject);
        const successful: JsonObject[] = [];
        const failed: JsonObject[] = [];
        for (const entry of entries) {
          try {
            if (operation === 'DeleteMessageBatch') engine.delete(queue, str(entry, 'ReceiptHandle'));
            else engine.changeVisibility(queue, str(entry, 'ReceiptHandle'), inRange(entry.VisibilityTimeout, 'VisibilityTimeout', 0, 43200) ?? 0);
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
        const max = inRange(input.MaxResults, 'MaxResults', 1, 10) ?? 1;
        const results = this.tasks.filter((t) => t.source === source).reverse().slice(0, max).map((t) => compact({
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
        throw badRequest('UnknownOperationException', 'The requested operation is not supported by the emulator.');
    }
  }

  private startMoveTask(input: JsonObject): JsonObject {
    const engine = this.engine;
    const source = engine.byArn(str(input, 'SourceArn'));
    if (source === undefined) throw new ApiError('ResourceNotFoundException', 404, 'The resource that you specified for the SourceArn parameter does not exist.');
    const sources = engine.sourcesOf(source);
    if (sources.length === 0) throw invalidValue('Source queue must be configured as a Dead Letter Queue.');
    const destinationArn = str(input, 'DestinationArn');
    if (destinationArn !== undefined && engine.byArn(destinationArn) === undefined) throw new ApiError('ResourceNotFoundException', 404, 'The resource that you specified for the DestinationArn parameter does not exist.');
    if (this.tasks.some((t) => t.source === source && t.status === 'RUNNING')) throw badRequest('UnsupportedOperation', 'There is already a task running. Only one active task is allowed for a source queue ARN at a given time.');
    const rate = num(input, 'MaxNumberOfMessagesPerSecond');
    const task: MoveTask = {
      handle: Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn: source.arn })).toString('base64'),
      source, destinationArn, rate, status: 'RUNNING', moved: 0, toMove: engine.counts(source).visible, started: engine.clock(),
    };
    this.tasks.push(task);
    let credit = 0;
    let last = engine.clock();
    const tickMs = 20;
    task.timer = setInterval(() => {
      const now = engine.clock();
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
