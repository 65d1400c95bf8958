/**
 * What the operator commands (replay, reconcile) need from the outside world, in the core's words. Adapters in
 * shared/adapters implement them with the AWS SDK; tests use in-memory fakes. No SDK type appears here.
 */

/** One entry of Connect's ListUsers: only the id and the Username. */
export interface ConnectUserSummary {
  id: string;
  username: string;
}

/** One page of the instance's users, with the token that fetched it (undefined for the first page). */
export interface ConnectUserPage {
  token?: string;
  users: ConnectUserSummary[];
  nextToken?: string;
}

export interface ConnectUserLister {
  /** Streams the instance's users page by page, starting at `startToken` (a page's `token`) when given. */
  pages(instanceId: string, startToken?: string): AsyncIterable<ConnectUserPage>;
}

/** An Identity Center user as drift detection needs it. */
export interface IdentityUserView {
  id: string;
  userName?: string;
  emails: string[];
}

export interface IdentityDirectory {
  /** Streams the user ids of the group's members, page by page. */
  groupMemberPages(groupId: string): AsyncIterable<string[]>;
  /** The user, or undefined when it no longer exists. */
  describeUser(userId: string): Promise<IdentityUserView | undefined>;
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
  arn(): Promise<string>;
}

export interface MessageMover {
  /** Starts SQS's native move task from a dead-letter queue to a destination queue. */
  start(sourceArn: string, destinationArn: string): Promise<void>;
  /** The newest move task of the source queue, or undefined when there is none. */
  status(sourceArn: string): Promise<MoveTaskStatus | undefined>;
}
