import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Where a command writes and what it reads from its environment; tests pass their own. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Raw stderr writes, for the progress bar. */
  errRaw(text: string): void;
  /** True when stderr is a terminal: only then is a progress bar drawn. */
  errIsTty: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIo(): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    errRaw: (text) => process.stderr.write(text),
    errIsTty: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Wrong flags or arguments: the message is printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs in strict mode, its errors turned into UsageErrors. */
export function parseCommandArgs<T extends Options>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '') : String(error);
    throw new UsageError(message);
  }
}

export function positiveInteger(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${flag} must be a positive integer (got "${value}")`);
  return n;
}

export function positiveNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${flag} must be a positive number (got "${value}")`);
  return n;
}

/** Left-aligned columns, each as wide as its widest cell (capped at `max`, longer cells cut with "…"). */
export function formatTable(headers: string[], rows: string[][], max = 60): string[] {
  const cut = (cell: string) => (cell.length > max ? `${cell.slice(0, max - 1)}…` : cell);
  const all = [headers, ...rows].map((r) => r.map(cut));
  const widths = headers.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

/** A fixed-width row, for tables streamed line by line (widths cannot depend on rows not seen yet). */
export function fixedRow(cells: string[], widths: number[]): string {
  return cells
    .map((cell, i) => {
      const width = widths[i];
      if (width === undefined) return cell;
      const fitted = cell.length > width ? `${cell.slice(0, width - 1)}…` : cell;
      return fitted.padEnd(width);
    })
    .join('  ')
    .trimEnd();
}

export interface Progress {
  update(done: number, total?: number, note?: string): void;
  finish(): void;
}

/** A one-line progress bar on stderr, redrawn at most ten times a second; nothing at all when stderr is not a TTY. */
export function createProgress(io: CliIo, label: string, now: () => number = Date.now): Progress {
  if (!io.errIsTty) return { update: () => undefined, finish: () => undefined };
  let last = 0;
  let drawn = false;
  return {
    update(done, total, note = '') {
      if (now() - last < 100 && (total === undefined || done < total)) return;
      last = now();
      drawn = true;
      const width = 30;
      const bar = total
        ? `[${'#'.repeat(Math.round((Math.min(done, total) / total) * width)).padEnd(width, '.')}] ${Math.floor((Math.min(done, total) / total) * 100)}% ${done}/${total}`
        : `${done}`;
      io.errRaw(`\r\x1b[2K${label} ${bar} ${note}`.trimEnd());
    },
    finish() {
      if (drawn) io.errRaw('\r\x1b[2K');
    },
  };
}
