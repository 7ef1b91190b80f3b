import { meanSem, withSem } from '@paperlab/core/kit';

/** Scalars being written by a run (any key type). */
type Sink = Record<string, number | undefined>;

/**
 * Writes every metric `m` of per-seed cells (keys in the first cell's order) as `<prefix>_<m>` (mean over
 * seeds) and `<prefix>_<m>_sem` (its standard error).
 */
export function recordMeans(
  scalars: Sink,
  prefix: string,
  cells: ReadonlyArray<Readonly<Record<string, number>>>,
): void {
  for (const m of Object.keys(cells[0] ?? {}))
    Object.assign(scalars, withSem(`${prefix}_${m}`, meanSem(cells.map((c) => c[m]!))));
}
