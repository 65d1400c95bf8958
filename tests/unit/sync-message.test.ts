import { SyncError } from '../../shared/core/errors.js';
import { isThisInstance, loggableName, parseSyncMessage, type InstanceRef } from '../../shared/adapters/sync-message.js';
import { eventWith, reconcileMessage, SAMPLE_INSTANCE_ID as ID, sampleEvent } from '../support/events.js';

const INSTANCE: InstanceRef = { id: ID };
const MARIA = '0f1e2d3c-4b5a-4697-8877-665544332211';
const ARN = `arn:aws:connect:us-east-1:123456789012:instance/${ID}`;

const parse = (body: unknown, instance: InstanceRef = INSTANCE) => parseSyncMessage(JSON.stringify(body), instance);

/** The SyncError parseSyncMessage throws for `body`. */
function errorOf(body: unknown): SyncError {
  try {
    parseSyncMessage(typeof body === 'string' ? body : JSON.stringify(body), INSTANCE);
  } catch (error) {
    if (error instanceof SyncError) return error;
    throw error;
  }
  throw new Error('expected parseSyncMessage to throw');
}

/** A sample event of `name` with these request parameters (merged) and response elements (replaced). */
function withRequest(name: string, requestParameters: Record<string, unknown>, responseElements?: unknown) {
  const event = sampleEvent(name);
  return eventWith(name, {
    requestParameters: { ...(event.detail.requestParameters as object), ...requestParameters },
    ...(responseElements !== undefined && { responseElements }),
  });
}

describe('parseSyncMessage: the Connect events it follows', () => {
  it('syncs on CreateUser, with the user id and the Username', () => {
    expect(parse(sampleEvent('create-user'))).toEqual({
      kind: 'sync',
      event: 'CreateUser',
      request: { instanceId: ID, userId: MARIA, username: 'maria.garcia@example.com' },
    });
  });

  it('finds the user of a CreateUser without responseElements by its Username', () => {
    expect(parse(sampleEvent('create-user-encoded-arn-no-response'))).toEqual({
      kind: 'sync',
      event: 'CreateUser',
      request: { instanceId: ID, userId: undefined, username: 'li.wei@example.com' },
    });
  });

  it('takes the user id from UserArn when UserId is missing', () => {
    const event = withRequest('create-user', {}, { UserArn: `${ARN}/agent/${MARIA}` });

    expect(parse(event)).toMatchObject({ kind: 'sync', request: { userId: MARIA } });
  });

  it('syncs on UpdateUserSecurityProfiles and updates on UpdateUserIdentityInfo, by user id', () => {
    expect(parse(sampleEvent('update-user-security-profiles'))).toEqual({
      kind: 'sync',
      event: 'UpdateUserSecurityProfiles',
      request: { instanceId: ID, userId: MARIA, username: undefined },
    });
    expect(parse(sampleEvent('update-user-identity-info'))).toEqual({
      kind: 'update',
      event: 'UpdateUserIdentityInfo',
      request: { instanceId: ID, userId: MARIA, username: undefined },
    });
  });

  it('asks for a deprovision on DeleteUser, as an event (the use case confirms with Connect first)', () => {
    expect(parse(sampleEvent('delete-user'))).toEqual({
      kind: 'deprovision',
      event: 'DeleteUser',
      request: { instanceId: ID, connectUserId: MARIA, source: 'event' },
    });
  });

  it('ignores a call that failed or was refused (errorCode set): it changed nothing', () => {
    const refused = sampleEvent('delete-user') as { detail: Record<string, unknown> };
    refused.detail.errorCode = 'AccessDeniedException';
    refused.detail.errorMessage = 'User is not authorized';

    expect(parse(refused)).toEqual({ kind: 'ignore', reason: 'failed-call', event: 'DeleteUser' });
  });

  it('ignores an event whose envelope names another account than the function', () => {
    const body = JSON.stringify(sampleEvent('delete-user'));

    expect(parseSyncMessage(body, INSTANCE, { account: '999999999999' })).toEqual({ kind: 'ignore', reason: 'event of another account', event: 'DeleteUser' });
    expect(parseSyncMessage(body, INSTANCE, { account: '123456789012' })).toMatchObject({ kind: 'deprovision' });
  });

  it('takes the user id from a user ARN of this instance, and ignores a user ARN of another instance or account', () => {
    const byArn = (arn: string) => {
      const event = sampleEvent('delete-user') as { detail: { requestParameters: Record<string, unknown> } };
      event.detail.requestParameters.UserId = arn;
      return parse(event);
    };

    expect(byArn(`${ARN}/agent/${MARIA}`)).toMatchObject({ kind: 'deprovision', request: { connectUserId: MARIA } });
    expect(byArn(encodeURIComponent(`${ARN}/agent/${MARIA}`))).toMatchObject({ kind: 'deprovision', request: { connectUserId: MARIA } });
    expect(byArn(`${ARN.replace('123456789012', '999999999999')}/agent/${MARIA}`)).toMatchObject({ kind: 'ignore' });
    expect(byArn(`${ARN.replace(ID, '99999999-8888-4777-8666-555555555555')}/agent/${MARIA}`)).toMatchObject({ kind: 'ignore' });
  });

  it('ignores other Connect calls, with a reason', () => {
    expect(parse(sampleEvent('update-user-routing-profile'))).toEqual({
      kind: 'ignore',
      reason: 'not a Connect user event this service follows',
      event: 'UpdateUserRoutingProfile',
    });
  });

  it('ignores a user event from another event source', () => {
    const event = eventWith('create-user', { eventSource: 'evil.example.com' });

    expect(parse(event)).toMatchObject({ kind: 'ignore', event: 'CreateUser' });
  });

  it.each(['maria.garcia@example.com', 'Maria Garcia', 'CreateUser\nDeleteUser', 'x'.repeat(65)])(
    'ignores an injected event name (%j) without echoing it',
    (eventName) => {
      const parsed = parse(eventWith('create-user', { eventName }));

      expect(parsed).toEqual({ kind: 'ignore', reason: 'not a Connect user event this service follows', event: '(unrecognised)' });
      expect(JSON.stringify(parsed)).not.toContain(eventName);
    },
  );
});

