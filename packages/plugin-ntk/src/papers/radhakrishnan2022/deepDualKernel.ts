import { logAddExp } from '../../util/logAddExp.js';

/**
 * Infinitely deep NTKs on the unit sphere by iterating a normalised dual activation ξ (ξ(1) = 1).
 *
 * On the sphere every NNGP/NTK entry is a function of the cosine ρ = x·x' alone:
 * ρ_{l+1} = ξ(ρ_l), K_{l+1} = ξ(ρ_l) + K_l·ξ'(ρ_l), K_0 = ρ (Radhakrishnan, Belkin, Uhler 2022, eq. for the
 * NTK of a bias-free fully-connected net with normalised activation). Deep kernels span hundreds of orders
 * of magnitude (diagonal ~ ξ'(1)^L, off-diagonal ~ ξ'(0)^L or ρ^{k^L}), so the recursion runs in log space on
 * a grid of w = log((1 − ρ)/ρ), which keeps relative precision both near ρ = 1 (nearby points) and near
 * ρ = 0; entries for data are read off the grid by linear interpolation in w (monotone, so nearest-neighbour
 * orderings are preserved exactly).
 */

/** A dual activation ξ(ρ) = Σ_k c_k ρ^k with c_k ≥ 0 and Σ c_k = 1 (squared normalised Hermite coefficients). */
export interface PolynomialDual {
  /** Coefficients c_0, c_1, …; non-negative, summing to 1. */
  coeffs: number[];
}

/** Checks that coefficients define a normalised dual (c_k ≥ 0, Σ c_k = 1). */
export function checkDual(dual: PolynomialDual): void {
  const s = dual.coeffs.reduce((a, b) => a + b, 0);
  if (dual.coeffs.some((c) => c < 0) || Math.abs(s - 1) > 1e-9)
    throw new Error(`dual coefficients must be ≥ 0 and sum to 1, got [${dual.coeffs.join(', ')}]`);
}

/** ξ'(1) = Σ k c_k. */
export function dualSlopeAtOne(dual: PolynomialDual): number {
  return dual.coeffs.reduce((a, c, k) => a + k * c, 0);
}

/** The three activations of the taxonomy, named after the classifier their infinitely deep NTK becomes. */
export type TaxonomyActivation = 'nn' | 'majority' | 'singular';

/**
 * The three dual activations of the taxonomy. ρ² (Hermite-2: ξ(0) = ξ'(0) = 0) → 1-NN; ½ + ½ρ³ (ξ(0) > 0,
 * ξ'(1) > 1: an attracting fixed point ρ* < 1) → majority vote; ½ρ + ½ρ^k (ξ(0) = 0 < ξ'(0) < 1 < ξ'(1)) → a
 * singular kernel ‖x − x'‖^{−β} with β = 2·log(1/ξ'(0))/log ξ'(1); k = 2·4^{1/(d−1)} − 1 makes β = d − 1,
 * the exponent of the consistent Hilbert-kernel rule on S^{d−1} (k = 7 for d = 2, k = 3 for d = 3).
 */
export function taxonomyDuals(dim: number): Record<TaxonomyActivation, PolynomialDual> {
  const k = Math.round(2 * 4 ** (1 / (dim - 1)) - 1);
  const singular = new Array<number>(k + 1).fill(0);
  singular[1] = 0.5;
  singular[k] = 0.5;
  return {
    nn: { coeffs: [0, 0, 1] },
    majority: { coeffs: [0.5, 0, 0, 0.5] },
    singular: { coeffs: singular },
  };
}

/** Singular exponent β predicted for a dual with c_0 = 0 < c_1: ‖x − x'‖^{−2 log(1/c_1)/log ξ'(1)}. */
export function predictedSingularExponent(dual: PolynomialDual): number {
  return (2 * Math.log(1 / dual.coeffs[1]!)) / Math.log(dualSlopeAtOne(dual));
}

