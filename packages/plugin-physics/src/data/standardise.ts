/**
 * Per-column standardisation fitted on row-major training features `x` [n × d]: returns the map of any row-major
 * [m × d] features to (value − column mean) / column std (population std; a constant column keeps std 1), as
 * float32.
 */
export function columnStandardiser(
  x: ArrayLike<number>,
  d: number,
): (features: ArrayLike<number>) => Float32Array {
  const n = x.length / d;
  const mu = new Float64Array(d);
  const sd = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i * d + k]!;
    mu[k] = s / n;
    let s2 = 0;
    for (let i = 0; i < n; i++) s2 += (x[i * d + k]! - mu[k]!) ** 2;
    sd[k] = Math.sqrt(s2 / n) || 1;
  }
  return (features) => Float32Array.from(features, (v, q) => (v - mu[q % d]!) / sd[q % d]!);
}
