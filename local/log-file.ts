import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** One structured log record, as the function wrote it (a Powertools JSON object). */
export type LogRecord = Record<string, unknown>;

/**
 * Sends the function's structured logs (Powertools writes through the global console when POWERTOOLS_DEV is set)
 * to a file, one JSON object a line, so a terminal demo shows its own progress and report, not log lines.
 * `onRecord` sees each JSON record too (e.g. to print `outcomeLine`); lines that are not JSON objects only go to the file.
 */
export function logsToFile(path: string, onRecord?: (record: LogRecord) => void): () => Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const file = createWriteStream(path, { flags: 'w' });
  const write = (...args: unknown[]) => {
    const text = args.map(String).join(' ');
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      file.write(`${text}\n`);
      return;
    }
    file.write(`${JSON.stringify(record)}\n`);
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return;
    try {
      onRecord?.(record as LogRecord);
    } catch {
      // The callback only displays: a display fault must never fail the function that is logging.
    }
  };
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) console[method] = write;
  return () => new Promise((resolve) => file.end(resolve));
}

/** True while a process with this id runs (EPERM: it runs, as another user). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface ClaimedLog {
  /** The file this run writes (and truncates): `path`, or `path` with this run's process id when another run has it. */
  path: string;
  /** Gives `path` back for the next run (nothing to do for a file of this run's own). */
  release(): void;
}

/**
 * The log file of this run. Two `npm start` at once must not truncate each other's log: the first takes `path`
 * (a `<path>.pid` file holds its process id), the next writes `<name>.<pid>.log` beside it. A `.pid` file whose process
 * is gone (killed before it released) is taken over.
 */
export function claimLogFile(path: string, pid = process.pid, running: (pid: number) => boolean = isRunning): ClaimedLog {
  mkdirSync(dirname(path), { recursive: true });
  const lock = `${path}.pid`;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(lock, String(pid), { flag: 'wx' });
      return {
        path,
        release: () => {
          if (ownerOf(lock) === pid) rmSync(lock, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = ownerOf(lock);
      // No id yet: its owner is between creating and writing it, so it runs.
      if (owner === undefined || running(owner)) break;
      rmSync(lock, { force: true });
    }
  }
  return { path: path.replace(/(\.log)?$/, `.${pid}.log`), release: () => undefined };
}

function ownerOf(lock: string): number | undefined {
  try {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

const OUTCOME = /^[a-z][a-z-]{0,30}$/;
const ID = /^[A-Za-z0-9-]{1,100}$/;
const CODE = /^[A-Z][A-Z0-9_]{0,60}$/;
// The function's log messages are static words ("record failed, will retry"); anything else is not printed.
const STATIC_TEXT = /^[A-Za-z ,=:-]{1,100}$/;

const field = (record: LogRecord, key: string, shape: RegExp): string | undefined => {
  const value = record[key];
  return typeof value === 'string' && shape.test(value) ? value : undefined;
};
const UUID_END = /^(?:([0-9a-f]{10})-)?([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * An id, shortened to find the record in the log file: the first 8 characters of its UUID, after the identity store
 * prefix an Identity Store id starts with ("906711aaaa-2e685bcc-..." -> "906711aaaa-2e685bcc…"), which is kept: it is
 * part of the id, and says which store the user is in.
 */
const shortId = (id: string) => {
  const uuid = UUID_END.exec(id);
  if (uuid) return `${uuid[1] ? `${uuid[1]}-` : ''}${uuid[2]}…`;
  return id.length > 9 ? `${id.slice(0, 8)}…` : id;
};

/**
 * One terminal line for a record that carries an `outcome` (the syncUser function logs exactly one per SQS record),
 * else undefined: `12:04:31  created        connect 8f1c2a3b…  ->  identity 2e685bcc…`, then the `reason`
 * (ignored, deprovisioned, ...) or the `errorCode` with the log message (failed). Any outcome word is shown as is.
 * Ids, codes and static words only: every field is read by name and must have the shape it should, so an email or a
 * name never gets through (errorMessage, which quotes AWS errors, is never read).
 */
export function outcomeLine(record: LogRecord, now: () => Date = () => new Date()): string | undefined {
  const outcome = field(record, 'outcome', OUTCOME);
  if (!outcome) return undefined;
  const stamp = typeof record.timestamp === 'string' ? new Date(record.timestamp) : now();
  const time = (Number.isNaN(stamp.getTime()) ? now() : stamp).toTimeString().slice(0, 8);
  const connect = field(record, 'connectUserId', ID);
  const identity = field(record, 'identityUserId', ID);
  const code = field(record, 'errorCode', CODE);
  const message = field(record, 'message', STATIC_TEXT);
  const reason = field(record, 'reason', STATIC_TEXT);
  const parts = [time, outcome.padEnd(13)];
  if (connect) parts.push(`connect ${shortId(connect)}`);
  if (identity) parts.push(`->  identity ${shortId(identity)}`);
  if (code) parts.push(message ? `${code} (${message})` : code);
  else if (reason) parts.push(reason);
  return parts.join('  ').trimEnd();
}