/** One layer of the recursion for a cosine given by log ρ; returns log ξ(ρ) and log ξ'(ρ). */
function dualStep(coeffs: number[], logRho: number): { logNext: number; logSlope: number } {
  const delta = -Math.expm1(logRho); // 1 − ρ, accurate when ρ ≈ 1
  let logNext: number;
  if (delta < 0.5) {
    // 1 − ξ(ρ) = Σ c_k (1 − ρ^k): no cancellation near ρ = 1.
    let d = 0;
    for (let k = 1; k < coeffs.length; k++) if (coeffs[k]! > 0) d += coeffs[k]! * -Math.expm1(k * logRho);
    logNext = Math.log1p(-d);
  } else {
    logNext = -Infinity;
    for (let k = 0; k < coeffs.length; k++)
      if (coeffs[k]! > 0) logNext = logAddExp(logNext, Math.log(coeffs[k]!) + k * logRho);
  }
  let logSlope = -Infinity;
  for (let k = 1; k < coeffs.length; k++)
    if (coeffs[k]! > 0) logSlope = logAddExp(logSlope, Math.log(k * coeffs[k]!) + (k - 1) * logRho);
  return { logNext, logSlope };
}

/** log NTK (and log NNGP) of one cosine after each requested depth, by direct iteration (reference). */
export function deepKernelEntry(
  dual: PolynomialDual,
  logRho: number,
  depths: number[],
): { logNtk: number[]; logNngp: number[] } {
  const want = [...depths].sort((a, b) => a - b);
  const logNtk: number[] = [];
  const logNngp: number[] = [];
  let lr = logRho;
  let lk = logRho;
  let next = 0;
  for (let l = 0; next < want.length; l++) {
    while (next < want.length && want[next] === l) {
      logNtk.push(lk);
      logNngp.push(lr);
      next++;
    }
    if (next >= want.length) break;
    const { logNext, logSlope } = dualStep(dual.coeffs, lr);
    lk = logAddExp(logNext, lk + logSlope);
    lr = logNext;
  }
  return { logNtk, logNngp };
}

/** Tabulated deep NTK: log K_L(w) on a uniform grid of w = log((1−ρ)/ρ), and log K_L(1) on the diagonal. */
export interface DeepKernelTable {
  /** Depths tabulated (ascending); depths whose kernel leaves float64 even in log space are dropped. */
  depths: number[];
  wMin: number;
  wMax: number;
  /** Per depth: log K on the grid (grid point g ↔ w = wMin + g·step). */
  logK: Float64Array[];
  /** Per depth: log K_L(ρ = 1). */
  logDiag: number[];
  step: number;
  /** How the deepest layers were reached: layers iterated one by one, and layers skipped exactly. */
  layersIterated: number;
  layersJumped: number;
}

/** log((μ^{L+1} − 1)/(μ − 1)) = log Σ_{l=0}^{L} μ^l, the NTK on the diagonal (ρ_l = 1 for all l). */
function logDiagonal(mu: number, L: number): number {
  if (Math.abs(mu - 1) < 1e-15) return Math.log(L + 1);
  const lm = Math.log(mu);
  if (mu > 1) return (L + 1) * lm + Math.log1p(-Math.exp(-(L + 1) * lm)) - Math.log(mu - 1);
  return Math.log1p(-Math.exp((L + 1) * lm)) - Math.log(1 - mu);
}

/** Below this cosine a dual with c_0 = 0 < c_1 is linear to ~1e-30 relative precision. */
const LINEAR_TAIL_LOG_RHO = Math.log(1e-30);

/**
 * Runs the recursion on the grid for all requested depths. Two exact shortcuts make "infinite" depths
 * (10⁸ layers) cheap: (i) when c_0 = 0 < c_1 and every grid cosine has fallen below 1e−30, the dual is linear,
 * ρ ↦ c_1ρ, so L more layers give ρ_L = c_1^L ρ and K_L = c_1^L (K + L·ρ) in closed form; (ii) when the
 * state stops changing (an attracting fixed point ρ* < 1 reached to machine precision) later layers repeat
 * it. A depth whose values overflow float64 even in log space (ρ^{2^L} with 2^L > 10³⁰⁸) is dropped.
 */
