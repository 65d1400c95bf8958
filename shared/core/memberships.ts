import { recovering } from './errors.js';
import type { CoreDeps } from './context.js';

/** What the membership steps use: the Identity Store and the managed groups. */
export type GroupAccess = Pick<CoreDeps, 'identityStore' | 'groups'>;

/** What one IsMemberInGroups read tells about an identity: its managed and protected memberships. */
export interface Access {
  /** Group ids the identity is a member of, among the managed, protected and extra groups asked about. */
  memberOf: Set<string>;
  /** The managed groups that exist, name -> id. */
  managed: Map<string, string>;
  protectedIds: ReadonlySet<string>;
}

/**
 * Reads the identity's memberships of every managed and protected group (and `extraGroupIds`, e.g. the groups a
 * link recorded) in one call per 100 groups, so a sync's cost does not grow with the number of managed groups.
 * Throws IDENTITY_NOT_FOUND when the identity no longer exists (where the Identity Store says so).
 */
export async function readAccess(deps: GroupAccess, identityUserId: string, extraGroupIds: readonly string[] = []): Promise<Access> {
  const read = async (extra: readonly string[]): Promise<Access> => {
    const { managed, protectedIds } = await noMemberships(deps);
    const asked = [...new Set([...managed.values(), ...protectedIds, ...extra])];
    const memberOf = asked.length === 0 ? new Set<string>() : await deps.identityStore.memberships(identityUserId, asked);
    return { memberOf, managed, protectedIds };
  };
  return recovering(() => read(extraGroupIds), 'GROUP_NOT_FOUND', () => {
    // A cached group id is stale (the group was deleted, perhaps recreated): look the groups up again, and leave out
    // the link's recorded ids, which may name the deleted group (its memberships are gone with it).
    deps.groups.forgetAll();
    return read([]);
  });
}

/** The Access of an identity known to be in no group (created just now): no read of its memberships. */
export async function noMemberships({ groups }: Pick<GroupAccess, 'groups'>): Promise<Access> {
  const [managed, protectedIds] = await Promise.all([groups.existing(), groups.protectedIds()]);
  return { memberOf: new Set(), managed, protectedIds };
}

export interface GroupChanges {
  /** The managed groups the identity is in now (what the link records). */
  groupIds: string[];
  added: number;
  removed: number;
}

/**
 * Brings the identity's managed memberships in line with `wantedNames`: adds the missing ones (creating a missing
 * group where allowed), removes the managed ones it should no longer be in. Groups outside the mapping are never
 * touched. A cached group id found stale (group deleted, perhaps recreated) is looked up again once.
 */
export async function applyGroups(
  deps: GroupAccess,
  identityUserId: string,
  wantedNames: readonly string[],
  access: Access,
  options: { addAnyway?: boolean } = {},
): Promise<GroupChanges> {
  // addAnyway: the read may be stale (an identity claimed just now may have lost a membership a moment ago, and
  // Identity Store reads lag): every wanted group is added, an existing membership answering 'already-member'.
  const present = options.addAnyway ? new Set<string>() : access.memberOf;
  const wantedIds = await Promise.all(wantedNames.map((name) => addTo(deps, name, identityUserId, present)));
  const added = wantedIds.filter((w) => w.added).length;
  const keep = new Set(wantedIds.map((w) => w.id));
  const stale = [...access.managed.values()].filter((id) => !keep.has(id) && access.memberOf.has(id));
  await removeFrom(deps, identityUserId, stale);
  return { groupIds: [...keep].sort(), added, removed: stale.length };
}

async function addTo(deps: GroupAccess, name: string, userId: string, memberOf: ReadonlySet<string>) {
  const add = async () => {
    const id = await deps.groups.idOf(name);
    if (memberOf.has(id)) return { id, added: false };
    return { id, added: (await deps.identityStore.addMember(id, userId)) === 'added' };
  };
  return recovering(add, 'GROUP_NOT_FOUND', () => {
    deps.groups.forget(name);
    return add();
  });
}

/**
 * Removes the identity from each group (a membership already gone is success). `listedIds` (group id -> MembershipId,
 * what a listing of this run saw for this identity) deletes by id without looking it up; an id no membership has now
 * (removed, perhaps re-created since) falls back to the lookup, so a stale id never leaves a membership in place.
 */
export async function removeFrom(
  { identityStore }: Pick<GroupAccess, 'identityStore'>,
  identityUserId: string,
  groupIds: readonly string[],
  listedIds?: ReadonlyMap<string, string>,
): Promise<void> {
  const remove = async (groupId: string) => {
    const listed = listedIds?.get(groupId);
    if (listed && (await identityStore.removeMembership(groupId, identityUserId, listed)) === 'removed') return;
    await identityStore.removeMember(groupId, identityUserId);
  };
  // A group itself gone: so is the membership.
  await Promise.all(groupIds.map((groupId) => recovering(() => remove(groupId), 'GROUP_NOT_FOUND', () => undefined)));
}

/**
 * The groups whose membership is the service's to manage for a linked identity: every managed group that exists, and
 * those the link recorded (a group dropped from the mapping since). The one answer to "is this group another door?".
 */
export async function managedIdsFor({ groups }: Pick<GroupAccess, 'groups'>, link: { groupIds: readonly string[] }, managed?: Map<string, string>): Promise<Set<string>> {
  return new Set([...(managed ?? (await groups.existing())).values(), ...link.groupIds]);
}
