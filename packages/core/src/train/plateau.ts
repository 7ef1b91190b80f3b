/** Options of {@link detectPlateau}. */
export interface PlateauOptions {
  /** Epochs (recorded values) that must bring no real improvement (default 3). */
  window?: number;
  /** Improvement below this fraction of the earlier best counts as none (default 0.01, i.e. 1 %). */
  relTol?: number;
  /** Improvement below this absolute amount counts as none too (default 0). */
  absTol?: number;
  /** `min` for losses (default), `max` for accuracies. */
  mode?: 'min' | 'max';
}

/** Whether a value history ended on a plateau, and since when. */
export interface PlateauVerdict {
  /** The last `window` values improved the best earlier value by less than the tolerance. */
  plateaued: boolean;
  /** 0-based index of the first value of the final run of plateaued positions (null if not plateaued). */
  since: number | null;
  /** Relative improvement over the last window at the end: (earlier best − recent best)/|earlier best|. */
  lastGain: number;
}

/**
 * Decides whether training "reached a plateau": the last `window` values improved the best value seen
 * before them by at most `relTol` (relative) or `absTol` (absolute). Needs more than `window` values;
 * non-finite values never count as a plateau. For claims such as "each model was trained to a plateau".
 */
export function detectPlateau(values: readonly number[], options: PlateauOptions = {}): PlateauVerdict {
  const w = options.window ?? 3;
  const rel = options.relTol ?? 0.01;
  const abs = options.absTol ?? 0;
  const max = options.mode === 'max';
  if (!Number.isInteger(w) || w < 1)
    throw new RangeError(`detectPlateau: window must be a positive integer, got ${w}`);
  const better = (a: number, b: number) => (max ? Math.max(a, b) : Math.min(a, b));
  // prefix[i]: best of values[0..i]; a position e is flat when the window after prefix[e − w] gains < tol.
  const prefix: number[] = [];
  values.forEach((v, i) => {
    prefix.push(i === 0 ? v : better(prefix[i - 1]!, v));
  });
  const gainAt = (e: number): number => {
    const before = prefix[e - w]!;
    let recent = values[e - w + 1]!;
    for (let i = e - w + 2; i <= e; i++) recent = better(recent, values[i]!);
    return max ? recent - before : before - recent;
  };
  const flatAt = (e: number): boolean => {
    if (e < w) return false;
    const before = prefix[e - w]!;
    const gain = gainAt(e);
    if (!Number.isFinite(before) || !Number.isFinite(gain)) return false;
    return gain <= Math.max(rel * Math.abs(before), abs);
  };
  const last = values.length - 1;
  const plateaued = flatAt(last);
  let since: number | null = null;
  if (plateaued) {
    since = last;
    while (flatAt(since - 1)) since--;
  }
  const lastGain = last >= w ? gainAt(last) / Math.abs(prefix[last - w]!) : Number.NaN;
  return { plateaued, since, lastGain };
}
