import * as z from 'zod/mini';
import { PermanentError } from './core/errors.js';
import type { SyncRequest } from './core/sync-user.js';
import { instanceIdOf } from './config.js';

/**
 * A `sync` queue message is either the EventBridge event of a CloudTrail-recorded Connect call (what the rule
 * delivers), or a request from the reconcile command to sync one user (same path, same rules).
 */
const cloudTrailDetail = z.object({
  eventSource: z.string(),
  eventName: z.string(),
  requestParameters: z.nullish(z.object({ InstanceId: z.optional(z.string()), Username: z.optional(z.string()) })),
  responseElements: z.nullish(z.object({ UserId: z.optional(z.string()), UserArn: z.optional(z.string()) })),
});

// The EventBridge envelope as delivered to an SQS target. Powertools' parser has this schema, but it is built on
// classic zod, which would add ~450 KB to the bundle and ~100 ms to every cold start; zod/mini costs ~15 KB.
const cloudTrailEvent = z.object({
  version: z.string(),
  id: z.string(),
  'detail-type': z.string(),
  source: z.string(),
  account: z.string(),
  time: z.string(),
  region: z.string(),
  resources: z.array(z.string()),
  detail: cloudTrailDetail,
});

export const RECONCILE_SOURCE = 'connect-sso-sync.reconcile';
export const reconcileRequest = z.object({
  source: z.literal(RECONCILE_SOURCE),
  instanceId: z.string().check(z.minLength(1)),
  userId: z.string().check(z.minLength(1)),
});
export type ReconcileRequest = z.infer<typeof reconcileRequest>;

export type ParsedMessage =
  | { kind: 'sync'; request: SyncRequest }
  | { kind: 'ignore'; reason: string; instanceId?: string };

/** The user id at the end of a Connect user ARN (arn:...:instance/{instance}/agent/{user}). */
const userIdOfArn = (arn: string | undefined) => (arn?.includes('/agent/') ? arn.slice(arn.lastIndexOf('/') + 1) : undefined);

/**
 * Turns a queue message body into a sync request for `instanceId`, or a reason to ignore it.
 * Throws PermanentError MALFORMED_EVENT or MISSING_FIELD when the body cannot be acted upon.
 */
export function parseSyncMessage(body: string, instanceId: string): ParsedMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new PermanentError('MALFORMED_EVENT', 'the message body is not JSON');
  }
  const reconcile = reconcileRequest.safeParse(json);
  if (reconcile.success) {
    const request = { instanceId: instanceIdOf(reconcile.data.instanceId), userId: reconcile.data.userId };
    return request.instanceId === instanceId ? { kind: 'sync', request } : otherInstance(request.instanceId);
  }
  const parsed = cloudTrailEvent.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(root)'))].join(', ');
    throw new PermanentError('MALFORMED_EVENT', `the message is not a CloudTrail EventBridge event (invalid: ${fields})`);
  }
  const { detail } = parsed.data;
  if (detail.eventSource !== 'connect.amazonaws.com' || detail.eventName !== 'CreateUser') {
    return { kind: 'ignore', reason: `not a Connect CreateUser event (${detail.eventSource} ${detail.eventName})` };
  }
  const rawInstance = detail.requestParameters?.InstanceId;
  if (!rawInstance) throw new PermanentError('MISSING_FIELD', 'detail.requestParameters.InstanceId is missing');
  const eventInstance = instanceIdOf(rawInstance);
  if (eventInstance !== instanceId) return otherInstance(eventInstance);
  const userId = detail.responseElements?.UserId || userIdOfArn(detail.responseElements?.UserArn);
  const username = detail.requestParameters?.Username || undefined;
  if (!userId && !username) {
    throw new PermanentError('MISSING_FIELD', 'the event has neither responseElements.UserId/UserArn nor requestParameters.Username');
  }
  return { kind: 'sync', request: { instanceId, userId, username } };
}

function otherInstance(instanceId: string): ParsedMessage {
  return { kind: 'ignore', reason: 'event of another Connect instance', instanceId };
}
