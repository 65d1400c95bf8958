/** Seeding: instances, users, stores, groups, applications, queues and trails created directly (no API call, no event). */
import type { CloudTrailService, TrailSpec } from './cloudtrail.js';
import type { ConnectService, IdentityManagementType } from './connect.js';
import type { IdentityStoreService } from './identity-store.js';
import type { SqsEngine } from './sqs-engine.js';
import type { SsoAdminService } from './sso-admin.js';
import { compact } from './core.js';

export interface SeedConnectUser {
  username: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  secondaryEmail?: string;
  securityProfileIds?: string[];
  routingProfileId?: string;
}

export interface SeedSpec {
  connectInstances?: { id?: string; alias: string; identityManagementType: IdentityManagementType; users?: SeedConnectUser[] }[];
  identityStores?: {
    id?: string;
    readOnly?: boolean;
    users?: { userName: string; displayName?: string; givenName?: string; familyName?: string; email?: string }[];
    groups?: { displayName: string; members?: string[] }[];
  }[];
  ssoInstances?: { instanceArn?: string; identityStoreId: string; applications?: { name: string; supportsApiAssignments?: boolean }[] }[];
  queues?: { name: string; visibilityTimeout?: number; redrive?: { dlqName: string; maxReceiveCount: number } }[];
  /** CloudTrail trails: single-region in the emulator's region and logging unless told otherwise. */
  trails?: TrailSpec[];
}

/** Ids in the order of the spec; inner records are keyed by username / userName / displayName / name. */
export interface SeededIds {
  connectInstances: { id: string; arn: string; alias: string; users: Record<string, { id: string; arn: string }> }[];
  identityStores: { id: string; users: Record<string, string>; groups: Record<string, string> }[];
  ssoInstances: { instanceArn: string; identityStoreId: string; applications: Record<string, string> }[];
  queues: Record<string, { url: string; arn: string }>;
  /** Trail ARNs by name. */
  trails: Record<string, string>;
}

export interface SeedTargets { connect: ConnectService; identityStore: IdentityStoreService; ssoAdmin: SsoAdminService; sqs: SqsEngine; cloudTrail: CloudTrailService }

export function seed(targets: SeedTargets, spec: SeedSpec): SeededIds {
  const out: SeededIds = { connectInstances: [], identityStores: [], ssoInstances: [], queues: {}, trails: {} };
  for (const instanceSpec of spec.connectInstances ?? []) {
    const instance = targets.connect.addInstance(instanceSpec);
    const users: Record<string, { id: string; arn: string }> = {};
    for (const u of instanceSpec.users ?? []) {
      const created = targets.connect.createUser(instance.id, {
        Username: u.username,
        IdentityInfo: compact({ FirstName: u.firstName, LastName: u.lastName, Email: u.email, SecondaryEmail: u.secondaryEmail }),
        SecurityProfileIds: u.securityProfileIds ?? ['00000000-0000-4000-8000-000000000001'],
        RoutingProfileId: u.routingProfileId ?? '00000000-0000-4000-8000-000000000002',
        PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 0 },
      }, { requireAll: false });
      users[u.username] = { id: String(created.UserId), arn: String(created.UserArn) };
    }
    out.connectInstances.push({ id: instance.id, arn: instance.arn, alias: instance.alias, users });
  }
  for (const storeSpec of spec.identityStores ?? []) {
    const store = targets.identityStore.addStore(storeSpec);
    const users: Record<string, string> = {};
    const groups: Record<string, string> = {};
    for (const u of storeSpec.users ?? []) {
      const givenName = u.givenName ?? u.userName.split(/[.@]/)[0] ?? u.userName;
      const familyName = u.familyName ?? 'User';
      users[u.userName] = targets.identityStore.createUser(store, compact({
        UserName: u.userName,
        DisplayName: u.displayName ?? `${givenName} ${familyName}`,
        Name: { GivenName: givenName, FamilyName: familyName },
        Emails: u.email === undefined ? undefined : [{ Value: u.email, Type: 'work', Primary: true }],
      }));
    }
    for (const g of storeSpec.groups ?? []) {
      const groupId = targets.identityStore.createGroup(store, { DisplayName: g.displayName });
      groups[g.displayName] = groupId;
      for (const member of g.members ?? []) {
        const userId = users[member];
        if (userId === undefined) throw new Error(`seed: group ${g.displayName} names unknown user ${member}`);
        targets.identityStore.createMembership(store, groupId, userId);
      }
    }
    out.identityStores.push({ id: store.id, users, groups });
  }
  for (const ssoSpec of spec.ssoInstances ?? []) {
    const instance = targets.ssoAdmin.addInstance(ssoSpec);
    const applications: Record<string, string> = {};
    for (const a of ssoSpec.applications ?? []) applications[a.name] = targets.ssoAdmin.addApplication(instance, a).arn;
    out.ssoInstances.push({ instanceArn: instance.arn, identityStoreId: instance.identityStoreId, applications });
  }
  for (const q of spec.queues ?? []) {
    const attributes: Record<string, string> = {};
    if (q.visibilityTimeout !== undefined) attributes.VisibilityTimeout = String(q.visibilityTimeout);
    if (q.redrive !== undefined) {
      const dlq = targets.sqs.createQueue(q.redrive.dlqName);
      out.queues[dlq.name] = { url: dlq.url, arn: dlq.arn };
      attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: q.redrive.maxReceiveCount });
    }
    const queue = targets.sqs.createQueue(q.name, attributes);
    out.queues[queue.name] = { url: queue.url, arn: queue.arn };
  }
  for (const t of spec.trails ?? []) out.trails[t.name] = targets.cloudTrail.addTrail(t).arn;
  return out;
}
