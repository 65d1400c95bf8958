import { PermanentError } from './errors.js';
import type { AppAssignments, IdentityStore } from './ports/index.js';

/**
 * The ownership rules, in one place, so that a sync, an update, a deletion and a reconcile can never disagree about
 * which Identity Center users they may touch:
 *
 * - A PROTECTED identity (a member of any PROTECTED_GROUPS group) is never linked, updated or deprovisioned.
 * - Only an identity this service CREATED (the link says so) may have its attributes updated or be deleted, and only
 *   while it opens no other door: no group besides the managed ones, no other application assignment, no AWS account
 *   assignment. Changing the email of an identity that opens other doors would hand those doors to whoever controls
 *   the new address (AWS warns about exactly this for UpdateUserIdentityInfo).
 * - An identity that was LINKED (it existed before) is never updated or deleted; only the memberships of the managed
 *   groups follow the Connect user.
 */
export interface OtherDoors {
  groups: number;
  applications: number;
  accounts: number;
}

export const opensOtherDoors = (doors: OtherDoors): boolean => doors.groups + doors.applications + doors.accounts > 0;

/** "2 other group(s) and 1 AWS account assignment(s)": what blocked a change, for messages (counts only). */
export function describeDoors(doors: OtherDoors): string {
  return [
    doors.groups && `${doors.groups} group(s) besides the managed ones`,
    doors.applications && `${doors.applications} other application assignment(s)`,
    doors.accounts && `${doors.accounts} AWS account assignment(s)`,
  ].filter(Boolean).join(', ');
}

export function createOwnership(identityStore: IdentityStore, assignments: AppAssignments) {
  return {
    /** Throws PROTECTED_IDENTITY when `memberOf` (group ids the user is in) holds a protected group. */
    assertNotProtected(memberOf: ReadonlySet<string>, protectedIds: ReadonlySet<string>): void {
      const id = [...protectedIds].find((protectedId) => memberOf.has(protectedId));
      if (id === undefined) return;
      throw new PermanentError(
        'PROTECTED_IDENTITY',
        `the Identity Center user is a member of protected group ${id} (PROTECTED_GROUPS): the sync never links, ` +
          'updates or deprovisions it; give the Connect user another email, or manage this person by hand',
      );
    },
    /** What else the identity can reach, besides the managed groups and the Amazon Connect application. */
    async otherDoors(identityUserId: string, managedIds: ReadonlySet<string>): Promise<OtherDoors> {
      const [groups, access] = await Promise.all([identityStore.groupIdsOf(identityUserId), assignments.accessOf(identityUserId)]);
      const others = [...groups].filter((id) => !managedIds.has(id)).length;
      return { groups: others, applications: access.otherApplications, accounts: access.accounts };
    },
  };
}
