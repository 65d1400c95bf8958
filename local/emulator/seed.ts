/**
 * Seeding: instances, users, stores, groups, applications, queues and trails created directly (no API call, no
 * event), under the same rules as the API (an Identity Center user needs a unique e-mail, a Connect user existing
 * security profiles).
 */
import type { CloudTrailService, TrailSpec } from './cloudtrail.js';
import type { ConnectInstance, ConnectService, IdentityManagementType } from './connect.js';
import type { IdentityStoreService } from './identity-store.js';
import type { SqsEngine } from './sqs-engine.js';
import type { AccountAssignment, SsoAdminService } from './sso-admin.js';
import { BASIC_ROUTING_PROFILE_ID } from './connect.js';
import { compact } from './core.js';
import { createGroup, createMembership } from './identity-groups.js';
import { createUser } from './identity-users.js';

export interface SeedConnectUser {
  username: string;
  firstName?: string;
  lastName?: string;
  /** Not on a SAML instance: Connect refuses IdentityInfo.Email there (the Username is the sign-in name). */
  email?: string;
  secondaryEmail?: string;
  /** Security profile names of the instance; default ['Agent']. */
  securityProfiles?: string[];
  routingProfileId?: string;
}

export interface SeedIdentityUser {
  userName: string;
  displayName?: string;
  givenName?: string;
  familyName?: string;
  /** Identity Center requires one; default `<userName with . for other characters>@seeded.invalid`. */
  email?: string;
  /** An administrator disabled the user (UserStatus DISABLED; no API does that, the console does). */
  disabled?: boolean;
}

export interface SeedAccountAssignment {
  accountId: string;
  /** Default: a new permission set ARN of the instance. */
  permissionSetArn?: string;
  /** Resolved against the instance's identity store (by UserName or group DisplayName). */
  principal: { userName: string } | { groupName: string };
}

export interface SeedSpec {
  connectInstances?: {
    id?: string;
    alias: string;
    identityManagementType: IdentityManagementType;
    /** Security profiles besides the default set (Admin, Agent, CallCenterManager, QualityAnalyst). */
    securityProfiles?: string[];
    /** Routing profiles besides the Basic Routing Profile every instance has. */
    routingProfiles?: string[];
    users?: SeedConnectUser[];
  }[];
  identityStores?: {
    id?: string;
    readOnly?: boolean;
    users?: SeedIdentityUser[];
    groups?: { displayName: string; members?: string[] }[];
  }[];
  ssoInstances?: {
    instanceArn?: string;
    identityStoreId: string;
    applications?: { name: string; supportsApiAssignments?: boolean }[];
    accountAssignments?: SeedAccountAssignment[];
  }[];
  queues?: { name: string; visibilityTimeout?: number; redrive?: { dlqName: string; maxReceiveCount: number } }[];
  /** CloudTrail trails: single-region in the emulator's region and logging unless told otherwise. */
  trails?: TrailSpec[];
}

/** Ids in the order of the spec; inner records are keyed by username / userName / displayName / name. */
export interface SeededIds {
  connectInstances: { id: string; arn: string; alias: string; users: Record<string, { id: string; arn: string }>; securityProfiles: Record<string, string>; routingProfiles: Record<string, string> }[];
  identityStores: { id: string; users: Record<string, string>; groups: Record<string, string> }[];
  ssoInstances: { instanceArn: string; identityStoreId: string; applications: Record<string, string>; accountAssignments: AccountAssignment[] }[];
  queues: Record<string, { url: string; arn: string }>;
  /** Trail ARNs by name. */
  trails: Record<string, string>;
}

export interface SeedTargets { connect: ConnectService; identityStore: IdentityStoreService; ssoAdmin: SsoAdminService; sqs: SqsEngine; cloudTrail: CloudTrailService }

export const seededEmail = (userName: string): string => `${userName.replace(/[^A-Za-z0-9._-]/g, '.')}@seeded.invalid`;

/**
 * A Connect user created directly (no API call, so no CloudTrail event): someone created before the product was
 * deployed, or whose event never arrived.
 */
export function seedConnectUser(connect: ConnectService, instance: ConnectInstance, u: SeedConnectUser): { id: string; arn: string } {
  // Seeding follows the API's rules: a SAML instance's users have no Email (see refuseSamlEmail).
  if (instance.identityManagementType === 'SAML' && u.email !== undefined) {
    throw new Error(`seed: user ${u.username} of a SAML instance has an email; Connect refuses IdentityInfo.Email there (use secondaryEmail)`);
  }
  const byName = new Map([...instance.securityProfiles.values()].map((p) => [p.Name, p.Id]));
  const profileIds = (u.securityProfiles ?? ['Agent']).map((name) => {
    const id = byName.get(name);
    if (id === undefined) throw new Error(`seed: user ${u.username} names unknown security profile ${name}`);
    return id;
  });
  const created = connect.createUser(instance.id, {
    Username: u.username,
    IdentityInfo: compact({ FirstName: u.firstName, LastName: u.lastName, Email: u.email, SecondaryEmail: u.secondaryEmail }),
    SecurityProfileIds: profileIds,
    RoutingProfileId: u.routingProfileId ?? BASIC_ROUTING_PROFILE_ID,
    PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 0 },
  }, { requireAll: false });
  return { id: String(created.UserId), arn: String(created.UserArn) };
}

