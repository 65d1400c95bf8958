import { withSharedRules, type CoreDeps, type SyncDeps } from './context.js';
import type { DeadLetterRow } from './dead-letter-view.js';
import { createDeprovisionUser } from './deprovision-user.js';
import { dryRun, PLANNED_IDENTITY, type PlannedStep } from './dry-run.js';
import { asSyncError, recovering } from './errors.js';
import { judge, type SignInVerdict } from './explain-verdict.js';
import { signInCandidates } from './find-identity.js';
import { findConnectUser, type FoundBy, type FoundUser } from './find-connect-user.js';
import { emailWithSource, type EmailSource } from './identity-profile.js';
import { managedIdsFor, readAccess } from './memberships.js';
import type { AssignmentCheck, ConnectUser, ConnectUserLister, DeadLetterLookup, IdentityUser, Link, PrincipalType, UserRecord } from './ports/index.js';
import type { OtherDoors } from './ownership.js';
import { compareSignIn, signInValueOf, type IdentityManagementType, type SignInAttribute, type SignInMatch, type SignInRule } from './sign-in.js';
import { createSyncUser } from './sync-user.js';

export interface ExplainDeps {
  /** The real ports and settings (only read here: every write goes through the dry run). */
  sync: SyncDeps;
  lister: ConnectUserLister;
  /** Undefined with ASSIGNMENT_MODE=none. */
  assignments?: AssignmentCheck;
  /** Undefined when the dead-letter queue is not configured: the section says it was not read. */
  deadLetters?: DeadLetterLookup;
}

export interface ConnectFacts extends Pick<ConnectUser, 'id' | 'username' | 'firstName' | 'lastName' | 'email'> {
  emailSource?: EmailSource;
  profiles: { id: string; name?: string }[];
  lastModified?: string;
}

/**
 * `created`: the service created the identity (false: linked to a person who existed). `claims`: identities claimed by a
 * sync that died before its link (what a deprovision takes back).
 */
export interface LinkFacts
  extends Partial<Pick<Link, 'identityUserId' | 'created' | 'updatedAt'>>, Pick<UserRecord, 'deletedAt' | 'failure' | 'claims'> {
  linked: boolean;
  groups: string[];
  linkedAt?: string;
}

/** On a SAML instance: what Identity Center sends as RoleSessionName against the Connect Username it must equal exactly. */
export interface SignInFacts {
  attribute: SignInAttribute;
  /** The identity's sign-in attribute (what it would send). */
  sends?: string;
  /** The Connect Username. */
  username: string;
  match: SignInMatch;
}

/** `status`: ENABLED or DISABLED (an administrator disabled it in Identity Center; the sync never enables a user). */
export interface IdentityFacts extends Partial<Pick<IdentityUser, 'userName' | 'displayName' | 'email' | 'status'>> {
  id: string;
  foundBy: 'link' | 'email' | 'sign-in name';
  exists: boolean;
  /** Managed groups it is in now, and those the mapping wants (names). */
  managedGroups: string[];
  protectedGroups: string[];
  otherDoors?: OtherDoors;
  /** SAML instances only. */
  signIn?: SignInFacts;
}

export interface AssignmentFacts {
  mode: 'group' | 'user' | 'none';
  groups: { group: string; assigned: boolean }[];
  user?: boolean;
}

export interface PlanFacts {
  useCase: 'sync' | 'deprovision' | 'none';
  /** What the use case would answer (created, linked, synced, unmapped, deprovisioned, ...). */
  outcome?: string;
  reason?: string;
  error?: { code: string; message: string; retryable: boolean };
  /** The writes it would make now, no-op bookkeeping left out. */
  steps: PlannedStep[];
  /** ASSIGNMENT_MODE=user and the user's assignment is missing: the sync is asked to assign again, as reconcile does. */
  ensureAssignment: boolean;
}

export interface UserExplanation {
  query: string;
  instanceId: string;
  /** How the instance manages identities (DescribeInstance): only SAML agents sign in through Identity Center. */
  identityManagement?: IdentityManagementType;
  signInAttribute?: SignInAttribute;
  found?: { connectUserId: string; by: FoundBy; inConnect: boolean };
  connect?: ConnectFacts;
  wantedGroups: string[];
  link?: LinkFacts;
  identity?: IdentityFacts;
  assignment?: AssignmentFacts;
  /** `resolved`: the user synced after the message was dead-lettered, and no failure is remembered since. */
  deadLetters: { read: boolean; messages: (Pick<DeadLetterRow, 'queue' | 'code' | 'ageSeconds' | 'message'> & { resolved?: boolean })[] };
  plan: PlanFacts;
  verdict: SignInVerdict;
  /** Group id -> name, for the steps (managed and protected groups). */
  groupNames: Record<string, string>;
}

