import type { AlarmState, QueueBacklog, SubscriptionState } from '../status.js';
import type { ConnectUserLister } from './connect.js';
import type { AssignmentReader, GroupMembers, IdentityLister } from './identity-center.js';

/** Reads the stack's metrics and alarms for `status` (operator CLI only: never part of a function bundle). */
export interface StatusMetricsReader {
  /** Sum per hour of each metric of the namespace (with the stack's dimensions), oldest hour first, `hours` of them. */
  hourlySums(metrics: readonly string[], end: Date, hours: number): Promise<Map<string, number[]>>;
  /** The newest Maximum of an AWS/SQS metric of a queue in the last 15 minutes; undefined without datapoint. */
  queueMetric(queueName: string, metric: string, end: Date): Promise<number | undefined>;
  alarms(names: readonly string[]): Promise<AlarmState[]>;
}

export interface ReconcileSources {
  connectUsers: ConnectUserLister;
  members: GroupMembers;
  /** The identity store's listing, for the sign-in check of a SAML instance (one call per 100 identities). */
  identities?: IdentityLister;
  /** Present when assignments are managed (ASSIGNMENT_MODE group or user). */
  assignments?: AssignmentReader;
  /** Present when other stages share the managed groups (SHARED_LINKS_TABLES): their members are not unlinked. */
  sharedLinks?: SharedLinkTables;
}

/**
 * The link tables of the other stages that share this stage's managed groups (SHARED_LINKS_TABLES): a member one of
 * them links (or claims) is theirs, not "unlinked". Fails (never answers "none") when a table cannot be read.
 */
export interface SharedLinkTables {
  /** The identities a Connect user of another stage holds a claim on (every link has one), read now. */
  claimedIdentities(): Promise<ReadonlySet<string>>;
}

/** A queue's URL by its name (sqs:GetQueueUrl); undefined when this account and region have no such queue. */
export interface QueueDirectory {
  urlOf(name: string): Promise<string | undefined>;
}

/** What `status` reads besides metrics, run summaries and dead letters. */
export interface StatusReads {
  /** The queue's messages waiting and in flight, as SQS approximates them. */
  backlog(queueUrl: string): Promise<Omit<QueueBacklog, 'oldestAgeSeconds'>>;
  /** Whether someone receives the topic's messages by e-mail (the subscribers' addresses are never read out). */
  emailSubscription(topicArn: string): Promise<Exclude<SubscriptionState, 'not checked'>>;
  /** The stack's region, for the dashboard's address. */
  region(): Promise<string>;
}

/**
 * What `doctor` reads of the account, as facts (the checks decide what they mean). "No such thing" is undefined;
 * any other failure is thrown, classified (shared/adapters/sdk-errors.ts), the AWS error as its cause.
 */
export interface DeploymentReads {
  caller(): Promise<{ account?: string; arn?: string }>;
  /** Assumes the role once: 'denied' when STS refuses the caller (access denied). */
  assumeRole(roleArn: string, externalId?: string): Promise<'assumed' | 'denied'>;
  /** The store's first page of users (up to 50): how many, and how many carry external ids. */
  storeUsers(identityStoreId: string): Promise<{ users: number; external: number } | undefined>;
  connectInstance(instanceId: string): Promise<{ arn?: string; alias?: string; identityManagementType?: string; status?: string } | undefined>;
  application(applicationArn: string): Promise<{ name?: string; status?: string; instanceArn?: string } | undefined>;
  ssoInstances(): Promise<{ instanceArn?: string; identityStoreId?: string }[]>;
  /**
   * The trails that cover `region` (every trail without one): whether each logs write management events, and for one
   * that does, whether it is logging (not read for the others).
   */
  trails(region: string | undefined): Promise<{ name: string; logsWrites: boolean; logging?: boolean }[]>;
  /** IAM's decision (allowed, implicitDeny, ...) on the role calling `action` on `resourceArn`, with aws:userid `userid`. */
  policyDecision(roleArn: string, action: string, resourceArn: string, userid: string): Promise<string | undefined>;
}
