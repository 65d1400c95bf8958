import type { ReconcilePlan, SignInProblem } from './reconcile-plan.js';
import type { ReconcileReport } from './reconcile.js';

/**
 * One reconcile run, as `status` shows it: when, how long, what drift it found, what it did. Ids and counts only (no
 * user name, no email): it is stored in the link table, one item per instance, overwritten by each run. `adoption`
 * (SAML, a first run's progress) is absent where no listing answers, and in summaries written before it.
 */
export interface ReconcileRunSummary
  extends Pick<ReconcilePlan, 'users' | 'links' | 'inSync' | 'drift' | 'adoption'>, Pick<ReconcileReport, 'deferred' | 'failed'> {
  instanceId: string;
  /** `schedule`: the scheduled function (queues the work); `cli`: `reconcile --apply` (carries it out). */
  trigger: 'schedule' | 'cli';
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Actions queued to the sync queue (schedule) or carried out (cli), successfully. */
  acted: number;
  unlinkedMembers: number;
  unassignedGroups: number;
  missingGroups: number;
  /** Connect users whose sync failed permanently and are not queued again until someone fixes them. */
  knownFailures: number;
  /**
   * Connect users who cannot sign in through Identity Center, by reason (absent in summaries written before the sign-in
   * check): the identity's sign-in name is not exactly the Username, the identity is disabled, no managed group.
   */
  cannotSignIn?: CannotSignIn;
}

export type CannotSignIn = Record<SignInProblem['code'] | 'UNMAPPED', number>;

/** `knownFailures`: until the plan counts them itself, the caller says how many permanent failures the run left alone. */
export interface RunFacts extends Pick<ReconcileRunSummary, 'instanceId' | 'trigger' | 'knownFailures'> {
  startedAt: Date;
  finishedAt: Date;
}

/** The summary of a finished run, from its report. */
export function summarizeRun(report: ReconcileReport, facts: RunFacts): ReconcileRunSummary {
  const { plan } = report;
  return {
    instanceId: facts.instanceId, trigger: facts.trigger,
    startedAt: facts.startedAt.toISOString(), finishedAt: facts.finishedAt.toISOString(),
    durationMs: Math.max(0, facts.finishedAt.getTime() - facts.startedAt.getTime()),
    users: plan.users, links: plan.links, inSync: plan.inSync, drift: { ...plan.drift },
    acted: report.results.filter((r) => r.outcome !== 'failed').length, deferred: report.deferred, failed: report.failed,
    unlinkedMembers: report.unlinkedAfter.length, unassignedGroups: plan.unassignedGroups.length, missingGroups: plan.missingGroups.length,
    knownFailures: facts.knownFailures,
    cannotSignIn: {
      SIGN_IN_NAME_MISMATCH: plan.signInProblems.filter((p) => p.code === 'SIGN_IN_NAME_MISMATCH').length,
      IDENTITY_DISABLED: plan.signInProblems.filter((p) => p.code === 'IDENTITY_DISABLED').length,
      UNMAPPED: plan.unmapped,
    },
    ...(plan.adoption && { adoption: { ...plan.adoption } }),
  };
}
