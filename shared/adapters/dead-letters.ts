import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetters } from '../core/ports.js';
import { call } from './sdk-errors.js';

// SQS message attribute values are limited in size along with the message; keep the reason short.
const MAX_REASON = 1000;

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
              errorMessage: { DataType: 'String', StringValue: reason.message.slice(0, MAX_REASON) },
            },
          }),
        ),
      );
    },
  };
}
