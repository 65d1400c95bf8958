import { formatAge, matches, parseDuration, summarizeByCode, type DeadLetterRow, type ReplayFilter } from '../shared/core/dead-letter-view.js';
import type { MessageQueue } from '../shared/core/ports/index.js';
import { listDeadLetters, replayDeadLetters, type ReplayResult } from '../shared/core/replay.js';
import { redact } from '../shared/core/redact.js';
import type { QueueRole } from '../shared/config/operator-config.js';
import { cliQueues, type CliClients } from '../shared/composition/cli.js';
import { resolveQueueUrl } from './aws.js';
import { commandArgs, createProgress, fitTable, formatTable, positive, UsageError, type CliIo } from './io.js';
import { ok, okUnless, type Outcome } from './outcome.js';

export const REPLAY_HELP = `Usage: connect-sso-sync replay [list|run] [options]

Reads the dead-letter queues: sync-dlq (syncs that failed for good, or ran out of retries) and events-dlq (events
EventBridge could not deliver to the sync queue).

  list (default)          Table of the messages (age, Connect user, error code, times received, error message) and a
                          summary by error code. Changes nothing: each message read is made visible again.
                          USER is the Connect Username when the event carries it (CreateUser), else the user id.
                          RECEIVED is SQS's receive count: it includes this read and every earlier list or run.
  run                     Sends the chosen messages back to the sync queue. Without filters, sync-dlq is redriven by
                          SQS's own message move task; with filters (and always for events-dlq) each message is sent,
                          then deleted from the dead-letter queue only once the send succeeded.

Options:
  --queue <name>          sync-dlq, events-dlq or all (default: all)
  --code <CODE>           only messages with this error code (repeatable; RETRIES_EXHAUSTED = redriven by SQS)
  --user <id|username>    only messages about this Connect user (repeatable)
  --older-than <age>      only messages older than this (e.g. 30m, 6h, 2d)
  --newer-than <age>      only messages newer than this
  --max <n>               at most n messages (run)
  --dry-run               run: say what would be replayed, change nothing
  --wide                  list: error messages in full and the Connect user id next to the Username (no fitting
                          to the terminal's width)
  --json                  machine-readable output on stdout
  --stage <stage>         find queues by name (connect-sso-sync-<stage>-...) when SYNC_QUEUE_URL, DLQ_URL,
                          EVENTS_DLQ_URL are not set
  -h, --help              this help

Exit status: 0 done, 1 a message failed (see the summary), 2 could not do its work (usage, configuration,
credentials, an AWS error that stopped it).`;

const OPTIONS = {
  queue: { type: 'string', default: 'all' },
  code: { type: 'string', multiple: true },
  user: { type: 'string', multiple: true },
  'older-than': { type: 'string' },
  'newer-than': { type: 'string' },
  max: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  wide: { type: 'boolean', default: false },
  stage: { type: 'string' },
} as const;

/** Reading to list (replay list, user) hides messages this long; a crashed list leaves them hidden no longer than this. */
export const LIST_VISIBILITY_SECONDS = 30;
/** Reading for `run`: long enough to send and delete a batch, and to finish the scan before they reappear. */
const RUN_VISIBILITY_SECONDS = 300;

function age(flag: string, value: string | undefined): number | undefined {
  const seconds = value === undefined ? undefined : parseDuration(value);
  if (value !== undefined && seconds === undefined) throw new UsageError(`--${flag} must be a duration such as 90s, 30m, 6h or 2d (got "${value}")`);
  return seconds;
}

export async function runReplay(argv: string[], io: CliIo, clients?: CliClients): Promise<Outcome> {
  const args = commandArgs(argv, OPTIONS, REPLAY_HELP, io, true);
  if (!args) return ok();
  const { values, positionals } = args;
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
  const max = positive('max', values.max);
  if (action === 'list' && (values['dry-run'] || max !== undefined)) throw new UsageError('--dry-run and --max apply to "replay run" only');
  if (action === 'run' && values.wide) throw new UsageError('--wide applies to "replay list" only');

  const queues = cliQueues(clients);
  const queue = async (role: QueueRole) => queues.queue(await resolveQueueUrl(queues.urls, role, io.env, values.stage));
  const sources = await Promise.all(roles.map(queue));

  if (action === 'list') return listMessages(sources, filter, { json: values.json, wide: values.wide, filterText: filterFlags(values) }, io);
  const destination = await queue('sync');
  const results: ReplayResult[] = [];
  for (const [i, source] of sources.entries()) {
    const progress = createProgress(io, `replay ${source.name}`);
    const result = await replayDeadLetters(source, destination, {
      filter,
      max: max === undefined ? undefined : max - results.reduce((n, r) => n + r.matched, 0),
      dryRun: values['dry-run'],
      // SQS's move task redrives only queues fed by an SQS redrive policy: sync-dlq, not events-dlq.
      mover: roles[i] === 'sync-dlq' ? queues.mover : undefined,
      visibilitySeconds: RUN_VISIBILITY_SECONDS,
      onProgress: (p) => progress.update(p.replayed || p.scanned, p.expected, p.replayed ? 'replayed' : 'read'),
    });
    progress.finish();
    results.push(result);
    if (max !== undefined && results.reduce((n, r) => n + r.matched, 0) >= max) break;
  }
  const failures = printRunSummary(results, values.json, io);
  return okUnless(results.some((r) => r.failed > 0), failures);
}

