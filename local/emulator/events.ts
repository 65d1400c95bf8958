/** CloudTrail "AWS API Call via CloudTrail" events for Connect user calls, shaped as EventBridge delivers them. */
import { EventEmitter } from 'node:events';
import type { JsonObject } from './core.js';
import { compact, ids, isObject, obj, str, strings } from './core.js';

export interface EventOptions {
  /** How `requestParameters.InstanceId` is written: bare id (default), ARN, or URL-encoded ARN. */
  instanceIdStyle?: 'id' | 'arn' | 'encoded-arn';
  /** Write `IdentityInfo` as `HIDDEN_DUE_TO_SECURITY_REASONS`. */
  redactIdentityInfo?: boolean;
  /** Leave `responseElements` out (null), as if CloudTrail had not recorded them. */
  omitResponseElements?: boolean;
}

export interface CloudTrailEvent {
  version: '0';
  id: string;
  'detail-type': 'AWS API Call via CloudTrail';
  source: 'aws.connect';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: JsonObject;
}

export type EventListener = (event: CloudTrailEvent) => void;

/**
 * The Connect calls whose CloudTrail events are emitted. CloudTrail records failed and refused calls too, with
 * `errorCode` / `errorMessage` set and no `responseElements`: so does the emulator (seeding emits nothing).
 */
export const EVENT_OPERATIONS = ['CreateUser', 'UpdateUserIdentityInfo', 'UpdateUserSecurityProfiles', 'DeleteUser'] as const;
export type EventOperation = (typeof EVENT_OPERATIONS)[number];
export const isEventOperation = (operation: string): operation is EventOperation => (EVENT_OPERATIONS as readonly string[]).includes(operation);

export interface CallInfo {
  operation: EventOperation;
  instanceId: string;
  instanceArn: string;
  userId?: string;
  request: JsonObject;
  response: JsonObject;
  accessKeyId?: string;
  sourceIp: string;
  userAgent: string;
  requestId: string;
  /** The call failed or was refused: its error code and message, as CloudTrail records them. */
  error?: { code: string; message: string };
}

const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

export class EventSource {
  private readonly emitter = new EventEmitter();
  options: EventOptions;

  constructor(private readonly region: string, private readonly accountId: string, options: EventOptions = {}) {
    this.options = { ...options };
  }

  onEvent(listener: EventListener): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  emit(call: CallInfo): CloudTrailEvent {
    const now = new Date();
    const time = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const style = this.options.instanceIdStyle ?? 'id';
    const instanceId = style === 'id' ? call.instanceId : style === 'arn' ? call.instanceArn : encodeURIComponent(call.instanceArn);
    const identityInfo = (value: JsonObject | undefined): JsonObject | string | undefined =>
      value === undefined ? undefined : this.options.redactIdentityInfo === true ? HIDDEN : compact({ FirstName: value.FirstName, LastName: value.LastName, Email: value.Email, SecondaryEmail: value.SecondaryEmail, Mobile: value.Mobile });
    let requestParameters: JsonObject;
    if (call.operation === 'CreateUser') {
      const request = call.request;
      requestParameters = compact({
        InstanceId: instanceId,
        Username: str(request, 'Username'),
        IdentityInfo: identityInfo(obj(request, 'IdentityInfo')),
        PhoneConfig: obj(request, 'PhoneConfig'),
        SecurityProfileIds: strings(request, 'SecurityProfileIds'),
        RoutingProfileId: str(request, 'RoutingProfileId'),
        HierarchyGroupId: str(request, 'HierarchyGroupId'),
        DirectoryUserId: str(request, 'DirectoryUserId'),
        Password: request.Password === undefined ? undefined : HIDDEN,
      });
    } else if (call.operation === 'UpdateUserIdentityInfo') {
      requestParameters = compact({ InstanceId: instanceId, UserId: call.userId, IdentityInfo: identityInfo(obj(call.request, 'IdentityInfo')) });
    } else if (call.operation === 'UpdateUserSecurityProfiles') {
      requestParameters = compact({ InstanceId: instanceId, UserId: call.userId, SecurityProfileIds: strings(call.request, 'SecurityProfileIds') });
    } else {
      requestParameters = compact({ InstanceId: instanceId, UserId: call.userId });
    }
    const responseElements = call.operation === 'CreateUser' && !call.error && isObject(call.response)
      ? compact({ UserId: str(call.response, 'UserId'), UserArn: str(call.response, 'UserArn') })
      : null;
    const event: CloudTrailEvent = {
      version: '0',
      id: ids.uuid(),
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.connect',
      account: this.accountId,
      time,
      region: this.region,
      resources: [],
      detail: {
        eventVersion: '1.09',
        userIdentity: {
          type: 'IAMUser',
          principalId: 'AIDAEMULATOR',
          arn: `arn:aws:iam::${this.accountId}:user/emulator`,
          accountId: this.accountId,
          accessKeyId: call.accessKeyId ?? 'AKIAEMULATOR',
          userName: 'emulator',
        },
        eventTime: time,
        eventSource: 'connect.amazonaws.com',
        eventName: call.operation,
        awsRegion: this.region,
        sourceIPAddress: call.sourceIp,
        userAgent: call.userAgent,
        requestParameters,
        responseElements,
        ...(call.error && { errorCode: call.error.code, errorMessage: call.error.message }),
        requestID: call.requestId,
        eventID: ids.uuid(),
        readOnly: false,
        eventType: 'AwsApiCall',
        managementEvent: true,
        recipientAccountId: this.accountId,
        eventCategory: 'Management',
      },
    };
    if (this.options.omitResponseElements === true) delete event.detail.responseElements;
    this.emitter.emit('event', event);
    return event;
  }
}
