/**
 * Central finite difference of `f` along coordinate `i` of `x`: (f(x + ε·eᵢ) − f(x − ε·eᵢ)) / 2ε, each side on a
 * copy of `x` of the same array type (so a Float32Array's ±ε is rounded as the simulator sees it); `x` is unchanged.
 */
export function centralDifference<T extends Float32Array | Float64Array>(
  f: (x: T) => number,
  x: T,
  i: number,
  eps: number,
): number {
  const p = x.slice() as T;
  const m = x.slice() as T;
  p[i]! += eps;
  m[i]! -= eps;
  return (f(p) - f(m)) / (2 * eps);
}
