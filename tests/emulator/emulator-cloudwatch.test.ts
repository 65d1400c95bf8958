/**
 * CloudWatch in the emulator (AWS JSON 1.0, awsQueryCompatible, as @aws-sdk/client-cloudwatch sends it): GetMetricData
 * over the embedded-metric-format lines a function writes, AWS/SQS queue metrics, and serverless.yml's alarms.
 */
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand, InvalidParameterValueException } from '@aws-sdk/client-cloudwatch';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Emulator, SeededIds } from '../../local/emulator/index';
import { startEmulator } from '../../local/emulator/index';

const credentials = { accessKeyId: 'AKIATEST000000000000', secretAccessKey: 'test' };
let emulator: Emulator;
let ids: SeededIds;
let cloudWatch: CloudWatchClient;
let sqs: SQSClient;

/** A Powertools EMF line as the sync function writes it (namespace, service + stage dimensions, one metric). */
const emf = (at: number, name: string, value: number, stage = 'local') => ({
  _aws: { Timestamp: at, CloudWatchMetrics: [{ Namespace: 'ConnectSsoSync', Dimensions: [['service', 'stage']], Metrics: [{ Name: name, Unit: 'Count' }] }] },
  service: 'connect-sso-sync',
  stage,
  [name]: value,
});
const DIMENSIONS = [{ Name: 'stage', Value: 'local' }, { Name: 'service', Value: 'connect-sso-sync' }];
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);

beforeAll(async () => {
  emulator = await startEmulator({ rateLimits: { enabled: false } });
  cloudWatch = new CloudWatchClient({ endpoint: emulator.endpoint, region: emulator.region, credentials, maxAttempts: 1 });
  sqs = new SQSClient({ endpoint: emulator.endpoint, region: emulator.region, credentials, maxAttempts: 1 });
  ids = emulator.seed({ queues: [{ name: 'connect-sso-sync-local-sync-dlq' }, { name: 'connect-sso-sync-local-events-dlq' }] });
});

afterAll(async () => {
  cloudWatch.destroy();
  sqs.destroy();
  await emulator.stop();
});

const query = (id: string, name: string, stat = 'Sum', dimensions = DIMENSIONS) => ({
  Id: id,
  MetricStat: { Metric: { Namespace: 'ConnectSsoSync', MetricName: name, Dimensions: dimensions }, Period: 3600, Stat: stat },
});

describe('GetMetricData', () => {
  it('sums EMF values per period, newest first by default, matching the exact dimension set', async () => {
    expect(emulator.cloudWatch.putEmf(JSON.stringify(emf(T0 + 60_000, 'UsersCreated', 1)))).toBe(true);
    emulator.cloudWatch.putEmf(emf(T0 + 120_000, 'UsersCreated', 1));
    emulator.cloudWatch.putEmf(emf(T0 + HOUR + 5_000, 'UsersCreated', 1));
    emulator.cloudWatch.putEmf(emf(T0 + 10_000, 'UsersCreated', 7, 'prod')); // another stage: another metric
    expect(emulator.cloudWatch.putEmf({ level: 'INFO', message: 'record done' })).toBe(false);

    const out = await cloudWatch.send(new GetMetricDataCommand({
      MetricDataQueries: [query('created', 'UsersCreated'), query('linked', 'UsersLinked')],
      StartTime: new Date(T0 - HOUR),
      EndTime: new Date(T0 + 3 * HOUR),
    }));

    const [created, linked] = out.MetricDataResults ?? [];
    expect(created?.Id).toBe('created');
    expect(created?.Timestamps).toEqual([new Date(T0 + HOUR), new Date(T0)]);
    expect(created?.Values).toEqual([1, 2]);
    expect(created?.StatusCode).toBe('Complete');
    expect(linked?.Values).toEqual([]);
  });

  it('answers a period that is not a multiple of 60 with InvalidParameterValue, as the SDK names it', async () => {
    const bad = { ...query('x', 'UsersCreated'), MetricStat: { ...query('x', 'UsersCreated').MetricStat, Period: 90 } };
    const call = cloudWatch.send(new GetMetricDataCommand({ MetricDataQueries: [bad], StartTime: new Date(T0), EndTime: new Date(T0 + HOUR) }));
    await expect(call).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(call).rejects.toMatchObject({ name: 'InvalidParameterValueException', $metadata: { httpStatusCode: 400 } });
  });

  it('reads AWS/SQS ApproximateNumberOfMessagesVisible and ApproximateAgeOfOldestMessage from the queue now', async () => {
    const url = ids.queues['connect-sso-sync-local-events-dlq']?.url ?? '';
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{}' }));
    const now = Date.now();
    const sqsQuery = (id: string, name: string) => ({
      Id: id,
      MetricStat: { Metric: { Namespace: 'AWS/SQS', MetricName: name, Dimensions: [{ Name: 'QueueName', Value: 'connect-sso-sync-local-events-dlq' }] }, Period: 60, Stat: 'Maximum' },
    });
    const out = await cloudWatch.send(new GetMetricDataCommand({
      MetricDataQueries: [sqsQuery('visible', 'ApproximateNumberOfMessagesVisible'), sqsQuery('age', 'ApproximateAgeOfOldestMessage')],
      StartTime: new Date(now - HOUR),
      EndTime: new Date(now + HOUR),
    }));
    expect(out.MetricDataResults?.[0]?.Values).toEqual([1]);
    expect(out.MetricDataResults?.[1]?.Values?.[0]).toBeGreaterThanOrEqual(0);
  });
});

describe('DescribeAlarms', () => {
  it('describes serverless.yml\'s alarms for the stage, in ALARM while their dead-letter queue holds a message', async () => {
    const names = emulator.cloudWatch.createAlarms({ stage: 'local' });
    expect(names.sort()).toEqual(['connect-sso-sync-local-events-dlq-messages', 'connect-sso-sync-local-sync-dlq-messages']);

    const out = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: names }));

    const byName = new Map((out.MetricAlarms ?? []).map((a) => [a.AlarmName, a]));
    const events = byName.get('connect-sso-sync-local-events-dlq-messages');
    expect(events?.StateValue).toBe('ALARM'); // the message the previous test sent
    expect(events?.Dimensions).toEqual([{ Name: 'QueueName', Value: 'connect-sso-sync-local-events-dlq' }]);
    expect(events?.AlarmActions).toEqual([`arn:aws:sns:${emulator.region}:${emulator.accountId}:connect-sso-sync-local-alarms`]);
    expect(events?.StateUpdatedTimestamp).toBeInstanceOf(Date);
    expect(byName.get('connect-sso-sync-local-sync-dlq-messages')?.StateValue).toBe('OK');
  });
});
