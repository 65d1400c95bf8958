import { hasCode, PermanentError, RetryableError } from './errors.js';
import type { IdentityStore } from './ports/index.js';

export interface GroupSettings {
  /**
   * The ids IAM lets the function write memberships of (MANAGED_GROUP_IDS). When set, a managed group must resolve
   * to one of them and groups are never created: a group created at run time could not be inside that scope.
   * Unset (local runs, own templates): missing managed groups are created on first use.
   */
  managedGroupIds?: ReadonlySet<string>;
}

export interface Groups {
  /** The id of the managed group `name`; creates it when missing and allowed. Cached per container. */
  idOf(name: string): Promise<string>;
  /** The id of the managed group `name` when it exists (never creates it; a missing group is not cached). */
  existingIdOf(name: string): Promise<string | undefined>;
  /** Forgets what is known of the group (deleted, perhaps recreated): the next lookup asks again. */
  forget(name: string): void;
}

/** How long a managed group found missing is taken as missing without asking again (one created by hand shows within it). */
const MISSING_TTL_MS = 60_000;
const DESCRIPTION = 'Amazon Connect sign-in, managed by connect-sso-sync from Connect security profiles';
const DOCTOR = 'add its id to the managedGroupIds parameter and redeploy (npx connect-sso-sync doctor prints the ids)';

/** Resolves managed group names to ids by the rules of GroupSettings. */
export function createGroups(identityStore: IdentityStore, settings: GroupSettings, now: () => number = Date.now): Groups {
  const allowed = settings.managedGroupIds;
  const ids = new Map<string, string>();
  // Managed groups found missing, until when: a mapping naming a group nobody needs yet costs no lookup per sync.
  const missingUntil = new Map<string, number>();
  const lookups = new Map<string, Promise<string | undefined>>();
  const creations = new Map<string, Promise<string>>();

  function checked(id: string): string {
    if (allowed !== undefined && !allowed.has(id)) {
      throw new PermanentError(
        'GROUP_NOT_MANAGED',
        `managed group ${id} is not in MANAGED_GROUP_IDS, so IAM does not let the function change its members: ${DOCTOR}`,
      );
    }
    return id;
  }

  async function create(name: string): Promise<string> {
    if (allowed !== undefined) {
      throw new PermanentError(
        'GROUP_NOT_FOUND',
        `a managed group does not exist in Identity Center: create it (aws identitystore create-group), then ${DOCTOR}`,
      );
    }
    try {
      return await identityStore.createGroup(name, DESCRIPTION);
    } catch (error) {
      // Another container created it first.
      if (!hasCode(error, 'ALREADY_EXISTS')) throw error;
      const created = await identityStore.findGroupIdByName(name);
      if (created) return created;
      throw new RetryableError('CONFLICT_UNRESOLVED', 'a managed group exists but could not be found by name yet');
    }
  }

  /** The id of `name`: cached, else looked up (concurrent callers share one lookup; a miss is remembered briefly). */
  function find(name: string): Promise<string | undefined> {
    const known = ids.get(name);
    if (known !== undefined) return Promise.resolve(known);
    let lookup = lookups.get(name);
    if (!lookup) {
      lookup = identityStore
        .findGroupIdByName(name)
        .then((id) => {
          if (id === undefined) missingUntil.set(name, now() + MISSING_TTL_MS);
          return id === undefined ? undefined : remember(name, id);
        })
        .finally(() => lookups.delete(name));
      lookups.set(name, lookup);
    }
    return lookup;
  }

  function remember(name: string, id: string): string {
    ids.set(name, checked(id));
    missingUntil.delete(name);
    return id;
  }

  return {
    async idOf(name) {
      // Never trusts a remembered miss: a group is about to be added to (and created, where allowed).
      const found = await find(name);
      if (found !== undefined) return found;
      // Concurrent records of a cold start share one creation.
      let creation = creations.get(name);
      if (!creation) {
        creation = create(name)
          .then((id) => remember(name, id))
          .finally(() => creations.delete(name));
        creations.set(name, creation);
      }
      return creation;
    },
    existingIdOf: (name) => ((missingUntil.get(name) ?? 0) > now() ? Promise.resolve(undefined) : find(name)),
    forget: (name) => {
      ids.delete(name);
      missingUntil.delete(name);
    },
  };
}
