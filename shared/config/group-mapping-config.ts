import { everyoneIn, managedGroupNames, type GroupMapping } from '../core/plan-groups.js';

/** Identity Center's limit of groups assigned to one application: more managed groups could not all sign in. */
export const MAX_MANAGED_GROUPS = 100;
// Identity Center group display names: 1-1024 characters, no control characters.
const MAX_GROUP_NAME = 1024;
const CONTROL = /\p{Cc}/u;

/**
 * GROUP_MAPPING: a JSON object from a Connect security profile name (or id) to one group name or a list of group
 * names; "*" applies to every user. Unset: every user in `agentGroupName`. Returns the mapping, or the problems
 * found (each a phrase to follow the variable's name).
 */
export function parseGroupMapping(text: string | undefined, agentGroupName: string): GroupMapping | { problems: string[] } {
  if (text === undefined || text.trim() === '') return everyoneIn(agentGroupName);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { problems: ['is not valid JSON (expected an object such as {"Agent": "ConnectAgents"})'] };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { problems: ['must be a JSON object from security profile names (or ids, or "*") to group names'] };
  }
  const problems: string[] = [];
  const byProfile = new Map<string, string[]>();
  let everyone: string[] = [];
  for (const [rawKey, value] of Object.entries(json)) {
    const key = rawKey.trim();
    if (key === '') {
      problems.push('has an empty security profile name');
      continue;
    }
    const names = groupNames(value);
    if (typeof names === 'string') {
      problems.push(`entry "${key}" ${names}`);
      continue;
    }
    if (key === '*') everyone = names;
    else byProfile.set(key, [...new Set([...(byProfile.get(key) ?? []), ...names])]);
  }
  if (problems.length > 0) return { problems };
  const mapping: GroupMapping = { byProfile, everyone };
  const managed = managedGroupNames(mapping).length;
  if (managed === 0) return { problems: ['names no group'] };
  if (managed > MAX_MANAGED_GROUPS) {
    return { problems: [`names ${managed} groups; at most ${MAX_MANAGED_GROUPS} can be assigned to one application`] };
  }
  return mapping;
}

/** The group names of one entry, or what is wrong with it. */
function groupNames(value: unknown): string[] | string {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) return 'must name at least one group';
  const names: string[] = [];
  for (const item of list) {
    if (typeof item !== 'string') return 'must be a group name or a list of group names';
    const name = item.trim();
    if (name === '') return 'has an empty group name';
    if (name.length > MAX_GROUP_NAME || CONTROL.test(name)) return `has a group name Identity Center refuses (1-${MAX_GROUP_NAME} characters, no control characters)`;
    names.push(name);
  }
  return [...new Set(names)];
}