/** Group ids to their names, sorted (groupNames). */
type Named = (ids: Iterable<string>) => string[];
/** What finds the identity a sync would consider when none is linked. */
type IdentityKey = { rule: SignInRule; username?: string; email?: string };

const NO_PLAN: PlanFacts = { useCase: 'none', steps: [], ensureAssignment: false };

/**
 * Explains one Connect user end to end (Connect, the link, Identity Center, the dead-letter queue), then runs the use
 * case the queue would run for it (sync, or the deprovision of a Connect user gone) over the dry-run ports: its
 * steps are exactly what a sync would change now, by the sync's own rules. CoreDeps only.
 */
export async function explainUser(deps: ExplainDeps, who: string): Promise<UserExplanation> {
  const { settings } = deps.sync;
  const core = withSharedRules(deps.sync);
  const found = await findConnectUser({ ...deps.sync, lister: deps.lister }, settings.instanceId, who);
  const base = { query: who, instanceId: settings.instanceId, wantedGroups: [], deadLetters: { read: false, messages: [] }, groupNames: {} };
  if (!found) return { ...base, plan: NO_PLAN, verdict: judge({ plan: NO_PLAN }) };

  const record = await deps.sync.links.get(settings.instanceId, found.connectUserId);
  const rule = await core.signInRule();
  const connect = found.user && (await connectFacts(core, found.user));
  const wantedGroups = found.user ? await core.groups.wantedNames(found.user) : [];
  const groupNames = await groupNamesOf(core);
  const named: Named = (ids) => [...ids].map((id) => groupNames[id] ?? id).sort();
  const identity = await identityFacts(core, record, { rule, username: found.user?.username, email: connect?.email }, named);
  const assignment = await assignmentFacts(deps, wantedGroups, core, identity);
  const deadLetters = await deadLettersAbout(deps, found, record, core.timestamp());
  const ensureAssignment = settings.assignmentMode === 'user' && record.link !== undefined && assignment?.user === false;
  const plan = await planFor(deps, found, record, ensureAssignment);

  const explanation: Omit<UserExplanation, 'verdict'> = {
    ...base,
    identityManagement: rule.identityManagement,
    signInAttribute: settings.signInAttribute,
    found: { connectUserId: found.connectUserId, by: found.by, inConnect: found.user !== undefined },
    connect, wantedGroups, link: linkFacts(record, named), identity, assignment, deadLetters, plan, groupNames,
  };
  return { ...explanation, verdict: judge(explanation) };
}

/**
 * The dead-letter messages about the user: code, age and (redacted) reason only; not read when not configured. A message
 * is `resolved` when the link was written after it was dead-lettered and no failure is remembered since.
 */
async function deadLettersAbout(deps: ExplainDeps, found: FoundUser, record: UserRecord, now: string): Promise<UserExplanation['deadLetters']> {
  if (!deps.deadLetters) return { read: false, messages: [] };
  const rows = await deps.deadLetters.about(found.connectUserId, found.user?.username);
  const syncedAt = record.link && !record.failure ? Date.parse(record.link.updatedAt) : undefined;
  const messages = rows.map(({ queue, code, ageSeconds, message }) => {
    const resolved = syncedAt !== undefined && syncedAt > Date.parse(now) - ageSeconds * 1000;
    return { queue, code, ageSeconds, message, ...(resolved && { resolved }) };
  });
  return { read: true, messages };
}

async function connectFacts(core: Pick<CoreDeps, 'groups'>, user: ConnectUser): Promise<ConnectFacts> {
  const email = await recovering(async () => {
    const { email, source } = emailWithSource(user);
    return { email, emailSource: source };
  }, 'NO_EMAIL', () => ({}));
  const { id, username, firstName, lastName, lastModifiedTime } = user;
  return { id, username, firstName, lastName, ...email, profiles: await core.groups.profileNames(user.securityProfileIds), lastModified: lastModifiedTime };
}

function linkFacts(record: UserRecord, named: Named): LinkFacts {
  const { link } = record;
  return {
    linked: link !== undefined,
    ...(link && { identityUserId: link.identityUserId, created: link.created, linkedAt: link.createdAt, updatedAt: link.updatedAt }),
    groups: named(link?.groupIds ?? []),
    ...(record.deletedAt && { deletedAt: record.deletedAt }),
    ...(record.failure && { failure: record.failure }),
    ...(!link && record.claims && { claims: record.claims }),
  };
}

/** Managed and protected groups that exist, id -> name. */
async function groupNamesOf(core: Pick<CoreDeps, 'groups' | 'identityStore' | 'settings'>): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  for (const [name, id] of await core.groups.existing()) names[id] = name;
  const protectedIds = await Promise.all(core.settings.protectedGroupNames.map(async (name) => [name, await core.identityStore.findGroupIdByName(name)] as const));
  for (const [name, id] of protectedIds) if (id) names[id] = name;
  return names;
}

