import type { CoreDeps } from './context.js';
import type { DeprovisionUser } from './deprovision-user.js';
import { RetryableError } from './errors.js';
import type { MessageQueue, OutgoingMessage } from './ports/index.js';
import type { ReconcileExecutor } from './reconcile.js';
import type { LinkWrite } from './reconcile-adoption.js';
import type { UnlinkedMember, UserAction } from './reconcile-plan.js';
import type { SyncUser } from './sync-user.js';
import type { UpdateIdentity, UpdateOutcome } from './update-identity.js';

/** The `source` of the requests reconcile queues for the sync function (how a dead letter tells them from events). */
export const RECONCILE_SOURCE = 'connect-sso-sync.reconcile';

/** What the executors write themselves: the adoption's links. */
export type ExecutorDeps = Pick<CoreDeps, 'links' | 'settings' | 'timestamp'>;
/** In process, also the assignments of groups and the removal of unlinked members. */
export type InlineExecutorDeps = ExecutorDeps & Pick<CoreDeps, 'identityStore' | 'assignments' | 'groups' | 'ownership'>;

export interface ReconcileUseCases {
  sync: SyncUser;
  update: UpdateIdentity;
  deprovision: DeprovisionUser;
}

/**
 * A deprovision request is checked against Connect first: the snapshot may be older than the user's return. In
 * process, it carries the membership ids the listings saw (never put in a message: the queued request is built apart).
 */
const deprovisionRequest = (instanceId: string, a: UserAction) => ({
  instanceId, connectUserId: a.connectUserId, source: 'reconcile' as const,
  ...(a.listedMemberships && { listedMemberships: a.listedMemberships }),
});
const syncRequest = (instanceId: string, a: UserAction) =>
  ({ instanceId, userId: a.connectUserId, ...(a.drift.includes('user-unassigned') && { ensureAssignment: true }) });

/** In process, the sync starts from what the plan's listings read (never put in a message: a message is a hint). */
const knownRequest = (instanceId: string, a: UserAction) => {
  const user = a.username !== undefined && { id: a.connectUserId, username: a.username, securityProfileIds: a.securityProfileIds ?? [] };
  return {
    ...syncRequest(instanceId, a),
    ...(user && a.identityUserId && { known: { user, identityUserId: a.identityUserId } }),
    ...(user && a.listed && { knownLinked: { user, ...a.listed } }),
  };
};

/** The adoption's link write (reconcile-adoption.ts): conditional, no read; `refused` sends the user the per-user way. */
const adoptLink = (deps: ExecutorDeps, { connectUserId, identityUserId, groupIds }: LinkWrite) => {
  const now = deps.timestamp();
  return deps.links.adopt({ instanceId: deps.settings.instanceId, connectUserId, identityUserId, groupIds, createdAt: now, updatedAt: now });
};

/**
 * Takes an unlinked member out of a managed group: never a protected identity, never a deletion, never someone the
 * event path linked since the snapshot (the link table is read again right before the removal). Used only with an
 * explicit --remove-unlinked: a person may be in the group on purpose.
 */
async function removeUnlinkedMember(deps: InlineExecutorDeps, member: UnlinkedMember): Promise<string> {
  if (await deps.links.claimant(deps.settings.instanceId, member.identityUserId)) return 'skipped: linked since';
  const protectedIds = await deps.groups.protectedIds();
  if (protectedIds.size > 0) {
    deps.ownership.assertNotProtected(await deps.identityStore.memberships(member.identityUserId, [...protectedIds]), protectedIds);
  }
  return deps.identityStore.removeMember(member.groupId, member.identityUserId);
}

const describeUpdate = (result: UpdateOutcome) => (result.changed?.length ? `${result.outcome} (${result.changed.join(', ')})` : result.outcome);

/** Carries the plan out now, through the same use cases as the event path (reconcile --apply). */
export function inlineExecutor(deps: InlineExecutorDeps, useCases: ReconcileUseCases): ReconcileExecutor {
  const { instanceId } = deps.settings;
  return {
    async run(action) {
      if (action.action === 'deprovision') return (await useCases.deprovision(deprovisionRequest(instanceId, action))).outcome;
      if (action.action === 'update') return describeUpdate(await useCases.update(syncRequest(instanceId, action)));
      return (await useCases.sync(knownRequest(instanceId, action))).outcome;
    },
    link: (w) => adoptLink(deps, w),
    assignGroup: (groupId) => deps.assignments.assign(groupId, 'GROUP'),
    update: async (connectUserId) => describeUpdate(await useCases.update({ instanceId, userId: connectUserId })),
    removeUnlinked: (member) => removeUnlinkedMember(deps, member),
  };
}

/**
 * Queues one request per user to the sync queue (the scheduled function), up to ten a batch, where syncUser runs the
 * same use cases at the sync's own pace, with the same rate limits and dead-letter queue; group assignments too. A
 * request resolves when its batch was accepted ("queued") or rejects when SQS refused it. Requests made in the same
 * turn share a batch: run with a concurrency of 10 to fill them.
 */
export function queueExecutor(deps: ExecutorDeps, queue: MessageQueue, source: string): ReconcileExecutor {
  const { instanceId } = deps.settings;
  let batch: { message: OutgoingMessage; settle: (error?: Error) => void }[] = [];
  let scheduled = false;

  async function sendBatch(): Promise<void> {
    scheduled = false;
    const entries = batch;
    batch = [];
    if (entries.length === 0) return;
    let failure: Error | undefined;
    const accepted = await queue.sendBatch(entries.map((e) => e.message)).catch((error: unknown) => {
      failure = error instanceof Error ? error : new Error(String(error));
      return new Set<string>();
    });
    for (const entry of entries) {
      entry.settle(accepted.has(entry.message.id) ? undefined : (failure ?? new RetryableError('SERVICE_ERROR', 'the sync queue refused the request')));
    }
  }

  function enqueue(id: string, body: object): Promise<string> {
    return new Promise((resolve, reject) => {
      batch.push({ message: { id, body: JSON.stringify({ source, instanceId, ...body }) }, settle: (error) => (error ? reject(error) : resolve('queued')) });
      if (batch.length === 10) void sendBatch();
      else if (!scheduled) {
        // A partial batch goes once the requests of this turn are in.
        scheduled = true;
        setImmediate(() => void sendBatch());
      }
    });
  }

  return {
    run(action) {
      const { userId, ensureAssignment } = syncRequest(instanceId, action);
      return enqueue(action.connectUserId, action.action === 'deprovision' ? { userId, action: 'deprovision' } : { userId, action: action.action, ensureAssignment });
    },
    // Written here: the link table only, by the same conditions as a sync's (a queued message would be a hint).
    link: (w) => adoptLink(deps, w),
    // Queued too: the scheduled reconcile only reads Identity Center (its cross-account role is read-only).
    assignGroup: (groupId) => enqueue(`group-${groupId}`, { action: 'assign-group', groupId }),
  };
}
