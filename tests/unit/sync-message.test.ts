import { SyncError } from '../../shared/core/errors.js';
import { parseSyncMessage, RECONCILE_SOURCE } from '../../shared/sync-message.js';
import { SAMPLE_INSTANCE_ID as INSTANCE, sampleEvent } from '../support/events.js';

function codeOf(body: string): string {
  try {
    parseSyncMessage(body, INSTANCE);
  } catch (error) {
    if (error instanceof SyncError) return error.code;
    throw error;
  }
  throw new Error('expected parseSyncMessage to throw');
}

describe('parseSyncMessage', () => {
  it('reads instance, user id and Username from a CreateUser event', () => {
    const body = JSON.stringify(sampleEvent('create-user'));

    expect(parseSyncMessage(body, INSTANCE)).toEqual({
      kind: 'sync',
      request: { instanceId: INSTANCE, userId: '0f1e2d3c-4b5a-4697-8877-665544332211', username: 'maria.garcia@example.com' },
    });
  });

  it('accepts a URL-encoded instance ARN and falls back to the Username without responseElements', () => {
    const body = JSON.stringify(sampleEvent('create-user-encoded-arn-no-response'));

    expect(parseSyncMessage(body, INSTANCE)).toEqual({
      kind: 'sync',
      request: { instanceId: INSTANCE, userId: undefined, username: 'li.wei@example.com' },
    });
  });

  it('takes the user id from UserArn when UserId is missing', () => {
    const event = sampleEvent('create-user');
    const response = event.detail.responseElements as Record<string, unknown>;
    delete response.UserId;

    const parsed = parseSyncMessage(JSON.stringify(event), INSTANCE);

    expect(parsed).toMatchObject({ kind: 'sync', request: { userId: '0f1e2d3c-4b5a-4697-8877-665544332211' } });
  });

  it('ignores, with a reason, other instances and other Connect calls', () => {
    expect(parseSyncMessage(JSON.stringify(sampleEvent('create-user-other-instance')), INSTANCE)).toEqual({
      kind: 'ignore',
      reason: 'event of another Connect instance',
      instanceId: '99999999-8888-4777-8666-555555555555',
    });
    expect(parseSyncMessage(JSON.stringify(sampleEvent('update-user-identity-info')), INSTANCE)).toEqual({
      kind: 'ignore',
      reason: 'not a Connect CreateUser event (connect.amazonaws.com UpdateUserIdentityInfo)',
    });
  });

  it('reads a reconcile request', () => {
    const body = JSON.stringify({ source: RECONCILE_SOURCE, instanceId: INSTANCE, userId: 'c-1' });

    expect(parseSyncMessage(body, INSTANCE)).toEqual({ kind: 'sync', request: { instanceId: INSTANCE, userId: 'c-1' } });
  });

  it('rejects bodies it cannot act upon with MALFORMED_EVENT or MISSING_FIELD', () => {
    const noInstance = sampleEvent('create-user');
    delete (noInstance.detail.requestParameters as Record<string, unknown>).InstanceId;
    const noUser = sampleEvent('create-user-encoded-arn-no-response');
    delete (noUser.detail.requestParameters as Record<string, unknown>).Username;

    expect(codeOf('not json')).toBe('MALFORMED_EVENT');
    expect(codeOf('{"hello":"world"}')).toBe('MALFORMED_EVENT');
    expect(codeOf(JSON.stringify(noInstance))).toBe('MISSING_FIELD');
    expect(codeOf(JSON.stringify(noUser))).toBe('MISSING_FIELD');
  });
});
