import { connectUserLister } from './adapters/connect-users.js';
import { assignmentReaderAdapter, groupMembersAdapter, identityListerAdapter } from './adapters/identity-directory.js';
import { createPacer } from './adapters/pacer.js';
import type { AwsClients } from './clients.js';
import { createAwsSyncDeps, createUseCases } from './composition.js';
import { withSharedRules, type CoreDeps } from './core/context.js';
import { dryRun, type PlannedStep } from './core/dry-run.js';
import type { SyncSettingsConfig } from './config.js';
import type { ReconcileSources } from './core/ports/index.js';
import type { UseCases } from './process-record.js';

/** Everything reconcile needs, wired once: the composition root of reconcile (CLI and scheduled function). */
export interface ReconcileWiring {
  core: CoreDeps;
  sources: ReconcileSources;
  useCases: UseCases;
  /** The same use cases over dry-run ports: they write nothing and say what they would write. */
  planning(): { useCases: UseCases; core: CoreDeps; steps: PlannedStep[] };
}

export function wireReconcile(config: SyncSettingsConfig & { linksTable: string }, clients: AwsClients): ReconcileWiring {
  const deps = createAwsSyncDeps(config, clients);
  const core = withSharedRules(deps);
  const app = config.connectApplicationArn;
  return {
    core,
    useCases: createUseCases(core),
    planning() {
      const planned = dryRun(deps);
      const planCore = withSharedRules(planned.deps);
      return { useCases: createUseCases(planCore), core: planCore, steps: planned.steps };
    },
    sources: {
      // The listing has its own Connect rate limit (ListUsers / SearchUsers), paced like the other Connect calls.
      connectUsers: connectUserLister(clients.connect, createPacer(config.connectRequestsPerSecond)),
      members: groupMembersAdapter(clients.identityStore, config.identityStoreId),
      identities: identityListerAdapter(clients.identityStore, config.identityStoreId),
      assignments: config.assignmentMode !== 'none' && app ? assignmentReaderAdapter(clients.ssoAdmin, app) : undefined,
    },
  };
}
