import { sqsMessageMover, sqsQueueAdapter } from '../shared/adapters/queues.js';
import { formatAge, matches, parseDuration, summarizeByCode, type DeadLetterRow, type ReplayFilter } from '../shared/core/dead-letter-view.js';
import type { MessageQueue } from '../shared/core/operator-ports.js';
import { listDeadLetters, replayDeadLetters, type ReplayResult } from '../shared/core/replay.js';
import { redact } from '../shared/logger.js';
import type { QueueRole } from '../shared/operator-config.js';
import { createCliClients, resolveQueueUrl, type CliClients } from './aws.js';
import { createProgress, EXIT, formatTable, parseCommandArgs, positiveInteger, UsageError, type CliIo } from './io.js';

export const REPLAY_HELP = `Usage: connect-sso-sync replay [list|run] [options]

Reads the dead-letter queues: sync-dlq (syncs that failed for good, or ran out of retries) and events-dlq (events
EventBridge could not deliver to the sync queue).

  list (default)          Table of the messages (age, Connect user id, error code and message, receive count) and a
                          summary by error code. Changes nothing: each message read is made visible again.
  run                     Sends the chosen messages back to the sync queue. Without filters, sync-dlq is redriven by
                          SQS's own message move task; with filters (and always for events-dlq) each message is sent,
                          then deleted from the dead-letter queue only once the send succeeded.

Options:
  --queue <name>          sync-dlq, events-dlq or all (default: all)
  --code <CODE>           only messages with this error code (repeatable; RETRIES_EXHAUSTED = redriven by SQS)
  --user <id>             only messages about this Connect user id (repeatable)
  --older-than <age>      only messages older than this (e.g. 30m, 6h, 2d)
  --newer-than <age>      only messages newer than this
  --max <n>               at most n messages (run)
  --dry-run               run: say what would be replayed, change nothing
  --json                  machine-readable output on stdout
  --stage <stage>         find queues by name (connect-sso-sync-<stage>-...) when SYNC_QUEUE_URL, DLQ_URL,
                          EVENTS_DLQ_URL are not set
  -h, --help              this help

Exit status: 0 done, 1 something failed (see the summary), 2 wrong usage, configuration or credentials.`;

const OPTIONS = {
  queue: { type: 'string', default: 'all' },
  code: { type: 'string', multiple: true },
  user: { type: 'string', multiple: true },
  'older-than': { type: 'string' },
  'newer-than': { type: 'string' },
  max: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  stage: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Reading for `list` hides messages this long; a crashed list leaves them hidden no longer than this. */
const LIST_VISIBILITY_SECONDS = 30;
/** Reading for `run`: long enough to send and delete a batch, and to finish the scan before they reappear. */
const RUN_VISIBILITY_SECONDS = 300;

function age(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = parseDuration(value);
  if (seconds === undefined) throw new UsageError(`--${flag} must be a duration such as 90s, 30m, 6h or 2d (got "${value}")`);
  return seconds;
}

export async function runReplay(argv: string[], io: CliIo, clients?: CliClients): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS);
  if (values.help) {
    io.out(REPLAY_HELP);
    return EXIT.ok;
  }
  const action = positionals[0] ?? 'list';
  if ((action !== 'list' && action !== 'run') || positionals.length > 1) {
    throw new UsageError(`unknown action "${positionals.join(' ')}" (expected list or run)`);
  }
  const roles: QueueRole[] =
    values.queue === 'all' ? ['sync-dlq', 'events-dlq'] : values.queue === 'sync-dlq' || values.queue === 'events-dlq' ? [values.queue] : [];
  if (roles.length === 0) throw new UsageError(`--queue must be sync-dlq, events-dlq or all (got "${values.queue}")`);
  const filter: ReplayFilter = {
    codes: values.code,
    users: values.user,
    olderThanSeconds: age('older-than', values['older-than']),
    newerThanSeconds: age('newer-than', values['newer-than']),
  };
  const max = positiveInteger('max', values.max);
  if (action === 'list' && (values['dry-run'] || max !== undefined)) throw new UsageError('--dry-run and --max apply to "replay run" only');

  const aws = clients ?? createCliClients();
  const queue = async (role: QueueRole) => sqsQueueAdapter(aws.sqs, await resolveQueueUrl(aws.sqs, role, io.env, values.stage));
  const sources = await Promise.all(roles.map(queue));

  if (action === 'list') return list(sources, filter, values.json, io);
  const destination = await queue('sync');
  const results: ReplayResult[] = [];
  for (const [i, source] of sources.entries()) {
    const progress = createProgress(io, `replay ${source.name}`);
    const result = await replayDeadLetters(source, destination, {
      filter,
      max: max === undefined ? undefined : max - results.reduce((n, r) => n + r.matched, 0),
      dryRun: values['dry-run'],
      // SQS's move task redrives only queues fed by an SQS redrive policy: sync-dlq, not events-dlq.
      mover: roles[i] === 'sync-dlq' ? sqsMessageMover(aws.sqs) : undefined,
      visibilitySeconds: RUN_VISIBILITY_SECONDS,
      onProgress: (p) => progress.update(p.replayed || p.scanned, p.expected, p.replayed ? 'replayed' : 'read'),
    });
    progress.finish();
    results.push(result);
    if (max !== undefined && results.reduce((n, r) => n + r.matched, 0) >= max) break;
  }
  printRunSummary(results, values.json, io);
  return results.some((r) => r.failed > 0) ? EXIT.failed : EXIT.ok;
}

