/**
 * The one error taxonomy of connect-sso-sync.
 *
 * A SyncError has a stable machine-readable `code` (it travels to the dead-letter queue as the `errorCode`
 * message attribute) and says whether trying again can help. Adapters turn SDK errors into SyncErrors; the
 * core raises its own rule violations; the handler boundary decides: retryable -> the queue retries,
 * permanent -> the dead-letter queue with the reason.
 */
export const PERMANENT_CODES = [
  'NO_EMAIL',
  'AMBIGUOUS_MATCH',
  'USER_NOT_FOUND',
  'ASSIGNMENT_UNSUPPORTED',
  'CONNECT_USER_NOT_FOUND',
  'MALFORMED_EVENT',
  'MISSING_FIELD',
  'ACCESS_DENIED',
  'VALIDATION',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'AWS_CLIENT_ERROR',
  // Linking and ownership (shared/core/ownership.ts decides; every use case asks it).
  'USERNAME_TAKEN',
  'IDENTITY_ALREADY_LINKED',
  'PROTECTED_IDENTITY',
  'IDENTITY_UPDATE_BLOCKED',
  'EMAIL_IN_USE',
  // Sign-in (shared/core/sign-in.ts): the identity's sign-in attribute equals the Connect Username but for case, or the
  // Username can never be a RoleSessionName.
  'SIGN_IN_NAME_MISMATCH',
  'SIGN_IN_NAME_INVALID',
  // Managed groups.
  'GROUP_NOT_FOUND',
  'GROUP_NOT_MANAGED',
  // An Identity Center user a link names no longer exists (the use cases recover from it by syncing afresh).
  'IDENTITY_NOT_FOUND',
  // The Connect user's deletion was confirmed (a tombstone): nothing may be linked or created for it again.
  'CONNECT_USER_DELETED',
] as const;

export const RETRYABLE_CODES = [
  'THROTTLED',
  'SERVICE_ERROR',
  'TIMEOUT',
  'CONCURRENT_MODIFICATION',
  'CONFLICT_UNRESOLVED',
  // Expired or invalid temporary credentials (an assumed role's session): a new session fixes it.
  'CREDENTIALS_EXPIRED',
  // A DeleteUser event for a Connect user that still exists: retried (Connect may lag just after a deletion), then
  // dead-lettered on the last receive. Nothing is removed on an event Connect does not confirm.
  'DELETE_NOT_CONFIRMED',
  // The identity's claim was held by a Connect user confirmed deleted, and was released: the sync starts again.
  'CLAIM_RELEASED',
  'UNEXPECTED',
] as const;

export type PermanentCode = (typeof PERMANENT_CODES)[number];
export type RetryableCode = (typeof RETRYABLE_CODES)[number];
export type ErrorCode = PermanentCode | RetryableCode;

export abstract class SyncError<Code extends ErrorCode = ErrorCode> extends Error {
  abstract readonly retryable: boolean;
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Trying again cannot help until someone changes data or configuration: the event goes to the dead-letter queue. */
export class PermanentError extends SyncError<PermanentCode> {
  override readonly name = 'PermanentError';
  readonly retryable = false;
}

/** A transient condition: the record is handed back to the queue and retried. */
export class RetryableError extends SyncError<RetryableCode> {
  override readonly name = 'RetryableError';
  readonly retryable = true;
}

/**
 * Anything thrown that is not a SyncError is a defect or an unforeseen condition. It is treated as retryable so
 * that the queue's redrive policy, not this code, decides when to give up: nothing is dropped.
 */
export function asSyncError(error: unknown): SyncError {
  if (error instanceof SyncError) return error;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new RetryableError('UNEXPECTED', message, { cause: error });
}

/** True when `error` is a SyncError with one of `codes`. */
export function hasCode(error: unknown, ...codes: ErrorCode[]): error is SyncError {
  return error instanceof SyncError && codes.includes(error.code);
}

/** `work()`, except that a SyncError with `code` is answered by `recover` (any other error is thrown as it was). */
export async function recovering<T, R>(work: () => Promise<T>, code: ErrorCode, recover: (error: SyncError) => R | Promise<R>): Promise<T | R> {
  try {
    return await work();
  } catch (error) {
    if (!hasCode(error, code)) throw error;
    return recover(error);
  }
}
