import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Where a command writes and what it reads from its environment; tests pass their own. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Raw stderr writes, for the progress bar. */
  errRaw(text: string): void;
  /** True when stderr is a terminal: only then is a progress bar drawn. */
  errIsTty: boolean;
  /** The width of the terminal stdout writes to; undefined when stdout is not a terminal (piped, redirected). */
  columns?: number;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The clock (status's 24 hours, reconcile's run times); tests pass their own. Default: the system's. */
  now?: () => Date;
}

export function processIo(): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    errRaw: (text) => process.stderr.write(text),
    errIsTty: Boolean(process.stderr.isTTY),
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Wrong flags or arguments: main prints the message with a pointer to --help (exit status 2, cli/outcome.ts). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;
/** The flags every command takes. */
const COMMON = { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } as const;

/**
 * A command's flags and arguments (node:util parseArgs in strict mode, plus --json and -h/--help), its errors turned into
 * UsageErrors; undefined once `help` is printed for --help. Arguments are refused unless the command `takesArguments`.
 */
export function commandArgs<T extends Options>(argv: string[], options: T, help: string, io: CliIo, takesArguments = false) {
  const parsed = parseCommandArgs(argv, { ...options, ...COMMON });
  if ((parsed.values as { help?: boolean }).help) {
    io.out(help);
    return undefined;
  }
  if (!takesArguments && parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`);
  return parsed;
}

function parseCommandArgs<T extends Options>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    // Not `instanceof Error`: under a test runner, Node's own errors come from another realm.
    const text = typeof (error as { message?: unknown })?.message === 'string' ? (error as { message: string }).message : String(error);
    const message = text.replace(/\. To specify a positional argument.*$/s, '');
    // Node's three lines for `--max -1` ("argument is ambiguous. Did you forget ...? To specify ...") become one.
    const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec(message);
    if (ambiguous) {
      const flag = ambiguous[1] ?? '';
      const given = argv[argv.indexOf(flag) + 1] ?? '';
      throw new UsageError(`${flag} needs a value, not the option-like "${given}" (write ${flag}=${given} to pass it as the value)`);
    }
    throw new UsageError(message.split('\n')[0] ?? message);
  }
}

/** The value of a numeric flag: undefined when not given; else a positive number (a positive integer if `integer`). */
export function positive(flag: string, value: string | undefined, integer = true): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (integer ? !Number.isInteger(n) || n < 1 : !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`--${flag} must be a positive ${integer ? 'integer' : 'number'} (got "${value}")`);
  }
  return n;
}

const cut = (cell: string, width: number) => (cell.length > width ? `${cell.slice(0, width - 1)}…` : cell);

/**
 * The one table row writer: each cell cut to its column's width (ending with "…") and padded to it, two spaces
 * between columns, no trailing blanks. A column without a width is written as it is. Tables streamed line by line
 * give fixed widths (they cannot depend on rows not seen yet); formatTable and fitTable size them from the rows.
 */
export function fixedRow(cells: string[], widths: readonly (number | undefined)[]): string {
  return cells
    .map((cell, i) => {
      const width = widths[i];
      return width === undefined ? cell : cut(cell, width).padEnd(width);
    })
    .join('  ')
    .trimEnd();
}

/** Each column's widest cell. */
const widestCells = (all: string[][], columns: number) => Array.from({ length: columns }, (_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));

/** Left-aligned columns, each as wide as its widest cell (capped at `max`, longer cells cut with "…"). */
export function formatTable(headers: string[], rows: string[][], max = 60): string[] {
  const all = [headers, ...rows];
  const widths = widestCells(all, headers.length).map((w) => Math.min(w, max));
  return all.map((r) => fixedRow(r, widths));
}

export interface FitOptions {
  /** The terminal's width. Undefined (not a terminal): nothing to fit, the last column is cut at a sane length only. */
  width?: number;
  /** Cut nothing (--wide): long lines wrap, and pipes get every character. */
  wide?: boolean;
  /** Columns that may give up room for the last one, in order, down to MIN_COLUMN each; the others are never cut. */
  shrink?: number[];
}

/** Narrower than this, a free-text cell is unreadable: the line is left to wrap instead. */
const MIN_LAST = 24;
const MIN_COLUMN = 12;
/** Piped output has no width to fit, but one runaway message should not fill a screen. */
const PIPED_LAST = 200;

/**
 * Left-aligned columns for a table whose last column is free text (a reason): the other columns as wide as their
 * widest cell, the last one gets what is left of the terminal's width. When that is less than MIN_LAST, the
 * `shrink` columns give up room first. Cut cells end with "…".
 */
export function fitTable(headers: string[], rows: string[][], options: FitOptions = {}): string[] {
  const all = [headers, ...rows];
  const widths = widestCells(all, headers.length);
  const last = headers.length - 1;
  const natural = widths[last] ?? 0;
  const { width } = options;
  if (!options.wide && width === undefined) widths[last] = Math.min(natural, PIPED_LAST);
  if (!options.wide && width !== undefined) {
    const left = () => width - widths.slice(0, last).reduce((sum, w) => sum + w, 0) - 2 * last;
    const wanted = Math.min(natural, MIN_LAST);
    for (const i of options.shrink ?? []) {
      const w = widths[i] ?? 0;
      if (left() >= wanted) break;
      widths[i] = Math.min(w, Math.max(MIN_COLUMN, w - (wanted - left())));
    }
    widths[last] = Math.max(wanted, Math.min(natural, left()));
  }
  return all.map((r) => fixedRow(r, widths));
}

export interface Progress {
  update(done: number, total?: number, note?: string): void;
  finish(): void;
}

const BAR_WIDTH = 30;

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
      const part = total ? Math.min(done, total) / total : 0;
      const bar = total ? `[${'#'.repeat(Math.round(part * BAR_WIDTH)).padEnd(BAR_WIDTH, '.')}] ${Math.floor(part * 100)}% ${done}/${total}` : `${done}`;
      io.errRaw(`\r\x1b[2K${label} ${bar} ${note}`.trimEnd());
    },
    finish() {
      if (drawn) io.errRaw('\r\x1b[2K');
    },
  };
}
