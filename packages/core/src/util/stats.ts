/** Arithmetic mean (NaN for an empty list). */
export function mean(xs: ArrayLike<number>): number {
  if (xs.length === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

/** Sample standard deviation (n − 1 denominator; 0 for fewer than 2 values). */
export function std(xs: ArrayLike<number>): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i]! - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

/** Standard error of the mean. */
export function sem(xs: ArrayLike<number>): number {
  return xs.length < 2 ? 0 : std(xs) / Math.sqrt(xs.length);
}

/** Least-squares line y ≈ slope·x + intercept, with the slope's standard error and R². */
export interface LinearFit {
  slope: number;
  intercept: number;
  slopeStdErr: number;
  r2: number;
}

/** Ordinary least squares fit of y on x. */
export function linearFit(x: ArrayLike<number>, y: ArrayLike<number>): LinearFit {
  const n = x.length;
  if (n !== y.length || n < 2) throw new Error(`linearFit needs ≥ 2 paired points, got ${n} and ${y.length}`);
  const mx = mean(x);
  const my = mean(y);
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i]! - mx) ** 2;
    sxy += (x[i]! - mx) * (y[i]! - my);
    syy += (y[i]! - my) ** 2;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (y[i]! - (slope * x[i]! + intercept)) ** 2;
  const slopeStdErr = n > 2 ? Math.sqrt(sse / (n - 2) / sxx) : Number.NaN;
  return { slope, intercept, slopeStdErr, r2: syy === 0 ? 1 : 1 - sse / syy };
}

/** Fit of log(y) on log(x): the power-law exponent is the slope. */
export function logLogFit(x: ArrayLike<number>, y: ArrayLike<number>): LinearFit {
  return linearFit(Array.from(x, Math.log), Array.from(y, Math.log));
}

/** Linear-interpolated quantile (q in [0, 1]). */
export function quantile(xs: ArrayLike<number>, q: number): number {
  const s = Array.from(xs).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}