async function list(sources: MessageQueue[], filter: ReplayFilter, json: boolean, io: CliIo): Promise<number> {
  const rows: DeadLetterRow[] = [];
  let releaseFailed = 0;
  for (const source of sources) {
    const progress = createProgress(io, `reading ${source.name}`);
    const result = await listDeadLetters(source, {
      visibilitySeconds: LIST_VISIBILITY_SECONDS,
      onProgress: (p) => progress.update(p.scanned, Math.max(p.expected, p.scanned)),
    });
    progress.finish();
    rows.push(...result.rows.filter((r) => matches(r, filter)));
    releaseFailed += result.releaseFailed;
  }
  rows.sort((a, b) => b.ageSeconds - a.ageSeconds);
  const summary = summarizeByCode(rows);
  if (json) {
    const messages = rows.map(({ connectUsername: _omitted, ...row }) => ({ ...row, message: redact(row.message) }));
    io.out(JSON.stringify({ messages, summary }, null, 2));
    return EXIT.ok;
  }
  if (rows.length === 0) {
    io.out('No messages in the dead-letter queues' + (sources.length ? ` (${sources.map((s) => s.name).join(', ')})` : '') + '.');
    return EXIT.ok;
  }
  const table = rows.map((r) => [
    r.queue.endsWith('events-dlq') ? 'events-dlq' : 'sync-dlq',
    formatAge(r.ageSeconds),
    r.connectUserId ?? (r.connectUsername ? '(username only)' : '-'),
    r.code,
    String(r.receiveCount),
    redact(r.message),
  ]);
  for (const line of formatTable(['QUEUE', 'AGE', 'CONNECT USER ID', 'ERROR CODE', 'RECEIVES', 'ERROR MESSAGE'], table, 80)) io.out(line);
  io.out('');
  io.out(`${rows.length} message(s). By error code:`);
  for (const line of formatTable(['  CODE', 'COUNT'], summary.map((s) => [`  ${s.code}`, String(s.count)]))) io.out(line);
  if (releaseFailed > 0) io.err(`note: ${releaseFailed} message(s) could not be made visible again; they reappear within ${LIST_VISIBILITY_SECONDS}s.`);
  return EXIT.ok;
}

function printRunSummary(results: ReplayResult[], json: boolean, io: CliIo): void {
  if (json) {
    io.out(JSON.stringify({ results }, null, 2));
    return;
  }
  for (const r of results) {
    const verb = r.dryRun ? 'would replay' : 'replayed';
    const how = r.mode === 'move-task' ? 'SQS message move task' : 'send, then delete';
    io.out(`${r.queue}: ${verb} ${r.dryRun ? r.matched : r.replayed} of ${r.scanned} message(s) read (${how})` + (r.failed ? `, ${r.failed} failed` : ''));
    for (const c of r.byCode) io.out(`  ${c.code}: ${c.count}`);
    for (const f of r.failures.slice(0, 20)) io.err(`  failed${f.messageId ? ` ${f.messageId}` : ''}: ${f.reason}`);
    if (r.failures.length > 20) io.err(`  ... and ${r.failures.length - 20} more`);
  }
  const failed = results.reduce((n, r) => n + r.failed, 0);
  io.out(failed ? `${failed} message(s) failed: they are still in the dead-letter queue (run again to retry).` : 'Done.');
}
