/** Right-hand side of y' = f(t, y). */
export type OdeRhs = (t: number, y: Float64Array) => Float64Array;

/**
 * Classical fourth-order Runge–Kutta from t₀ with a fixed step, recording y at each of `times` (ascending,
 * ≥ t₀; the last step into each time is shortened to land on it). Returns one state per time.
 */
export function rk4(
  f: OdeRhs,
  y0: ArrayLike<number>,
  t0: number,
  times: readonly number[],
  dt: number,
): Float64Array[] {
  if (!(dt > 0)) throw new RangeError(`rk4: step must be positive, got ${dt}`);
  let y = Float64Array.from(y0);
  let t = t0;
  const d = y.length;
  const axpy = (a: Float64Array, s: number, b: Float64Array) =>
    Float64Array.from({ length: d }, (_, i) => a[i]! + s * b[i]!);
  const out: Float64Array[] = [];
  for (const target of times) {
    if (target < t - 1e-12) throw new RangeError(`rk4: times must be ascending from t0 = ${t0}`);
    while (t < target - 1e-12) {
      const h = Math.min(dt, target - t);
      const k1 = f(t, y);
      const k2 = f(t + h / 2, axpy(y, h / 2, k1));
      const k3 = f(t + h / 2, axpy(y, h / 2, k2));
      const k4 = f(t + h, axpy(y, h, k3));
      y = Float64Array.from(
        { length: d },
        (_, i) => y[i]! + (h / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!),
      );
      t += h;
    }
    out.push(Float64Array.from(y));
  }
  return out;
}
