import type { DeprovisionOutcome } from './deprovision-user.js';
import TABLE from './metric-names.json';
import type { DriftKind } from './reconcile-plan.js';
import type { CannotSignIn } from './run-summary.js';
import type { SyncOutcomeKind } from './sync-user.js';
import type { UpdateOutcome } from './update-identity.js';

/**
 * The one table of the metrics the functions publish (namespace POWERTOOLS_METRICS_NAMESPACE, dimensions service and
 * stage). It is JSON so that the dashboard (infra/dashboard.js, loaded by osls without TypeScript) reads the same
 * names as the functions and `status`; the types below make a missing outcome or drift kind a compile error.
 */
export const METRIC_NAMES = TABLE;

/** What a record of the sync queue came to, for the user it names (each use case's outcome). */
export type RecordOutcome = SyncOutcomeKind | UpdateOutcome['outcome'] | DeprovisionOutcome['outcome'];

/** syncUser: one count per record, by its outcome (an assign-group record counts GROUPS_ASSIGNED instead). */
export const RECORD_OUTCOME_METRICS: Readonly<Record<RecordOutcome, string>> = TABLE.recordOutcomes;

/** reconcile: the drift found per run, by kind, with the unlinked members, unassigned groups and known failures. */
export const DRIFT_METRICS: Readonly<Record<DriftKind | 'unlinked-members' | 'unassigned-groups' | 'known-failures', string>> = TABLE.drift;

/** reconcile: the agents who cannot sign in, by reason. */
export const CANNOT_SIGN_IN_METRICS: Readonly<Record<keyof CannotSignIn, string>> = TABLE.cannotSignIn;

/** Every name of the table, in its order. */
export function allMetricNames(): string[] {
  const { recordOutcomes, groupsAssigned, failures, drift, cannotSignIn, reconcile } = TABLE;
  return [recordOutcomes, { groupsAssigned }, failures, drift, cannotSignIn, reconcile].flatMap((group) => Object.values(group));
}
