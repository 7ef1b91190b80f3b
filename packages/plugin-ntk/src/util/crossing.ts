/** First x where `values` reach `level`, interpolated in log x (log values too when `logValues`); NaN if never. */
export function crossing(
  ts: readonly number[],
  values: readonly number[],
  level: number,
  logValues = false,
): number {
  const f = (v: number) => (logValues ? Math.log(v) : v);
  for (let i = 1; i < ts.length; i++) {
    if (values[i]! >= level) {
      const [a, b] = [f(values[i - 1]!), f(values[i]!)];
      const t = Math.min(1, Math.max(0, (f(level) - a) / Math.max(b - a, 1e-12)));
      return Math.exp(Math.log(ts[i - 1]!) + t * (Math.log(ts[i]!) - Math.log(ts[i - 1]!)));
    }
  }
  return Number.NaN;
}

/** First T where the weight change reaches `factor` × its lowest-T value (log-log interpolation); NaN if never. */
export const crossoverTemperature = (ts: readonly number[], changes: readonly number[], factor: number) =>
  crossing(ts, changes, factor * changes[0]!, true);
