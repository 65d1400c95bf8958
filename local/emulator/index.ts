/**
 * Local AWS emulator for connect-sso-sync: one HTTP server on 127.0.0.1 that the real AWS SDK v3 clients
 * (Connect, Identity Store, SSO Admin, SQS, STS, CloudTrail) talk to through AWS_ENDPOINT_URL_<SERVICE>.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultOptions, OperationCounts, RateLimitOptions } from './controls.js';
import type { EventListener, EventOptions } from './events.js';
import type { SeededIds, SeedSpec } from './seed.js';
import type { EmulatorState } from './state.js';
import { CloudTrailService } from './cloudtrail.js';
import { ConnectService } from './connect.js';
import { Counters, FaultInjector, RateLimiter } from './controls.js';
import { EventSource } from './events.js';
import { IdentityStoreService } from './identity-store.js';
import { seed } from './seed.js';
import { createRequestHandler } from './server.js';
import { SqsApi } from './sqs.js';
import { SqsEngine } from './sqs-engine.js';
import { SsoAdminService } from './sso-admin.js';
import { createState } from './state.js';
import { StsService } from './sts.js';

export type { FaultOptions, FaultSpec, OperationCounts, RateLimit, RateLimitOptions } from './controls.js';
export type { TrailSelectors, TrailSpec } from './cloudtrail.js';
export type { CloudTrailEvent, EventListener, EventOptions } from './events.js';
export type { SeededIds, SeedSpec } from './seed.js';
export type { EmulatorState, QueueView, MessageView } from './state.js';

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  region?: string;
  accountId?: string;
  /** Seed of the PRNG behind random fault injection. */
  seed?: number;
  rateLimits?: RateLimitOptions;
  faults?: FaultOptions;
  events?: EventOptions;
  /** SQS durations (visibility timeout, delay, long-poll wait, move-task pacing) are multiplied by this; 0.1 = ten times faster. */
  sqsTimeScale?: number;
}

export interface EmulatorCounters {
  /** Counts for one `service:Operation`. */
  get(key: string): OperationCounts;
  snapshot(): Record<string, OperationCounts>;
  reset(): void;
}

export interface Emulator {
  endpoint: string;
  region: string;
  accountId: string;
  /** AWS_ENDPOINT_URL_* for the six services, AWS_REGION and dummy credentials. */
  env(): Record<string, string>;
  seed(spec: SeedSpec): SeededIds;
  state: EmulatorState;
  counters: EmulatorCounters;
  setFaults(faults: FaultOptions): void;
  setRateLimits(rateLimits: RateLimitOptions): void;
  setEventOptions(events: EventOptions): void;
  /** Subscribes to CloudTrail events of Connect CreateUser / UpdateUserIdentityInfo / DeleteUser; returns unsubscribe. */
  onEvent(listener: EventListener): () => void;
  stop(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  let endpoint = '';
  const connect = new ConnectService(region, accountId);
  const identityStore = new IdentityStoreService();
  const ssoAdmin = new SsoAdminService(accountId, identityStore);
  const sqsEngine = new SqsEngine(region, accountId, () => endpoint, options.sqsTimeScale ?? 1);
  const sqs = new SqsApi(sqsEngine);
  const sts = new StsService(accountId);
  const cloudTrail = new CloudTrailService(region, accountId);
  const events = new EventSource(region, accountId, options.events);
  const rateLimiter = new RateLimiter(options.rateLimits);
  const faults = new FaultInjector(options.seed ?? 1, options.faults);
  const counters = new Counters();

  const server = createServer(createRequestHandler({ connect, identityStore, ssoAdmin, sqs, sts, cloudTrail, events, rateLimiter, faults, counters }));
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    region,
    accountId,
    env: () => ({
      AWS_ENDPOINT_URL_CONNECT: endpoint,
      AWS_ENDPOINT_URL_IDENTITYSTORE: endpoint,
      AWS_ENDPOINT_URL_SSO_ADMIN: endpoint,
      AWS_ENDPOINT_URL_SQS: endpoint,
      AWS_ENDPOINT_URL_STS: endpoint,
      AWS_ENDPOINT_URL_CLOUDTRAIL: endpoint,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: 'AKIAEMULATOR00000000',
      AWS_SECRET_ACCESS_KEY: 'emulator-secret',
    }),
    seed: (spec) => seed({ connect, identityStore, ssoAdmin, sqs: sqsEngine, cloudTrail }, spec),
    state: createState({ connect, identityStore, ssoAdmin, sqs: sqsEngine, sts }),
    counters: { get: (key) => counters.get(key), snapshot: () => counters.snapshot(), reset: () => counters.reset() },
    setFaults: (f) => faults.configure(f),
    setRateLimits: (r) => rateLimiter.configure(r),
    setEventOptions: (e) => {
      events.options = { ...events.options, ...e };
    },
    onEvent: (listener) => events.onEvent(listener),
    stop: async () => {
      sqs.stop();
      sqsEngine.closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
