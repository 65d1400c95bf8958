/**
 * Role mapping: the Connect security profiles of a user decide its Identity Center groups.
 *
 * `byProfile` maps a security profile NAME or ID to group names; `everyone` ("*" in GROUP_MAPPING) applies to every
 * user. The groups named anywhere in the mapping are the MANAGED groups: the sync adds users to them and removes users
 * from them; groups outside the mapping are never touched.
 */
export interface GroupMapping {
  byProfile: ReadonlyMap<string, readonly string[]>;
  everyone: readonly string[];
}

/** Every user in one group: the behaviour without GROUP_MAPPING. */
export const everyoneIn = (groupName: string): GroupMapping => ({ byProfile: new Map(), everyone: [groupName] });

/** The managed groups: every group the mapping names, in a stable order. */
export function managedGroupNames(mapping: GroupMapping): string[] {
  return [...new Set([...mapping.everyone, ...[...mapping.byProfile.values()].flat()])].sort();
}

/** True when some mapping key is a profile, so the user's profiles must be known (else "*" alone decides). */
export const needsProfiles = (mapping: GroupMapping): boolean => mapping.byProfile.size > 0;

/**
 * The groups a user should be in: the union of the mapping for each of its profiles (matched by id, and by name
 * when the name is known), plus "*". Sorted; empty when nothing maps (the user is "unmapped").
 */
export function wantedGroupNames(mapping: GroupMapping, profiles: readonly { id: string; name?: string }[]): string[] {
  const keys = profiles.flatMap(({ id, name }) => (name === undefined ? [id] : [id, name]));
  return [...new Set([...mapping.everyone, ...keys.flatMap((key) => mapping.byProfile.get(key) ?? [])])].sort();
}

/** The profiles of `ids` with their names where `known` has them (an unknown id keeps no name). */
export function namedProfiles(ids: readonly string[], known: ReadonlyMap<string, string>): { id: string; name?: string }[] {
  return ids.map((id) => (known.has(id) ? { id, name: known.get(id) } : { id }));
}
