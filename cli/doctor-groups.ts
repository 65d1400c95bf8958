import { managedGroupNames } from '../shared/core/plan-groups.js';
import type { CheckResult, DoctorContext } from './doctor-checks.js';

/** Each group's id, or undefined when it does not exist (the sync's own lookup). */
const groupIds = ({ reads }: DoctorContext, names: readonly string[]) =>
  Promise.all(names.map(async (group) => [group, await reads.identityStore.findGroupIdByName(group)] as const));

/**
 * The managed groups (GROUP_MAPPING, else AGENT_GROUP_NAME) exist, and MANAGED_GROUP_IDS names exactly them: the
 * deployed function may change the members of those groups only (IAM), and never creates a group. Prints the
 * managedGroupIds parameter to deploy with.
 */
export async function checkManagedGroups(context: DoctorContext): Promise<CheckResult & { groupIds: string[] }> {
  const name = 'managed-groups';
  const names = managedGroupNames(context.config.groupMapping);
  const found = await groupIds(context, names);
  const ids = found.flatMap(([, id]) => (id ? [id] : []));
  const missing = found.filter(([, id]) => !id).map(([group]) => group);
  const param = `--param="managedGroupIds=${ids.join(',')}"`;
  if (missing.length > 0) {
    return {
      name, status: 'fail', groupIds: ids,
      detail: `${missing.length} of ${names.length} managed group(s) do not exist: ${missing.join(', ')}`,
      fix: `create them (IAM Identity Center > Groups, or aws identitystore create-group --identity-store-id ${context.config.identityStoreId} --display-name <name>), then run doctor again for the managedGroupIds parameter`,
    };
  }
  const configured = context.config.managedGroupIds;
  if (configured && (configured.size !== ids.length || ids.some((id) => !configured.has(id)))) {
    return { name, status: 'fail', groupIds: ids, detail: `MANAGED_GROUP_IDS does not name exactly the managed groups (${names.join(', ')})`, fix: `deploy with ${param}` };
  }
  const detail = `${names.join(', ')} ${names.length === 1 ? 'exists' : 'exist'}; deploy with ${param}`;
  return { name, status: 'pass', groupIds: ids, detail };
}

/** PROTECTED_GROUPS: which exist and how many users they hold (never linked, updated or deprovisioned by the sync). */
export async function checkProtectedGroups(context: DoctorContext): Promise<CheckResult> {
  const name = 'protected-groups';
  const names = context.config.protectedGroupNames;
  if (names.length === 0) {
    return {
      name, status: 'warn', detail: 'PROTECTED_GROUPS is empty: no Identity Center user is shielded from linking',
      fix: 'list your administrator groups (e.g. PROTECTED_GROUPS=AWSAdministrators,IdentityCenterAdmins): their members are never linked, updated or deprovisioned',
    };
  }
  const found = await groupIds(context, names);
  const missing = found.filter(([, id]) => !id).map(([group]) => group);
  // Every page of members, through the adapter reconcile reads memberships with.
  const counts = await Promise.all(found.flatMap(([, id]) => (id ? [context.reads.members.memberIds(id).then((ids) => ids.size)] : [])));
  const users = counts.reduce((a, b) => a + b, 0);
  const detail = `${users} user membership(s) in ${names.length - missing.length} protected group(s)`;
  if (missing.length > 0) {
    // A misspelled protected group protects no one: the sync would link and manage its would-be members.
    return {
      name, status: 'fail', detail: `${detail}; no such group: ${missing.join(', ')}`,
      fix: 'correct the group names in PROTECTED_GROUPS (exactly as Identity Center shows them); a group that does not exist protects no one',
    };
  }
  return { name, status: 'pass', detail };
}

/** GROUP_MAPPING keys name security profiles of the instance (by name or id): a typo would map no one. */
export async function checkSecurityProfiles({ config, reads }: DoctorContext): Promise<CheckResult> {
  const name = 'security-profiles';
  const keys = [...config.groupMapping.byProfile.keys()];
  if (keys.length === 0) return { name, status: 'skip', detail: 'no GROUP_MAPPING by security profile: every user goes to the same group(s)' };
  const profiles = await reads.connect.listSecurityProfiles(config.connectInstanceId);
  const known = new Set(profiles.flatMap((p) => [p.id, p.name]));
  const unknown = keys.filter((k) => !known.has(k));
  if (unknown.length > 0) {
    return { name, status: 'fail', detail: `GROUP_MAPPING names no such security profile: ${unknown.join(', ')}`, fix: 'use the security profile names (or ids) of the instance, as Connect shows them' };
  }
  return { name, status: 'pass', detail: `GROUP_MAPPING names ${keys.length} security profile(s) of the instance` };
}
