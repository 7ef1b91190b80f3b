/** Whether to use ANSI colours (TTY and no NO_COLOR). */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return !!stream.isTTY && !process.env.NO_COLOR;
}

const codes = { red: 31, green: 32, yellow: 33, blue: 34, dim: 2, bold: 1 } as const;

/** Wraps text in an ANSI style when colour is on. */
export function style(text: string, s: keyof typeof codes, on = useColor()): string {
  return on ? `\u001b[${codes[s]}m${text}\u001b[0m` : text;
}

/** Renders rows as an aligned plain-text table. */
export function textTable(columns: string[], rows: Array<Array<string | number>>, maxWidth = 60): string {
  const cells = [columns, ...rows.map((r) => r.map((c) => String(c)))].map((r) =>
    r.map((c) => (c.length > maxWidth ? `${c.slice(0, maxWidth - 1)}…` : c)),
  );
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(cells[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join(
    '\n',
  );
}

/** Seconds → `1m 05s`. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}
