/** The environment variables that decide colour (a subset of `process.env`). */
export type ColorEnv = Partial<
  Record<'NO_COLOR' | 'FORCE_COLOR' | 'CLICOLOR' | 'CLICOLOR_FORCE' | 'TERM', string | undefined>
>;

/**
 * Whether to use ANSI colours on `stream`. As Node decides it: `FORCE_COLOR` wins (`0`/`false` off, anything else
 * on); else a non-empty `NO_COLOR` turns colour off; else `CLICOLOR_FORCE` (not `0`) turns it on and `CLICOLOR=0`
 * off; else colour is on for a TTY whose `TERM` is not `dumb`.
 */
export function useColor(
  stream: { isTTY?: boolean } = process.stdout,
  env: ColorEnv = process.env as ColorEnv,
): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false'].includes(force.toLowerCase());
  if (env.NO_COLOR) return false;
  if (env.CLICOLOR_FORCE !== undefined && env.CLICOLOR_FORCE !== '0') return true;
  if (env.CLICOLOR === '0') return false;
  return !!stream.isTTY && env.TERM !== 'dumb';
}

const codes = { red: 31, green: 32, yellow: 33, blue: 34, dim: 2, bold: 1 } as const;

/** Wraps text in an ANSI style when colour is on. */
export function style(text: string, s: keyof typeof codes, on = useColor()): string {
  return on ? `\u001b[${codes[s]}m${text}\u001b[0m` : text;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escape sequences is the point.
const ANSI = /\u001b\[[0-9;]*m/g;

/** `text` without ANSI colour codes. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** How many terminal columns `text` takes: its characters without colour codes (one column each). */
export function visibleWidth(text: string): number {
  return [...stripAnsi(text)].length;
}

/** `text` cut to `width` columns with `…` (colour dropped from a cut cell, so it never bleeds). */
export function elide(text: string, width: number): string {
  if (visibleWidth(text) <= width) return text;
  if (width <= 0) return '';
  return `${[...stripAnsi(text)].slice(0, width - 1).join('')}…`;
}

/** Pads `text` with spaces to `width` visible columns (colour codes do not count). */
export function padVisible(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleWidth(text)));
}

/**
 * The width output should fit: the terminal's columns when `stream` is a TTY (80 if it does not say), else
 * `undefined` — piped output is never cut, so scripts and files get every number in full.
 */
export function terminalWidth(
  stream: { isTTY?: boolean; columns?: number } = process.stdout,
): number | undefined {
  if (!stream.isTTY) return undefined;
  return stream.columns && stream.columns > 0 ? stream.columns : 80;
}

/** How a table is laid out. */
export interface TableOptions {
  /** Columns to fit in; `undefined` (piped output) keeps every cell whole. Default {@link terminalWidth}(). */
  width?: number | undefined;
  /**
   * Per column, how much it matters when the table must shrink: lower priorities are elided first (down to a
   * few characters), then dropped whole, lowest first. Default: the first column highest, then left to right.
   */
  priority?: readonly number[];
}

const GAP = 2;
/** The narrowest a column is elided to before it is dropped. */
const MIN_COLUMN = 8;

/**
 * Renders rows as an aligned plain-text table that fits `options.width`: too wide, it elides cells of the
 * lowest-priority columns with `…`, and if that is not enough drops those columns whole (never the first). Widths
 * are counted without colour codes, so coloured cells line up. Without a width (piped) nothing is cut. A number as
 * the third argument is the former per-cell cap and is ignored: tables now fit the terminal instead.
 */
export function textTable(
  columns: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
  options: TableOptions | number = {},
): string {
  const opts: TableOptions = typeof options === 'number' ? {} : options;
  const width = 'width' in opts ? opts.width : terminalWidth();
  const cells = [columns.map(String), ...rows.map((r) => columns.map((_, i) => String(r[i] ?? '')))];
  const natural = columns.map((_, i) => Math.max(...cells.map((r) => visibleWidth(r[i]!))));
  const priority = columns.map((_, i) => opts.priority?.[i] ?? (i === 0 ? Number.POSITIVE_INFINITY : -i));
  const widths = [...natural];
  const kept = columns.map(() => true);
  if (width !== undefined) {
    const total = (ws: readonly number[]) =>
      ws.reduce((sum, w, i) => sum + (kept[i] ? w : 0), 0) + GAP * (kept.filter(Boolean).length - 1);
    // The first column is elided only when it alone is too wide; the others down to MIN_COLUMN.
    const least = natural.map((w, i) => (i === 0 ? w : Math.min(w, MIN_COLUMN)));
    // Lowest priority first; among equals, the rightmost first.
    const order = columns.map((_, i) => i).sort((a, b) => priority[a]! - priority[b]! || b - a);
    // Keep the columns that fit even at their narrowest, dropping the lowest-priority ones (never the first).
    for (const i of order) {
      if (total(least) <= width) break;
      if (i !== 0) kept[i] = false;
    }
    // Then elide the kept ones, lowest priority first, just enough to fit.
    for (const i of [...order.filter((i) => i !== 0), 0]) {
      const excess = total(widths) - width;
      if (excess <= 0) break;
      if (kept[i]) widths[i] = Math.max(i === 0 ? MIN_COLUMN : least[i]!, widths[i]! - excess);
    }
  }
  const shown = columns.map((_, i) => i).filter((i) => kept[i]);
  const line = (r: readonly string[]) =>
    shown
      .map((i) => padVisible(elide(r[i]!, widths[i]!), widths[i]!))
      .join(' '.repeat(GAP))
      .trimEnd();
  return [
    line(cells[0]!),
    shown.map((i) => '─'.repeat(widths[i]!)).join(' '.repeat(GAP)),
    ...cells.slice(1).map(line),
  ].join('\n');
}

/**
 * Word-wraps one line of text to `width` columns (colour codes do not count); continuation lines keep the line's
 * indentation plus two spaces. A word wider than a line is cut into pieces that fit.
 */
export function wrapLine(text: string, width: number): string[] {
  if (visibleWidth(text) <= width) return [text];
  const indent = /^\s*/.exec(stripAnsi(text))![0];
  const hang = `${indent}  `;
  const out: string[] = [];
  let line = '';
  const room = Math.max(1, width - hang.length);
  // A word wider than a line (a JSON value, a path) is cut into line-sized pieces.
  const words = text
    .trimStart()
    .split(/ +/)
    .flatMap((w) => {
      if (visibleWidth(w) <= room) return [w];
      const chars = [...stripAnsi(w)];
      const pieces: string[] = [];
      for (let i = 0; i < chars.length; i += room) pieces.push(chars.slice(i, i + room).join(''));
      return pieces;
    });
  for (const word of words) {
    const prefix = out.length === 0 ? indent : hang;
    const candidate = line ? `${line} ${word}` : `${prefix}${word}`;
    if (line && visibleWidth(candidate) > width) {
      out.push(line);
      line = `${hang}${word}`;
    } else line = candidate;
  }
  if (line) out.push(line);
  return out;
}

/** Text for a terminal: every line wrapped to `width` (none given, e.g. piped: unchanged). */
export function fitText(text: string, width: number | undefined): string {
  if (width === undefined) return text;
  return text
    .split('\n')
    .flatMap((l) => wrapLine(l, width))
    .join('\n');
}

/** Seconds → `1m 05s`. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}
