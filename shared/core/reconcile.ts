import type { CoreDeps } from './context.js';
import { asSyncError } from './errors.js';
import type { KnownFailure, Link, ReconcileSources } from './ports/index.js';
import { namedProfiles, needsProfiles, wantedGroupNames } from './plan-groups.js';
import type { LinkWrite } from './reconcile-adoption.js';
import { signInValueOf } from './sign-in.js';
import { createIdentityIndex } from './sign-in-index.js';
import { unlinkedAfter } from './reconcile-unlinked.js';
import {
  planReconcile,
  unlinkedMembers,
  type ConnectUserRow,
  type ReconcilePlan,
  type Snapshots,
  type UnlinkedMember,
  type UserAction,
} from './reconcile-plan.js';

/**
 * Carries a plan out: inline through the same use cases as the event path (the CLI's --apply), or by queueing one
 * request per user to the sync queue (the scheduled function), where syncUser runs the same use cases with the same
 * rate limits and dead-letter queue. Each resolves with an outcome word for the report.
 */
export interface ReconcileExecutor {
  run(action: UserAction): Promise<string>;
  assignGroup(groupId: string): Promise<string>;
  /** --deep: the identity update of an in-sync linked user (names and email from DescribeUser). */
  update?(connectUserId: string): Promise<string>;
  /**
   * Writes the link of a user already right in Identity Center (LinkStore.adopt): `linked`, or `refused` when the
   * link table says otherwise now (the user then goes the per-user way). Absent: every such user is synced.
   */
  link?(write: LinkWrite): Promise<'linked' | 'refused'>;
  /** --remove-unlinked: takes the member out of the group (never deletes the identity). */
  removeUnlinked?(member: UnlinkedMember): Promise<string>;
}

export interface ActionResult {
  /** The Connect user (sync, deprovision, update), the group (assign-group) or the identity (remove-unlinked). */
  subject: string;
  /** The Connect Username, or the group's name: for the operator's table. Never logged. */
  label?: string;
  action: UserAction['action'] | 'update' | 'assign-group' | 'remove-unlinked' | 'link';
  drift: UserAction['drift'];
  /** The use case's outcome, or `failed`. */
  outcome: string;
  code?: string;
  message?: string;
}

/** What reconcile reads besides its sources: the link table, the managed groups, the security profiles' names. */
export type ReconcileDeps = Pick<CoreDeps, 'connect' | 'links' | 'groups' | 'signInRule' | 'settings' | 'timestamp'>;

export interface ReconcileOptions {
  deps: ReconcileDeps;
  sources: ReconcileSources;
  executor?: ReconcileExecutor;
  /** Actions in flight at once (the Connect pacer bounds the rate; this bounds the waiting). */
  concurrency: number;
  /** At most this many user actions this run (the rest are left to the next run, which re-plans from fresh snapshots). */
  maxActions?: number;
  deep?: boolean;
  removeUnlinked?: boolean;
  /** Queue remembered permanent failures again even when their Connect user did not change. */
  retryFailed?: boolean;
  onSnapshot?: (what: string, count: number) => void;
  onResult?: (result: ActionResult) => void;
}

export interface ReconcileReport {
  plan: ReconcilePlan;
  results: ActionResult[];
  /** Actions left for the next run (maxActions: the queue limit, --max). */
  deferred: number;
  /** Members no link explains once the actions ran (a sync may have linked some). */
  unlinkedAfter: UnlinkedMember[];
  /** How many of them --remove-unlinked took out of their group. */
  unlinkedRemoved: number;
  failed: number;
}

async function connectUsersOf(deps: ReconcileDeps, sources: ReconcileSources, onSnapshot?: ReconcileOptions['onSnapshot']) {
  const users = new Map<string, ConnectUserRow>();
  for await (const page of sources.connectUsers.pages(deps.settings.instanceId, { withProfiles: needsProfiles(deps.settings.mapping) })) {
    for (const user of page) users.set(user.id, user);
    onSnapshot?.('connect-users', users.size);
  }
  return users;
}

