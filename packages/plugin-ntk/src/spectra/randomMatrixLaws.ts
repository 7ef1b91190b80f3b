/** CDF of Wigner's semicircle law on [−R, R] (R = 2 for unit-variance-over-n symmetric matrices). */
export function semicircleCdf(x: number, radius = 2): number {
  if (x <= -radius) return 0;
  if (x >= radius) return 1;
  const u = x / radius;
  return 0.5 + (u * Math.sqrt(1 - u * u) + Math.asin(u)) / Math.PI;
}

/**
 * CDF of the Marchenko–Pastur law of the eigenvalues of X·Xᵀ/m for an n × m matrix X of unit-variance entries,
 * ratio λ = n/m ≤ 1: density √((b − x)(x − a))/(2πλx) on [a, b] = [(1 − √λ)², (1 + √λ)²].
 */
export function marchenkoPasturCdf(x: number, ratio: number): number {
  if (!(ratio > 0 && ratio <= 1))
    throw new Error(`marchenkoPasturCdf: ratio must be in (0, 1], got ${ratio}`);
  const a = (1 - Math.sqrt(ratio)) ** 2;
  const b = (1 + Math.sqrt(ratio)) ** 2;
  if (x <= a) return 0;
  if (x >= b) return 1;
  // Substitute x = a + (b − a)·sin²(θ/2)... simpler: x(θ) = (a + b)/2 − (b − a)/2·cos θ, θ ∈ [0, π] removes
  // the square-root endpoints: √((b − x)(x − a)) dx = ((b − a)/2)² sin²θ dθ.
  const c = (a + b) / 2;
  const h = (b - a) / 2;
  const thetaX = Math.acos(Math.max(-1, Math.min(1, (c - x) / h)));
  const steps = 2000;
  let s = 0;
  for (let k = 0; k < steps; k++) {
    const th = ((k + 0.5) * thetaX) / steps;
    const xv = c - h * Math.cos(th);
    s += (h * h * Math.sin(th) ** 2) / xv;
  }
  return (s * (thetaX / steps)) / (2 * Math.PI * ratio);
}

/** Kolmogorov–Smirnov distance sup_x |F_n(x) − F(x)| between a sample and a continuous CDF. */
export function ksDistance(samples: ArrayLike<number>, cdf: (x: number) => number): number {
  const s = Float64Array.from(samples).sort();
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(s[i]!);
    d = Math.max(d, Math.abs(f - i / n), Math.abs((i + 1) / n - f));
  }
  return d;
}
