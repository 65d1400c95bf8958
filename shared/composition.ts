import { Metrics } from '@aws-lambda-powertools/metrics';
import { appAssignmentsAdapter } from './adapters/app-assignments.js';
import { connectDirectoryAdapter } from './adapters/connect-directory.js';
import { deadLettersAdapter } from './adapters/dead-letters.js';
import { identityStoreAdapter } from './adapters/identity-store.js';
import { createPacer } from './adapters/pacer.js';
import { createClients, type AwsClients } from './clients.js';
import type { SyncConfig } from './config.js';
import { PermanentError } from './core/errors.js';
import type { AppAssignments } from './core/ports.js';
import { createSyncUser } from './core/sync-user.js';
import { logger } from './logger.js';
import { createRecordProcessor } from './process-record.js';

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'ConnectSsoSync',
  // Its own warnings (e.g. "no application metrics") go to the structured logger, not to bare console lines.
  logger,
});

/** Wires the sync use case to AWS: the one composition root, run once per cold start. */
export function createSyncRecordProcessor(config: SyncConfig, clients: AwsClients = createClients(config)) {
  const syncUser = createSyncUser({
    connect: connectDirectoryAdapter(clients.connect, createPacer(config.connectRequestsPerSecond)),
    identityStore: identityStoreAdapter(clients.identityStore, config.identityStoreId),
    assignments: assignmentsFor(config, clients),
    settings: config,
  });
  return createRecordProcessor({
    syncUser,
    deadLetters: deadLettersAdapter(clients.sqs, config.dlqUrl),
    instanceId: config.connectInstanceId,
    logger,
    metrics,
  });
}

function assignmentsFor(config: SyncConfig, clients: AwsClients): AppAssignments {
  if (config.connectApplicationArn) return appAssignmentsAdapter(clients.ssoAdmin, config.connectApplicationArn);
  // Only reachable with ASSIGNMENT_MODE=none, where the core never assigns (config validation guarantees it).
  return {
    assign: async () => {
      throw new PermanentError('VALIDATION', 'CONNECT_APPLICATION_ARN is not configured');
    },
  };
}
