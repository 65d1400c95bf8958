import type { AlarmState } from '../status.js';
import type { ConnectUserLister } from './connect.js';
import type { AssignmentReader, GroupMembers, IdentityLister } from './identity-center.js';

/** What the operator's views read: the stack's metrics and alarms (status), the listings of reconcile. */

/** Reads the stack's metrics and alarms for `status` (operator CLI only: never part of a function bundle). */
export interface StatusMetricsReader {
  /** Sum per hour of each metric of the namespace (with the stack's dimensions), oldest hour first, `hours` of them. */
  hourlySums(metrics: readonly string[], end: Date, hours: number): Promise<Map<string, number[]>>;
  /** The newest Maximum of an AWS/SQS metric of a queue in the last 15 minutes; undefined without datapoint. */
  queueMetric(queueName: string, metric: string, end: Date): Promise<number | undefined>;
  alarms(names: readonly string[]): Promise<AlarmState[]>;
}

/** Where reconcile reads its snapshots. */
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
