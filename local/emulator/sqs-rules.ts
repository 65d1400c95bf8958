/**
 * SQS limits from the API reference and developer guide: message attributes (at most 10; names of `A-Za-z0-9_-.`
 * up to 256 characters, no `AWS.`/`Amazon.` prefix, no leading, trailing or doubled period; non-empty types and
 * values), the allowed characters (#x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF), message size
 * (body plus attribute names, types and values), batch entry ids, and the ranges of VisibilityTimeout, DelaySeconds,
 * WaitTimeSeconds, MaxNumberOfMessages and queue attributes. Codes are the query-compatible ones the SDK maps.
 */
import type { Json } from './core.js';
import type { SqsMessageAttribute } from './sqs-engine.js';
import { ApiError, isObject, str } from './core.js';

/** The installed SDK's model: MaximumMessageSize default and maximum, and the batch total, are 1 MiB. */
export const MAX_MESSAGE_BYTES = 1_048_576;
export const MAX_BATCH_BYTES = 1_048_576;

const DISALLOWED = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_\-.]{1,256}$/;
const DATA_TYPE = /^(String|Number|Binary)(\.[^\s]+)?$/;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

export const sqsError = (code: string, message: string, queryCode?: string): ApiError =>
  new ApiError(code, 400, message, {}, queryCode === undefined ? {} : { 'x-amzn-query-error': `${queryCode};Sender` });

export const invalidValue = (message: string): ApiError => sqsError('InvalidParameterValue', message);

/** An integer parameter within its range (InvalidParameterValue otherwise); undefined when absent. */
export function inRange(value: Json | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw invalidValue(`Value for parameter ${name} is invalid. Reason: Must be between ${min} and ${max}.`);
  return n;
}

/** Checks (or, under `sqsInvalidCharacters: replace`, repairs) text against SQS's allowed characters. */
export function cleanText(text: string, mode: 'reject' | 'replace'): string {
  DISALLOWED.lastIndex = 0;
  if (!DISALLOWED.test(text)) return text;
  const replaced = text.replace(DISALLOWED, '\uFFFD');
  if (mode === 'reject' || replaced.replace(/\uFFFD/g, '') === '') {
    throw sqsError('InvalidMessageContents', 'Invalid characters found. Deleting them from the message is not allowed.');
  }
  return replaced;
}

/** Message attributes as sent, checked against the rules (characters are checked by `cleanAttributes`). */
export function parseMessageAttributes(value: Json | undefined): Record<string, SqsMessageAttribute> {
  const out: Record<string, SqsMessageAttribute> = {};
  if (value === undefined || value === null) return out;
  if (!isObject(value)) throw invalidValue('MessageAttributes must be a map.');
  const entries = Object.entries(value);
  if (entries.length > 10) throw invalidValue('Number of message attributes exceeds the allowed maximum of 10.');
  for (const [name, raw] of entries) {
    const lower = name.toLowerCase();
    if (!ATTRIBUTE_NAME.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..') || lower.startsWith('aws.') || lower.startsWith('amazon.')) {
      throw invalidValue('A message attribute name is invalid: use up to 256 of A-Za-z0-9_-. without a reserved prefix or misplaced periods.');
    }
    if (!isObject(raw)) throw invalidValue('A message attribute must be an object.');
    const dataType = str(raw, 'DataType');
    if (dataType === undefined || dataType === '') throw invalidValue('A message attribute must contain a non-empty attribute type.');
    if (dataType.length > 256 || !DATA_TYPE.test(dataType)) throw invalidValue('A message attribute type must be String, Number or Binary, optionally with a custom label.');
    const attribute: SqsMessageAttribute = { DataType: dataType };
    if (dataType.startsWith('Binary')) {
      const binary = str(raw, 'BinaryValue');
      if (binary === undefined || Buffer.from(binary, 'base64').length === 0) throw invalidValue('A Binary message attribute must contain a non-empty value.');
      attribute.BinaryValue = binary;
    } else {
      const text = str(raw, 'StringValue');
      if (text === undefined || text === '') throw invalidValue('A String or Number message attribute must contain a non-empty value.');
      if (dataType.startsWith('Number') && !isSqsNumber(text)) throw invalidValue('A Number message attribute must hold a number of at most 38 significant digits.');
      attribute.StringValue = text;
    }
    out[name] = attribute;
  }
  return out;
}