export function tabulateDeepNtk(
  dual: PolynomialDual,
  depths: number[],
  grid: { points: number; wMin: number; wMax: number } = { points: 8193, wMin: -70, wMax: 45 },
): DeepKernelTable {
  checkDual(dual);
  const ds = [...new Set(depths)].sort((a, b) => a - b);
  const G = grid.points;
  const step = (grid.wMax - grid.wMin) / (G - 1);
  const lr = new Float64Array(G);
  const lk = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    const w = grid.wMin + g * step;
    // log ρ = −log(1 + e^w), computed stably.
    lr[g] = -(w > 0 ? w + Math.log1p(Math.exp(-w)) : Math.log1p(Math.exp(w)));
    lk[g] = lr[g]!;
  }
  const c = dual.coeffs;
  const linearTail = (c[0] ?? 0) === 0 && (c[1] ?? 0) > 0;
  const logC1 = Math.log(c[1] ?? 0);
  const mu = dualSlopeAtOne(dual);
  const out: DeepKernelTable = {
    depths: [],
    wMin: grid.wMin,
    wMax: grid.wMax,
    logK: [],
    logDiag: [],
    step,
    layersIterated: 0,
    layersJumped: 0,
  };
  let layer = 0;
  let stationary = false;
  for (const target of ds) {
    while (layer < target) {
      let maxLr = -Infinity;
      for (let g = 0; g < G; g++) if (lr[g]! > maxLr) maxLr = lr[g]!;
      if (stationary) {
        out.layersJumped += target - layer;
        layer = target;
        break;
      }
      if (linearTail && maxLr < LINEAR_TAIL_LOG_RHO) {
        const jump = target - layer;
        for (let g = 0; g < G; g++) {
          lk[g] = jump * logC1 + logAddExp(lk[g]!, Math.log(jump) + lr[g]!);
          lr[g] = lr[g]! + jump * logC1;
        }
        out.layersJumped += jump;
        layer = target;
        break;
      }
      let changed = false;
      for (let g = 0; g < G; g++) {
        const { logNext, logSlope } = dualStep(c, lr[g]!);
        const k = logAddExp(logNext, lk[g]! + logSlope);
        if (
          Math.abs(k - lk[g]!) > 1e-15 * Math.abs(k) ||
          Math.abs(logNext - lr[g]!) > 1e-15 * Math.abs(logNext)
        )
          changed = true;
        lk[g] = k;
        lr[g] = logNext;
      }
      if (!changed) stationary = true;
      layer++;
      out.layersIterated++;
    }
    if (!lk.every((v) => Number.isFinite(v))) break;
    out.depths.push(target);
    out.logK.push(lk.slice());
    out.logDiag.push(logDiagonal(mu, target));
  }
  return out;
}

/** w = log((1 − ρ)/ρ) of two unit vectors, with 1 − ρ = ‖x − y‖²/2 for precision. */
export function cosineLogit(
  x: ArrayLike<number>,
  xOff: number,
  y: ArrayLike<number>,
  yOff: number,
  d: number,
) {
  let dot = 0;
  let dist2 = 0;
  for (let k = 0; k < d; k++) {
    const a = x[xOff + k]!;
    const b = y[yOff + k]!;
    dot += a * b;
    dist2 += (a - b) * (a - b);
  }
  return Math.log(dist2 / 2) - Math.log(dot);
}

/** log K_L at a given w (linear interpolation; clamped linear extrapolation outside the grid). */
export function lookupLogK(table: DeepKernelTable, depthIndex: number, w: number): number {
  const t = table.logK[depthIndex]!;
  if (w === -Infinity) return table.logDiag[depthIndex]!;
  const pos = (w - table.wMin) / table.step;
  const G = t.length;
  let i = Math.floor(pos);
  if (i < 0) i = 0;
  if (i > G - 2) i = G - 2;
  const f = pos - i;
  return t[i]! + f * (t[i + 1]! - t[i]!);
}
