import { appAssignmentsAdapter } from './adapters/app-assignments.js';
import { connectDirectoryAdapter } from './adapters/connect-directory.js';
import { connectUserLister } from './adapters/connect-users.js';
import { assignmentReaderAdapter, identityDirectoryAdapter } from './adapters/identity-directory.js';
import { identityStoreAdapter } from './adapters/identity-store.js';
import { createPacer } from './adapters/pacer.js';
import type { AwsClients } from './clients.js';
import { ConnectIdentities, recordingConnectDirectory } from './core/drift.js';
import { PermanentError } from './core/errors.js';
import type { ConnectUserLister, IdentityDirectory } from './core/operator-ports.js';
import type { AppAssignments, IdentityStore } from './core/ports.js';
import { createPlanner, type PlannedWrites } from './core/reconcile-plan.js';
import { createSyncUser, type SyncUser } from './core/sync-user.js';
import type { OperatorSyncConfig } from './operator-config.js';

/** Everything reconcile needs, wired once: the composition root of the operator commands. */
export interface ReconcileWiring {
  syncUser: SyncUser;
  lister: ConnectUserLister;
  /** The real Identity Store port (reads for drift: the agents group id). */
  identityStore: IdentityStore;
  directory: IdentityDirectory;
  /** Connect Usernames and emails seen during the run, for drift detection. */
  known: ConnectIdentities;
  /** Dry run only: the writes the run would have made beyond the per-user plans. */
  plannedWrites?: PlannedWrites;
}

export interface ReconcileWiringOptions {
  apply: boolean;
  /** Connect calls per second, per API (ListUsers and DescribeUser each have their own limit). */
  connectRequestsPerSecond: number;
}

export function wireReconcile(config: OperatorSyncConfig, clients: AwsClients, options: ReconcileWiringOptions): ReconcileWiring {
  const known = new ConnectIdentities();
  const connect = recordingConnectDirectory(
    connectDirectoryAdapter(clients.connect, createPacer(options.connectRequestsPerSecond)),
    known,
  );
  const identityStore = identityStoreAdapter(clients.identityStore, config.identityStoreId);
  const lister = connectUserLister(clients.connect, createPacer(options.connectRequestsPerSecond));
  const directory = identityDirectoryAdapter(clients.identityStore, config.identityStoreId);
  const app = config.connectApplicationArn;
  if (options.apply) {
    const assignments = app ? appAssignmentsAdapter(clients.ssoAdmin, app) : notConfigured();
    const syncUser = createSyncUser({ connect, identityStore, assignments, settings: config });
    return { syncUser, lister, identityStore, directory, known };
  }
  const planner = createPlanner(identityStore, app ? assignmentReaderAdapter(clients.ssoAdmin, app) : undefined);
  const syncUser = createSyncUser({ connect, identityStore: planner.identityStore, assignments: planner.assignments, settings: config });
  return { syncUser, lister, identityStore, directory, known, plannedWrites: planner.writes };
}

// Only reachable with ASSIGNMENT_MODE=none, where the core never assigns (config validation guarantees it).
function notConfigured(): AppAssignments {
  return {
    assign: async () => {
      throw new PermanentError('VALIDATION', 'CONNECT_APPLICATION_ARN is not configured');
    },
  };
}