/** The filters as the operator typed them, for "none matched --code NO_EMAIL". */
const filterFlags = (values: Partial<Record<'code' | 'user' | 'older-than' | 'newer-than', string | string[]>>): string =>
  (['code', 'user', 'older-than', 'newer-than'] as const).flatMap((flag) => [values[flag] ?? []].flat().map((v) => `--${flag} ${v}`)).join(' ');

export interface ListOptions {
  json: boolean;
  /** No fitting to the terminal: reasons in full, the user id next to the Username. */
  wide: boolean;
  /** The filter flags, as typed; empty without filters. */
  filterText: string;
}

/** `replay list`: reads every message of `sources`, prints those matching `filter`, changes nothing. */
export async function listMessages(sources: MessageQueue[], filter: ReplayFilter, options: ListOptions, io: CliIo): Promise<Outcome> {
  const rows: DeadLetterRow[] = [];
  const queues: { queue: string; read: number; matched: number }[] = [];
  let releaseFailed = 0;
  for (const source of sources) {
    const progress = createProgress(io, `reading ${source.name}`);
    const result = await listDeadLetters(source, {
      visibilitySeconds: LIST_VISIBILITY_SECONDS,
      onProgress: (p) => progress.update(p.scanned, Math.max(p.expected, p.scanned)),
    });
    progress.finish();
    const chosen = result.rows.filter((r) => matches(r, filter));
    rows.push(...chosen);
    queues.push({ queue: source.name, read: result.rows.length, matched: chosen.length });
    releaseFailed += result.releaseFailed;
  }
  rows.sort((a, b) => b.ageSeconds - a.ageSeconds);
  const read = queues.reduce((n, q) => n + q.read, 0);
  const summary = summarizeByCode(rows);
  const done = ok(releaseFailed > 0 ? [`note: ${releaseFailed} message(s) could not be made visible again; they reappear within ${LIST_VISIBILITY_SECONDS}s.`] : []);
  if (options.json) {
    // The operator's own terminal or script: the Username is what identifies the user there (never a Lambda log).
    const messages = rows.map((row) => ({ ...row, message: redact(row.message) }));
    io.out(JSON.stringify({ read, matched: rows.length, queues, messages, summary }, null, 2));
    return done;
  }
  const names = sources.map((s) => s.name).join(', ');
  if (rows.length === 0) {
    io.out(read === 0
      ? `No messages in the dead-letter queues${names ? ` (${names})` : ''}.`
      : `${read} message(s) read in ${names}; none matched ${options.filterText}.`);
    return done;
  }
  for (const line of messageTable(rows, options.wide, io.columns)) io.out(line);
  io.out('RECEIVED: SQS\'s ApproximateReceiveCount, which counts this read and every earlier replay list or run: not sync attempts.');
  io.out('');
  const counted = options.filterText ? `${rows.length} of ${read} message(s) read matched ${options.filterText}` : `${rows.length} message(s)`;
  io.out(`${counted}. By error code:`);
  for (const line of formatTable(['  CODE', 'COUNT'], summary.map((s) => [`  ${s.code}`, String(s.count)]))) io.out(line);
  return done;
}

/**
 * RECEIVED, not "attempts": SQS has no way to look at a message without receiving it, so every list and run adds one,
 * and how many earlier reads there were is unknowable (other operators, the replay function, interrupted runs).
 */
function messageTable(rows: DeadLetterRow[], wide: boolean, columns: number | undefined): string[] {
  const user = (r: DeadLetterRow) => r.connectUsername ?? r.connectUserId ?? '-';
  const headers = ['QUEUE', 'AGE', 'USER', ...(wide ? ['CONNECT USER ID'] : []), 'ERROR CODE', 'RECEIVED', 'ERROR MESSAGE'];
  const table = rows.map((r) => [
    r.queue.endsWith('events-dlq') ? 'events-dlq' : 'sync-dlq',
    formatAge(r.ageSeconds),
    user(r),
    ...(wide ? [r.connectUserId ?? '-'] : []),
    r.code,
    String(r.receiveCount),
    redact(r.message),
  ]);
  // Only USER (index 2) gives up room to the message: a cut Username or id is still recognisable, a cut code is not.
  return fitTable(headers, table, { width: columns, wide, shrink: [2] });
}

/** Prints what was replayed; returns a line per message that failed (for main to print on stderr). */
function printRunSummary(results: ReplayResult[], json: boolean, io: CliIo): string[] {
  const failures: string[] = [];
  if (json) {
    io.out(JSON.stringify({ results }, null, 2));
    return failures;
  }
  for (const r of results) {
    const verb = r.dryRun ? 'would replay' : 'replayed';
    const how = r.mode === 'move-task' ? 'SQS message move task' : 'send, then delete';
    io.out(`${r.queue}: ${verb} ${r.dryRun ? r.matched : r.replayed} of ${r.scanned} message(s) read (${how})` + (r.failed ? `, ${r.failed} failed` : ''));
    for (const c of r.byCode) io.out(`  ${c.code}: ${c.count}`);
    for (const f of r.failures.slice(0, 20)) failures.push(`  failed${f.messageId ? ` ${f.messageId}` : ''}: ${f.reason}`);
    if (r.failures.length > 20) failures.push(`  ... and ${r.failures.length - 20} more`);
  }
  const failed = results.reduce((n, r) => n + r.failed, 0);
  io.out(failed ? `${failed} message(s) failed: they are still in the dead-letter queue (run again to retry).` : 'Done.');
  return failures;
}
