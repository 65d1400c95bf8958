/**
 * The whole product on one machine: the emulator (Connect, Identity Store, SSO Admin, SQS), the deployed
 * EventBridge rule (read from serverless.yml) feeding the `sync` queue, and Lambda's SQS poller invoking the real
 * syncUser handler. `npm start`, the integration tests and the benchmark all run on this.
 */
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { ConnectClient } from '@aws-sdk/client-connect';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createClients } from '../shared/composition/clients.js';
import { loadSyncConfig } from '../shared/config/config.js';
import { createContainerPool, type ContainerPool } from './container-pool.js';
import { wireEventBus, type EventBus } from './emulator/event-bus.js';
import { startEmulator, type Emulator, type EmulatorOptions, type SeedSpec } from './emulator/index.js';
import { createPoller, type Poller } from './emulator/poller.js';
import { seededRandom } from './emulator/core.js';
import { dig, loadServerlessConfig } from './emulator/serverless-config.js';

export interface PipelineOptions {
  emulator?: EmulatorOptions;
  /** Extra syncUser environment (ASSIGNMENT_MODE, CREATE_USERS, AGENT_GROUP_NAME, ...). */
  syncEnv?: Record<string, string>;
  /** Users and groups already in Identity Center before the product runs. */
  identityCenter?: NonNullable<SeedSpec['identityStores']>[number];
  /** False seeds an application whose assignments cannot be managed by API (a SAML app). */
  applicationSupportsApiAssignments?: boolean;
  identityManagementType?: 'SAML' | 'CONNECT_MANAGED' | 'EXISTING_DIRECTORY';
  /** Fraction of matched events EventBridge delivers twice (its delivery is at least once). */
  duplicateRate?: number;
  /**
   * Runs AWS's clock this many times faster: rate limits are multiplied by it; visibility timeouts, batching
   * windows and retry backoff divided by it, so their ratios (and so the behaviour) stay as deployed. The function's
   * deadline is not compressed with them (see localDeadline: CPU work does not speed up).
   */
  speed?: number;
  /** Messages receivable this many times before SQS moves them to sync-dlq (default: serverless.yml's). */
  maxReceiveCount?: number;
  /** False seeds no CloudTrail trail; default: one multi-region trail logging management events (what doctor checks). */
  cloudTrail?: boolean;
  /** The alarm topic's e-mail subscription (serverless.yml's alarmEmail): confirmed by default; false: none. */
  alarmEmail?: { confirmed: boolean } | false;
}

