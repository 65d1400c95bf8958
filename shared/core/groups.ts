import type { SyncDeps, SyncSettings } from './context.js';
import { PermanentError, recovering, RetryableError } from './errors.js';
import { onceBy } from './once.js';
import { managedGroupNames, needsProfiles, wantedGroupNames } from './plan-groups.js';
import type { AssignmentResult, ConnectUser, IdentityStore } from './ports/index.js';
import { createProfileNames } from './security-profiles.js';

/** How long a managed group found missing is taken as missing without asking again (one created by hand shows within it). */
const MISSING_TTL_MS = 60_000;
const DESCRIPTION = 'Amazon Connect sign-in, managed by connect-sso-sync from Connect security profiles';
const DOCTOR = 'add its id to the managedGroupIds parameter and redeploy (npx connect-sso-sync doctor prints the ids)';

/** Resolves managed group names to ids by the rules of MANAGED_GROUP_IDS (SyncSettings.managedGroupIds). */
export function createGroups(identityStore: IdentityStore, settings: Pick<SyncSettings, 'managedGroupIds'>, now: () => number = Date.now) {
  const allowed = settings.managedGroupIds;
  const ids = new Map<string, string>();
  // Managed groups found missing, until when: a mapping naming a group nobody needs yet costs no lookup per sync.
  const missingUntil = new Map<string, number>();
  const lookups = new Map<string, Promise<string | undefined>>();
  const creations = new Map<string, Promise<string>>();

  /** Keeps the id found for `name`: GROUP_NOT_MANAGED when MANAGED_GROUP_IDS does not allow it. */
  function remember(name: string, id: string): string {
    if (allowed !== undefined && !allowed.has(id)) {
      throw new PermanentError(
        'GROUP_NOT_MANAGED',
        `managed group ${id} is not in MANAGED_GROUP_IDS, so IAM does not let the function change its members: ${DOCTOR}`,
      );
    }
    ids.set(name, id);
    missingUntil.delete(name);
    return id;
  }

  async function create(name: string): Promise<string> {
    if (allowed !== undefined) {
      throw new PermanentError(
        'GROUP_NOT_FOUND',
        `a managed group does not exist in Identity Center: create it (aws identitystore create-group), then ${DOCTOR}`,
      );
    }
    // ALREADY_EXISTS: another container created it first.
    return recovering(() => identityStore.createGroup(name, DESCRIPTION), 'ALREADY_EXISTS', async () => {
      const created = await identityStore.findGroupIdByName(name);
      if (created) return created;
      throw new RetryableError('CONFLICT_UNRESOLVED', 'a managed group exists but could not be found by name yet');
    });
  }

  /** The id of `name`: cached, else looked up (concurrent callers share one lookup; a miss is remembered briefly). */
  function find(name: string): Promise<string | undefined> {
    const known = ids.get(name);
    if (known !== undefined) return Promise.resolve(known);
    const lookup =
      lookups.get(name) ??
      identityStore.findGroupIdByName(name).then((id) => {
        if (id === undefined) missingUntil.set(name, now() + MISSING_TTL_MS);
        return id === undefined ? undefined : remember(name, id);
      }).finally(() => lookups.delete(name));
    lookups.set(name, lookup);
    return lookup;
  }

  return {
    /** The id of the managed group `name`; creates it when missing and allowed. Cached per container. */
    async idOf(name: string): Promise<string> {
      // Never trusts a remembered miss: a group is about to be added to (and created, where allowed).
      const found = await find(name);
      if (found !== undefined) return found;
      // Concurrent records of a cold start share one creation.
      const creation = creations.get(name) ?? create(name).then((id) => remember(name, id)).finally(() => creations.delete(name));
      creations.set(name, creation);
      return creation;
    },
    /** The id of the managed group `name` when it exists (never creates it; a missing group is not cached). */
    existingIdOf: (name: string) => ((missingUntil.get(name) ?? 0) > now() ? Promise.resolve(undefined) : find(name)),
    /** Forgets what is known of the group (deleted, perhaps recreated): the next lookup asks again. */
    forget: (name: string) => {
      ids.delete(name);
      missingUntil.delete(name);
    },
  };
}

/**
 * How long a group's application assignment is trusted once made or confirmed. An assignment removed by hand is
 * made again within this time by a sync (and by every reconcile run, which reads the assignments).
 */
export const ASSIGNMENT_TTL_MS = 15 * 60_000;
/** How long the ids of the protected groups are trusted once every one of them was found. */
const PROTECTED_TTL_MS = 15 * 60_000;

/** The managed and protected groups of a container, with what is known of them cached (createGroups for the ids). */
export function createManagedGroups(
  ports: Pick<SyncDeps, 'connect' | 'identityStore' | 'assignments'>,
  settings: Pick<SyncSettings, 'instanceId' | 'mapping' | 'protectedGroupNames' | 'managedGroupIds'>,
  clock: () => number,
) {
  const groups = createGroups(ports.identityStore, { managedGroupIds: settings.managedGroupIds }, clock);
  const profiles = createProfileNames(ports.connect, settings.instanceId, { now: clock });
  const managedNames = managedGroupNames(settings.mapping);
  const protectedIds = protectedIdsOf(ports.identityStore, settings.protectedGroupNames, clock);
  const assignments = onceBy((groupId) => ports.assignments.assign(groupId, 'GROUP'), { ttlMs: ASSIGNMENT_TTL_MS, now: clock });
  return {
    ...groups,
    /** The managed groups that exist, name -> id (never creates one). */
    async existing(): Promise<Map<string, string>> {
      const entries = await Promise.all(managedNames.map(async (name) => [name, await groups.existingIdOf(name)] as const));
      return new Map(entries.filter((e): e is readonly [string, string] => e[1] !== undefined));
    },
    /** Ids of the protected groups that exist. */
    protectedIds,
    /** The managed group names the Connect user should be in (its security profiles through the mapping). */
    async wantedNames(user: ConnectUser): Promise<string[]> {
      const named = needsProfiles(settings.mapping) ? await profiles.of(user.securityProfileIds) : [];
      return wantedGroupNames(settings.mapping, named);
    },
    /** The names of security profiles (cached like the groups). */
    profileNames: (ids: readonly string[]) => profiles.of(ids),
    /** Forgets every cached group id (one was found stale). */
    forgetAll(): void {
      for (const name of managedNames) groups.forget(name);
      protectedIds.forget();
    },
    /** Assigns a managed group to the application, once per container (see ASSIGNMENT_TTL_MS). */
    assign: (groupId: string): Promise<AssignmentResult> => assignments.get(groupId),
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