describe('parseSyncMessage: reconcile requests', () => {
  it('syncs a user, passing ensureAssignment on', () => {
    expect(parse({ ...reconcileMessage(MARIA), ensureAssignment: true })).toEqual({
      kind: 'sync',
      event: 'reconcile:sync',
      request: { instanceId: ID, userId: MARIA, ensureAssignment: true },
    });
  });

  it('asks for a deprovision as reconcile (a user that exists after all is then ignored, not retried)', () => {
    expect(parse(reconcileMessage(MARIA, 'deprovision'))).toEqual({
      kind: 'deprovision',
      event: 'reconcile:deprovision',
      request: { instanceId: ID, connectUserId: MARIA, source: 'reconcile' },
    });
  });

  it('asks for a group assignment (the scheduled reconcile only reads Identity Center)', () => {
    const body = { source: 'connect-sso-sync.reconcile', instanceId: ID, action: 'assign-group', groupId: 'g-1' };

    expect(parse(body)).toEqual({ kind: 'assign-group', event: 'reconcile:assign-group', request: { groupId: 'g-1' } });
    expect(parse({ ...body, instanceId: '99999999-8888-4777-8666-555555555555' })).toMatchObject({ kind: 'ignore' });
  });

  it('accepts the instance ARN and ignores another instance', () => {
    expect(parse(reconcileMessage(MARIA, 'sync', ARN))).toMatchObject({ kind: 'sync' });
    expect(parse(reconcileMessage(MARIA, 'sync', '99999999-8888-4777-8666-555555555555'))).toEqual({
      kind: 'ignore',
      reason: 'event of another Connect instance',
      event: 'reconcile:sync',
    });
  });

  it('rejects a malformed user id with MALFORMED_EVENT, without echoing it', () => {
    const error = errorOf(reconcileMessage('maria.garcia@example.com'));

    expect([error.code, error.retryable]).toEqual(['MALFORMED_EVENT', false]);
    expect(error.message).not.toContain('maria');
  });
});

