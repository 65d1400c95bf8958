/**
 * Local AWS emulator for connect-sso-sync: one HTTP server on 127.0.0.1 that the real AWS SDK v3 clients
 * (Connect, Identity Store, SSO Admin, SQS, STS, CloudTrail, DynamoDB) talk to through AWS_ENDPOINT_URL_<SERVICE>.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BehaviourOptions, ConsistencyOptions } from './behaviour.js';
import type { FaultOptions, OperationCounts, RateLimitOptions } from './controls.js';
import type { CreateTablesOptions } from './dynamodb.js';
import type { CloudTrailEvent, EventListener, EventOperation, EventOptions } from './events.js';
import type { JsonObject } from './core.js';
import { ids } from './core.js';
import type { SeededIds, SeedSpec } from './seed.js';
import type { BatchFailureOptions } from './sqs-batch.js';
import type { EmulatorState } from './state.js';
import { Behaviour } from './behaviour.js';
import { CloudTrailService } from './cloudtrail.js';
import { alarmsFromServerless, CloudWatchService } from './cloudwatch.js';
import { ConnectService } from './connect.js';
import { Counters, FaultInjector, RateLimiter } from './controls.js';
import { DynamoDbService, createTables } from './dynamodb.js';
import { EventSource } from './events.js';
import { IdentityStoreService } from './identity-store.js';
import { SnsService, type SubscriptionSpec } from './sns.js';
import { seed, seedConnectUser, type SeedConnectUser } from './seed.js';
import { createRequestHandler } from './server.js';
import { SqsApi } from './sqs.js';
import { BatchFailures } from './sqs-batch.js';
import { SqsEngine } from './sqs-engine.js';
import { SsoAdminService } from './sso-admin.js';
import { SignInSimulator, type SignInAnswer, type SignInIdentity, type SignInOptions, type SignInWho } from './sign-in.js';
import { createState } from './state.js';
import { StsService } from './sts.js';

export type { BehaviourOptions, CaseRule, ConsistencyOptions } from './behaviour.js';
export type { FaultOptions, FaultSpec, OperationCounts, RateLimit, RateLimitOptions } from './controls.js';
export type { SecurityProfile } from './connect.js';
export type { TrailSelectors, TrailSpec } from './cloudtrail.js';
export type { AlarmSpec } from './cloudwatch.js';
export type { CreateTablesOptions } from './dynamodb.js';
export type { CloudTrailEvent, EventListener, EventOptions } from './events.js';
export type { SeedAccountAssignment, SeedConnectUser, SeedIdentityUser, SeededIds, SeedSpec } from './seed.js';
export type { BatchFailureOptions, BatchFailureSpec } from './sqs-batch.js';
export type { AccountAssignment } from './sso-admin.js';
export type { RoleSessionNameMapping, SignInAnswer, SignInIdentity, SignInOptions, SignInResult, SignInWho } from './sign-in.js';
export { NOT_ONBOARDED_PAGE } from './sign-in.js';
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
  /** SQS's clock in milliseconds (default `Date.now`): a test steps its own to expire visibility timeouts and delays. */
  sqsClock?: () => number;
  /** Switches for behaviour AWS does not document (see behaviour.ts and README.md for the defaults). */
  behaviour?: BehaviourOptions;
  /** Eventual consistency of Identity Store reads; off by default. */
  consistency?: ConsistencyOptions;
  /** SendMessageBatch entries to fail, by queue name or `*` (answered under `Failed`). */
  sqsBatchFailures?: BatchFailureOptions;
  /** The sign-in simulation's application, instance and RoleSessionName mapping (see sign-in.ts). */
  signIn?: SignInOptions;
  /** How injected latency (`faults` `latencyMs`) is waited out: default a timer; a test passes its own to hold the answer. */
  latencyWait?: (ms: number) => Promise<void>;
}