/** The links of the instance and the members of each managed group: what says who is linked and where. */
async function linksAndMembers(deps: ReconcileDeps, sources: ReconcileSources, onSnapshot?: ReconcileOptions['onSnapshot']) {
  const readLinks = async () => {
    const links = new Map<string, Link>();
    const failures = new Map<string, KnownFailure>();
    const deprovisionFailures = new Map<string, KnownFailure>();
    const unlinkedClaims = new Map<string, readonly string[]>();
    for await (const page of deps.links.pages(deps.settings.instanceId)) {
      for (const record of page) {
        if (record.link) links.set(record.connectUserId, record.link);
        if (record.failure) failures.set(record.connectUserId, record.failure);
        if (record.deprovisionFailure) deprovisionFailures.set(record.connectUserId, record.deprovisionFailure);
        if (!record.link && record.claims?.length) unlinkedClaims.set(record.connectUserId, record.claims);
      }
    }
    onSnapshot?.('links', links.size);
    return { links, failures, deprovisionFailures, unlinkedClaims };
  };
  const managed = await deps.groups.existing();
  // With the membership ids where the source lists them: a deprovision then deletes by id, without a lookup each.
  const listMembers = sources.members.membershipIds?.bind(sources.members);
  const membersOf = async (id: string) => {
    const ids = listMembers ? await listMembers(id) : undefined;
    return [id, ids ? new Set(ids.keys()) : await sources.members.memberIds(id), ids] as const;
  };
  const readMembers = async () => {
    const entries = await Promise.all([...managed.values()].map((id) => membersOf(id)));
    onSnapshot?.('group-members', entries.reduce((n, [, m]) => n + m.size, 0));
    const membershipIds = new Map(entries.flatMap(([id, , ids]) => (ids ? [[id, ids] as const] : [])));
    return { members: new Map(entries.map(([id, m]) => [id, m] as const)), ...(membershipIds.size > 0 && { membershipIds }) };
  };
  const [read, listed, sharedClaims] = await Promise.all([readLinks(), readMembers(), sources.sharedLinks?.claimedIdentities()]);
  return { ...read, managed, ...listed, ...(sharedClaims && { sharedClaims }) };
}

/**
 * On a SAML instance, the store's listing streamed into a compact index (sign-in-index.ts): by identity id for the
 * sign-in check of linked agents, by sign-in name for the adoption of unlinked ones. One pass, one call per 100
 * identities. Undefined elsewhere.
 */
async function identitiesOf(deps: ReconcileDeps, sources: ReconcileSources, onSnapshot?: ReconcileOptions['onSnapshot']) {
  const rule = await deps.signInRule();
  if (!rule.saml || !sources.identities) return undefined;
  const index = createIdentityIndex(rule.attribute);
  let count = 0;
  for await (const page of sources.identities.pages()) {
    for (const row of page) {
      index.add({ id: row.id, sends: signInValueOf(row, rule.attribute), userName: row.userName, disabled: row.status === 'DISABLED' });
    }
    count += page.length;
    onSnapshot?.('identities', count);
  }
  return index.index();
}

/** The members of the protected groups (PROTECTED_GROUPS): never adopted, and a sync of one reads its memberships afresh. */
async function protectedMembersOf(deps: ReconcileDeps, sources: ReconcileSources): Promise<Set<string>> {
  const sets = await Promise.all([...(await deps.groups.protectedIds())].map((id) => sources.members.memberIds(id)));
  return new Set(sets.flatMap((set) => [...set]));
}

/** Reads the snapshots of the instance (Connect users, links, managed group members, sign-in names) and the assignments. */
async function readSnapshots(deps: ReconcileDeps, sources: ReconcileSources, onSnapshot?: ReconcileOptions['onSnapshot']): Promise<Snapshots> {
  const [connectUsers, linked, assigned, identities, protectedMembers] = await Promise.all([
    connectUsersOf(deps, sources, onSnapshot),
    linksAndMembers(deps, sources, onSnapshot),
    sources.assignments?.assignedPrincipals(),
    identitiesOf(deps, sources, onSnapshot),
    protectedMembersOf(deps, sources),
  ]);
  await fillLastModified(deps, sources, connectUsers, linked.failures);
  return { connectUsers, ...linked, assigned, ...(identities && { identities }), protectedMembers };
}

/**
 * SearchUsers (the listing with security profiles) does not report LastModifiedTime, which tells whether a remembered
 * failure's Connect user changed: when there are such failures, ListUsers (1000 a page) fills it in.
 */
async function fillLastModified(deps: ReconcileDeps, sources: ReconcileSources, users: Map<string, ConnectUserRow>, failures: Snapshots['failures']) {
  if (![...failures.keys()].some((id) => users.has(id) && users.get(id)?.lastModifiedTime === undefined)) return;
  for await (const page of sources.connectUsers.pages(deps.settings.instanceId, { withProfiles: false })) {
    for (const row of page) {
      const user = users.get(row.id);
      if (user && row.lastModifiedTime) users.set(row.id, { ...user, lastModifiedTime: row.lastModifiedTime });
    }
  }
}

/** The wanted-groups function of the plan: security profile names read once for the run. */
async function wantedOf(deps: ReconcileDeps): Promise<(user: ConnectUserRow) => string[]> {
  const { mapping, instanceId } = deps.settings;
  if (!needsProfiles(mapping)) return () => wantedGroupNames(mapping, []);
  const names = new Map((await deps.connect.listSecurityProfiles(instanceId)).map((p) => [p.id, p.name]));
  return (user) => wantedGroupNames(mapping, namedProfiles(user.securityProfileIds ?? [], names));
}

