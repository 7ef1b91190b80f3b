/** Lanczos approximation of ln Γ(x) for x > 0 (relative error ~1e-14). */
export function logGamma(x: number): number {
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const xm = x - 1;
  let a = c[0]!;
  const t = xm + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i]! / (xm + i);
  return 0.5 * Math.log(2 * Math.PI) + (xm + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The Sérsic b_n making R_e the half-light radius (Ciotti & Bertin 1999 expansion; good for n ≥ 0.36). */
export function sersicB(n: number): number {
  return 2 * n - 1 / 3 + 4 / (405 * n) + 46 / (25515 * n * n);
}

/**
 * Central-to-effective normalisation: the surface brightness I_e at R_e of a Sérsic profile of total flux `flux`,
 * index `n`, half-light radius `re` (pixels) and axis ratio `q`:
 * L = 2π n q R_e² I_e e^{b_n} b_n^{−2n} Γ(2n).
 */
export function sersicIe(flux: number, n: number, re: number, q: number): number {
  const b = sersicB(n);
  const logL = Math.log(2 * Math.PI * n * q * re * re) + b - 2 * n * Math.log(b) + logGamma(2 * n);
  return flux / Math.exp(logL);
}