/** The sign-in simulation (sign-in.ts): what AWS answers an Identity Center user opening the Amazon Connect application. */
export interface EmulatorSignIn {
  /** Changes the given settings only (application, Connect instance, `roleSessionName` mapping). */
  configure(options: SignInOptions): void;
  /** SIGNED_IN (as which Connect user), NOT_ONBOARDED, NOT_ASSIGNED, DISABLED, NO_IDENTITY or INVALID_SESSION_NAME. */
  as(who: SignInWho): SignInAnswer;
  /** The Identity Center users that would sign in as this Connect user. */
  identitiesSigningInAs(connectUser: { connectUserId: string } | { username: string }): SignInIdentity[];
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
  /** AWS_ENDPOINT_URL_* for the nine services, AWS_REGION and dummy credentials. */
  env(): Record<string, string>;
  seed(spec: SeedSpec): SeededIds;
  /** Creates a security profile in an existing instance (as an administrator does in the console); returns its id. */
  addSecurityProfile(instanceIdOrArn: string, name: string): string;
  /** Creates a Connect user in an existing instance without a CloudTrail event (an event that never arrived); returns its id. */
  addConnectUser(instanceIdOrArn: string, user: SeedConnectUser): string;
  /** Creates serverless.yml's DynamoDB tables (names resolved for `stage`); returns `{ [logicalId]: tableName }`. */
  createTables(options: CreateTablesOptions): Promise<Record<string, string>>;
  /**
   * CloudWatch: `putEmf` is CloudWatch Logs extracting a function's embedded-metric-format line (JSON text or object;
   * false when the line is no metric); `createAlarms` creates serverless.yml's alarms for `stage` and returns their names.
   */
  cloudWatch: { putEmf(line: unknown): boolean; createAlarms(options: { stage: string; serverlessPath?: string }): string[] };
  /** SNS: the alarms' topics (created with the alarms) and their subscriptions; `confirm` is the recipient clicking the link. */
  sns: { subscribe(topicArn: string, subscription: SubscriptionSpec): void; confirm(topicArn: string): void };
  state: EmulatorState;
  counters: EmulatorCounters;
  setFaults(faults: FaultOptions): void;
  setRateLimits(rateLimits: RateLimitOptions): void;
  setEventOptions(events: EventOptions): void;
  /** Changes the given switches only; the others keep their value. */
  setBehaviour(behaviour: BehaviourOptions): void;
  setConsistency(consistency: ConsistencyOptions): void;
  /** Replaces the SendMessageBatch failure specs. */
  setSqsBatchFailures(failures: BatchFailureOptions): void;
  signIn: EmulatorSignIn;
  /** Subscribes to CloudTrail events of Connect CreateUser / UpdateUserIdentityInfo / UpdateUserSecurityProfiles / DeleteUser. */
  onEvent(listener: EventListener): () => void;
  /**
   * Records a Connect user call that IAM refused before it reached Connect, as CloudTrail does (`errorCode`
   * AccessDenied, no response): the emulator models no IAM, so this stands for anyone in the account who merely tries
   * `connect:DeleteUser` (or another user call) without the permission. Nothing changes in Connect.
   */
  recordRefusedCall(call: { operation: EventOperation; instanceId: string; userId?: string; request?: JsonObject }): CloudTrailEvent;
  stop(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  let endpoint = '';
  const behaviour = new Behaviour(options.behaviour, options.consistency);
  const connect = new ConnectService(region, accountId, behaviour);
  const identityStore = new IdentityStoreService(behaviour);
  const ssoAdmin = new SsoAdminService(accountId, identityStore, behaviour);
  const sqsEngine = new SqsEngine(region, accountId, () => endpoint, options.sqsTimeScale ?? 1, options.sqsClock);
  const batchFailures = new BatchFailures(options.seed ?? 1, options.sqsBatchFailures);
  const sqs = new SqsApi(sqsEngine, behaviour, batchFailures);
  const sts = new StsService(accountId);
  const cloudTrail = new CloudTrailService(region, accountId);
  const dynamodb = new DynamoDbService();
  const cloudWatch = new CloudWatchService(region, accountId, sqsEngine);
  const sns = new SnsService(accountId);
  const events = new EventSource(region, accountId, options.events);
  const rateLimiter = new RateLimiter(options.rateLimits);
  const faults = new FaultInjector(options.seed ?? 1, options.faults);
  const counters = new Counters();
  const signIn = new SignInSimulator(connect, identityStore, ssoAdmin);
  signIn.configure(options.signIn ?? {});

  const server = createServer(createRequestHandler({ connect, identityStore, ssoAdmin, sqs, sts, cloudTrail, cloudWatch, sns, dynamodb, events, rateLimiter, faults, counters, wait: options.latencyWait }));
  // Connections stay open until the client closes them (stop() closes what is left). With a 5 s keep-alive timeout, a
  // busy process (client and server share its event loop) could run the server's close of an idle connection before
  // reading the request the client had just written on it: "socket hang up" on a call that was never received.
  server.keepAliveTimeout = 0;
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
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      AWS_ENDPOINT_URL_CLOUDWATCH: endpoint,
      AWS_ENDPOINT_URL_SNS: endpoint,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: 'AKIAEMULATOR00000000',
      AWS_SECRET_ACCESS_KEY: 'emulator-secret',
    }),
    seed: (spec) => seed({ connect, identityStore, ssoAdmin, sqs: sqsEngine, cloudTrail }, spec),
    addSecurityProfile: (instanceIdOrArn, name) => String(connect.addSecurityProfile(connect.instance(instanceIdOrArn), name).Id),
    addConnectUser: (instanceIdOrArn, user) => seedConnectUser(connect, connect.instance(instanceIdOrArn), user).id,
    createTables: (tables) => createTables(endpoint, region, tables),
    cloudWatch: {
      putEmf: (line) => cloudWatch.metrics.putEmf(line),
      createAlarms: ({ stage, serverlessPath }) =>
        alarmsFromServerless(stage, region, accountId, serverlessPath).map((alarm) => {
          cloudWatch.putAlarm(alarm);
          for (const topic of [...(alarm.alarmActions ?? []), ...(alarm.okActions ?? [])]) sns.addTopic(topic);
          return alarm.name;
        }),
    },
    sns: {
      subscribe: (topicArn, subscription) => sns.addTopic(topicArn, [subscription]),
      confirm: (topicArn) => sns.confirmAll(topicArn),
    },
    state: createState({ connect, identityStore, ssoAdmin, sqs: sqsEngine, sts }),
    counters: { get: (key) => counters.get(key), snapshot: () => counters.snapshot(), reset: () => counters.reset() },
    setFaults: (f) => faults.configure(f),
    setRateLimits: (r) => rateLimiter.configure(r),
    setEventOptions: (e) => {
      events.options = { ...events.options, ...e };
    },
    setBehaviour: (b) => behaviour.configure(b),
    setConsistency: (c) => behaviour.setConsistency(c),
    setSqsBatchFailures: (f) => batchFailures.configure(f),
    signIn: {
      configure: (o) => signIn.configure(o),
      as: (who) => signIn.signIn(who),
      identitiesSigningInAs: (connectUser) => signIn.identitiesSigningInAs(connectUser),
    },
    onEvent: (listener) => events.onEvent(listener),
    recordRefusedCall: ({ operation, instanceId, userId, request = {} }) => {
      const instance = connect.instance(instanceId);
      return events.emit({
        operation, instanceId: instance.id, instanceArn: instance.arn, userId, request: { ...request, InstanceId: instance.id }, response: {},
        sourceIp: '203.0.113.10', userAgent: 'aws-cli/2', requestId: ids.requestId(),
        error: { code: 'AccessDenied', message: `User is not authorized to perform: connect:${operation}` },
      });
    },
    stop: async () => {
      sqs.stop();
      sqsEngine.closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await dynamodb.close();
    },
  };
}
