/** A number with fixed digits, or `n/a` when it is missing or not finite. */
export function fmt(v: number | undefined, digits = 3): string {
  return v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(digits);
}

/** A fraction as a percentage with one decimal (`n/a` when missing or not finite). */
export function pct(v: number | undefined, digits = 1): string {
  return v === undefined || !Number.isFinite(v) ? 'n/a' : `${(100 * v).toFixed(digits)}%`;
}

/** A difference of fractions in percentage points, with its standard error when given. */
export function points(v: number, se?: number): string {
  const s = `${v >= 0 ? '+' : ''}${(100 * v).toFixed(1)}`;
  return se === undefined ? `${s} pts` : `${s} ± ${(100 * se).toFixed(1)} pts`;
}

/** `value ± err` with fixed digits. */
export function pm(value: number, err: number, digits = 3): string {
  return `${fmt(value, digits)} ± ${fmt(err, digits)}`;
}

/** A fraction `± err`, both as percentages with fixed decimals (`n/a` for a missing or non-finite side). */
export function pctPm(value: number | undefined, err: number | undefined, digits = 1): string {
  return `${pct(value, digits)} ± ${pct(err, digits)}`;
}

/** An interval `[lo, hi]`; infinite ends print as `−∞`/`∞`. */
export function interval(lo: number, hi: number, digits?: number): string {
  const end = (v: number) =>
    v === Number.POSITIVE_INFINITY
      ? '∞'
      : v === Number.NEGATIVE_INFINITY
        ? '−∞'
        : digits === undefined
          ? String(v)
          : v.toFixed(digits);
  return `[${end(lo)}, ${end(hi)}]`;
}
