import type { SeriesRow, Table } from '../contracts/output.js';

/** Builds a result table from tidy rows: `columns` maps a row key to its column title, in order. */
export function tableFromRows(
  id: string,
  title: string,
  rows: readonly SeriesRow[],
  columns: Readonly<Record<string, string>>,
): Table {
  const keys = Object.keys(columns);
  return {
    id,
    title,
    columns: keys.map((k) => columns[k]!),
    rows: rows.map((r) =>
      keys.map((k) => {
        const v = r[k];
        return v === undefined || typeof v === 'boolean' ? (v === undefined ? null : String(v)) : v;
      }),
    ),
  };
}

/** A table from column titles and rows, checking every row has one cell per column. */
export function table(id: string, title: string, columns: string[], rows: Table['rows']): Table {
  for (const [i, row] of rows.entries())
    if (row.length !== columns.length)
      throw new Error(`table '${id}': row ${i} has ${row.length} cells for ${columns.length} columns`);
  return { id, title, columns, rows };
}
