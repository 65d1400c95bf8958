import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetters } from '../core/ports/index.js';
import { redact } from '../core/redact.js';
import { call } from './sdk-errors.js';

// SQS message attribute values are limited in size along with the message; keep the reason short.
const MAX_REASON = 1000;
// Characters SQS accepts in a message (and attribute values): #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD |
// #x10000-#x10FFFF. Lone surrogates are outside the allowed ranges too.
const REFUSED = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * The errorMessage attribute for a reason: anything looking like an email address redacted (an AWS message may
 * echo request values), characters SQS refuses removed, and cut to MAX_REASON code points without splitting a
 * surrogate pair.
 */
export function reasonAttribute(message: string): string {
  const chars = Array.from(redact(message).replace(REFUSED, ''));
  return chars.length > MAX_REASON ? `${chars.slice(0, MAX_REASON - 1).join('')}…` : chars.join('');
}

/** Sends permanent failures to the dead-letter queue: the original body, with `errorCode` and `errorMessage`. */
export function deadLettersAdapter(client: SQSClient, queueUrl: string): DeadLetters {
  return {
    async send(body, reason) {
      await call('sqs:SendMessage', () =>
        client.send(
          new SendMessageCommand({
            QueueUrl: queueUrl,
            MessageBody: body,
            MessageAttributes: {
              errorCode: { DataType: 'String', StringValue: reason.code },
              errorMessage: { DataType: 'String', StringValue: reasonAttribute(reason.message) || reason.code },
            },
          }),
        ),
      );
    },
  };
}
