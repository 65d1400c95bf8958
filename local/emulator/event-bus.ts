/**
 * Local EventBridge: the deployed rule's EventPattern (from serverless.yml) decides which emulator events reach the
 * target queue. Delivery uses the real @aws-sdk/client-sqs SendMessage against the emulator, so the queue sees
 * exactly what EventBridge would put there (the event JSON as the body).
 */
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { CloudTrailEvent } from './events.js';
import { dig, loadServerlessConfig } from './serverless-config.js';

export type EventPattern = { [key: string]: unknown };

/** resources.Resources.<ruleName>.Properties.EventPattern of serverless.yml. */
export function loadRulePattern(serverlessPath?: string, ruleName = 'ConnectUserCreatedRule'): EventPattern {
  const pattern = dig(loadServerlessConfig(serverlessPath), 'resources', 'Resources', ruleName, 'Properties', 'EventPattern');
  if (typeof pattern !== 'object' || pattern === null || Array.isArray(pattern)) throw new Error(`serverless.yml has no EventPattern for ${ruleName}`);
  return pattern as EventPattern;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function matchesOne(matcher: unknown, value: unknown, present: boolean): boolean {
  if (!isRecord(matcher)) return present && matcher === value;
  if ('exists' in matcher) return matcher.exists === present;
  if (!present) return false;
  if ('prefix' in matcher) return typeof value === 'string' && typeof matcher.prefix === 'string' && value.startsWith(matcher.prefix);
  if ('suffix' in matcher) return typeof value === 'string' && typeof matcher.suffix === 'string' && value.endsWith(matcher.suffix);
  if ('equals-ignore-case' in matcher) return typeof value === 'string' && typeof matcher['equals-ignore-case'] === 'string' && value.toLowerCase() === matcher['equals-ignore-case'].toLowerCase();
  if ('anything-but' in matcher) {
    const but = matcher['anything-but'];
    if (isRecord(but)) return !matchesOne(but, value, present);
    return !(Array.isArray(but) ? but : [but]).some((b) => b === value);
  }
  if ('numeric' in matcher && Array.isArray(matcher.numeric) && typeof value === 'number') {
    const terms = matcher.numeric;
    for (let i = 0; i + 1 < terms.length; i += 2) {
      const [op, bound] = [terms[i], Number(terms[i + 1])];
      const ok = op === '=' ? value === bound : op === '<' ? value < bound : op === '<=' ? value <= bound : op === '>' ? value > bound : op === '>=' ? value >= bound : false;
      if (!ok) return false;
    }
    return true;
  }
  return false;
}

/** EventBridge pattern matching: arrays of allowed values (any element of an array field), nested objects, content filters, $or. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  for (const [key, expected] of Object.entries(pattern)) {
    if (key === '$or' && Array.isArray(expected)) {
      if (!expected.some((p) => isRecord(p) && matchesPattern(p, event))) return false;
      continue;
    }
    const present = isRecord(event) && key in event && event[key] !== undefined;
    const actual = isRecord(event) ? event[key] : undefined;
    if (isRecord(expected)) {
      if (!isRecord(actual) || !matchesPattern(expected, actual)) return false;
    } else if (Array.isArray(expected)) {
      const values = Array.isArray(actual) ? actual : [actual];
      if (!expected.some((m) => (Array.isArray(actual) && isRecord(m) && 'exists' in m ? matchesOne(m, actual, present) : values.some((v) => matchesOne(m, v, present))))) return false;
    } else {
      return false;
    }
  }
  return true;
}

export interface EventSourceLike { endpoint: string; region: string; onEvent(listener: (event: CloudTrailEvent) => void): () => void }

export interface EventBusOptions {
  queueUrl: string;
  /** Defaults to the ConnectUserCreatedRule pattern in serverless.yml. */
  pattern?: EventPattern;
  serverlessPath?: string;
  /** Where undeliverable events go (the rule target's DeadLetterConfig), with EventBridge's message attributes. */
  deadLetterQueueUrl?: string;
  ruleArn?: string;
}

export interface EventBusStats { matched: number; unmatched: number; delivered: number; failed: number }

export interface EventBus {
  readonly stats: EventBusStats;
  /** Resolves when every event received so far has been delivered (or dead-lettered). */
  flush(): Promise<void>;
  stop(): void;
}

/** Wires emulator events -> pattern -> SendMessage into the target queue. */
export function wireEventBus(source: EventSourceLike, options: EventBusOptions): EventBus {
  const pattern = options.pattern ?? loadRulePattern(options.serverlessPath);
  const sqs = new SQSClient({ endpoint: source.endpoint, region: source.region, credentials: { accessKeyId: 'AKIAEVENTBRIDGE00000', secretAccessKey: 'emulator' } });
  const stats: EventBusStats = { matched: 0, unmatched: 0, delivered: 0, failed: 0 };
  const pending = new Set<Promise<void>>();
  const ruleArn = options.ruleArn ?? `arn:aws:events:${source.region}:123456789012:rule/ConnectUserCreatedRule`;

  const deliver = async (event: CloudTrailEvent): Promise<void> => {
    const body = JSON.stringify(event);
    try {
      await sqs.send(new SendMessageCommand({ QueueUrl: options.queueUrl, MessageBody: body }));
      stats.delivered += 1;
    } catch (error) {
      stats.failed += 1;
      if (options.deadLetterQueueUrl === undefined) return;
      const text = (value: string): { DataType: string; StringValue: string } => ({ DataType: 'String', StringValue: value });
      await sqs.send(new SendMessageCommand({
        QueueUrl: options.deadLetterQueueUrl,
        MessageBody: body,
        MessageAttributes: { RULE_ARN: text(ruleArn), TARGET_ARN: text(options.queueUrl), ERROR_CODE: text(error instanceof Error ? error.name : 'Error'), ERROR_MESSAGE: text(error instanceof Error ? error.message : String(error)) },
      })).catch(() => undefined);
    }
  };

  const unsubscribe = source.onEvent((event) => {
    if (!matchesPattern(pattern, event)) {
      stats.unmatched += 1;
      return;
    }
    stats.matched += 1;
    const delivery = deliver(event).finally(() => pending.delete(delivery));
    pending.add(delivery);
  });

  return {
    stats,
    flush: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    stop: () => {
      unsubscribe();
      sqs.destroy();
    },
  };
}