export interface Pipeline {
  emulator: Emulator;
  /** The seeded instance's: SAML (default; sign-in through Identity Center, no Email) or CONNECT_MANAGED / EXISTING_DIRECTORY. */
  identityManagementType: NonNullable<PipelineOptions['identityManagementType']>;
  ids: { instanceId: string; identityStoreId: string; ssoInstanceArn: string; applicationArn: string; linksTable: string; alarmTopicArn: string };
  queues: { sync: string; syncDlq: string; eventsDlq: string };
  /** The environment the syncUser function runs with (also set on process.env). */
  env: Record<string, string>;
  /** A Connect client as the administrator uses it (admin website, API, bulk upload). */
  adminConnect: ConnectClient;
  poller: Poller;
  bus: EventBus;
  containers: ContainerPool;
  /** Resolves when every event so far has been delivered and processed (synced, retried out, or dead-lettered). */
  drain(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** The stage the local stack is named for (queues, table, alarms, metrics' stage dimension). */
export const STAGE = 'local';

/**
 * The function's deadline and answer margin locally, in milliseconds. Lambda's timeout guards against AWS calls that
 * hang; a batch's work is mostly CPU time (the SDK, the emulator, dynalite, all in this process), which no speed
 * compresses and a busy machine stretches. Scaled like the rest of the clock, 60 s at 20x would be 3 s and its 3 s
 * margin 150 ms: a batch beside two busy processes timed out, and its last-receive records, not parked within the
 * margin, were redriven without a reason. So the deadline is stretched as far as the queue allows: 5/6 of the scaled
 * visibility timeout (a function's timeout must stay inside it, as AWS requires), never shorter than the scaled
 * timeout; the margin, which sends dead letters, is a quarter of it.
 */
export function localDeadline(deployed: { timeoutSeconds: number; visibilitySeconds: number }, speed: number) {
  const deadlineMs = Math.max(deployed.timeoutSeconds, (deployed.visibilitySeconds * 5) / 6) * (1000 / speed);
  return { deadlineMs, answerMarginMs: deadlineMs / 4 };
}

function resourceProperty(config: Record<string, unknown>, resource: string, ...path: string[]): unknown {
  return dig(config, 'resources', 'Resources', resource, 'Properties', ...path);
}

export async function startPipeline(options: PipelineOptions = {}): Promise<Pipeline> {
  const speed = options.speed ?? 10;
  const emulator = await startEmulator({
    ...options.emulator,
    sqsTimeScale: 1 / speed,
    rateLimits: { scale: speed, ...options.emulator?.rateLimits },
  });
  try {
    return await wirePipeline(emulator, options, speed);
  } catch (error) {
    // A bad seed or configuration must not leave the emulator serving (a test run would never exit).
    await emulator.stop();
    throw error;
  }
}

async function wirePipeline(emulator: Emulator, options: PipelineOptions, speed: number): Promise<Pipeline> {
  const serverless = loadServerlessConfig();
  const visibility = Number(resourceProperty(serverless, 'SyncQueue', 'VisibilityTimeout') ?? 30);
  const maxReceiveCount = options.maxReceiveCount ?? Number(resourceProperty(serverless, 'SyncQueue', 'RedrivePolicy', 'maxReceiveCount') ?? 5);
  const timeScale = 1 / speed;
  const seeded = emulator.seed({
    connectInstances: [{ alias: 'demo-contact-centre', identityManagementType: options.identityManagementType ?? 'SAML' }],
    identityStores: [options.identityCenter ?? {}],
    queues: [
      { name: 'connect-sso-sync-local-sync', visibilityTimeout: visibility, redrive: { dlqName: 'connect-sso-sync-local-sync-dlq', maxReceiveCount } },
      { name: 'connect-sso-sync-local-events-dlq' },
    ],
    trails: options.cloudTrail === false ? [] : [{ name: 'management-events', isMultiRegionTrail: true }],
  });
  const identityStoreId = seeded.identityStores[0]?.id ?? '';
  const sso = emulator.seed({
    ssoInstances: [
      { identityStoreId, applications: [{ name: 'Amazon Connect', supportsApiAssignments: options.applicationSupportsApiAssignments ?? true }] },
    ],
  }).ssoInstances[0];
  const instanceId = seeded.connectInstances[0]?.id ?? '';
  const queueUrl = (name: string) => seeded.queues[`connect-sso-sync-local-${name}`]?.url ?? '';
  const queues = { sync: queueUrl('sync'), syncDlq: queueUrl('sync-dlq'), eventsDlq: queueUrl('events-dlq') };
  // The link table, created from serverless.yml's LinksTable on the emulator's DynamoDB (dynalite, in process).
  const tables = await emulator.createTables({ stage: 'local' });
  // serverless.yml's alarms (and so their topic), as deployed; the operator confirmed the e-mail unless told otherwise.
  emulator.cloudWatch.createAlarms({ stage: STAGE });
  const alarmTopicArn = `arn:aws:sns:${emulator.region}:${emulator.accountId}:connect-sso-sync-${STAGE}-alarms`;
  if (options.alarmEmail !== false) emulator.sns.subscribe(alarmTopicArn, { protocol: 'email', endpoint: 'ops@example.com', confirmed: options.alarmEmail?.confirmed ?? true });
  const ids = {
    alarmTopicArn,
    instanceId,
    identityStoreId,
    ssoInstanceArn: sso?.instanceArn ?? '',
    applicationArn: sso?.applications['Amazon Connect'] ?? '',
    linksTable: tables.LinksTable ?? '',
  };
  // The sign-in simulation answers for this application and instance (a test may seed more of either).
  emulator.signIn.configure({ applicationArn: ids.applicationArn, instanceId });

  const timeoutSeconds = Number(dig(serverless, 'functions', 'syncUser', 'timeout') ?? 60);
  const deadline = localDeadline({ timeoutSeconds, visibilitySeconds: visibility }, speed);
  const maximumConcurrency = Number(dig(serverless, 'functions', 'syncUser', 'events', 0, 'sqs', 'maximumConcurrency') ?? 2);
  const env: Record<string, string> = {
    ...emulator.env(),
    IDENTITY_STORE_ID: identityStoreId,
    CONNECT_INSTANCE_ID: instanceId,
    DLQ_URL: queues.syncDlq,
    SYNC_QUEUE_URL: queues.sync,
    EVENTS_DLQ_URL: queues.eventsDlq,
    LINKS_TABLE: ids.linksTable,
    MAX_RECEIVE_COUNT: String(maxReceiveCount),
    SSO_INSTANCE_ARN: ids.ssoInstanceArn,
    CONNECT_APPLICATION_ARN: ids.applicationArn,
    // Each container takes its share of Connect's 2 requests/s (scaled like the emulator's limits).
    CONNECT_REQUESTS_PER_SECOND: String((2 * speed) / maximumConcurrency),
    POWERTOOLS_SERVICE_NAME: 'connect-sso-sync',
    // The metrics as deployed (namespace, service and stage dimensions); their EMF lines go to the emulator's
    // CloudWatch, as CloudWatch Logs extracts them from a function's output (see below).
    POWERTOOLS_METRICS_NAMESPACE: 'ConnectSsoSync',
    POWERTOOLS_METRICS_DISABLED: 'false',
    STAGE,
    ...options.syncEnv,
  };
  Object.assign(process.env, env);
  const config = loadSyncConfig(env);
  // Imported only now: the logger and metrics read their settings from the environment when first loaded.
  const { createSyncUserHandler } = await import('../functions/sync-user/create-handler.js');
  const { composeSyncUser } = await import('../shared/composition/sync-user.js');
  feedMetricsToCloudWatch(emulator, (await import('../shared/composition/metrics.js')).metrics);
  // Lambda runs each concurrent batch in its own container; each cold start builds its own clients and caches.
  // Each container builds its own clients, with the SDK's retry backoff on the emulated clock like every other duration.
  const containers = createContainerPool(() =>
    createSyncUserHandler(composeSyncUser(config, createClients({ ...config, retryDelayScale: speed })), { answerBeforeTimeoutMs: deadline.answerMarginMs }),
  );

  const bus = wireEventBus(emulator, { queueUrl: queues.sync, deadLetterQueueUrl: queues.eventsDlq });
  const unsubscribeDuplicates = duplicateDeliveries(emulator, queues.sync, options.duplicateRate ?? 0, options.emulator?.seed ?? 1);
  const poller = createPoller({
    endpoint: emulator.endpoint, region: emulator.region, queueUrl: queues.sync, handler: containers.invoke, timeScale, deadlineMs: deadline.deadlineMs,
  });
  poller.start();
  const adminConnect = new ConnectClient({ endpoint: emulator.endpoint, region: emulator.region, maxAttempts: 1 });

  return {
    emulator,
    identityManagementType: options.identityManagementType ?? 'SAML',
    ids,
    queues,
    env,
    adminConnect,
    poller,
    bus,
    containers,
    async drain(timeoutMs = 120_000) {
      await bus.flush();
      await unsubscribeDuplicates.flush();
      await poller.drain({ timeoutMs });
    },
    async stop() {
      await poller.stop();
      bus.stop();
      unsubscribeDuplicates.stop();
      adminConnect.destroy();
      await emulator.stop();
    },
  };
}

/**
 * Lambda's stdout goes to CloudWatch Logs, which turns each embedded-metric-format line into metrics. Locally the
 * function's Metrics writes its EMF lines straight to the emulator's CloudWatch instead (Powertools keeps its output
 * console private: this is the one place that reaches into it, in place of the Lambda runtime's stdout capture).
 * The Metrics object is a module singleton that reads its settings when first imported, which in a test process may
 * be before this environment was set: its dimensions and switch are set here as the deployed environment sets them.
 */
function feedMetricsToCloudWatch(emulator: Emulator, metrics: Metrics): void {
  metrics.setDefaultDimensions({ service: 'connect-sso-sync', stage: STAGE });
  Object.assign(metrics, { disabled: false, console: { log: (text: string) => emulator.cloudWatch.putEmf(text) } });
}

/** EventBridge delivers at least once: re-send a seeded fraction of matched events a second time. */
function duplicateDeliveries(emulator: Emulator, queueUrl: string, rate: number, seed: number) {
  const sqs = new SQSClient({ endpoint: emulator.endpoint, region: emulator.region });
  const pending = new Set<Promise<unknown>>();
  const random = seededRandom(seed);
  const stop = rate <= 0
    ? () => undefined
    : emulator.onEvent((event) => {
        if (random() >= rate) return;
        const sent = sqs
          .send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(event) }))
          .finally(() => pending.delete(sent));
        pending.add(sent);
      });
  return {
    stop: () => {
      stop();
      sqs.destroy();
    },
    flush: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