/** The attributes as stored: string values checked (or repaired) like the body. */
export function cleanAttributes(attributes: Record<string, SqsMessageAttribute>, mode: 'reject' | 'replace'): Record<string, SqsMessageAttribute> {
  return Object.fromEntries(Object.entries(attributes).map(([name, a]) => [name, a.StringValue === undefined ? a : { ...a, StringValue: cleanText(a.StringValue, mode) }]));
}

function isSqsNumber(text: string): boolean {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return false;
  const digits = text.replace(/[eE].*$/, '').replace(/[^\d]/g, '').replace(/^0+/, '').replace(/0+$/, '');
  return digits.length <= 38;
}

/** Bytes counted against the size limit: the body and every attribute's name, type and value. */
export function messageBytes(body: string, attributes: Record<string, SqsMessageAttribute>): number {
  let total = Buffer.byteLength(body, 'utf8');
  for (const [name, a] of Object.entries(attributes)) {
    total += Buffer.byteLength(name) + Buffer.byteLength(a.DataType);
    total += a.BinaryValue !== undefined ? Buffer.from(a.BinaryValue, 'base64').length : Buffer.byteLength(a.StringValue ?? '');
  }
  return total;
}

export function checkSize(bytes: number, limit: number): void {
  if (bytes > limit) throw invalidValue(`One or more parameters are invalid. Reason: Message must be shorter than ${limit} bytes.`);
}

export function checkBatchEntries(entries: Json[], ids: (string | undefined)[]): void {
  if (entries.length === 0) throw sqsError('EmptyBatchRequest', 'There should be at least one entry in the request.', 'AWS.SimpleQueueService.EmptyBatchRequest');
  if (entries.length > 10) throw sqsError('TooManyEntriesInBatchRequest', 'Maximum number of entries per request are 10.', 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest');
  if (ids.some((id) => id === undefined || !BATCH_ENTRY_ID.test(id))) {
    throw sqsError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores, up to 80 characters.', 'AWS.SimpleQueueService.InvalidBatchEntryId');
  }
  if (new Set(ids).size !== ids.length) throw sqsError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.', 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct');
}

export const batchTooLong = (): ApiError =>
  sqsError('BatchRequestTooLong', `The total size of the batch must not exceed ${MAX_BATCH_BYTES} bytes.`, 'AWS.SimpleQueueService.BatchRequestTooLong');

/** Queue attributes with documented ranges; other known names pass; unknown names are InvalidAttributeName. */
const QUEUE_RANGES: Record<string, [number, number]> = {
  VisibilityTimeout: [0, 43200], DelaySeconds: [0, 900], MaximumMessageSize: [1024, MAX_MESSAGE_BYTES],
  MessageRetentionPeriod: [60, 1209600], ReceiveMessageWaitTimeSeconds: [0, 20], KmsDataKeyReusePeriodSeconds: [60, 86400],
};
const OTHER_QUEUE_ATTRIBUTES = new Set([
  'Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId', 'SqsManagedSseEnabled', 'FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit',
]);

export function checkQueueAttributes(attributes: Record<string, string>): void {
  for (const [name, value] of Object.entries(attributes)) {
    const range = QUEUE_RANGES[name];
    if (range !== undefined) {
      const n = Number(value);
      if (value.trim() === '' || !Number.isInteger(n) || n < range[0] || n > range[1]) throw new ApiError('InvalidAttributeValue', 400, `Invalid value for the parameter ${name}.`);
    } else if (!OTHER_QUEUE_ATTRIBUTES.has(name)) {
      throw new ApiError('InvalidAttributeName', 400, 'Unknown attribute name.');
    }
  }
}
