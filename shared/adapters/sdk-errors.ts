import { PermanentError, RetryableError, type PermanentCode, type RetryableCode, type SyncError } from '../core/errors.js';

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

const shapeOf = (error: unknown): AwsErrorShape => (typeof error === 'object' && error !== null ? (error as AwsErrorShape) : {});

export const awsErrorName = (error: unknown): string | undefined => shapeOf(error).name;

/** True for Identity Store / SSO Admin ConflictException meaning "it already exists" (not a concurrent write). */
export const isUniquenessConflict = (error: unknown): boolean => awsErrorName(error) === 'ConflictException' && shapeOf(error).Reason !== 'CONCURRENT_MODIFICATION';

// DynamoDB's ProvisionedThroughputExceededException (the link table) is a client fault without $retryable, but
// throttling all the same; SQS has its own (RequestThrottled, HTTP 403 on the wire), its KMS key's (KmsThrottled) and
// too many messages in flight (OverLimit).
const THROTTLING = new Set(['ThrottlingException', 'TooManyRequestsException', 'LimitExceededException', 'RequestLimitExceeded', 'Throttling',
  'ProvisionedThroughputExceededException', 'RequestThrottled', 'KmsThrottled', 'OverLimit']);
// SQS cannot use the queue's KMS key right now (disabled, pending, not found, not allowed): the message stays on its
// queue and is tried again until an operator fixes the key; the queue's redrive policy bounds the attempts.
const QUEUE_KEY_ERRORS = new Set(['KmsDisabled', 'KmsInvalidState', 'KmsNotFound', 'KmsOptInRequired', 'KmsAccessDenied', 'KmsInvalidKeyUsage']);
// DynamoDB's concurrent-write conflicts (another transaction or region wrote the item): trying again resolves them.
const WRITE_CONFLICTS = new Set(['TransactionConflictException', 'ReplicatedWriteConflictException']);
const TIMEOUTS = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'AbortError']);
// Expired or invalid temporary credentials (an assumed role's session, a Lambda role's rotated keys): a new
// session fixes them, so they are retried; a record failing so on its last receive is dead-lettered with the code.
const EXPIRED_CREDENTIALS = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'InvalidClientTokenId', 'UnrecognizedClientException']);
// STS and some services say it only in the message (as does an error from another realm, which keeps only its text).
const EXPIRED_TEXT = /ExpiredToken|security token included in the request is (expired|invalid)|InvalidClientTokenId|UnrecognizedClientException/i;
// No credentials at all (no profile, no keys, no role): the SDK's provider chain gives up with this.
const MISSING_CREDENTIALS = /Could not load credentials|CredentialsProviderError/i;
// The SDK's words when no region is configured (a plain Error: no name, no $fault).
const MISSING_REGION = /Region is missing/i;
const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedException']);
const VALIDATION = new Set(['ValidationException', 'InvalidParameterException', 'InvalidRequestException', 'InvalidAddress']);
// SQS names a missing queue so (and, on its older query protocol, with its prefixed code).
const NOT_FOUND = new Set(['ResourceNotFoundException', 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue']);

/** Node's network error codes, in an operator's words: the endpoint could not be reached (or dropped the connection). */
const NETWORK_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused', ENOTFOUND: 'no such host', EAI_AGAIN: 'name lookup failed', ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable', ENETUNREACH: 'network unreachable', ECONNRESET: 'connection reset', EPIPE: 'connection closed',
};

/** What went wrong with an AWS call, whichever service or SDK layer said it. */
export type AwsFailureKind = 'throttled' | 'concurrent-write' | 'queue-key' | 'already-exists' | 'timeout' | 'network' | 'credentials-expired'
  | 'credentials-missing' | 'region-missing' | 'server' | 'access-denied' | 'validation' | 'not-found' | 'client' | 'unknown';

/**
 * The network code of one error: its own `code`, else one quoted in its message ("connect ECONNREFUSED 127.0.0.1:4566":
 * a Node error from another realm reaches us only as the SDK's "error wrapper" with that text). An error with a code of
 * another kind (a SyncError's TIMEOUT wrapping the real one) is not a network error itself.
 */
function networkCodeOf(e: AwsErrorShape): { code: string; quotedWhere?: string } | undefined {
  const quoted = !e.code && typeof e.message === 'string' ? /\b(E[A-Z_]+) ([\w.:-]+)/.exec(e.message) : null;
  const code = e.code ?? quoted?.[1];
  return code && NETWORK_CODES[code] ? { code, quotedWhere: quoted?.[2] } : undefined;
}

/**
 * The name of the error the SDK wrapped because it came from another realm (it is not an `Error` there: a socket's
 * TimeoutError in a test's VM context), which its message alone still carries: "AWS SDK error wrapper for TimeoutError: ...".
 */
const wrappedName = (e: AwsErrorShape): string | undefined =>
  typeof e.message === 'string' ? /^AWS SDK error wrapper for (\w+)/.exec(e.message)?.[1] : undefined;

/**
 * The one classifier of AWS failures: what kind of failure one error is, from its `name`, `$fault`, `$retryable`,
 * Node `code`, and (for what the SDK says only in words: credentials, region) its message. The first rule that
 * matches wins, in the order below. Looks at this error only; `errorChain` gives the ones it wraps.
 */
export function failureKind(error: unknown): AwsFailureKind {
  const e = shapeOf(error);
  const name = wrappedName(e) ?? e.name ?? 'Error';
  const text = `${name}: ${typeof e.message === 'string' ? e.message : ''}`;
  if (THROTTLING.has(name) || e.$retryable?.throttling) return 'throttled';
  if ((name === 'ConflictException' && e.Reason === 'CONCURRENT_MODIFICATION') || WRITE_CONFLICTS.has(name)) return 'concurrent-write';
  if (QUEUE_KEY_ERRORS.has(name)) return 'queue-key';
  if (name === 'ConflictException' || name === 'DuplicateResourceException') return 'already-exists';
  if (TIMEOUTS.has(name)) return 'timeout';
  if (networkCodeOf(e)) return 'network';
  if (EXPIRED_CREDENTIALS.has(name) || EXPIRED_TEXT.test(text)) return 'credentials-expired';
  if (MISSING_CREDENTIALS.test(text)) return 'credentials-missing';
  if (MISSING_REGION.test(text)) return 'region-missing';
  if (e.$fault === 'server') return 'server';
  if (ACCESS_DENIED.has(name)) return 'access-denied';
  if (VALIDATION.has(name)) return 'validation';
  if (NOT_FOUND.has(name)) return 'not-found';
  if (e.$fault === 'client') return 'client';
  return 'unknown';
}

/** True when AWS answered that the thing asked for does not exist (a resource, a queue). */
export const isNotFound = (error: unknown): boolean => NOT_FOUND.has(awsErrorName(error) ?? '');

/** The error and those it wraps (`cause`, an AggregateError's first error), outermost first, at most `depth`. */
export function errorChain(error: unknown, depth = 6): object[] {
  const chain: object[] = [];
  for (let e: unknown = error; typeof e === 'object' && e !== null && chain.length < depth; ) {
    chain.push(e);
    const n = e as { errors?: unknown; cause?: unknown };
    e = Array.isArray(n.errors) && n.errors.length > 0 ? n.errors[0] : n.cause;
  }
  return chain;
}

/** The first network failure in an error's chain: its code, words, and the address it could not reach when known. */
export function networkFailure(error: unknown): { code: string; why: string; where?: string } | undefined {
  for (const link of errorChain(error)) {
    const e = link as AwsErrorShape & { address?: string; port?: number; hostname?: string };
    const found = networkCodeOf(e);
    if (!found) continue;
    const where = e.address ? `${e.address}${e.port ? `:${e.port}` : ''}` : (e.hostname ?? found.quotedWhere);
    return { code: found.code, why: NETWORK_CODES[found.code] ?? found.code, ...(where && { where }) };
  }
  return undefined;
}

type Taxonomy = [code: RetryableCode, retryable: true] | [code: PermanentCode, retryable: false];

/** Each kind's place in the project's taxonomy (not-found is refined by the resource type, below). */
// A missing region never happens in a Lambda (the runtime sets AWS_REGION); the CLI tells what to set before this.
// Unknown errors: let the queue retry; its redrive policy bounds the attempts.
const TAXONOMY: Record<AwsFailureKind, Taxonomy> = {
  throttled: ['THROTTLED', true], 'concurrent-write': ['CONCURRENT_MODIFICATION', true], 'queue-key': ['SERVICE_ERROR', true],
  'already-exists': ['ALREADY_EXISTS', false], timeout: ['TIMEOUT', true], network: ['TIMEOUT', true],
  'credentials-expired': ['CREDENTIALS_EXPIRED', true], 'credentials-missing': ['CREDENTIALS_EXPIRED', true], 'region-missing': ['UNEXPECTED', true],
  server: ['SERVICE_ERROR', true], 'access-denied': ['ACCESS_DENIED', false], validation: ['VALIDATION', false],
  'not-found': ['NOT_FOUND', false], client: ['AWS_CLIENT_ERROR', false], unknown: ['UNEXPECTED', true],
};

/**
 * Classifies an error thrown by an SDK call into the project's taxonomy (by `failureKind`). `what` names the call for
 * the message (e.g. "identitystore:CreateUser"); no request data is put in the message, so it is safe to log.
 */
export function classifySdkError(error: unknown, what: string): SyncError {
  const e = shapeOf(error);
  const detail = `${what} failed: ${e.name ?? 'Error'}${e.message ? `: ${e.message}` : ''}`;
  const options = { cause: error };
  const kind = failureKind(error);
  // Identity Store names what was not found: the core recovers from a user or a group gone since it was cached.
  if (kind === 'not-found' && e.ResourceType === 'USER') return new PermanentError('IDENTITY_NOT_FOUND', detail, options);
  if (kind === 'not-found' && e.ResourceType === 'GROUP') return new PermanentError('GROUP_NOT_FOUND', detail, options);
  const [code, retryable] = TAXONOMY[kind];
  return retryable ? new RetryableError(code, detail, options) : new PermanentError(code, detail, options);
}

/** Runs one SDK call and rethrows any failure classified. */
export async function call<T>(what: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw classifySdkError(error, what);
  }
}

/** Runs one SDK call; `absent(error)` (default: AWS answered "not found") resolves undefined, any other failure is classified. */
export async function callUnlessAbsent<T>(what: string, send: () => Promise<T>, absent = isNotFound): Promise<T | undefined> {
  try {
    return await send();
  } catch (error) {
    if (absent(error)) return undefined;
    throw classifySdkError(error, what);
  }
}

/** An id the API documents as always returned; its absence is a service fault worth retrying. */
export function required(value: string | undefined, what: string): string {
  if (!value) throw new RetryableError('UNEXPECTED', `${what} returned no id`);
  return value;
}
