import { Metrics } from '@aws-lambda-powertools/metrics';
import { logger } from './logger.js';

/** The one Metrics of the functions (syncUser, reconcile): built here once per cold start, flushed by each handler. */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'ConnectSsoSync',
  // Two stages in one account publish to the same namespace: the stage keeps their figures apart.
  ...(process.env.STAGE && { defaultDimensions: { stage: process.env.STAGE } }),
  // Its own warnings (e.g. "no application metrics") go to the structured logger, not to bare console lines.
  logger,
});
