/**
 * Every error AWS's models list for every operation an adapter calls, and the class the product gives it: a modelled
 * error can no longer fall into "permanent" by accident. The errors come from the committed models
 * (local/emulator/models/aws-models.json); the exceptions are the SDK's own classes, so `$fault` and `$retryable` are
 * what a real call would carry.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as cloudtrail from '@aws-sdk/client-cloudtrail';
import * as connect from '@aws-sdk/client-connect';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import * as identitystore from '@aws-sdk/client-identitystore';
import * as sqs from '@aws-sdk/client-sqs';
import * as ssoAdmin from '@aws-sdk/client-sso-admin';
import * as sts from '@aws-sdk/client-sts';
import { classifySdkError } from '../../../shared/adapters/sdk-errors.js';
import { serviceModel } from '../../../local/emulator/models/validate.js';
import type { ModelService } from '../../../local/emulator/models/validate.js';

const PACKAGES: Record<ModelService, Record<string, unknown>> = { cloudtrail, connect, dynamodb, identitystore, sqs, 'sso-admin': ssoAdmin, sts };
const PACKAGE_NAMES: Record<string, ModelService> = {
  'client-connect': 'connect', 'client-identitystore': 'identitystore', 'client-sso-admin': 'sso-admin', 'client-sqs': 'sqs', 'client-dynamodb': 'dynamodb',
};

/** The operations the adapters in shared/adapters call (checked against their imports below). */
const ADAPTER_OPERATIONS: Partial<Record<ModelService, string[]>> = {
  connect: ['DescribeUser', 'ListSecurityProfiles', 'SearchUsers', 'ListUsers', 'DescribeInstance'],
  identitystore: ['CreateGroup', 'CreateGroupMembership', 'CreateUser', 'DeleteGroupMembership', 'DeleteUser', 'DescribeUser', 'GetGroupId',
    'GetGroupMembershipId', 'GetUserId', 'IsMemberInGroups', 'ListGroupMembershipsForMember', 'UpdateUser', 'ListGroupMemberships', 'ListUsers'],
  'sso-admin': ['CreateApplicationAssignment', 'DeleteApplicationAssignment', 'DescribeApplicationAssignment', 'ListAccountAssignmentsForPrincipal',
    'ListApplicationAssignmentsForPrincipal', 'ListApplicationAssignments', 'DescribeApplication', 'ListInstances'],
  sqs: ['SendMessage', 'GetQueueUrl', 'ChangeMessageVisibilityBatch', 'DeleteMessageBatch', 'GetQueueAttributes', 'ListMessageMoveTasks', 'ReceiveMessage',
    'SendMessageBatch', 'StartMessageMoveTask'],
  dynamodb: ['DeleteItem', 'GetItem', 'PutItem', 'Query', 'Scan', 'UpdateItem'],
};

type Outcome = [code: string, retryable: boolean];
const THROTTLED: Outcome = ['THROTTLED', true];
const SERVICE_ERROR: Outcome = ['SERVICE_ERROR', true];
const VALIDATION: Outcome = ['VALIDATION', false];
const CLIENT_ERROR: Outcome = ['AWS_CLIENT_ERROR', false];

/** The class of each modelled error, with why in a comment where it is not obvious. */
const EXPECTED: Record<string, Outcome> = {
  ThrottlingException: THROTTLED,
  RequestThrottled: THROTTLED,
  KmsThrottled: THROTTLED,
  OverLimit: THROTTLED, // too many messages in flight: frees up as others finish
  LimitExceededException: THROTTLED, // Connect's 429
  RequestLimitExceeded: THROTTLED,
  ProvisionedThroughputExceededException: THROTTLED,
  InternalServerException: SERVICE_ERROR,
  InternalServiceException: SERVICE_ERROR,
  InternalServerError: SERVICE_ERROR,
  // The queue's KMS key is unusable: messages stay on their queue until it is fixed (redrive bounds the attempts).
  KmsDisabled: SERVICE_ERROR, KmsInvalidState: SERVICE_ERROR, KmsNotFound: SERVICE_ERROR, KmsOptInRequired: SERVICE_ERROR,
  KmsAccessDenied: SERVICE_ERROR, KmsInvalidKeyUsage: SERVICE_ERROR,
  TransactionConflictException: ['CONCURRENT_MODIFICATION', true],
  ReplicatedWriteConflictException: ['CONCURRENT_MODIFICATION', true],
  // Without a Reason: "already exists"; the adapters look the resource up and link it (Reason CONCURRENT_MODIFICATION retries).
  ConflictException: ['ALREADY_EXISTS', false],
  AccessDeniedException: ['ACCESS_DENIED', false],
  ValidationException: VALIDATION,
  InvalidParameterException: VALIDATION,
  InvalidRequestException: VALIDATION,
  InvalidAddress: VALIDATION,
  // Without ResourceType; Identity Store's USER / GROUP variants are asserted below. The adapters turn the not-found of a
  // lookup (GetUserId, DescribeUser, GetGroupMembershipId...) into their own answer before classifying.
  ResourceNotFoundException: ['NOT_FOUND', false],
  QueueDoesNotExist: ['NOT_FOUND', false],
  // Quotas an operator must raise (users per store, assignments per application): trying again cannot help.
  ServiceQuotaExceededException: CLIENT_ERROR,
  // The links adapter reads a failed condition as "someone else holds it" before any classification.
  ConditionalCheckFailedException: CLIENT_ERROR,
  ItemCollectionSizeLimitExceededException: CLIENT_ERROR,
  // Requests the product builds wrongly (a bug to fix, not to retry).
  InvalidMessageContents: CLIENT_ERROR, UnsupportedOperation: CLIENT_ERROR, InvalidSecurity: CLIENT_ERROR, InvalidAttributeName: CLIENT_ERROR,
  InvalidAttributeValue: CLIENT_ERROR, EmptyBatchRequest: CLIENT_ERROR, TooManyEntriesInBatchRequest: CLIENT_ERROR,
  BatchEntryIdsNotDistinct: CLIENT_ERROR, InvalidBatchEntryId: CLIENT_ERROR, BatchRequestTooLong: CLIENT_ERROR, InvalidIdFormat: CLIENT_ERROR,
  ReceiptHandleIsInvalid: CLIENT_ERROR, MessageNotInflight: CLIENT_ERROR,
};

