/**
 * What the operator commands (replay, reconcile) need from the outside world, in the core's words. Adapters in
 * shared/adapters implement them with the AWS SDK; tests use in-memory fakes. No SDK type appears here.
 */

import type { ConnectUserRow } from './reconcile-plan.js';

export interface ConnectUserLister {
  /**
   * Streams the instance's users page by page. `withProfiles` asks for their security profile ids (SearchUsers,
   * 500 a page); without, the cheaper ListUsers (1000 a page, id and Username only) is enough.
   */
  pages(instanceId: string, options: { withProfiles: boolean }): AsyncIterable<ConnectUserRow[]>;
}

export interface GroupMembers {
  /** The user ids of the group's members (every page). */
  memberIds(groupId: string): Promise<Set<string>>;
}

/**
 * The link tables of the other stages that share this stage's managed groups (SHARED_LINKS_TABLES): a member one of
 * them links (or claims) is theirs, not "unlinked". Fails (never answers "none") when a table cannot be read.
 */
export interface SharedLinkTables {
  /** The identities a Connect user of another stage holds a claim on (every link has one), read now. */
  claimedIdentities(): Promise<ReadonlySet<string>>;
}

/** An Identity Center user as the store's listing reports it: what sign-in needs, no more. */
export interface IdentityRow {
  id: string;
  userName: string;
  /** The primary email (else the first). */
  email?: string;
  /** ENABLED or DISABLED, when the store says. */
  status?: string;
}

export interface IdentityLister {
  /** Streams every user of the identity store (ListUsers: complete users, 100 a page). */
  pages(): AsyncIterable<IdentityRow[]>;
}

export interface AssignmentReader {
  /** Keys `USER:<id>` / `GROUP:<id>` of every principal assigned to the application. */
  assignedPrincipals(): Promise<Set<string>>;
}

/** A message read from a queue, with what SQS says about it. */
export interface QueuedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  /** String message attributes (errorCode, ERROR_CODE, ...). */
  attributes: Record<string, string>;
  sentAt: number;
  receiveCount: number;
}

export interface OutgoingMessage {
  id: string;
  body: string;
}

export interface MoveTaskStatus {
  status: 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED' | string;
  moved: number;
  toMove?: number;
  failureReason?: string;
}

export interface MessageQueue {
  readonly name: string;
  /** Receives up to 10 messages, hidden from other readers for `visibilitySeconds`. Empty when none is visible. */
  receive(visibilitySeconds: number): Promise<QueuedMessage[]>;
  /** Sends up to 10 messages; resolves with the ids that were accepted (the others failed). */
  sendBatch(messages: OutgoingMessage[]): Promise<Set<string>>;
  /** Deletes messages by receipt handle; resolves with the handles that were deleted. */
  deleteBatch(receiptHandles: string[]): Promise<Set<string>>;
  /** Makes messages visible again now (ChangeMessageVisibility 0); resolves with the handles released. */
  releaseBatch(receiptHandles: string[]): Promise<Set<string>>;
  /** ApproximateNumberOfMessages (visible). */
  approximateCount(): Promise<number>;
  /** Messages waiting or being processed: visible + in flight + delayed. */
  approximateBacklog(): Promise<number>;
  arn(): Promise<string>;
}

export interface MessageMover {
  /** Starts SQS's native move task from a dead-letter queue to a destination queue. */
  start(sourceArn: string, destinationArn: string): Promise<void>;
  /** The newest move task of the source queue, or undefined when there is none. */
  status(sourceArn: string): Promise<MoveTaskStatus | undefined>;
}