function seedConnect(targets: SeedTargets, spec: NonNullable<SeedSpec['connectInstances']>[number]): SeededIds['connectInstances'][number] {
  const instance = targets.connect.addInstance(spec);
  const securityProfiles = Object.fromEntries([...instance.securityProfiles.values()].map((p) => [p.Name, p.Id]));
  const routingProfiles = Object.fromEntries([...instance.routingProfiles.values()].map((p) => [p.Name, p.Id]));
  const users: Record<string, { id: string; arn: string }> = {};
  for (const u of spec.users ?? []) users[u.username] = seedConnectUser(targets.connect, instance, u);
  return { id: instance.id, arn: instance.arn, alias: instance.alias, users, securityProfiles, routingProfiles };
}

function seedIdentityStore(targets: SeedTargets, spec: NonNullable<SeedSpec['identityStores']>[number]): SeededIds['identityStores'][number] {
  const store = targets.identityStore.addStore(spec);
  const context = targets.identityStore.context(store);
  const users: Record<string, string> = {};
  const groups: Record<string, string> = {};
  for (const u of spec.users ?? []) {
    const givenName = u.givenName ?? u.userName.split(/[.@]/)[0] ?? u.userName;
    const familyName = u.familyName ?? 'User';
    users[u.userName] = createUser(context, {
      UserName: u.userName,
      DisplayName: u.displayName ?? `${givenName} ${familyName}`,
      Name: { GivenName: givenName, FamilyName: familyName },
      Emails: [{ Value: u.email ?? seededEmail(u.userName), Type: 'work', Primary: true }],
    });
    const stored = u.disabled ? context.store.users.read(users[u.userName] ?? '', context.now) : undefined;
    if (stored) context.store.users.set(String(stored.UserId), { ...stored, UserStatus: 'DISABLED' }, context.now);
  }
  for (const g of spec.groups ?? []) {
    const groupId = createGroup(context, { DisplayName: g.displayName });
    groups[g.displayName] = groupId;
    for (const member of g.members ?? []) {
      const userId = users[member];
      if (userId === undefined) throw new Error(`seed: group ${g.displayName} names unknown user ${member}`);
      createMembership(context, groupId, userId);
    }
  }
  return { id: store.id, users, groups };
}

function seedSso(targets: SeedTargets, spec: NonNullable<SeedSpec['ssoInstances']>[number]): SeededIds['ssoInstances'][number] {
  const instance = targets.ssoAdmin.addInstance(spec);
  const applications: Record<string, string> = {};
  for (const a of spec.applications ?? []) applications[a.name] = targets.ssoAdmin.addApplication(instance, a).arn;
  const store = targets.identityStore.stores.get(instance.identityStoreId);
  const fold = store === undefined ? (v: string) => v : targets.identityStore.context(store).fold;
  for (const a of spec.accountAssignments ?? []) {
    const named = a.principal;
    const principal = 'userName' in named
      ? { type: 'USER' as const, id: store?.users.values().find((u) => fold(String(u.UserName)) === fold(named.userName))?.UserId }
      : { type: 'GROUP' as const, id: store?.groups.values().find((g) => fold(String(g.DisplayName)) === fold(named.groupName))?.GroupId };
    if (typeof principal.id !== 'string') throw new Error('seed: an account assignment names a principal its identity store does not have');
    instance.accountAssignments.push({
      AccountId: a.accountId, PermissionSetArn: a.permissionSetArn ?? targets.ssoAdmin.permissionSetArn(instance), PrincipalId: principal.id, PrincipalType: principal.type,
    });
  }
  return { instanceArn: instance.arn, identityStoreId: instance.identityStoreId, applications, accountAssignments: structuredClone(instance.accountAssignments) };
}

export function seed(targets: SeedTargets, spec: SeedSpec): SeededIds {
  const out: SeededIds = { connectInstances: [], identityStores: [], ssoInstances: [], queues: {}, trails: {} };
  for (const instanceSpec of spec.connectInstances ?? []) out.connectInstances.push(seedConnect(targets, instanceSpec));
  for (const storeSpec of spec.identityStores ?? []) out.identityStores.push(seedIdentityStore(targets, storeSpec));
  for (const ssoSpec of spec.ssoInstances ?? []) out.ssoInstances.push(seedSso(targets, ssoSpec));
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
