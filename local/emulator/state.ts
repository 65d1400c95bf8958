/** Read-only inspection of the emulator's state (copies: changing them changes nothing). */
import type { ConnectService, SecurityProfile } from './connect.js';
import type { IdentityStoreService } from './identity-store.js';
import type { JsonObject } from './core.js';
import type { SqsEngine, SqsMessageAttribute, SqsQueue } from './sqs-engine.js';
import type { AccountAssignment, SsoAdminService } from './sso-admin.js';
import type { AssumedRole, StsService } from './sts.js';
import { clone } from './core.js';
import { instanceIdOf } from './connect.js';

export interface MessageView {
  messageId: string;
  body: string;
  messageAttributes: Record<string, SqsMessageAttribute>;
  receiveCount: number;
  sentTimestamp: number;
  firstReceiveTimestamp?: number;
  visible: boolean;
  inFlight: boolean;
}

export interface QueueView {
  name: string;
  url: string;
  arn: string;
  attributes: Record<string, string>;
  messages: MessageView[];
  /** ReceiveMessage calls long-polling the queue right now. */
  polling: number;
}

export interface EmulatorState {
  connectUsers(instanceIdOrArn: string): JsonObject[];
  /** The instance's security profiles (the default set plus seeded ones). */
  securityProfiles(instanceIdOrArn: string): SecurityProfile[];
  /** Latest state (what writers see), whatever the read lag. */
  identityUsers(identityStoreId: string): JsonObject[];
  groups(identityStoreId: string): JsonObject[];
  /** Memberships with the group's display name and the user's UserName resolved. */
  memberships(identityStoreId: string): { MembershipId: string; GroupId: string; UserId: string; groupName: string; userName: string }[];
  applicationAssignments(applicationArn: string): { PrincipalId: string; PrincipalType: string }[];
  /** Account assignments of an Identity Center instance (seeded with `ssoInstances[].accountAssignments`). */
  accountAssignments(instanceArn: string): AccountAssignment[];
  queue(nameOrUrl: string): QueueView;
  queues(): QueueView[];
  assumedRoles(): AssumedRole[];
}

export function createState(s: { connect: ConnectService; identityStore: IdentityStoreService; ssoAdmin: SsoAdminService; sqs: SqsEngine; sts: StsService }): EmulatorState {
  const view = (queue: SqsQueue): QueueView => {
    const now = s.sqs.clock();
    return {
      name: queue.name, url: queue.url, arn: queue.arn,
      attributes: s.sqs.attributesOf(queue, ['All']),
      polling: queue.polling,
      messages: queue.messages.map((m) => ({
        messageId: m.messageId, body: m.body, messageAttributes: clone(m.messageAttributes), receiveCount: m.receiveCount,
        sentTimestamp: m.sentTimestamp, firstReceiveTimestamp: m.firstReceiveTimestamp, visible: m.visibleAt <= now, inFlight: m.inFlight && m.visibleAt > now,
      })),
    };
  };
  return {
    connectUsers: (id) => [...(s.connect.instances.get(instanceIdOf(id))?.users.values() ?? [])].map(clone),
    securityProfiles: (id) => [...(s.connect.instances.get(instanceIdOf(id))?.securityProfiles.values() ?? [])].map(clone),
    identityUsers: (id) => s.identityStore.store(id).users.values().map(clone),
    groups: (id) => s.identityStore.store(id).groups.values().map(clone),
    memberships: (id) => {
      const store = s.identityStore.store(id);
      return store.memberships.values().map((m) => ({
        MembershipId: m.MembershipId, GroupId: m.GroupId, UserId: m.UserId,
        groupName: String(store.groups.get(m.GroupId)?.DisplayName ?? ''), userName: String(store.users.get(m.UserId)?.UserName ?? ''),
      }));
    },
    applicationAssignments: (arn) => clone(s.ssoAdmin.application(arn).assignments),
    accountAssignments: (arn) => clone(s.ssoAdmin.instance(arn).accountAssignments),
    queue: (nameOrUrl) => view(nameOrUrl.includes('/') ? s.sqs.byUrl(nameOrUrl) : s.sqs.byName(nameOrUrl)),
    queues: () => [...s.sqs.queues.values()].map(view),
    assumedRoles: () => clone(s.sts.assumedRoles),
  };
}
