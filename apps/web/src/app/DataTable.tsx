import type { ComponentChildren } from 'preact';

/** One row of a {@link DataTable}: its key and one cell per column. */
export interface DataRow {
  key: string;
  cells: ComponentChildren[];
}

/** A `data` table: a header row of `columns`, then `rows`; the columns whose indices are in `numeric` align as numbers. */
export function DataTable({
  testId,
  columns,
  rows,
  numeric = [],
}: {
  testId?: string;
  columns: string[];
  rows: DataRow[];
  numeric?: number[];
}) {
  return (
    <table class="data" data-testid={testId}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c}>{c}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            {r.cells.map((cell, j) => (
              <td key={j} class={numeric.includes(j) ? 'num' : undefined}>
                {cell}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
