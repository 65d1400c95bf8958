import {
  ChangeMessageVisibilityBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { createUserEvent, sampleEvent } from '../support/events.js';

const URL = (name: string) => `https://sqs.us-east-1.amazonaws.com/123456789012/connect-sso-sync-dev-${name}`;
const ENV = {
  AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test',
  POWERTOOLS_LOG_LEVEL: 'SILENT', DLQ_URL: URL('sync-dlq'), EVENTS_DLQ_URL: URL('events-dlq'), SYNC_QUEUE_URL: URL('sync'),
};
const CREATED = 'b3596a0d-fe8f-4ef8-82b6-f084b6df1ae1';
const deleteUser = sampleEvent('delete-user');
const DELETED = (deleteUser.detail.requestParameters as { UserId: string }).UserId;

const sqs = mockClient(SQSClient);

type Replay = (event: unknown) => Promise<{ messages: Record<string, unknown>[] }>;

/** The module reads its queue URLs when loaded, as a cold start does. */
function loadReplay(): Replay {
  const saved = { ...process.env };
  Object.assign(process.env, ENV);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../../functions/replay/handler') as { replay: Replay }).replay;
  } finally {
    process.env = saved;
  }
}

describe('replay function, list', () => {
  beforeEach(() => {
    sqs.reset();
    const message = (id: string, body: unknown) => ({
      MessageId: id, ReceiptHandle: `h-${id}`, Body: JSON.stringify(body),
      Attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now() - 60_000) },
      MessageAttributes: { errorCode: { DataType: 'String', StringValue: 'NO_EMAIL' } },
    });
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '2' } });
    sqs.on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [message('m-1', createUserEvent(CREATED, 'maria.garcia@example.com')), message('m-2', deleteUser)] })
      .resolves({ Messages: [] });
    sqs.on(ChangeMessageVisibilityBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({ Successful: input.Entries.map((e) => ({ Id: e.Id })) }));
  });

  it('names each user by id, from CreateUser\'s response and DeleteUser\'s request, and never returns a Username', async () => {
    const replay = loadReplay();

    const result = await replay({ action: 'list' });

    expect(result.messages.map((m) => m.connectUserId)).toEqual([CREATED, DELETED]);
    expect(JSON.stringify(result)).not.toContain('maria.garcia');
    expect(result.messages.every((m) => !('connectUsername' in m))).toBe(true);
  });
});
