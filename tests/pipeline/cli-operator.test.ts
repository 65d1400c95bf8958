/** The operator commands end to end: the real SDK over HTTP against the local emulator, through cli/main.ts. */
import { main } from '../../cli/main';
import type { Emulator, SeededIds } from '../../local/emulator/index';
import { startEmulator } from '../../local/emulator/index';
import { RECONCILE_SOURCE } from '../../shared/adapters/sync-message';
import { recordingIo } from '../unit/cli/io-helpers';

const USERS = 3;
let emulator: Emulator;
let ids: SeededIds;
let env: Record<string, string>;
const saved = { ...process.env };

beforeAll(async () => {
  // Rates scaled 50x (Connect 100/s) so a few hundred users take seconds; the CLI is told the same rate.
  emulator = await startEmulator({ rateLimits: { enabled: true, scale: 50 }, sqsTimeScale: 0.01, behaviour: { pages: 'short' } });
  const users = Array.from({ length: USERS }, (_, i) => ({ username: `agent${i}@example.com`, firstName: `A${i}`, lastName: 'Agent' }));
  users.push({ username: 'no-email-login', firstName: 'No', lastName: 'Email' });
  ids = emulator.seed({
    connectInstances: [{ alias: 'cc', identityManagementType: 'SAML', users }],
    identityStores: [{
      users: [{ userName: 'agent0@example.com', email: 'agent0@example.com' }, { userName: 'leaver@example.com', email: 'leaver@example.com' }],
      groups: [{ displayName: 'ConnectAgents', members: ['leaver@example.com'] }],
    }],
    queues: [
      { name: 'connect-sso-sync-it-sync', visibilityTimeout: 360, redrive: { dlqName: 'connect-sso-sync-it-sync-dlq', maxReceiveCount: 5 } },
      { name: 'connect-sso-sync-it-events-dlq' },
    ],
  });
  const store = ids.identityStores[0]?.id ?? '';
  const sso = emulator.seed({ ssoInstances: [{ identityStoreId: store, applications: [{ name: 'Amazon Connect' }] }] }).ssoInstances[0];
  env = {
    ...emulator.env(),
    IDENTITY_STORE_ID: store,
    CONNECT_INSTANCE_ID: ids.connectInstances[0]?.id ?? '',
    SSO_INSTANCE_ARN: sso?.instanceArn ?? '',
    CONNECT_APPLICATION_ARN: sso?.applications['Amazon Connect'] ?? '',
  };
  // The SDK reads endpoints and credentials from process.env.
  Object.assign(process.env, env);
});

afterAll(async () => {
  process.env = saved;
  await emulator.stop();
});

describe('replay', () => {
  const queueUrl = (name: string) => ids.queues[name]?.url ?? '';
  const dlq = () => queueUrl('connect-sso-sync-it-sync-dlq');
  const sync = () => queueUrl('connect-sso-sync-it-sync');
  const events = () => queueUrl('connect-sso-sync-it-events-dlq');
  const body = (userId: string) => JSON.stringify({ source: RECONCILE_SOURCE, instanceId: env.CONNECT_INSTANCE_ID, userId });
  const put = async (url: string, text: string, attributes: Record<string, string>) => {
    const { SQSClient, SendMessageCommand } = await import('@aws-sdk/client-sqs');
    const client = new SQSClient({});
    await client.send(new SendMessageCommand({
      QueueUrl: url, MessageBody: text,
      MessageAttributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])),
    }));
    client.destroy();
  };

  beforeAll(async () => {
    await put(dlq(), body('u-throttled'), { errorCode: 'THROTTLED', errorMessage: 'Rate exceeded' });
    await put(dlq(), body('u-noemail'), { errorCode: 'NO_EMAIL', errorMessage: 'no email for x@example.com' });
    await put(dlq(), body('u-redriven'), {});
    await put(events(), body('u-event'), { ERROR_CODE: 'SQS_PERMISSIONS_ERROR', ERROR_MESSAGE: 'denied' });
  });

  it('list: a table of both queues with codes and a summary, changing nothing', async () => {
    const io = recordingIo({ ...env, DLQ_URL: dlq(), EVENTS_DLQ_URL: events() });

    const code = await main(['replay', 'list'], io);

    const out = io.stdout.join('\n');
    expect(code).toBe(0);
    expect(out).toMatch(/sync-dlq\s+\S+\s+u-noemail\s+NO_EMAIL\s+1\s+no email for \[redacted\]/);
    expect(out).toMatch(/events-dlq\s+\S+\s+u-event\s+SQS_PERMISSIONS_ERROR/);
    expect(out).toContain('4 message(s). By error code:');
    expect(out).not.toContain('x@example.com');
    expect(emulator.state.queue(dlq()).messages.every((m) => !m.inFlight)).toBe(true);
  });

  it('list with a filter nothing matches: says how many messages were read, not that there are none', async () => {
    const io = recordingIo({ ...env, DLQ_URL: dlq(), EVENTS_DLQ_URL: events() });

    const code = await main(['replay', 'list', '--code', 'AMBIGUOUS_MATCH'], io);

    expect(code).toBe(0);
    expect(io.stdout).toEqual(['4 message(s) read in connect-sso-sync-it-sync-dlq, connect-sso-sync-it-events-dlq; none matched --code AMBIGUOUS_MATCH.']);
  });

  it('run with a filter: sends the chosen message to the sync queue, then deletes it; the rest stays visible', async () => {
    const io = recordingIo({ ...env, DLQ_URL: dlq(), SYNC_QUEUE_URL: sync() });

    const code = await main(['replay', 'run', '--queue', 'sync-dlq', '--code', 'THROTTLED'], io);

    expect(code).toBe(0);
    expect(emulator.state.queue(sync()).messages.map((m) => JSON.parse(m.body).userId)).toEqual(['u-throttled']);
    expect(emulator.state.queue(dlq()).messages.map((m) => JSON.parse(m.body).userId).sort()).toEqual(['u-noemail', 'u-redriven']);
    expect(emulator.state.queue(dlq()).messages.every((m) => m.visible)).toBe(true);
  });

  it('run without a filter: sync-dlq by a native move task, events-dlq by send-then-delete (found by --stage)', async () => {
    const io = recordingIo({ ...env });

    const code = await main(['replay', 'run', '--stage', 'it'], io);

    expect(code).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/sync-dlq: replayed 2 of 2 message\(s\) read \(SQS message move task\)/);
    expect(emulator.state.queue(dlq()).messages).toHaveLength(0);
    expect(emulator.state.queue(events()).messages).toHaveLength(0);
    expect(emulator.state.queue(sync()).messages.map((m) => JSON.parse(m.body).userId).sort()).toEqual(['u-event', 'u-noemail', 'u-redriven', 'u-throttled']);
  });
});