describe('parseSyncMessage: which instance', () => {
  const withInstance = (InstanceId: string) => withRequest('create-user', { InstanceId });

  it.each([
    ['the bare id', ID],
    ['the instance ARN of the event account and region', ARN],
    ['the URL-encoded instance ARN', encodeURIComponent(ARN)],
  ])('accepts %s', (_, value) => {
    expect(parse(withInstance(value)).kind).toBe('sync');
  });

  it.each([
    ['another instance id', '99999999-8888-4777-8666-555555555555'],
    ['an ARN of another account', `arn:aws:connect:us-east-1:210987654321:instance/${ID}`],
    ['an ARN of another region', `arn:aws:connect:eu-west-1:123456789012:instance/${ID}`],
    ['a string merely ending in /instance/<our id>', `evil/instance/${ID}`],
    ['an ARN with a path before our id', `arn:aws:connect:us-east-1:123456789012:instance/x/instance/${ID}`],
    ['an encoded string ending in our id', encodeURIComponent(`https://evil.example/instance/${ID}`)],
  ])('ignores %s (never trimmed to its last segment)', (_, value) => {
    expect(parse(withInstance(value))).toEqual({ kind: 'ignore', reason: 'event of another Connect instance', event: 'CreateUser' });
  });

  it('ignores an ARN of this account and region when the configured instance ARN names another region', () => {
    const configured: InstanceRef = { id: ID, arn: { region: 'eu-west-2', account: '123456789012' } };

    expect(parse(withInstance(ARN), configured).kind).toBe('ignore');
    expect(parse(withInstance(ID), configured).kind).toBe('sync');
  });

  it('matches with isThisInstance the same way, with or without an envelope', () => {
    expect(isThisInstance(ARN, INSTANCE)).toBe(true);
    expect(isThisInstance(ARN, INSTANCE, { account: '123456789012', region: 'us-east-1' })).toBe(true);
    expect(isThisInstance(ARN, INSTANCE, { account: '123456789012', region: 'eu-west-1' })).toBe(false);
    expect(isThisInstance('%E0%A4%A', INSTANCE)).toBe(false);
  });
});

describe('parseSyncMessage: bodies it cannot act upon', () => {
  it.each([
    ['not JSON', 'not json'],
    ['JSON that is no event', { hello: 'world' }],
    ['a malformed user id', withRequest('delete-user', { UserId: '../../etc/passwd' })],
    ['a malformed UserId in the response', withRequest('create-user', {}, { UserId: 'Maria Garcia' })],
  ])('rejects %s with MALFORMED_EVENT', (_, body) => {
    const error = errorOf(body);

    expect([error.code, error.retryable]).toEqual(['MALFORMED_EVENT', false]);
    expect(error.message).not.toMatch(/etc|Maria/);
  });

  it('rejects a missing InstanceId, a DeleteUser without UserId and a CreateUser naming no user with MISSING_FIELD', () => {
    const noInstance = sampleEvent('create-user');
    delete (noInstance.detail.requestParameters as Record<string, unknown>).InstanceId;
    const deleteWithoutUser = sampleEvent('delete-user');
    delete (deleteWithoutUser.detail.requestParameters as Record<string, unknown>).UserId;
    const noUser = sampleEvent('create-user-encoded-arn-no-response');
    delete (noUser.detail.requestParameters as Record<string, unknown>).Username;

    expect(errorOf(noInstance).code).toBe('MISSING_FIELD');
    expect(errorOf(deleteWithoutUser)).toMatchObject({ code: 'MISSING_FIELD', message: expect.stringContaining('UserId') });
    expect(errorOf(noUser).code).toBe('MISSING_FIELD');
  });
});

describe('loggableName', () => {
  it('keeps an API name and replaces anything else', () => {
    expect(loggableName('UpdateUserSecurityProfiles')).toBe('UpdateUserSecurityProfiles');
    expect(loggableName('maria.garcia@example.com')).toBe('(unrecognised)');
    expect(loggableName('Maria Garcia')).toBe('(unrecognised)');
    expect(loggableName('')).toBe('(unrecognised)');
    expect(loggableName('A'.repeat(65))).toBe('(unrecognised)');
  });
});
