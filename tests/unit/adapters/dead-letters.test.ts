import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { deadLettersAdapter, reasonAttribute } from '../../../shared/adapters/dead-letters.js';
import { rejection } from '../../support/core.js';

const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/dlq';
const mock = mockClient(SQSClient);
const deadLetters = deadLettersAdapter(new SQSClient({ region: 'us-east-1', maxAttempts: 1 }), QUEUE);

// What SQS accepts in a message attribute value (#x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF).
const SQS_ALLOWED = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

beforeEach(() => mock.reset());

describe('dead letters adapter', () => {
  it('sends the original body with errorCode and errorMessage as String attributes', async () => {
    mock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });

    await deadLetters.send('{"original":true}', { code: 'NO_EMAIL', message: 'no email' });

    expect(mock.commandCalls(SendMessageCommand)[0]?.args[0].input).toEqual({
      QueueUrl: QUEUE,
      MessageBody: '{"original":true}',
      MessageAttributes: {
        errorCode: { DataType: 'String', StringValue: 'NO_EMAIL' },
        errorMessage: { DataType: 'String', StringValue: 'no email' },
      },
    });
  });

  it('falls back to the code when nothing is left of the message (an empty attribute is refused)', async () => {
    mock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });

    await deadLetters.send('{}', { code: 'UNEXPECTED', message: '\u0000\uFFFF' });

    expect(mock.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageAttributes?.errorMessage?.StringValue).toBe('UNEXPECTED');
  });

  it('reports a failed send as a retryable error', async () => {
    mock.on(SendMessageCommand).rejects(Object.assign(new Error('boom'), { name: 'InternalError', $fault: 'server', $metadata: {} }));

    const error = await rejection(deadLetters.send('{}', { code: 'NO_EMAIL', message: 'x' }));

    expect([error.code, error.retryable]).toEqual(['SERVICE_ERROR', true]);
  });
});

describe('reasonAttribute', () => {
  it('redacts anything that looks like an email address', () => {
    expect(reasonAttribute("Value 'maria.garcia@example.com' at 'emails' failed")).toBe("Value '[redacted]' at 'emails' failed");
  });

  it('removes characters SQS refuses: control characters, lone surrogates, U+FFFE/U+FFFF', () => {
    const reason = reasonAttribute('a\u0000b\u0007c\uD800d\uDC00e\uFFFEf\tg');

    expect(reason).toBe('abcdef\tg');
    expect(reason).toMatch(SQS_ALLOWED);
  });

  it('cuts a long reason to 1,000 characters without splitting a surrogate pair', () => {
    const reason = reasonAttribute(`${'x'.repeat(998)}😀😀😀 and more`);

    expect(Array.from(reason)).toHaveLength(1000);
    expect(reason).toBe(`${'x'.repeat(998)}😀…`);
    expect(reason).toMatch(SQS_ALLOWED);
    expect(reason).not.toMatch(/\p{Cs}/u);
  });

  it('keeps a reason of 1,000 characters whole', () => {
    const reason = '😀'.repeat(1000);

    expect(reasonAttribute(reason)).toBe(reason);
  });
});
