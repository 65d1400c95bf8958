/**
 * Starts the emulator, seeds a demo (Connect SAML instance, Identity Store with the ConnectAgents group, an Identity
 * Center instance with the Amazon Connect application, the sync queue with its DLQ), wires CreateUser events to the
 * sync queue and prints the environment lines to use.
 *   npx tsx local/emulator/serve.ts --port 4566 [--no-rate-limits] [--rate-scale 10]
 */
import { wireEventBus } from './event-bus.js';
import { startEmulator } from './index.js';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const emulator = await startEmulator({
    port: Number(argument('port') ?? '4566'),
    rateLimits: { enabled: !process.argv.includes('--no-rate-limits'), scale: Number(argument('rate-scale') ?? '1') },
  });
  const ids = emulator.seed({
    connectInstances: [{ alias: 'demo-contact-center', identityManagementType: 'SAML', users: [{ username: 'existing.agent@example.com', firstName: 'Existing', lastName: 'Agent', email: 'existing.agent@example.com' }] }],
    identityStores: [{ users: [{ userName: 'existing.agent@example.com', givenName: 'Existing', familyName: 'Agent', email: 'existing.agent@example.com' }], groups: [{ displayName: 'ConnectAgents' }] }],
    queues: [
      { name: 'connect-sso-sync-dev-sync', visibilityTimeout: 360, redrive: { dlqName: 'connect-sso-sync-dev-sync-dlq', maxReceiveCount: 5 } },
      { name: 'connect-sso-sync-dev-events-dlq' },
    ],
  });
  const store = ids.identityStores[0];
  const instance = ids.connectInstances[0];
  if (store === undefined || instance === undefined) throw new Error('seeding failed');
  const sso = emulator.seed({ ssoInstances: [{ identityStoreId: store.id, applications: [{ name: 'Amazon Connect', supportsApiAssignments: true }] }] }).ssoInstances[0];
  const syncQueue = ids.queues['connect-sso-sync-dev-sync'];
  const bus = wireEventBus(emulator, { queueUrl: syncQueue?.url ?? '', deadLetterQueueUrl: ids.queues['connect-sso-sync-dev-events-dlq']?.url });
  emulator.onEvent((event) => console.error(`event: ${String(event.detail.eventName)} ${JSON.stringify(event.detail.requestParameters)}`));

  const lines: Record<string, string> = {
    ...emulator.env(),
    IDENTITY_STORE_ID: store.id,
    CONNECT_INSTANCE_ID: instance.id,
    SSO_INSTANCE_ARN: sso?.instanceArn ?? '',
    CONNECT_APPLICATION_ARN: sso?.applications['Amazon Connect'] ?? '',
    SYNC_QUEUE_URL: syncQueue?.url ?? '',
    DLQ_URL: ids.queues['connect-sso-sync-dev-sync-dlq']?.url ?? '',
    EVENTS_DLQ_URL: ids.queues['connect-sso-sync-dev-events-dlq']?.url ?? '',
  };
  for (const [key, value] of Object.entries(lines)) console.log(`export ${key}=${value}`);
  console.error(`emulator listening on ${emulator.endpoint} (Ctrl-C to stop)`);

  const shutdown = (): void => {
    bus.stop();
    void emulator.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
