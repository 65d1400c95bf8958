import { asSyncError } from './errors.js';
import type { ConnectUserLister, ConnectUserSummary } from './operator-ports.js';
import { planOf, type PlanStatus, type UserPlan } from './reconcile-plan.js';
import type { AssignmentMode, SyncUser } from './sync-user.js';

/**
 * Reconcile: every user of the Connect instance through the sync core, page by page. Only one ListUsers page is held
 * at a time, so memory does not grow with the instance. With a checkpoint store the run is resumable: the checkpoint
 * names the page being worked on (by the token that fetched it) and how many of its users are done.
 */
export interface Checkpoint {
  instanceId: string;
  /** The ListUsers token of the page in progress; undefined for the first page. */
  pageToken?: string;
  /** Users of that page completed, counted from its start (completions are tracked as a contiguous prefix). */
  doneInPage: number;
  pagesDone: number;
  usersDone: number;
}

export interface CheckpointStore {
  load(): Promise<Checkpoint | undefined>;
  save(checkpoint: Checkpoint): Promise<void>;
  clear(): Promise<void>;
}

export interface ReconcileOptions {
  instanceId: string;
  lister: ConnectUserLister;
  /** The sync core: over the real adapters (--apply) or over the planner's (dry run). */
  syncUser: SyncUser;
  assignmentMode: AssignmentMode;
  /** Users in flight at once. The Connect pacer bounds the rate; this bounds the waiting. */
  concurrency: number;
  checkpoint?: CheckpointStore;
  resume?: boolean;
  onUser?: (plan: UserPlan) => void;
  onListed?: (user: ConnectUserSummary) => void;
  onPage?: (progress: { pagesDone: number; usersDone: number }) => void;
}

export interface ReconcileSummary {
  users: number;
  pages: number;
  byStatus: Record<PlanStatus, number>;
  /** Users that cannot be synced or failed, by error code. */
  byCode: Record<string, number>;
  resumedFrom?: { pagesDone: number; usersDone: number };
}

export async function reconcileUsers(options: ReconcileOptions): Promise<ReconcileSummary> {
  const { instanceId, checkpoint } = options;
  const summary: ReconcileSummary = {
    users: 0, pages: 0, byStatus: { create: 0, link: 0, 'in-sync': 0, cannot: 0, error: 0 }, byCode: {},
  };
  const start = options.resume ? await checkpoint?.load() : undefined;
  if (start && start.instanceId !== instanceId) {
    throw new Error(`the checkpoint belongs to Connect instance ${start.instanceId}, not ${instanceId}: remove it or drop --resume`);
  }
  if (start) summary.resumedFrom = { pagesDone: start.pagesDone, usersDone: start.usersDone };
  let pagesDone = start?.pagesDone ?? 0;
  let usersDone = start?.usersDone ?? 0;
  let skip = start?.doneInPage ?? 0;
  const saver = checkpoint ? coalescing(checkpoint) : undefined;

  const syncOne = async (user: ConnectUserSummary): Promise<void> => {
    let plan: UserPlan;
    try {
      plan = planOf(user.username, await options.syncUser({ instanceId, userId: user.id }), options.assignmentMode);
    } catch (thrown) {
      const error = asSyncError(thrown);
      const status = error.retryable ? 'error' : 'cannot';
      plan = { connectUserId: user.id, username: user.username, status, actions: [], code: error.code, message: error.message };
      summary.byCode[error.code] = (summary.byCode[error.code] ?? 0) + 1;
    }
    summary.byStatus[plan.status] += 1;
    summary.users += 1;
    options.onUser?.(plan);
  };

  for await (const page of options.lister.pages(instanceId, start?.pageToken)) {
    for (const user of page.users) options.onListed?.(user);
    const base = usersDone;
    await runPool(page.users, skip, options.concurrency, syncOne, (prefix) => {
      usersDone = base + (prefix - skip);
      saver?.save({ instanceId, pageToken: page.token, doneInPage: prefix, pagesDone, usersDone });
    });
    skip = 0;
    pagesDone += 1;
    summary.pages += 1;
    saver?.save({ instanceId, pageToken: page.nextToken, doneInPage: 0, pagesDone, usersDone });
    options.onPage?.({ pagesDone, usersDone });
  }
  await saver?.flush();
  await checkpoint?.clear();
  return summary;
}

/** Runs `work` over items[from..] with `concurrency` workers; reports the length of the completed prefix. */
async function runPool<T>(
  items: T[],
  from: number,
  concurrency: number,
  work: (item: T) => Promise<void>,
  onPrefix: (prefix: number) => void,
): Promise<void> {
  const done = new Uint8Array(items.length);
  let next = from;
  let prefix = from;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      const item = items[index];
      if (item !== undefined) await work(item);
      done[index] = 1;
      const before = prefix;
      while (prefix < items.length && done[prefix]) prefix += 1;
      if (prefix !== before) onPrefix(prefix);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}

/** Writes the newest checkpoint, one write at a time, skipping states overtaken while a write was running. */
function coalescing(store: CheckpointStore) {
  let pending: Checkpoint | undefined;
  let running: Promise<void> | undefined;
  return {
    save(checkpoint: Checkpoint) {
      pending = checkpoint;
      running ??= (async () => {
        while (pending) {
          const next = pending;
          pending = undefined;
          await store.save(next);
        }
        running = undefined;
      })();
    },
    flush: () => running ?? Promise.resolve(),
  };
}
