import { connectUserLister } from './adapters/connect-users.js';
import { assignmentReaderAdapter, groupMembersAdapter } from './adapters/identity-directory.js';
import { createPacer } from './adapters/pacer.js';
import type { AwsClients } from './clients.js';
import { createAwsSyncContext, createUseCases } from './composition.js';
import type { SyncSettingsConfig } from './config.js';
import type { SyncContext } from './core/context.js';
import type { ReconcileSources } from './core/reconcile.js';
import type { UseCases } from './process-record.js';

/** Everything reconcile needs, wired once: the composition root of reconcile (CLI and scheduled function). */
export interface ReconcileWiring {
  ctx: SyncContext;
  sources: ReconcileSources;
  useCases: UseCases;
}

export function wireReconcile(config: SyncSettingsConfig & { linksTable: string }, clients: AwsClients): ReconcileWiring {
  const ctx = createAwsSyncContext(config, clients);
  const app = config.connectApplicationArn;
  return {
    ctx,
    useCases: createUseCases(ctx),
    sources: {
      // The listing has its own Connect rate limit (ListUsers / SearchUsers), paced like the other Connect calls.
      connectUsers: connectUserLister(clients.connect, createPacer(config.connectRequestsPerSecond)),
      members: groupMembersAdapter(clients.identityStore, config.identityStoreId),
      assignments: config.assignmentMode !== 'none' && app ? assignmentReaderAdapter(clients.ssoAdmin, app) : undefined,
    },
  };
}
