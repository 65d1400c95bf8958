import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod/mini';
import { composeReplay } from '../../shared/composition/replay.js';
import { loadReplayQueueUrls } from '../../shared/config/operator-config.js';
import { matches, parseDuration, summarizeByCode } from '../../shared/core/dead-letter-view.js';
import { PermanentError } from '../../shared/core/errors.js';
import { listDeadLetters, replayDeadLetters } from '../../shared/core/replay.js';
import { redact } from '../../shared/core/redact.js';

/**
 * The replay command as a function, for operators without SQS permissions of their own:
 *   npx osls invoke -f replay --data '{"action":"run","queue":"sync-dlq","codes":["THROTTLED"]}'
 * Same core and guarantees as `connect-sso-sync replay` (see shared/core/replay.ts).
 */
const eventSchema = z.object({
  action: z._default(z.enum(['list', 'run']), 'list'),
  queue: z._default(z.enum(['sync-dlq', 'events-dlq']), 'sync-dlq'),
  codes: z.optional(z.array(z.string())),
  users: z.optional(z.array(z.string())),
  olderThan: z.optional(z.string()),
  newerThan: z.optional(z.string()),
  max: z.optional(z.number().check(z.int(), z.positive())),
  dryRun: z._default(z.boolean(), false),
});

const MAX_ROWS = 500; // keeps the answer far below Lambda's 6 MB response limit

// Cold start: the queue URLs validated, the client and the queue adapters built once.
const { queues, logger } = composeReplay(loadReplayQueueUrls());

function duration(field: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = parseDuration(value);
  if (seconds === undefined) throw new PermanentError('VALIDATION', `${field} must be a duration such as 30m, 6h or 2d`);
  return seconds;
}

export async function replay(event: unknown) {
  const parsed = eventSchema.safeParse(event ?? {});
  if (!parsed.success) {
    throw new PermanentError('VALIDATION', `invalid input: ${parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')}`);
  }
  const input = parsed.data;
  const filter = {
    codes: input.codes,
    users: input.users,
    olderThanSeconds: duration('olderThan', input.olderThan),
    newerThanSeconds: duration('newerThan', input.newerThan),
  };
  const source = queues.source(input.queue);
  if (input.action === 'list') {
    const { rows } = await listDeadLetters(source, { visibilitySeconds: 30 });
    const chosen = rows.filter((r) => matches(r, filter));
    logger.info('dead letters listed', { queue: source.name, messages: chosen.length });
    const messages = chosen.slice(0, MAX_ROWS).map(({ connectUsername: _omitted, ...r }) => ({ ...r, message: redact(r.message) }));
    return { messages, truncated: chosen.length > MAX_ROWS, summary: summarizeByCode(chosen) };
  }
  const result = await replayDeadLetters(source, queues.destination, {
    filter,
    max: input.max,
    dryRun: input.dryRun,
    mover: input.queue === 'sync-dlq' ? queues.mover : undefined,
    visibilitySeconds: 300,
  });
  const { failures, ...counts } = result;
  logger.info('dead letters replayed', { ...counts, byCode: undefined, failures: failures.length });
  return result;
}

export const handler = middy(replay).use(injectLambdaContext(logger, { resetKeys: true }));
