import { eigh, type Mat, matFrom } from '@paperlab/core/linalg';
import { logGamma } from '../../stats/distributions.js';

/**
 * Exact GP and Student-t-process regression on a shared kernel through one eigendecomposition
 * K = VΛVᵀ: for any noise ratio r, (K + rI)⁻¹ = V(Λ + r)⁻¹Vᵀ, so the noise can be chosen by marginal likelihood
 * over a grid at the cost of matrix–vector products. C outputs (one-hot regression targets) share the kernel.
 */
export interface SpectralKernel {
  n: number;
  values: Float64Array;
  vectors: Mat;
  /** Vᵀ Y, [n, C] row-major. */
  projY: Float64Array;
  classes: number;
}

/** Decomposes the training kernel and projects the targets. */
export function spectralKernel(K: Float64Array, n: number, Y: Float64Array, classes: number): SpectralKernel {
  const { values, vectors } = eigh(matFrom(n, n, K));
  const V = vectors.data;
  const projY = new Float64Array(n * classes);
  for (let k = 0; k < n; k++)
    for (let c = 0; c < classes; c++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += V[i * n + k]! * Y[i * classes + c]!;
      projY[k * classes + c] = s;
    }
  return { n, values, vectors, projY, classes };
}

/** Σ_c y_cᵀ(K + rI)⁻¹y_c and log det(K + rI). */
export function quadAndLogDet(sk: SpectralKernel, r: number): { quad: number; logDet: number } {
  let quad = 0;
  let logDet = 0;
  for (let k = 0; k < sk.n; k++) {
    const lam = Math.max(sk.values[k]!, 0) + r;
    logDet += Math.log(lam);
    for (let c = 0; c < sk.classes; c++) quad += sk.projY[k * sk.classes + c]! ** 2 / lam;
  }
  return { quad, logDet };
}

/** GP log marginal likelihood of all C outputs with covariance s·(K + rI), maximised over s in closed form. */
export function gpLogMarginal(sk: SpectralKernel, r: number): { logMl: number; scale: number } {
  const { quad, logDet } = quadAndLogDet(sk, r);
  const nc = sk.n * sk.classes;
  const scale = quad / nc;
  return {
    scale,
    logMl: -0.5 * (quad / scale + sk.classes * logDet + nc * Math.log(2 * Math.PI * scale)),
  };
}

/**
 * Log marginal likelihood of the scale mixture: σ² ~ InvGamma(a, b) shared by all outputs, Y | σ² ~ N(0, σ²(K + rI)).
 * Integrating σ² gives Γ(a + NC/2)/Γ(a) · bᵃ · (2π)^{−NC/2} |K + rI|^{−C/2} (b + Σβ/2)^{−(a + NC/2)}.
 */
export function tpLogMarginal(sk: SpectralKernel, r: number, a: number, b: number): number {
  const { quad, logDet } = quadAndLogDet(sk, r);
  const h = (sk.n * sk.classes) / 2;
  return (
    logGamma(a + h) -
    logGamma(a) +
    a * Math.log(b) -
    h * Math.log(2 * Math.PI) -
    0.5 * sk.classes * logDet -
    (a + h) * Math.log(b + quad / 2)
  );
}

/** Predictive mean [m, C] and the kernel part of the variance k** + r − k*ᵀ(K + rI)⁻¹k* [m] at test points. */
export function predict(
  sk: SpectralKernel,
  r: number,
  kTest: Float64Array,
  kDiag: Float64Array,
): { mean: Float64Array; variance: Float64Array } {
  const n = sk.n;
  const m = kDiag.length;
  const C = sk.classes;
  const V = sk.vectors.data;
  const lam = Float64Array.from(sk.values, (v) => Math.max(v, 0) + r);
  // coef = V (Λ + r)⁻¹ Vᵀ Y  [n, C]
  const w = new Float64Array(n * C);
  for (let k = 0; k < n; k++) for (let c = 0; c < C; c++) w[k * C + c] = sk.projY[k * C + c]! / lam[k]!;
  const coef = new Float64Array(n * C);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const v = V[i * n + k]!;
      if (v === 0) continue;
      for (let c = 0; c < C; c++) coef[i * C + c]! += v * w[k * C + c]!;
    }
  const mean = new Float64Array(m * C);
  const variance = new Float64Array(m);
  const proj = new Float64Array(n);
  for (let t = 0; t < m; t++) {
    const row = kTest.subarray(t * n, (t + 1) * n);
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += row[i]! * coef[i * C + c]!;
      mean[t * C + c] = s;
    }
    proj.fill(0);
    for (let i = 0; i < n; i++) {
      const ki = row[i]!;
      if (ki === 0) continue;
      for (let k = 0; k < n; k++) proj[k]! += ki * V[i * n + k]!;
    }
    let q = 0;
    for (let k = 0; k < n; k++) q += proj[k]! ** 2 / lam[k]!;
    variance[t] = Math.max(kDiag[t]! + r - q, 1e-12);
  }
  return { mean, variance };
}
