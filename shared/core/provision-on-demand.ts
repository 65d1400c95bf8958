import { withSharedRules, type SyncDeps } from './context.js';
import { createDeprovisionUser } from './deprovision-user.js';
import { asSyncError } from './errors.js';
import type { UserExplanation } from './explain-user.js';
import { recordedRun, type AppliedStep } from './recorded-run.js';
import { createSyncUser } from './sync-user.js';

/** What `--apply` did: the use case's answer (or its error) and each write it made, with its outcome. */
export interface Applied {
  useCase: 'sync' | 'deprovision';
  outcome?: string;
  reason?: string;
  error?: { code: string; message: string };
  steps: AppliedStep[];
}

/**
 * Provision on demand: runs, now, the use case the queue would run for the explained user — the sync, or for a
 * Connect user gone the deprovision, which confirms with Connect first (source `reconcile`: a user back in Connect
 * meanwhile is left alone). Undefined when there is nothing to run (not found, or deleted and unlinked).
 */
export async function provisionOnDemand(deps: SyncDeps, explained: UserExplanation): Promise<Applied | undefined> {
  const { found, plan } = explained;
  if (!found || plan.useCase === 'none') return undefined;
  const run = recordedRun(deps);
  const core = withSharedRules(run.deps);
  const { instanceId } = deps.settings;
  try {
    const outcome =
      plan.useCase === 'sync'
        ? await createSyncUser(core)({ instanceId, userId: found.connectUserId, ensureAssignment: plan.ensureAssignment })
        : await createDeprovisionUser(core)({ instanceId, connectUserId: found.connectUserId, source: 'reconcile' });
    return { useCase: plan.useCase, outcome: outcome.outcome, reason: outcome.reason, steps: run.steps };
  } catch (error) {
    const e = asSyncError(error);
    return { useCase: plan.useCase, error: { code: e.code, message: e.message }, steps: run.steps };
  }
}
