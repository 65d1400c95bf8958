import { createGroups, type Groups } from './groups.js';
import { once, onceBy } from './once.js';
import { createOwnership, type Ownership } from './ownership.js';
import { managedGroupNames, needsProfiles, wantedGroupNames, type GroupMapping } from './plan-groups.js';
import type { AppAssignments, AssignmentResult, ConnectDirectory, ConnectUser, IdentityStore, LinkStore } from './ports/index.js';
import { createProfileNames, type ProfileNames } from './security-profiles.js';
import type { SignInAttribute, SignInRule } from './sign-in.js';

export type AssignmentMode = 'group' | 'user' | 'none';
export type DeprovisionMode = 'membership' | 'delete' | 'none';
export type UpdateIdentityMode = 'created' | 'none';

/** The settings every use case shares (from the validated configuration). */
export interface SyncSettings {
  /** The one Connect instance this deployment serves. */
  instanceId: string;
  mapping: GroupMapping;
  assignmentMode: AssignmentMode;
  createUsers: boolean;
  protectedGroupNames: readonly string[];
  /** MANAGED_GROUP_IDS (see groups.ts): unset lets missing managed groups be created. */
  managedGroupIds?: ReadonlySet<string>;
  deprovision: DeprovisionMode;
  updateIdentity: UpdateIdentityMode;
  /** SIGN_IN_ATTRIBUTE: what the Amazon Connect application sends as RoleSessionName (sign-in.ts). */
  signInAttribute: SignInAttribute;
}

export interface SyncDeps {
  connect: ConnectDirectory;
  identityStore: IdentityStore;
  assignments: AppAssignments;
  links: LinkStore;
  settings: SyncSettings;
  now?: () => Date;
}

/**
 * How long a group's application assignment is trusted once made or confirmed. An assignment removed by hand is
 * made again within this time by a sync (and by every reconcile run, which reads the assignments).
 */
export const ASSIGNMENT_TTL_MS = 15 * 60_000;
/** How long the ids of the protected groups are trusted once every one of them was found. */
const PROTECTED_TTL_MS = 15 * 60_000;

/** What the use cases share in one container: the ports, the caches and the rules built on them. */
export interface SyncContext extends SyncDeps {
  groups: Groups;
  profiles: ProfileNames;
  ownership: Ownership;
  /** Ids of the protected groups that exist. */
  protectedIds(): Promise<ReadonlySet<string>>;
  /** The managed groups that exist, name -> id (never creates one). */
  existingManaged(): Promise<Map<string, string>>;
  /** The managed group names the Connect user should be in. */
  wantedNames(user: ConnectUser): Promise<string[]>;
  /** Forgets every cached group id (one was found stale). */
  forgetGroups(): void;
  /** Assigns a managed group to the application, once per container (see ASSIGNMENT_TTL_MS). */
  assignGroup(groupId: string): Promise<AssignmentResult>;
  /** How identities are keyed on this instance (one DescribeInstance per container). */
  signInRule(): Promise<SignInRule>;
  timestamp(): string;
}

export function createSyncContext(deps: SyncDeps): SyncContext {
  const { settings, identityStore, assignments } = deps;
  const now = deps.now ?? (() => new Date());
  const clock = () => now().getTime();
  const groups = createGroups(identityStore, { managedGroupIds: settings.managedGroupIds }, clock);
  const profiles = createProfileNames(deps.connect, settings.instanceId, { now: clock });
  const managedNames = managedGroupNames(settings.mapping);
  const protectedIds = protectedIdsOf(identityStore, settings.protectedGroupNames, clock);
  // The identity management type is fixed when the instance is created: read once per container.
  const identityManagement = once(() => deps.connect.identityManagementType(settings.instanceId));
  const groupAssignments = onceBy((groupId) => assignments.assign(groupId, 'GROUP'), { ttlMs: ASSIGNMENT_TTL_MS, now: clock });

  return {
    ...deps,
    groups,
    profiles,
    ownership: createOwnership(identityStore, assignments),
    protectedIds,
    async existingManaged() {
      const entries = await Promise.all(managedNames.map(async (name) => [name, await groups.existingIdOf(name)] as const));
      return new Map(entries.filter((e): e is readonly [string, string] => e[1] !== undefined));
    },
    async wantedNames(user) {
      const named = needsProfiles(settings.mapping) ? await profiles.of(user.securityProfileIds) : [];
      return wantedGroupNames(settings.mapping, named);
    },
    forgetGroups() {
      for (const name of managedNames) groups.forget(name);
      protectedIds.forget();
    },
    assignGroup: (groupId) => groupAssignments.get(groupId),
    async signInRule() {
      const type = await identityManagement();
      return { identityManagement: type, saml: type === 'SAML', attribute: settings.signInAttribute };
    },
    timestamp: () => now().toISOString(),
  };
}

/**
 * The ids of the protected groups that exist. Protection fails closed: while a protected group cannot be found it is
 * looked up again on every use (no negative cache), so a group created after a cold start protects its members at
 * once; only a complete answer is kept (PROTECTED_TTL_MS).
 */
function protectedIdsOf(identityStore: IdentityStore, names: readonly string[], clock: () => number) {
  let cached: { ids: ReadonlySet<string>; at: number } | undefined;
  const get = async (): Promise<ReadonlySet<string>> => {
    if (cached && clock() - cached.at < PROTECTED_TTL_MS) return cached.ids;
    const found = await Promise.all(names.map((name) => identityStore.findGroupIdByName(name)));
    const ids = new Set(found.filter((id): id is string => id !== undefined));
    cached = ids.size === names.length ? { ids, at: clock() } : undefined;
    return ids;
  };
  return Object.assign(get, { forget: () => (cached = undefined) });
}
