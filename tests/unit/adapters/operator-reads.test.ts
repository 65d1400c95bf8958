import { GetQueueAttributesCommand, GetQueueUrlCommand, QueueDoesNotExist, SQSClient } from '@aws-sdk/client-sqs';
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { queueDirectoryAdapter, statusReadsAdapter } from '../../../shared/adapters/operator-reads.js';
import { PermanentError, RetryableError } from '../../../shared/core/errors.js';

const URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/connect-sso-sync-dev-sync';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:alarms';
const sqsMock = mockClient(SQSClient);
const snsMock = mockClient(SNSClient);
const sqs = new SQSClient({ region: 'eu-west-1', maxAttempts: 1 });
const reads = statusReadsAdapter(sqs, new SNSClient({ region: 'eu-west-1', maxAttempts: 1 }));
const denied = () => Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $fault: 'client', $metadata: {} });

beforeEach(() => {
  sqsMock.reset();
  snsMock.reset();
});

describe('queue directory adapter', () => {
  it('finds a queue URL by name, and answers undefined when the queue does not exist', async () => {
    sqsMock.on(GetQueueUrlCommand, { QueueName: 'connect-sso-sync-dev-sync' }).resolves({ QueueUrl: URL });
    sqsMock.on(GetQueueUrlCommand, { QueueName: 'missing' }).rejects(new QueueDoesNotExist({ message: 'no queue', $metadata: {} }));
    const urls = queueDirectoryAdapter(sqs);

    expect(await urls.urlOf('connect-sso-sync-dev-sync')).toBe(URL);
    expect(await urls.urlOf('missing')).toBeUndefined();
  });

  it('throws any other failure classified, the AWS error as its cause', async () => {
    const error = denied();
    sqsMock.on(GetQueueUrlCommand).rejects(error);

    const thrown = await queueDirectoryAdapter(sqs).urlOf('q').catch((e: unknown) => e);

    expect(thrown).toBeInstanceOf(PermanentError);
    expect(thrown).toMatchObject({ code: 'ACCESS_DENIED', cause: error, message: 'sqs:GetQueueUrl failed: AccessDeniedException: not authorized' });
  });
});

describe('status reads adapter', () => {
  it('reads the backlog: messages waiting and in flight', async () => {
    sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '7', ApproximateNumberOfMessagesNotVisible: '2' } });

    expect(await reads.backlog(URL)).toEqual({ visible: 7, inFlight: 2 });
    expect(sqsMock.commandCalls(GetQueueAttributesCommand)[0]?.args[0].input.QueueUrl).toBe(URL);
  });

  it('counts missing attributes as zero, and classifies a failure (throttling is retryable)', async () => {
    sqsMock.on(GetQueueAttributesCommand).resolvesOnce({}).rejects(Object.assign(new Error('slow down'), { name: 'RequestThrottled', $metadata: {} }));

    expect(await reads.backlog(URL)).toEqual({ visible: 0, inFlight: 0 });
    await expect(reads.backlog(URL)).rejects.toMatchObject({ code: 'THROTTLED', constructor: RetryableError });
  });

  it('e-mail subscriptions over every page: confirmed when one is, pending when none is, none without e-mail', async () => {
    snsMock
      .on(ListSubscriptionsByTopicCommand, { TopicArn: TOPIC, NextToken: undefined })
      .resolves({ Subscriptions: [{ Protocol: 'email', SubscriptionArn: 'PendingConfirmation' }], NextToken: 'p2' })
      .on(ListSubscriptionsByTopicCommand, { TopicArn: TOPIC, NextToken: 'p2' })
      .resolves({ Subscriptions: [{ Protocol: 'email-json', SubscriptionArn: `${TOPIC}:sub-1` }] });
    expect(await reads.emailSubscription(TOPIC)).toBe('confirmed');

    snsMock.reset();
    snsMock.on(ListSubscriptionsByTopicCommand).resolves({ Subscriptions: [{ Protocol: 'email', SubscriptionArn: 'PendingConfirmation' }] });
    expect(await reads.emailSubscription(TOPIC)).toBe('pending');

    snsMock.reset();
    snsMock.on(ListSubscriptionsByTopicCommand).resolves({ Subscriptions: [{ Protocol: 'lambda', SubscriptionArn: `${TOPIC}:sub-2` }] });
    expect(await reads.emailSubscription(TOPIC)).toBe('none');
  });

  it('classifies a failed subscription listing', async () => {
    snsMock.on(ListSubscriptionsByTopicCommand).rejects(denied());

    await expect(reads.emailSubscription(TOPIC)).rejects.toMatchObject({ code: 'ACCESS_DENIED', message: expect.stringContaining('sns:ListSubscriptionsByTopic') });
  });

  it('answers the region of its SQS client (the stack\'s, for the dashboard\'s address)', async () => {
    expect(await statusReadsAdapter(new SQSClient({ region: 'ap-southeast-2' }), new SNSClient({ region: 'eu-west-1' })).region()).toBe('ap-southeast-2');
  });
});