export async function reconcile(options: ReconcileOptions): Promise<ReconcileReport> {
  const { deps, executor } = options;
  const [snapshots, wantedNames] = await Promise.all([readSnapshots(deps, options.sources, options.onSnapshot), wantedOf(deps)]);
  const now = Date.parse(deps.timestamp());
  const plan = planReconcile({ ...snapshots, wantedNames, assignmentMode: deps.settings.assignmentMode, retryFailed: options.retryFailed, now });
  const report: ReconcileReport = { plan, results: [], deferred: 0, unlinkedAfter: plan.unlinkedMembers, unlinkedRemoved: 0, failed: 0 };
  if (!executor) return report;

  const attempt: Attempt = async (base, work) => {
    let result: ActionResult;
    try {
      result = { ...base, outcome: await work() };
    } catch (thrown) {
      const error = asSyncError(thrown);
      result = { ...base, outcome: 'failed', code: error.code, message: error.message };
      report.failed += 1;
    }
    report.results.push(result);
    options.onResult?.(result);
    return result.outcome;
  };

  await writeLinks(plan.linkWrites, executor, Math.max(options.concurrency, LINK_CONCURRENCY), attempt);
  // The cap bounds the syncs only: taking access away is never deferred (the plan puts deprovisions first).
  const deprovisions = plan.actions.filter((a) => a.action === 'deprovision').length;
  const actions = plan.actions.slice(0, Math.max(deprovisions, options.maxActions ?? plan.actions.length));
  report.deferred = plan.actions.length - actions.length;
  await pool(actions, options.concurrency, (a) =>
    attempt({ subject: a.connectUserId, label: a.username, action: a.action, drift: a.drift }, () => executor.run(a)),
  );
  for (const group of plan.unassignedGroups.filter((g) => !g.heldBack)) {
    await attempt({ subject: group.groupId, label: group.groupName, action: 'assign-group', drift: [] }, () => executor.assignGroup(group.groupId));
  }
  const update = executor.update?.bind(executor);
  if (options.deep && update) {
    const acted = new Set(plan.actions.map((a) => a.connectUserId));
    const linked = [...snapshots.links.values()].map((l) => l.connectUserId).filter((id) => snapshots.connectUsers.has(id) && !acted.has(id));
    await pool(linked, options.concurrency, (id) =>
      attempt({ subject: id, label: snapshots.connectUsers.get(id)?.username, action: 'update', drift: [] }, () => update(id)),
    );
  }
  const remove = options.removeUnlinked ? executor.removeUnlinked?.bind(executor) : undefined;
  if (plan.unlinkedMembers.length > 0 && (report.results.length > 0 || (remove && options.sources.sharedLinks))) {
    // The actions (or another stage sharing the groups) may have linked some of them: what the results cannot tell is
    // read again, and always when another stage's links must be read afresh before removals.
    const known = remove && options.sources.sharedLinks ? undefined : unlinkedAfter(plan, report.results, deps.settings.deprovision);
    report.unlinkedAfter = known ?? unlinkedMembers(await linksAndMembers(deps, options.sources));
  }
  if (remove) {
    for (const member of report.unlinkedAfter) {
      const base = { subject: member.identityUserId, label: member.groupName, action: 'remove-unlinked' as const, drift: [] };
      // Only a removal counts: a member linked since (skipped) or no longer a member was not removed by this run.
      if ((await attempt(base, () => remove(member))) === 'removed') report.unlinkedRemoved += 1;
    }
  }
  return report;
}

/** Link writes in flight at once: DynamoDB on demand has no per-API rate to respect, only latency to hide. */
const LINK_CONCURRENCY = 25;

type Attempt = (base: Omit<ActionResult, 'outcome'>, work: () => Promise<string>) => Promise<string>;

/**
 * The adoption's link writes, many at once (LinkStore.adopt: conditional writes, no read). One the link table refuses
 * now (a claim, a tombstone, a sync under way) goes the per-user way, as does every one without a `link` executor.
 */
async function writeLinks(writes: readonly LinkWrite[], executor: ReconcileExecutor, concurrency: number, attempt: Attempt) {
  const link = executor.link?.bind(executor);
  await pool(writes, concurrency, async (w) => {
    const base = { subject: w.connectUserId, label: w.username, drift: ['missing-link' as const] };
    const sync = () => executor.run({ connectUserId: w.connectUserId, username: w.username, action: 'sync', drift: ['missing-link'], identityUserId: w.identityUserId, securityProfileIds: w.securityProfileIds });
    if (!link) return attempt({ ...base, action: 'sync' }, sync);
    const outcome = await attempt({ ...base, action: 'link' }, () => link(w));
    return outcome === 'refused' ? attempt({ ...base, action: 'sync' }, sync) : outcome;
  });
}

async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}
