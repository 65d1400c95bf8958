/** What the CLI says for each failure the AWS classifier tells apart: the operator's next step, and its exit code. */
import { describeFailure } from '../../../cli/aws.js';
import { classifySdkError } from '../../../shared/adapters/sdk-errors.js';
import { ConfigError } from '../../../shared/config/config.js';
import { PermanentError } from '../../../shared/core/errors.js';
import { UsageError } from '../../../cli/io.js';

const sdkError = (name: string, message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { name, $metadata: {}, ...extra });
const NO_CREDENTIALS = 'no AWS credentials found: set AWS_PROFILE (after aws sso login) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY';
const REJECTED = 'the AWS credentials were rejected (expired or invalid): refresh them (aws sso login, new session) and retry';
const NO_REGION = 'no AWS region: set AWS_REGION (the Connect instance\'s region) or a profile with a region';

describe('describeFailure', () => {
  it.each([
    ['no credentials', sdkError('CredentialsProviderError', 'Could not load credentials from any providers'), NO_CREDENTIALS],
    ['expired credentials', sdkError('ExpiredTokenException', 'The security token included in the request is expired', { $fault: 'client' }), REJECTED],
    ['invalid keys', sdkError('UnrecognizedClientException', 'The security token included in the request is invalid.', { $fault: 'client' }), REJECTED],
    ['no region', new Error('Region is missing'), NO_REGION],
  ])('%s, raw or as an adapter wrapped it: the fix, as a usage error', (_what, raw, message) => {
    expect(describeFailure(raw)).toEqual({ message, usage: true });
    expect(describeFailure(classifySdkError(raw, 'connect:ListUsers'))).toEqual({ message, usage: true });
  });

  it('an unreachable endpoint: where and why, not a usage error', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 4566 });

    expect(describeFailure(classifySdkError(refused, 'sqs:ReceiveMessage'))).toEqual({
      message: 'cannot reach 127.0.0.1:4566 (connection refused): is the endpoint right (AWS_ENDPOINT_URL_*, AWS_REGION) and is it running?',
      usage: false,
    });
  });

  it('any other classified failure: its code and message', () => {
    const denied = classifySdkError(sdkError('AccessDeniedException', 'not authorized to perform connect:ListUsers', { $fault: 'client' }), 'connect:ListUsers');

    expect(describeFailure(denied)).toEqual({ message: 'ACCESS_DENIED: connect:ListUsers failed: AccessDeniedException: not authorized to perform connect:ListUsers', usage: false });
    expect(describeFailure(new PermanentError('NOT_FOUND', 'gone'))).toEqual({ message: 'NOT_FOUND: gone', usage: false });
  });

  it('usage and configuration errors as they are; anything else with the chain of causes', () => {
    expect(describeFailure(new UsageError('unknown option --x'))).toEqual({ message: 'unknown option --x\nRun with --help for usage.', usage: true });
    expect(describeFailure(new ConfigError('DLQ_URL is not set'))).toEqual({ message: 'DLQ_URL is not set', usage: true });
    expect(describeFailure(new TypeError('x is undefined', { cause: new Error('inner') }))).toEqual({ message: 'TypeError: x is undefined <- Error: inner', usage: false });
    expect(describeFailure('a string')).toEqual({ message: 'a string', usage: false });
  });
});