describe('doctor', () => {
  const FIX = /fix: create a trail that logs management events .* aws cloudtrail start-logging --name connect-sso-sync/;

  it('fails the cloudtrail check, with the fix, while the account has no trail', async () => {
    const io = recordingIo(env);

    const code = await main(['doctor'], io);

    const out = io.stdout.join('\n');
    expect(out).toMatch(/FAIL\s+cloudtrail\s+no trail covers us-east-1/);
    expect(out).toMatch(FIX);
    expect(out).toMatch(/PASS\s+connect-instance\s+cc uses SAML; SIGN_IN_ATTRIBUTE=email: the application must send RoleSessionName = \$\{user:email\}/);
    expect(code).toBe(1);
  });

  it('fails it for a stopped trail; another region\'s single-region trail does not count', async () => {
    emulator.seed({ trails: [{ name: 'paused', logging: false }, { name: 'eu-only', homeRegion: 'eu-west-1' }] });
    const io = recordingIo(env);

    const code = await main(['doctor'], io);

    expect(io.stdout.join('\n')).toMatch(/FAIL\s+cloudtrail\s+paused: logs management events but is stopped\n\s+fix: create a trail/);
    expect(code).toBe(1);
  });

  it('passes the emulated account once a multi-region trail (advanced selectors) logs management events', async () => {
    emulator.seed({ trails: [{ name: 'org', isMultiRegionTrail: true, homeRegion: 'eu-west-1', eventSelectors: 'advanced-management' }] });
    const io = recordingIo({ ...env, IDENTITY_CENTER_ROLE_ARN: 'arn:aws:iam::210987654321:role/identity-center-sync', IDENTITY_CENTER_EXTERNAL_ID: 'connect-sso-sync-it' });
    emulator.counters.reset();

    const code = await main(['doctor'], io);

    const out = io.stdout.join('\n');
    // The emulator lets anyone assume the role: doctor warns that the role should trust only the functions.
    expect(out).toMatch(/WARN\s+identity-center-role\s+assumed .* with your credentials/);
    expect(emulator.state.assumedRoles().at(-1)?.externalId).toBe('connect-sso-sync-it');
    expect(out).toMatch(/PASS\s+managed-groups\s+ConnectAgents exists; deploy with --param="managedGroupIds=/);
    expect(out).toMatch(/PASS\s+connect-instance\s+cc uses SAML/);
    expect(out).toMatch(/PASS\s+cloudtrail\s+trail org logs write management events in us-east-1/);
    expect(code).toBe(0);
    expect(emulator.counters.get('cloudtrail:GetEventSelectors')).toMatchObject({ ok: 2, error: 0 });
  });
});
