import { createGroups, type Groups } from './groups.js';
import { onceBy } from './once.js';
import { managedGroupNames, needsProfiles, wantedGroupNames, type GroupMapping } from './plan-groups.js';
import type { AppAssignments, AssignmentResult, ConnectDirectory, ConnectUser, IdentityStore } from './ports/index.js';
import { createProfileNames } from './security-profiles.js';

/**
 * How long a group's application assignment is trusted once made or confirmed. An assignment removed by hand is
 * made again within this time by a sync (and by every reconcile run, which reads the assignments).
 */
export const ASSIGNMENT_TTL_MS = 15 * 60_000;
/** How long the ids of the protected groups are trusted once every one of them was found. */
const PROTECTED_TTL_MS = 15 * 60_000;

/** The managed and protected groups of a container, with what is known of them cached (groups.ts for the ids). */
export interface ManagedGroups extends Groups {
  /** The managed groups that exist, name -> id (never creates one). */
  existing(): Promise<Map<string, string>>;
  /** Ids of the protected groups that exist. */
  protectedIds(): Promise<ReadonlySet<string>>;
  /** The managed group names the Connect user should be in (its security profiles through the mapping). */
  wantedNames(user: ConnectUser): Promise<string[]>;
  /** The names of security profiles (cached like the groups). */
  profileNames(ids: readonly string[]): Promise<{ id: string; name?: string }[]>;
  /** Forgets every cached group id (one was found stale). */
  forgetAll(): void;
  /** Assigns a managed group to the application, once per container (see ASSIGNMENT_TTL_MS). */
  assign(groupId: string): Promise<AssignmentResult>;
}

export interface ManagedGroupSettings {
  instanceId: string;
  mapping: GroupMapping;
  protectedGroupNames: readonly string[];
  /** MANAGED_GROUP_IDS (see groups.ts): unset lets missing managed groups be created. */
  managedGroupIds?: ReadonlySet<string>;
}

export function createManagedGroups(
  ports: { connect: ConnectDirectory; identityStore: IdentityStore; assignments: AppAssignments },
  settings: ManagedGroupSettings,
  clock: () => number,
): ManagedGroups {
  const groups = createGroups(ports.identityStore, { managedGroupIds: settings.managedGroupIds }, clock);
  const profiles = createProfileNames(ports.connect, settings.instanceId, { now: clock });
  const managedNames = managedGroupNames(settings.mapping);
  const protectedIds = protectedIdsOf(ports.identityStore, settings.protectedGroupNames, clock);
  const assignments = onceBy((groupId) => ports.assignments.assign(groupId, 'GROUP'), { ttlMs: ASSIGNMENT_TTL_MS, now: clock });
  return {
    ...groups,
    async existing() {
      const entries = await Promise.all(managedNames.map(async (name) => [name, await groups.existingIdOf(name)] as const));
      return new Map(entries.filter((e): e is readonly [string, string] => e[1] !== undefined));
    },
    protectedIds,
    async wantedNames(user) {
      const named = needsProfiles(settings.mapping) ? await profiles.of(user.securityProfileIds) : [];
      return wantedGroupNames(settings.mapping, named);
    },
    profileNames: (ids) => profiles.of(ids),
    forgetAll() {
      for (const name of managedNames) groups.forget(name);
      protectedIds.forget();
    },
    assign: (groupId) => assignments.get(groupId),
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
