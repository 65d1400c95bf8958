/**
 * `connect-sso-sync status` end to end: the real SDK against the emulator (SQS, DynamoDB, CloudWatch, SNS, Identity
 * Store), through cli/main.ts. Each case arranges one state of the stack and checks the screen and the exit code.
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { main } from '../../cli/main';
import type { Emulator, SeededIds } from '../../local/emulator/index';
import { startEmulator } from '../../local/emulator/index';
import { runSummaryStoreAdapter } from '../../shared/adapters/run-summaries';
import type { ReconcileRunSummary } from '../../shared/core/run-summary';
import { recordingIo } from '../unit/cli/io-helpers';

const STAGE = 'st';
let emulator: Emulator;
let ids: SeededIds;
let env: Record<string, string>;
let sqs: SQSClient;
let dynamodb: DynamoDBClient;
const saved = { ...process.env };
const NOW = new Date();
const topicArn = () => `arn:aws:sns:${emulator.region}:${emulator.accountId}:connect-sso-sync-${STAGE}-alarms`;
const queueUrl = (role: string) => ids.queues[`connect-sso-sync-${STAGE}-${role}`]?.url ?? '';

beforeAll(async () => {
  emulator = await startEmulator({ rateLimits: { enabled: false } });
  ids = emulator.seed({
    connectInstances: [{ alias: 'cc', identityManagementType: 'SAML' }],
    identityStores: [{ groups: [{ displayName: 'ConnectAgents' }] }],
    queues: [
      { name: `connect-sso-sync-${STAGE}-sync`, visibilityTimeout: 360, redrive: { dlqName: `connect-sso-sync-${STAGE}-sync-dlq`, maxReceiveCount: 5 } },
      { name: `connect-sso-sync-${STAGE}-events-dlq` },
    ],
  });
  const tables = await emulator.createTables({ stage: STAGE });
  emulator.cloudWatch.createAlarms({ stage: STAGE });
  const store = ids.identityStores[0]?.id ?? '';
  env = {
    ...emulator.env(),
    IDENTITY_STORE_ID: store,
    CONNECT_INSTANCE_ID: ids.connectInstances[0]?.id ?? '',
    ASSIGNMENT_MODE: 'none',
    UPDATE_IDENTITY: 'none',
    PROTECTED_GROUPS: 'Admins',
    LINKS_TABLE: tables.LinksTable ?? '',
    SYNC_QUEUE_URL: queueUrl('sync'),
    DLQ_URL: queueUrl('sync-dlq'),
    EVENTS_DLQ_URL: queueUrl('events-dlq'),
  };
  Object.assign(process.env, env);
  sqs = new SQSClient({});
  dynamodb = new DynamoDBClient({});
});

afterAll(async () => {
  process.env = saved;
  sqs.destroy();
  dynamodb.destroy();
  await emulator.stop();
});

async function status(args: string[] = [], extraEnv: Record<string, string> = {}) {
  const io = { ...recordingIo({ ...env, ...extraEnv }), now: () => NOW };
  const code = await main(['status', ...args], io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

const emf = (name: string, value: number, at = NOW.getTime() - 60_000) => ({
  _aws: { Timestamp: at, CloudWatchMetrics: [{ Namespace: 'ConnectSsoSync', Dimensions: [['service', 'stage']], Metrics: [{ Name: name, Unit: 'Count' }] }] },
  service: 'connect-sso-sync',
  stage: STAGE,
  [name]: value,
});

const send = (url: string, attributes: Record<string, string> = {}) =>
  sqs.send(new SendMessageCommand({
    QueueUrl: url,
    MessageBody: JSON.stringify({ source: 'connect-sso-sync.reconcile', instanceId: env.CONNECT_INSTANCE_ID, userId: 'u-1' }),
    MessageAttributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])),
  }));

const drain = async (url: string) => {
  const { ReceiveMessageCommand, DeleteMessageCommand } = await import('@aws-sdk/client-sqs');
  for (;;) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    if (!out.Messages?.length) return;
    for (const m of out.Messages) await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
  }
};

describe('status', () => {
  it('no e-mail subscription, then one nobody confirmed: the verdict says who hears of an alarm; exit 1', async () => {
    const none = await status();
    emulator.sns.subscribe(topicArn(), { protocol: 'email', endpoint: 'ops@example.com', confirmed: false });
    const pending = await status();

    expect(none.out).toContain('e-mail subscription: none');
    expect(none.out).toContain('Verdict: no e-mail subscription on the alarm topic: nobody hears of an alarm');
    expect(none.code).toBe(1);
    expect(pending.out).toContain('e-mail subscription: pending');
    expect(pending.out).toContain('Verdict: the alarm e-mail subscription is not confirmed');
    expect(pending.code).toBe(1);
  });

  it('healthy: configuration, the day\'s outcomes from the metrics, empty queues, alarms OK, subscription confirmed; exit 0', async () => {
    emulator.sns.confirm(topicArn());
    // Two hours ago: the last hour stays quiet for the backlog case below.
    emulator.cloudWatch.putEmf(emf('UsersCreated', 1, NOW.getTime() - 2 * 3_600_000));
    emulator.cloudWatch.putEmf(emf('UsersCreated', 1, NOW.getTime() - 2 * 3_600_000));
    emulator.cloudWatch.putEmf(emf('UsersLinked', 1, NOW.getTime() - 5 * 3_600_000));

    const { code, out } = await status();

    expect(out).toContain(`stage ${STAGE}`);
    expect(out).toMatch(/managed groups\s+ConnectAgents \([0-9a-f-]+\)/);
    expect(out).toContain('protected groups  Admins (does not exist)');
    expect(out).toMatch(/created\s+2 {2}\| *█ {1,2}\|/);
    expect(out).toMatch(/linked\s+1 {2}\|/);
    expect(out).toContain('0 waiting, 0 in flight');
    expect(out).toMatch(/Dead-letter queues\n {2}empty/);
    expect(out).toContain('no run recorded yet');
    expect(out).toMatch(/connect-sso-sync-st-sync-dlq-messages\s+OK/);
    expect(out).toContain('e-mail subscription: confirmed');
    expect(out).toContain(`#dashboards/dashboard/connect-sso-sync-${STAGE}`);
    expect(out).not.toContain('ops@example.com');
    expect(out).toMatch(/Verdict: healthy$/);
    expect(code).toBe(0);
  });

  it('a backlog nothing drains: shown, and the verdict asks whether the function runs; exit 1', async () => {
    await send(queueUrl('sync'));
    await send(queueUrl('sync'));

    const { code, out } = await status();
    await drain(queueUrl('sync'));

    expect(out).toMatch(/2 waiting, 0 in flight, oldest \d+ s/);
    expect(out).toContain('Verdict: 2 message(s) in the sync queue and none processed in the last hour: is the syncUser function running?');
    expect(code).toBe(1);
  });

  it('dead letters of two codes: counted per code with their replay commands, the alarm in ALARM, the oldest first in the verdict; exit 1', async () => {
    await send(queueUrl('sync-dlq'), { errorCode: 'NO_EMAIL', errorMessage: 'no email' });
    await send(queueUrl('sync-dlq'), { errorCode: 'NO_EMAIL', errorMessage: 'no email' });
    await send(queueUrl('sync-dlq'), { errorCode: 'AMBIGUOUS_MATCH', errorMessage: 'two users' });

    const { code, out } = await status();
    const json = await status(['--json']);
    await drain(queueUrl('sync-dlq'));

    expect(out).toMatch(/sync-dlq\s+NO_EMAIL\s+2/);
    expect(out).toMatch(/sync-dlq\s+AMBIGUOUS_MATCH\s+1/);
    expect(out).toContain('replay: connect-sso-sync replay run --code NO_EMAIL');
    expect(out).toContain('replay: connect-sso-sync replay run --code AMBIGUOUS_MATCH');
    expect(out).toMatch(/connect-sso-sync-st-sync-dlq-messages\s+ALARM/);
    expect(out).toMatch(/Verdict: 2 NO_EMAIL in the dead-letter queue since \d\d:\d\d UTC: on a SAML instance re-create those Connect users with their email as Username \(or set SIGN_IN_ATTRIBUTE=userName if the application sends the UserName\); elsewhere add emails in Connect, then `connect-sso-sync replay run --code NO_EMAIL`/);
    expect(code).toBe(1);
    const parsed = JSON.parse(json.out) as { verdict: { health: string }; alarms: { state: string }[]; deadLetters: { code: string; count: number }[] };
    expect(parsed.verdict.health).toBe('attention');
    expect(parsed.alarms.map((a) => a.state)).toContain('ALARM');
    expect(parsed.deadLetters.map((d) => [d.code, d.count])).toEqual([['NO_EMAIL', 2], ['AMBIGUOUS_MATCH', 1]]);
    expect(json.code).toBe(1);
  });

  it('drift found by the last reconcile: the run\'s figures, and the verdict says events were missed; exit 1', async () => {
    const run: ReconcileRunSummary = {
      instanceId: env.CONNECT_INSTANCE_ID ?? '', trigger: 'schedule',
      startedAt: new Date(NOW.getTime() - 600_000).toISOString(), finishedAt: new Date(NOW.getTime() - 588_000).toISOString(), durationMs: 12_000,
      users: 40, links: 38, inSync: 37,
      drift: { 'missing-link': 2, 'deleted-connect-user': 0, 'missing-membership': 1, 'extra-membership': 0, 'profile-change': 0, 'user-unassigned': 0, 'sign-in-mismatch': 0 },
      acted: 3, deferred: 0, failed: 0, unlinkedMembers: 1, unassignedGroups: 0, missingGroups: 0, knownFailures: 0,
    };
    await runSummaryStoreAdapter(dynamodb, env.LINKS_TABLE ?? '').write(run);

    const { code, out } = await status();

    expect(out).toContain('(scheduled), took 12 s: 40 Connect user(s), 37 in sync');
    expect(out).toContain('drift: missing-link 2, missing-membership 1');
    expect(out).toContain('queued 3, deferred 0, failed 0, known permanent failures 0');
    expect(out).toMatch(/Verdict: the last reconcile \(\d\d:\d\d UTC\) found drift \(2 missing-link, 1 missing-membership\): events were missed/);
    expect(code).toBe(1);
    await runSummaryStoreAdapter(dynamodb, env.LINKS_TABLE ?? '').write({ ...run, drift: { ...run.drift, 'missing-link': 0, 'missing-membership': 0 } });
  });

  it('cannot reach the endpoint: one line per section naming it, and exit 2', async () => {
    const down = 'http://127.0.0.1:9';
    // The SDK clients read their endpoints from the process's environment.
    const before = { ...process.env };
    Object.assign(process.env, { AWS_ENDPOINT_URL_SQS: down, AWS_ENDPOINT_URL_CLOUDWATCH: down, AWS_ENDPOINT_URL_DYNAMODB: down });
    const unreachableQueue = (role: string) => `${down}/${emulator.accountId}/connect-sso-sync-${STAGE}-${role}`;
    const queues = { SYNC_QUEUE_URL: unreachableQueue('sync'), DLQ_URL: unreachableQueue('sync-dlq'), EVENTS_DLQ_URL: unreachableQueue('events-dlq') };
    const { code, out, err } = await status([], queues).finally(() => {
      process.env = before;
    });
    expect(err).toBe('');
    expect(out).toContain('could not read: cannot reach 127.0.0.1:9');
    expect(out).toMatch(/Verdict: could not check outcomes, syncQueue, deadLetters, lastRun, alarms/);
    expect(code).toBe(2);
  });
});
