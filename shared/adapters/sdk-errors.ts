import { PermanentError, RetryableError, type SyncError } from '../core/errors.js';

/** The fields every AWS SDK v3 service exception carries. Classes differ per client, so match on `name`. */
interface AwsErrorShape {
  name?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $retryable?: { throttling?: boolean };
  Reason?: string;
  ResourceType?: string;
  code?: string;
}

export function awsErrorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as AwsErrorShape).name : undefined;
}

/** True for Identity Store / SSO Admin ConflictException meaning "it already exists" (not a concurrent write). */
export function isUniquenessConflict(error: unknown): boolean {
  if (awsErrorName(error) !== 'ConflictException') return false;
  return (error as AwsErrorShape).Reason !== 'CONCURRENT_MODIFICATION';
}

const THROTTLING = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'LimitExceededException',
  'RequestLimitExceeded',
  'Throttling',
  // DynamoDB's (the link table): a client fault without $retryable, but throttling all the same.
  'ProvisionedThroughputExceededException',
  // SQS's own throttling (HTTP 403 on the wire), throttling by the queue's KMS key, and too many messages in flight.
  'RequestThrottled',
  'KmsThrottled',
  'OverLimit',
]);
// SQS cannot use the queue's KMS key right now (disabled, pending, not found, not allowed): the message stays on its
// queue and is tried again until an operator fixes the key; the queue's redrive policy bounds the attempts.
const QUEUE_KEY_ERRORS = new Set(['KmsDisabled', 'KmsInvalidState', 'KmsNotFound', 'KmsOptInRequired', 'KmsAccessDenied', 'KmsInvalidKeyUsage']);
// DynamoDB's concurrent-write conflicts (another transaction or region wrote the item): trying again resolves them.
const WRITE_CONFLICTS = new Set(['TransactionConflictException', 'ReplicatedWriteConflictException']);
const TIMEOUTS = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'AbortError']);
// Expired or invalid temporary credentials (an assumed role's session, a Lambda role's rotated keys): a new
// session fixes them, so they are retried; a record failing so on its last receive is dead-lettered with the code.
const CREDENTIALS = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'CredentialsProviderError',
]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * Classifies an error thrown by an SDK call into the project's taxonomy. `what` names the call for the message
 * (e.g. "identitystore:CreateUser"); no request data is put in the message, so it is safe to log.
 */
export function classifySdkError(error: unknown, what: string): SyncError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as AwsErrorShape;
  const name = e.name ?? 'Error';
  const detail = `${what} failed: ${name}${e.message ? `: ${e.message}` : ''}`;
  const options = { cause: error };
  if (THROTTLING.has(name) || e.$retryable?.throttling) return new RetryableError('THROTTLED', detail, options);
  if (name === 'ConflictException' && e.Reason === 'CONCURRENT_MODIFICATION') {
    return new RetryableError('CONCURRENT_MODIFICATION', detail, options);
  }
  if (WRITE_CONFLICTS.has(name)) return new RetryableError('CONCURRENT_MODIFICATION', detail, options);
  if (QUEUE_KEY_ERRORS.has(name)) return new RetryableError('SERVICE_ERROR', detail, options);
  if (name === 'ConflictException' || name === 'DuplicateResourceException') {
    return new PermanentError('ALREADY_EXISTS', detail, options);
  }
  if (TIMEOUTS.has(name) || (e.code && NETWORK_CODES.has(e.code))) return new RetryableError('TIMEOUT', detail, options);
  if (CREDENTIALS.has(name)) return new RetryableError('CREDENTIALS_EXPIRED', detail, options);
  if (e.$fault === 'server') return new RetryableError('SERVICE_ERROR', detail, options);
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'UnauthorizedException') {
    return new PermanentError('ACCESS_DENIED', detail, options);
  }
  if (name === 'ValidationException' || name === 'InvalidParameterException' || name === 'InvalidRequestException' || name === 'InvalidAddress') {
    return new PermanentError('VALIDATION', detail, options);
  }
  if (name === 'QueueDoesNotExist') return new PermanentError('NOT_FOUND', detail, options);
  if (name === 'ResourceNotFoundException') {
    // Identity Store names what was not found: the core recovers from a user or a group gone since it was cached.
    if (e.ResourceType === 'USER') return new PermanentError('IDENTITY_NOT_FOUND', detail, options);
    if (e.ResourceType === 'GROUP') return new PermanentError('GROUP_NOT_FOUND', detail, options);
    return new PermanentError('NOT_FOUND', detail, options);
  }
  if (e.$fault === 'client') return new PermanentError('AWS_CLIENT_ERROR', detail, options);
  // Credential, network and unknown errors: let the queue retry; its redrive policy bounds the attempts.
  return new RetryableError('UNEXPECTED', detail, options);
}

/** Runs one SDK call and rethrows any failure classified. */
export async function call<T>(what: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw classifySdkError(error, what);
  }
}

/** An id the API documents as always returned; its absence is a service fault worth retrying. */
export function required(value: string | undefined, what: string): string {
  if (!value) throw new RetryableError('UNEXPECTED', `${what} returned no id`);
  return value;
}
