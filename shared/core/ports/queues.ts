import type { DeadLetterRow } from '../dead-letter-view.js';

export interface DeadLetter {
  code: string;
  message: string;
}

export interface DeadLetters {
  /** Puts the original message body in the dead-letter queue with the reason as message attributes. */
  send(body: string, reason: DeadLetter): Promise<void>;
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

/** The dead-letter messages about one Connect user, read without removing any. */
export interface DeadLetterLookup {
  about(connectUserId: string, username?: string): Promise<DeadLetterRow[]>;
}