/** The identity a sync would consider when none is linked: by the sign-in name on SAML (as given, then in lower case), else by email. */
async function unlinkedIdentity(core: Pick<CoreDeps, 'identityStore'>, key: IdentityKey): Promise<string | undefined> {
  const { rule, username } = key;
  if (!rule.saml) return key.email ? core.identityStore.findUserIdByEmail(key.email) : undefined;
  return username ? (await signInCandidates(core.identityStore, username, rule.attribute))[0] : undefined;
}

async function identityFacts(core: CoreDeps, record: UserRecord, key: IdentityKey, named: Named): Promise<IdentityFacts | undefined> {
  const linked = record.link?.identityUserId;
  const id = linked ?? (await unlinkedIdentity(core, key));
  if (!id) return undefined;
  const foundBy = linked ? 'link' : key.rule.saml ? 'sign-in name' : 'email';
  const user = await core.identityStore.describeUser(id);
  if (!user) return { id, foundBy, exists: false, managedGroups: [], protectedGroups: [] };
  const { attribute } = key.rule;
  const sends = signInValueOf(user, attribute);
  const signIn = key.rule.saml && key.username !== undefined ? { attribute, sends, username: key.username, match: compareSignIn(sends, key.username) } : undefined;
  const access = await readAccess(core, id, record.link?.groupIds);
  const managed = await managedIdsFor(core, record.link ?? { groupIds: [] }, access.managed);
  const { userName, displayName, email, status } = user;
  return {
    id, foundBy, exists: true, userName, displayName, email, status,
    managedGroups: named([...access.memberOf].filter((g) => managed.has(g))),
    protectedGroups: named([...access.protectedIds].filter((g) => access.memberOf.has(g))),
    otherDoors: await core.ownership.otherDoors(id, managed),
    ...(signIn && { signIn }),
  };
}

async function assignmentFacts(deps: ExplainDeps, wanted: string[], core: CoreDeps, identity?: IdentityFacts): Promise<AssignmentFacts> {
  const mode = core.settings.assignmentMode;
  const check = deps.assignments;
  if (mode === 'none' || !check) return { mode: 'none', groups: [] };
  if (mode === 'user') return { mode, groups: [], ...(identity?.exists && { user: await check.isAssigned(identity.id, 'USER') }) };
  const assignedOf = async (group: string) => {
    const id = await core.groups.existingIdOf(group);
    return { group, assigned: id !== undefined && (await check.isAssigned(id, 'GROUP')) };
  };
  return { mode, groups: await Promise.all(wanted.map(assignedOf)) };
}

/**
 * The use case the queue would run, over the dry-run ports. An assignment that exists answers "already-assigned"
 * without a planned step, as the adapter would (the dry run alone plans every assign: it reads nothing for writes).
 */
async function planFor(deps: ExplainDeps, found: FoundUser, record: UserRecord, ensureAssignment: boolean): Promise<PlanFacts> {
  const { instanceId } = deps.sync.settings;
  // A Connect user gone with a link, or with the claims of a sync that died before its link: its deprovision.
  if (!found.user && !record.link && !record.claims) return NO_PLAN;
  const dry = dryRun(deps.sync);
  const check = deps.assignments;
  const planned = dry.deps.assignments;
  const assignments = {
    ...planned,
    assign: async (id: string, type: PrincipalType) =>
      check && id !== PLANNED_IDENTITY && (await check.isAssigned(id, type)) ? ('already-assigned' as const) : planned.assign(id, type),
  };
  const core = withSharedRules({ ...dry.deps, assignments });
  const useCase = found.user ? 'sync' : 'deprovision';
  try {
    const outcome = found.user
      ? await createSyncUser(core)({ instanceId, userId: found.connectUserId, ensureAssignment })
      : await createDeprovisionUser(core)({ instanceId, connectUserId: found.connectUserId, source: 'reconcile' });
    return { useCase, outcome: outcome.outcome, reason: outcome.reason, steps: changes(dry.steps, record), ensureAssignment };
  } catch (error) {
    const e = asSyncError(error);
    return { useCase, error: { code: e.code, message: e.message, retryable: e.retryable }, steps: changes(dry.steps, record), ensureAssignment };
  }
}

/** The steps that change something: a link rewritten as it is, or a failure remembered again, changes nothing. */
function changes(steps: PlannedStep[], record: UserRecord): PlannedStep[] {
  const moves = steps.some((s) => s.verb === 'add-member' || s.verb === 'remove-member' || s.verb === 'create-user');
  return steps.filter((s) => {
    if (s.verb === 'write-link') return moves || record.link?.identityUserId !== s.detail;
    if (s.verb === 'remember-failure') return record.failure?.code !== s.detail;
    return true;
  });
}
