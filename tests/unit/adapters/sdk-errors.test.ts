import { awsErrorName, call, classifySdkError, isUniquenessConflict, required } from '../../../shared/adapters/sdk-errors.js';
import { rejection } from '../../support/core.js';

const sdkError = (name: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: {}, ...extra });

describe('classifySdkError', () => {
  it.each([
    ['ThrottlingException', {}, 'THROTTLED', true],
    ['TooManyRequestsException', {}, 'THROTTLED', true],
    ['SomethingNew', { $retryable: { throttling: true } }, 'THROTTLED', true],
    ['ProvisionedThroughputExceededException', { $fault: 'client' }, 'THROTTLED', true],
    ['ConflictException', { Reason: 'CONCURRENT_MODIFICATION' }, 'CONCURRENT_MODIFICATION', true],
    ['ConflictException', { Reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' }, 'ALREADY_EXISTS', false],
    ['DuplicateResourceException', {}, 'ALREADY_EXISTS', false],
    ['TimeoutError', {}, 'TIMEOUT', true],
    ['AbortError', {}, 'TIMEOUT', true],
    ['Error', { code: 'ECONNRESET' }, 'TIMEOUT', true],
    ['ExpiredTokenException', { $fault: 'client' }, 'CREDENTIALS_EXPIRED', true],
    ['ExpiredToken', { $fault: 'client' }, 'CREDENTIALS_EXPIRED', true],
    ['RequestExpired', { $fault: 'client' }, 'CREDENTIALS_EXPIRED', true],
    ['InvalidClientTokenId', { $fault: 'client' }, 'CREDENTIALS_EXPIRED', true],
    ['UnrecognizedClientException', { $fault: 'client' }, 'CREDENTIALS_EXPIRED', true],
    ['CredentialsProviderError', {}, 'CREDENTIALS_EXPIRED', true],
    ['InternalServerException', { $fault: 'server' }, 'SERVICE_ERROR', true],
    ['AccessDeniedException', { $fault: 'client' }, 'ACCESS_DENIED', false],
    ['ValidationException', { $fault: 'client' }, 'VALIDATION', false],
    ['ResourceNotFoundException', { ResourceType: 'USER' }, 'IDENTITY_NOT_FOUND', false],
    ['ResourceNotFoundException', { ResourceType: 'GROUP' }, 'GROUP_NOT_FOUND', false],
    ['ResourceNotFoundException', { ResourceType: 'IDENTITY_STORE' }, 'NOT_FOUND', false],
    ['ResourceNotFoundException', {}, 'NOT_FOUND', false],
    ['ServiceQuotaExceededException', { $fault: 'client' }, 'AWS_CLIENT_ERROR', false],
    ['Weird', {}, 'UNEXPECTED', true],
  ])('classifies %s %j as %s (retryable: %s)', (name, extra, code, retryable) => {
    const error = classifySdkError(sdkError(name, extra), 'svc:Op');

    expect([error.code, error.retryable]).toEqual([code, retryable]);
    expect(error.message).toBe(`svc:Op failed: ${name}: ${name} happened`);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('classifies something that is not an error object as UNEXPECTED', () => {
    const error = classifySdkError('boom', 'svc:Op');

    expect([error.code, error.retryable, error.message]).toEqual(['UNEXPECTED', true, 'svc:Op failed: Error']);
  });
});

describe('the other helpers', () => {
  it('tells a uniqueness conflict from a concurrent modification', () => {
    expect(isUniquenessConflict(sdkError('ConflictException', { Reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' }))).toBe(true);
    expect(isUniquenessConflict(sdkError('ConflictException'))).toBe(true);
    expect(isUniquenessConflict(sdkError('ConflictException', { Reason: 'CONCURRENT_MODIFICATION' }))).toBe(false);
    expect(isUniquenessConflict(sdkError('ValidationException'))).toBe(false);
  });

  it('reads the name of an error, and nothing of a non-object', () => {
    expect(awsErrorName(sdkError('ThrottlingException'))).toBe('ThrottlingException');
    expect(awsErrorName(undefined)).toBeUndefined();
  });

  it('call rethrows a failure classified and returns a success', async () => {
    expect(await call('svc:Op', async () => 7)).toBe(7);
    expect((await rejection(call('svc:Op', () => Promise.reject(sdkError('ThrottlingException'))))).code).toBe('THROTTLED');
  });

  it('required retries a missing id', () => {
    expect(required('u-1', 'svc:Op')).toBe('u-1');
    expect(() => required(undefined, 'svc:Op')).toThrow(expect.objectContaining({ code: 'UNEXPECTED', retryable: true }));
  });
});
