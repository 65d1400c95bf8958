/**
 * The one classifier of AWS failures (shared/adapters/sdk-errors.ts): each kind an adapter or the CLI acts on, from
 * what the SDK really carries (`name`, `$fault`, `$retryable`, Node's `code`, or only words for credentials and region).
 */
import { errorChain, failureKind, isNotFound, networkFailure, type AwsFailureKind } from '../../../shared/adapters/sdk-errors.js';
import { RetryableError } from '../../../shared/core/errors.js';

const sdkError = (name: string, extra: Record<string, unknown> = {}, message = `${name} happened`) =>
  Object.assign(new Error(message), { name, $metadata: {}, ...extra });

describe('failureKind', () => {
  it.each<[string, Error, AwsFailureKind]>([
    ['throttling by name', sdkError('ThrottlingException', { $fault: 'client' }), 'throttled'],
    ['SQS throttling (HTTP 403)', sdkError('RequestThrottled', { $fault: 'client' }), 'throttled'],
    ['throttling by $retryable', sdkError('SomethingNew', { $retryable: { throttling: true } }), 'throttled'],
    ['a concurrent modification', sdkError('ConflictException', { Reason: 'CONCURRENT_MODIFICATION' }), 'concurrent-write'],
    ['a DynamoDB transaction conflict', sdkError('TransactionConflictException', { $fault: 'client' }), 'concurrent-write'],
    ['the queue key unusable', sdkError('KmsDisabled', { $fault: 'client' }), 'queue-key'],
    ['already exists', sdkError('ConflictException', { Reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' }), 'already-exists'],
    ['not found', sdkError('ResourceNotFoundException', { $fault: 'client' }), 'not-found'],
    ['a missing queue', sdkError('QueueDoesNotExist', { $fault: 'client' }), 'not-found'],
    ['a missing queue (query protocol code)', sdkError('AWS.SimpleQueueService.NonExistentQueue', { $fault: 'client' }), 'not-found'],
    ['expired credentials by name', sdkError('ExpiredTokenException', { $fault: 'client' }), 'credentials-expired'],
    ['invalid credentials by name', sdkError('InvalidClientTokenId', { $fault: 'client' }), 'credentials-expired'],
    ['rejected credentials in words only', sdkError('Error', {}, 'The security token included in the request is expired'), 'credentials-expired'],
    ['no credentials', sdkError('CredentialsProviderError', {}, 'Could not load credentials from any providers'), 'credentials-missing'],
    ['no region', sdkError('Error', {}, 'Region is missing'), 'region-missing'],
    ['a refused connection', sdkError('Error', { code: 'ECONNREFUSED' }), 'network'],
    ['a reset connection', sdkError('Error', { code: 'ECONNRESET' }), 'network'],
    ['an unknown host', sdkError('Error', { code: 'ENOTFOUND' }), 'network'],
    ['a network failure quoted by another realm', sdkError('Error', {}, 'error wrapper for Error: connect ECONNREFUSED 10.0.0.1:443'), 'network'],
    ['a timeout', sdkError('TimeoutError'), 'timeout'],
    ['a timeout wrapped from another realm (a lost answer: socket hang up)', sdkError('Error', {}, 'AWS SDK error wrapper for TimeoutError: socket hang up'), 'timeout'],
    ['an aborted request', sdkError('AbortError'), 'timeout'],
    ['access denied (JSON protocols)', sdkError('AccessDeniedException', { $fault: 'client' }), 'access-denied'],
    ['access denied (STS, IAM)', sdkError('AccessDenied', { $fault: 'client' }), 'access-denied'],
    ['a validation error', sdkError('ValidationException', { $fault: 'client' }), 'validation'],
    ['a service fault', sdkError('InternalServerException', { $fault: 'server' }), 'server'],
    ['another client fault', sdkError('ServiceQuotaExceededException', { $fault: 'client' }), 'client'],
    ['anything else', sdkError('Weird'), 'unknown'],
  ])('%s', (_what, error, kind) => {
    expect(failureKind(error)).toBe(kind);
  });

  it('takes a code of another kind (a SyncError wrapping the real failure) as no network failure of its own', () => {
    const wrapper = new RetryableError('TIMEOUT', 'connect:ListUsers failed: Error: connect ECONNREFUSED 127.0.0.1:9');

    expect(failureKind(wrapper)).toBe('unknown');
  });

  it('classifies something that is not an error object as unknown', () => {
    expect([failureKind('boom'), failureKind(undefined), failureKind(null)]).toEqual(['unknown', 'unknown', 'unknown']);
  });
});

describe('isNotFound', () => {
  it('is true for a missing resource or queue, by name, whatever else the error carries', () => {
    expect(isNotFound(sdkError('ResourceNotFoundException', { ResourceType: 'IDENTITY_STORE' }))).toBe(true);
    expect(isNotFound(sdkError('QueueDoesNotExist'))).toBe(true);
    expect(isNotFound(sdkError('AWS.SimpleQueueService.NonExistentQueue'))).toBe(true);
  });

  it('is false for every other failure', () => {
    for (const name of ['ThrottlingException', 'AccessDeniedException', 'ValidationException', 'KmsNotFound', 'Error']) expect(isNotFound(sdkError(name))).toBe(false);
    expect(isNotFound('ResourceNotFoundException')).toBe(false);
  });
});

describe('errorChain and networkFailure', () => {
  it('follows cause and an AggregateError\'s first error, outermost first, and stops at a bound', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:4566'), { code: 'ECONNREFUSED', address: '::1', port: 4566 });
    const aggregate = new AggregateError([refused, new Error('other')], 'all failed');
    const outer = new Error('outer', { cause: aggregate });

    expect(errorChain(outer)).toEqual([outer, aggregate, refused]);
    let deep: Error = new Error('0');
    for (let i = 1; i < 10; i += 1) deep = new Error(String(i), { cause: deep });
    expect(errorChain(deep)).toHaveLength(6);
  });

  it('names the address, else the host, else the quoted address of a network failure anywhere in the chain', () => {
    const withAddress = Object.assign(new Error('x'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 4566 });
    const withHost = Object.assign(new Error('x'), { code: 'ENOTFOUND', hostname: 'sqs.nowhere.example' });
    const quoted = new Error('error wrapper for Error: connect EHOSTUNREACH 10.1.2.3:443');

    expect(networkFailure(new RetryableError('TIMEOUT', 'wrapped', { cause: withAddress }))).toEqual({ code: 'ECONNREFUSED', why: 'connection refused', where: '127.0.0.1:4566' });
    expect(networkFailure(withHost)).toEqual({ code: 'ENOTFOUND', why: 'no such host', where: 'sqs.nowhere.example' });
    expect(networkFailure(quoted)).toEqual({ code: 'EHOSTUNREACH', why: 'host unreachable', where: '10.1.2.3:443' });
    expect(networkFailure(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toEqual({ code: 'ECONNRESET', why: 'connection reset' });
    expect(networkFailure(sdkError('ThrottlingException'))).toBeUndefined();
  });
});
