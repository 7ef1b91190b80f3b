/** Bin counts of a histogram and the bins' geometry. */
export interface Histogram {
  counts: number[];
  lo: number;
  /** Bin width. */
  width: number;
  /** Centre of bin b. */
  centre(b: number): number;
}

/**
 * Counts of `values` in `bins` equal bins on [lo, hi) (default: the values' own range, closed). Values outside
 * are dropped; when `closed`, values up to hi inclusive count and round-off past the last bin is clamped into it.
 */
export function histogram(
  values: readonly number[],
  bins: number,
  range?: { lo: number; hi: number; closed?: boolean },
): Histogram {
  const lo = range?.lo ?? Math.min(...values);
  const hi = range?.hi ?? Math.max(...values);
  const closed = range ? (range.closed ?? false) : true;
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    const b = Math.floor((v - lo) / width);
    if (closed && v >= lo && v <= hi) counts[Math.min(bins - 1, b)]!++;
    else if (b >= 0 && b < bins) counts[b]!++;
  }
  return { counts, lo, width, centre: (b) => lo + (b + 0.5) * width };
}
