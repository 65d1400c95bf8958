import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

export const SAMPLE_INSTANCE_ID = '4c8b2f3e-9d1a-4b6e-8f2a-7c3d5e9b1a20';
const EVENTS = join(__dirname, '..', '..', 'events');

/** A sample EventBridge event from events/eventbridge, parsed, for tests to adjust. */
export function sampleEvent(name: string): Record<string, unknown> & { detail: Record<string, unknown> } {
  return JSON.parse(readFileSync(join(EVENTS, 'eventbridge', `${name}.json`), 'utf8'));
}

export function sqsRecord(body: unknown, messageId = `msg-${Math.random().toString(36).slice(2)}`): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1795856102000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1795856102100',
    },
    messageAttributes: {},
    md5OfBody: '0'.repeat(32),
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:connect-sso-sync-dev-sync',
    awsRegion: 'us-east-1',
  };
}

export function sqsEvent(...bodies: unknown[]): SQSEvent {
  return { Records: bodies.map((b, i) => sqsRecord(b, `msg-${i}`)) };
}

/** A CreateUser event for the given Connect user, shaped like events/eventbridge/create-user.json. */
export function createUserEvent(userId: string, username: string, instanceId = SAMPLE_INSTANCE_ID) {
  const event = sampleEvent('create-user');
  const detail = event.detail as { requestParameters: Record<string, unknown>; responseElements: Record<string, unknown> };
  detail.requestParameters.InstanceId = instanceId;
  detail.requestParameters.Username = username;
  detail.responseElements.UserId = userId;
  detail.responseElements.UserArn = `arn:aws:connect:us-east-1:123456789012:instance/${instanceId}/agent/${userId}`;
  return event;
}

/** A sample event of events/eventbridge/<name>.json with `detail` fields replaced (e.g. eventName, requestParameters). */
export function eventWith(name: string, detail: Record<string, unknown>, envelope: Record<string, unknown> = {}) {
  const event = sampleEvent(name);
  return { ...event, ...envelope, detail: { ...event.detail, ...detail } };
}

/** A reconcile request for the sync queue. */
export function reconcileMessage(userId: string, action?: 'sync' | 'deprovision', instanceId = SAMPLE_INSTANCE_ID) {
  return { source: 'connect-sso-sync.reconcile', instanceId, userId, ...(action && { action }) };
}