/** The SDK's own exception for a modelled error (its constructor sets `$fault` and `$retryable` from the schema). */
function sdkException(service: ModelService, name: string, fields: Record<string, unknown> = {}): Error {
  const exported = PACKAGES[service][name];
  if (typeof exported !== 'function') throw new Error(`the SDK for ${service} exports no ${name}`);
  const Exception = exported as new (options: Record<string, unknown>) => Error;
  return new Exception({ message: 'modelled', $metadata: {}, ...fields });
}

const rows = Object.entries(ADAPTER_OPERATIONS).flatMap(([service, operations]) =>
  (operations ?? []).flatMap((operation) => (serviceModel(service as ModelService).operations[operation]?.errors ?? ['(operation missing from the model)'])
    .map((error) => [service as ModelService, operation, error] as const)));

describe('every modelled error of every operation the adapters call is classified on purpose', () => {
  it('covers the operations the adapters import', () => {
    const imported = new Set<string>();
    const dir = join(__dirname, '../../../shared/adapters');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const match of text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/(client-[a-z-]+)'/g)) {
        const service = PACKAGE_NAMES[match[2] ?? ''];
        for (const name of (match[1] ?? '').split(',').map((n) => n.trim())) {
          if (service !== undefined && name.endsWith('Command') && !name.startsWith('type ')) imported.add(`${service}:${name.slice(0, -'Command'.length)}`);
        }
      }
    }
    const listed = new Set(Object.entries(ADAPTER_OPERATIONS).flatMap(([service, ops]) => (ops ?? []).map((op) => `${service}:${op}`)));
    expect([...imported].sort()).toEqual([...listed].sort());
  });

  it.each(rows)('%s %s %s', (service, _operation, error) => {
    const expected = EXPECTED[error];
    expect(expected).toBeDefined();
    const classified = classifySdkError(sdkException(service, error), `${service}:op`);
    expect([classified.code, classified.retryable]).toEqual(expected);
  });

  it.each([
    [{ ResourceType: 'USER' }, 'IDENTITY_NOT_FOUND'],
    [{ ResourceType: 'GROUP' }, 'GROUP_NOT_FOUND'],
    [{ ResourceType: 'GROUP_MEMBERSHIP' }, 'NOT_FOUND'],
    [{ ResourceType: 'IDENTITY_STORE' }, 'NOT_FOUND'],
  ])('Identity Store ResourceNotFoundException %j is %s', (fields, code) => {
    const classified = classifySdkError(sdkException('identitystore', 'ResourceNotFoundException', fields), 'identitystore:op');
    expect([classified.code, classified.retryable]).toEqual([code, false]);
  });

  it('Identity Store ConflictException CONCURRENT_MODIFICATION is retried, UNIQUENESS_CONSTRAINT_VIOLATION is "already exists"', () => {
    const concurrent = classifySdkError(sdkException('identitystore', 'ConflictException', { Reason: 'CONCURRENT_MODIFICATION' }), 'identitystore:op');
    const unique = classifySdkError(sdkException('identitystore', 'ConflictException', { Reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' }), 'identitystore:op');
    expect([concurrent.code, concurrent.retryable, unique.code, unique.retryable]).toEqual(['CONCURRENT_MODIFICATION', true, 'ALREADY_EXISTS', false]);
  });
});
