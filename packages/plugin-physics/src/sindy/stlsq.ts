import { solveSPD } from '@paperlab/core/linalg';

/** Result of {@link stlsq}: coefficients [features × targets] (column-major per target) and the active sets. */
export interface StlsqResult {
  /** coef[t][f]: coefficient of feature f in target t's equation. */
  coef: Float64Array[];
  iterations: number;
}

function ridgeSolve(
  Theta: Float64Array,
  n: number,
  cols: number[],
  y: Float64Array,
  ridge: number,
): Float64Array {
  const k = cols.length;
  const width = Theta.length / n;
  const A = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < k; a++) {
      const va = Theta[i * width + cols[a]!]!;
      b[a]! += va * y[i]!;
      for (let c = 0; c < k; c++) A[a * k + c]! += va * Theta[i * width + cols[c]!]!;
    }
  for (let a = 0; a < k; a++) A[a * k + a]! += ridge;
  return solveSPD({ rows: k, cols: k, data: A }, { rows: k, cols: 1, data: b }).X.data;
}

/**
 * Sequentially thresholded least squares (SINDy, Brunton, Proctor & Kutz 2016): least squares of each target on
 * the candidate library Θ [n × features], then repeatedly zero coefficients below `threshold` and refit on the
 * rest until the active set stops changing. `ridge` adds λ‖ξ‖² (default 1e-10, for conditioning only).
 */
export function stlsq(
  Theta: Float64Array,
  n: number,
  targets: Float64Array[],
  threshold: number,
  options: { ridge?: number; maxIter?: number } = {},
): StlsqResult {
  const features = Theta.length / n;
  if (!Number.isInteger(features))
    throw new RangeError(`stlsq: library has ${Theta.length} values, not a multiple of n = ${n}`);
  const ridge = options.ridge ?? 1e-10;
  const maxIter = options.maxIter ?? 20;
  let iterations = 0;
  const coef = targets.map((y) => {
    if (y.length !== n) throw new RangeError(`stlsq: a target has ${y.length} values for n = ${n}`);
    let active = Array.from({ length: features }, (_, f) => f);
    let xi = new Float64Array(features);
    for (let it = 0; it < maxIter; it++) {
      iterations = Math.max(iterations, it + 1);
      const sol = active.length ? ridgeSolve(Theta, n, active, y, ridge) : new Float64Array(0);
      xi = new Float64Array(features);
      active.forEach((f, a) => {
        xi[f] = sol[a]!;
      });
      const next = active.filter((f) => Math.abs(xi[f]!) >= threshold);
      if (next.length === active.length) break;
      active = next;
    }
    return xi;
  });
  return { coef, iterations };
}

/** Central differences of a uniformly sampled signal (one-sided at the ends): the derivative SINDy regresses on. */
export function finiteDifference(y: ArrayLike<number>, dt: number): Float64Array {
  const n = y.length;
  if (n < 3) throw new RangeError(`finiteDifference needs at least 3 samples, got ${n}`);
  return Float64Array.from({ length: n }, (_, i) =>
    i === 0
      ? (-3 * y[0]! + 4 * y[1]! - y[2]!) / (2 * dt)
      : i === n - 1
        ? (3 * y[n - 1]! - 4 * y[n - 2]! + y[n - 3]!) / (2 * dt)
        : (y[i + 1]! - y[i - 1]!) / (2 * dt),
  );
}
