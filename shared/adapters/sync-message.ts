import * as z from 'zod/mini';
import { CONNECT_INSTANCE_ARN, safeDecode } from '../config/config.js';
import { PermanentError } from '../core/errors.js';
import { UUID } from '../core/ids.js';
import type { DeprovisionRequest } from '../core/deprovision-user.js';
import type { SyncRequest } from '../core/sync-user.js';
import { RECONCILE_SOURCE } from '../core/reconcile-executors.js';

/**
 * A `sync` queue message is either the EventBridge event of a CloudTrail-recorded Connect call (what the rule
 * delivers), or a request from reconcile to sync or deprovision one user (same path, same rules).
 */
const cloudTrailDetail = z.object({
  eventSource: z.string(),
  eventName: z.string(),
  // Set on calls that failed or were refused (CloudTrail records those too): such a call changed nothing.
  errorCode: z.optional(z.unknown()),
  requestParameters: z.nullish(
    z.object({ InstanceId: z.optional(z.string()), Username: z.optional(z.string()), UserId: z.optional(z.string()) }),
  ),
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

export { RECONCILE_SOURCE };
const fromReconcile = { source: z.literal(RECONCILE_SOURCE), instanceId: z.string().check(z.minLength(1)) };
const reconcileRequest = z.object({
  ...fromReconcile,
  userId: z.string().check(z.minLength(1)),
  /** `update`: the sync, then the identity update (reconcile found a created identity's sign-in name drifted). */
  action: z._default(z.enum(['sync', 'update', 'deprovision']), 'sync'),
  /** ASSIGNMENT_MODE=user: the linked user's assignment was found missing. */
  ensureAssignment: z.optional(z.boolean()),
});
/** The scheduled reconcile found a managed group unassigned: it only reads Identity Center, the sync function writes. */
const assignGroupRequest = z.object({
  ...fromReconcile,
  action: z.literal('assign-group'),
  groupId: z.string().check(z.minLength(1), z.maxLength(47)),
});

/** What a message asks for: which use case, for which Connect user (or managed group). */
export type Work =
  | { kind: 'sync' | 'update'; request: SyncRequest }
  | { kind: 'deprovision'; request: DeprovisionRequest }
  | { kind: 'assign-group'; request: { groupId: string } };

export type ParsedMessage = (Work & { event: string }) | { kind: 'ignore'; reason: string; event: string };

/** The Connect instance this deployment serves: its id, and region/account when configured by ARN. */
export interface InstanceRef {
  id: string;
  arn?: { region: string; account: string };
}

const API_NAME = /^[A-Za-z]{1,64}$/;

/** The event name for a log line: an API name, or a placeholder (an injected value may be anything, even an email). */
export const loggableName = (value: string): string => (API_NAME.test(value) ? value : '(unrecognised)');

/** The user id at the end of a Connect user ARN (arn:...:instance/{instance}/agent/{user}). */
const userIdOfArn = (arn: string | undefined) => (arn?.includes('/agent/') ? arn.slice(arn.lastIndexOf('/') + 1) : undefined);
const USER_ARN = /^(arn:[^/]+\/[^/]+)\/agent\/([^/]+)$/;

/**
 * The user id a `UserId` parameter names: the id itself, or the id in a user ARN of this instance (Connect accepts an
 * ARN where an id is asked for, and CloudTrail records it as sent). A user ARN of another instance, account or region
 * is not this instance's user: undefined.
 */
function userIdOfParameter(raw: string, instance: InstanceRef, envelope: { account: string; region: string }): string | undefined {
  const arn = USER_ARN.exec(safeDecode(raw));
  if (!arn) return raw;
  return isThisInstance(arn[1] ?? '', instance, envelope) ? arn[2] : undefined;
}

/**
 * True when `raw` names this instance: its bare id, or its ARN (URL-encoded or not) in the event's own account and
 * region (and the configured ones, when configured by ARN). Anything else is another instance — never trimmed to
 * its last path segment, which would let `.../instance/<ours>` of any account pass.
 */
export function isThisInstance(raw: string, instance: InstanceRef, envelope?: { account: string; region: string }): boolean {
  const value = safeDecode(raw);
  if (UUID.test(value)) return value === instance.id;
  const arn = CONNECT_INSTANCE_ARN.exec(value);
  if (!arn || arn[3] !== instance.id) return false;
  const [region, account] = [arn[1], arn[2]];
  if (envelope && (region !== envelope.region || account !== envelope.account)) return false;
  return !instance.arn || (instance.arn.region === region && instance.arn.account === account);
}

const KINDS: Record<string, 'sync' | 'update' | 'deprovision'> = {
  CreateUser: 'sync',
  UpdateUserSecurityProfiles: 'sync',
  UpdateUserIdentityInfo: 'update',
  DeleteUser: 'deprovision',
};

/**
 * Turns a queue message body into the work it asks for `instance`, or a reason to ignore it. `reader.account`: where
 * the message is read, the function's own account (from its ARN in the Lambda context), when known.
 * Throws PermanentError MALFORMED_EVENT or MISSING_FIELD when the body cannot be acted upon.
 */
export function parseSyncMessage(body: string, instance: InstanceRef, reader: { account?: string } = {}): ParsedMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new PermanentError('MALFORMED_EVENT', 'the message body is not JSON');
  }
  const assign = assignGroupRequest.safeParse(json);
  if (assign.success) {
    const event = 'reconcile:assign-group';
    if (!isThisInstance(assign.data.instanceId, instance)) return otherInstance(event);
    return { kind: 'assign-group', event, request: { groupId: assign.data.groupId } };
  }
  const reconcile = reconcileRequest.safeParse(json);
  if (reconcile.success) {
    const { instanceId, userId, action, ensureAssignment } = reconcile.data;
    const event = `reconcile:${action}`;
    if (!isThisInstance(instanceId, instance)) return otherInstance(event);
    if (!UUID.test(userId)) throw new PermanentError('MALFORMED_EVENT', 'the reconcile request has a malformed userId');
    return action === 'deprovision'
      ? { kind: 'deprovision', event, request: { instanceId: instance.id, connectUserId: userId, source: 'reconcile' } }
      : { kind: action, event, request: { instanceId: instance.id, userId, ensureAssignment } };
  }
  const parsed = cloudTrailEvent.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(root)'))].join(', ');
    throw new PermanentError('MALFORMED_EVENT', `the message is not a CloudTrail EventBridge event (invalid: ${fields})`);
  }
  const { detail, account, region } = parsed.data;
  const event = loggableName(detail.eventName);
  const kind = detail.eventSource === 'connect.amazonaws.com' ? KINDS[detail.eventName] : undefined;
  if (kind === undefined) return { kind: 'ignore', reason: 'not a Connect user event this service follows', event };
  // The rule matches only calls that succeeded; this is the defence in depth: a refused DeleteUser deleted nothing.
  if (detail.errorCode !== undefined && detail.errorCode !== null) return { kind: 'ignore', reason: 'failed-call', event };
  if (reader.account !== undefined && account !== reader.account) return { kind: 'ignore', reason: 'event of another account', event };
  const rawInstance = detail.requestParameters?.InstanceId;
  if (!rawInstance) throw new PermanentError('MISSING_FIELD', 'detail.requestParameters.InstanceId is missing');
  if (!isThisInstance(rawInstance, instance, { account, region })) return otherInstance(event);

  const named = detail.requestParameters?.UserId;
  const fromParameter = named ? userIdOfParameter(named, instance, { account, region }) : undefined;
  if (named && fromParameter === undefined) return otherInstance(event);
  const userId = fromParameter || detail.responseElements?.UserId || userIdOfArn(detail.responseElements?.UserArn);
  if (userId !== undefined && !UUID.test(userId)) throw new PermanentError('MALFORMED_EVENT', 'the event names a malformed Connect user id');
  if (kind === 'deprovision') {
    if (!userId) throw new PermanentError('MISSING_FIELD', 'detail.requestParameters.UserId is missing');
    return { kind, event, request: { instanceId: instance.id, connectUserId: userId, source: 'event' } };
  }
  // CreateUser may lack responseElements: the user is then found by the Username it was created with.
  const username = detail.eventName === 'CreateUser' ? detail.requestParameters?.Username || undefined : undefined;
  if (!userId && !username) {
    throw new PermanentError('MISSING_FIELD', 'the event names no Connect user (requestParameters.UserId, responseElements.UserId/UserArn, or Username)');
  }
  return { kind, event, request: { instanceId: instance.id, userId, username } };
}

function otherInstance(event: string): ParsedMessage {
  return { kind: 'ignore', reason: 'event of another Connect instance', event };
}
