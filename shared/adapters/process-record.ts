import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { withAbortSignal } from './abort.js';
import type { AssignGroup, AssignGroupOutcome } from '../core/assign-group.js';
import type { DeprovisionUser } from '../core/deprovision-user.js';
import { asSyncError, type SyncError } from '../core/errors.js';
import { repeatsKnownFailure } from '../core/known-failures.js';
import { METRIC_NAMES, RECORD_OUTCOME_METRICS, type RecordOutcome } from '../core/metric-names.js';
import type { DeadLetters } from '../core/ports/index.js';
import type { SyncUser } from '../core/sync-user.js';
import type { UpdateIdentity } from '../core/update-identity.js';
import { redact } from '../core/redact.js';
import { parseSyncMessage, type InstanceRef, type Work } from './sync-message.js';

/** The use cases a record can ask for: the processor dispatches, it has no rules of its own. */
export interface UseCases {
  sync: SyncUser;
  update: UpdateIdentity;
  deprovision: DeprovisionUser;
  assignGroup: AssignGroup;
}

export interface RecordDeps {
  useCases: UseCases;
  deadLetters: DeadLetters;
  instance: InstanceRef;
  /** The sync queue's maxReceiveCount: a record failing on its last receive is dead-lettered here, with its reason. */
  maxReceiveCount: number;
  logger: Logger;
  metrics: Metrics;
}

export interface RecordOptions {
  /** True once the invocation has answered (timeout): the record is then left to its redelivery, never parked. */
  abandoned?: () => boolean;
  /** Told of a dead-letter send in flight, so a timeout answer can wait for it (a record is parked or retried, never both). */
  onParking?: (send: Promise<void>) => void;
  /** The function's own account (its ARN in the Lambda context): an event of another account is ignored. */
  account?: string;
}

// What a log line may carry: ids, codes, counts and outcome words. Never an email or a name.
const LOGGED = ['outcome', 'connectUserId', 'identityUserId', 'groupId', 'reason', 'sync', 'changed', 'kept', 'added', 'removed', 'groupIds', 'assignment'] as const;

const loggable = (result: object): Record<string, unknown> =>
  Object.fromEntries(LOGGED.filter((key) => key in result).map((key) => [key, (result as Record<string, unknown>)[key]]));

/** The metric a record's outcome counts (shared/core/metric-names.json): an assigned group is no user's outcome. */
const metricOf = (outcome: RecordOutcome | AssignGroupOutcome['outcome']) =>
  outcome === 'assigned' || outcome === 'already-assigned' ? METRIC_NAMES.groupsAssigned : RECORD_OUTCOME_METRICS[outcome];
const { deadLettered, retried, repeatedKnownFailure } = METRIC_NAMES.failures;

/**
 * Handles one `sync` queue record. Resolves when the record is done with: synced, deliberately ignored, or
 * parked in the dead-letter queue with its reason. Throws only when the record should be retried (or could not be
 * parked), which the batch processor reports in batchItemFailures. Logs exactly one outcome line per record.
 */
export function createRecordProcessor(deps: RecordDeps): (record: SQSRecord, options?: RecordOptions) => Promise<void> {
  const { logger, metrics, useCases } = deps;
  const count = (name: string) => metrics.addMetric(name, MetricUnit.Count, 1);

  function run(work: Work) {
    if (work.kind === 'deprovision') return useCases.deprovision(work.request);
    if (work.kind === 'assign-group') return useCases.assignGroup(work.request);
    return useCases[work.kind](work.request);
  }

  async function park(record: SQSRecord, error: SyncError, lastTry: boolean, options: RecordOptions, ids: object) {
    const message = lastTry ? `gave up after ${deps.maxReceiveCount} receives; last error: ${error.message}` : error.message;
    // Never aborted: a send cut off midway may still land, and the record would then be both parked and retried.
    const send = withAbortSignal(undefined, () => deps.deadLetters.send(record.body, { code: error.code, message }));
    options.onParking?.(send);
    const failure = { ...ids, outcome: 'failed', errorCode: error.code, errorMessage: redact(message) };
    try {
      await send;
    } catch (sendError) {
      logger.error('dead-letter send failed, will retry', { ...failure, deadLetterError: asSyncError(sendError).code });
      count(retried);
      throw asSyncError(sendError);
    }
    logger.error('record failed, sent to the dead-letter queue', { ...failure, retryable: error.retryable });
    count(deadLettered);
  }

  return async function processRecord(record, options = {}) {
    const ids: Record<string, string | undefined> = { messageId: record.messageId };
    try {
      const message = parseSyncMessage(record.body, deps.instance, { account: options.account });
      ids.event = message.event;
      if (message.kind === 'ignore') {
        logger.info('record ignored', { ...ids, outcome: 'ignored', reason: message.reason });
        count(RECORD_OUTCOME_METRICS.ignored);
        return;
      }
      if (message.kind === 'deprovision') ids.connectUserId = message.request.connectUserId;
      else if (message.kind !== 'assign-group') ids.connectUserId = message.request.userId;
      const result = await run(message);
      logger.info('record done', { ...ids, ...loggable(result) });
      count(metricOf(result.outcome));
    } catch (thrown) {
      const error = asSyncError(thrown);
      if (repeatsKnownFailure(error)) {
        // Remembered when it first failed this way, and dead-lettered then: a retry failing the same way adds nothing.
        logger.warn('record failed as remembered, not dead-lettered again', { ...ids, outcome: 'failed', errorCode: error.code, known: true });
        count(repeatedKnownFailure);
        return;
      }
      const lastTry = Number(record.attributes.ApproximateReceiveCount) >= deps.maxReceiveCount;
      if ((error.retryable && !lastTry) || options.abandoned?.()) {
        logger.warn('record failed, will retry', { ...ids, outcome: 'failed', errorCode: error.code, errorMessage: redact(error.message), retryable: true });
        count(retried);
        throw error;
      }
      await park(record, error, error.retryable && lastTry, options, ids);
    }
  };
}
