import { cholesky, conjugateGradient, matFrom, solveLower, solveUpperT } from '@paperlab/core/linalg';
import { cosineLogit, type DeepKernelTable, lookupLogK } from './deepDualKernel.js';
import type { SphereSample } from './dirichletSphere.js';

/** A deep NTK at one tabulated depth. */
export interface KernelAtDepth {
  table: DeepKernelTable;
  depthIndex: number;
}

/** Pairwise w = log((1−ρ)/ρ) between test rows and train rows, [m, n]. */
export function logitMatrix(a: SphereSample, b: SphereSample): Float64Array {
  const out = new Float64Array(a.n * b.n);
  for (let i = 0; i < a.n; i++)
    for (let j = 0; j < b.n; j++) out[i * b.n + j] = cosineLogit(a.x, i * a.d, b.x, j * b.d, a.d);
  return out;
}

/** sign(Σ_i α_i K(x, x_i)) with the per-point maximum factored out (the sign is scale-free). */
function signOfKernelSum(logK: Float64Array, alpha: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < logK.length; i++) if (logK[i]! > m) m = logK[i]!;
  if (m === -Infinity) return 0;
  let s = 0;
  for (let i = 0; i < logK.length; i++) s += alpha[i]! * Math.exp(logK[i]! - m);
  return s > 0 ? 1 : s < 0 ? -1 : 0;
}

/**
 * Kernel interpolation (the infinitely wide net trained to zero MSE) with a deep NTK, dense Cholesky solve
 * of K̃α = y where K̃ = K/K(1) has unit diagonal; returns test predictions and the jitter Cholesky needed
 * (shallow polynomial-dual kernels have finite rank, so there a small ridge stands in for the min-norm fit).
 */
export function deepNtkPredictDense(
  k: KernelAtDepth,
  train: SphereSample,
  wTrain: Float64Array,
  wTest: Float64Array,
  nTest: number,
): { pred: Int8Array; jitter: number } {
  const n = train.n;
  const diag = k.table.logDiag[k.depthIndex]!;
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    K[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) {
      const v = Math.exp(lookupLogK(k.table, k.depthIndex, wTrain[i * n + j]!) - diag);
      K[i * n + j] = v;
      K[j * n + i] = v;
    }
  }
  const { L, jitter } = cholesky(matFrom(n, n, K), { initialJitter: 1e-12, maxTries: 12 });
  const X = solveUpperT(L, solveLower(L, matFrom(n, 1, Float64Array.from(train.y))));
  const pred = new Int8Array(nTest);
  const row = new Float64Array(n);
  for (let t = 0; t < nTest; t++) {
    for (let i = 0; i < n; i++) row[i] = lookupLogK(k.table, k.depthIndex, wTest[t * n + i]!);
    pred[t] = signOfKernelSum(row, X.data);
  }
  return { pred, jitter };
}

/** Label of the nearest training point (largest cosine, i.e. smallest w). */
export function nearestNeighbourPredict(train: SphereSample, wTest: Float64Array, nTest: number): Int8Array {
  const n = train.n;
  const pred = new Int8Array(nTest);
  for (let t = 0; t < nTest; t++) {
    let best = Infinity;
    let bi = 0;
    for (let i = 0; i < n; i++) {
      const w = wTest[t * n + i]!;
      if (w < best) {
        best = w;
        bi = i;
      }
    }
    pred[t] = train.y[bi]!;
  }
  return pred;
}

/** log of the singular (Hilbert-type) kernel ‖x − x'‖^{−β} = (2(1−ρ))^{−β/2} from w. */
export function logSingularKernel(w: number, beta: number): number {
  // 1 − ρ = e^w/(1 + e^w).
  const logDelta = w - (w > 0 ? w + Math.log1p(Math.exp(-w)) : Math.log1p(Math.exp(w)));
  return (-beta / 2) * (Math.LN2 + logDelta);
}

/** sign(Σ y_i ‖x − x_i‖^{−β}): the singular-kernel classifier (Devroye, Györfi, Krzyżak 1998 for β = dim). */
export function singularKernelPredict(
  train: SphereSample,
  wTest: Float64Array,
  nTest: number,
  beta: number,
): Int8Array {
  const n = train.n;
  const pred = new Int8Array(nTest);
  const row = new Float64Array(n);
  for (let t = 0; t < nTest; t++) {
    for (let i = 0; i < n; i++) row[i] = logSingularKernel(wTest[t * n + i]!, beta);
    pred[t] = signOfKernelSum(row, train.y);
  }
  return pred;
}

/** The majority class of the training labels, for every test point (ties → +1). */
export function majorityPredict(train: SphereSample, nTest: number): Int8Array {
  let s = 0;
  for (let i = 0; i < train.n; i++) s += train.y[i]!;
  return new Int8Array(nTest).fill(s >= 0 ? 1 : -1);
}

/** Fraction of positions where two prediction vectors agree. */
export function agreement(a: Int8Array, b: Int8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) s++;
  return s / a.length;
}

/** Test error of predictions against labels (an undecided 0 counts as an error). */
export function errorRate(pred: Int8Array, y: Int8Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) if (pred[i] !== y[i]) s++;
  return s / y.length;
}

/** Predictions of several deep NTKs, 1-NN and the singular classifier in one streaming pass (large n). */
export interface StreamingResult {
  ntk: Int8Array[];
  nearest: Int8Array;
  singular: Int8Array;
  /** Per kernel: off-diagonal entries of K̃ kept (> 1e−17), CG iterations and final relative residual. */
  solver: Array<{ offDiagonalKept: number; iterations: number; residual: number }>;
}

/**
 * Same classifiers as the dense path without storing n × n matrices: the train kernel K̃ = K/K(1) is kept
 * sparse (entries ≤ 1e−17 of the unit diagonal dropped: their total effect on a row is < n·1e−17) and solved by
 * conjugate gradient. At large depth K̃ is numerically the identity and α = y.
 */
export function streamingPredict(
  kernels: KernelAtDepth[],
  train: SphereSample,
  test: SphereSample,
  beta: number,
): StreamingResult {
  const n = train.n;
  const d = train.d;
  const m = test.n;
  const sparse = kernels.map(() => Array.from({ length: n }, () => [] as Array<[number, number]>));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const w = cosineLogit(train.x, i * d, train.x, j * d, d);
      kernels.forEach((k, a) => {
        const v = Math.exp(lookupLogK(k.table, k.depthIndex, w) - k.table.logDiag[k.depthIndex]!);
        if (v > 1e-17) {
          sparse[a]![i]!.push([j, v]);
          sparse[a]![j]!.push([i, v]);
        }
      });
    }
  }
  const solver: StreamingResult['solver'] = [];
  const alphas = kernels.map((_, a) => {
    const s = sparse[a]!;
    const kept = s.reduce((acc, r) => acc + r.length, 0);
    const y = Float64Array.from(train.y);
    if (kept === 0) {
      solver.push({ offDiagonalKept: 0, iterations: 0, residual: 0 });
      return y;
    }
    const apply = (x: Float64Array) => {
      const out = Float64Array.from(x);
      for (let i = 0; i < n; i++) for (const [j, v] of s[i]!) out[i]! += v * x[j]!;
      return out;
    };
    const cg = conjugateGradient(apply, y, { tol: 1e-12, maxIter: 2000 });
    solver.push({ offDiagonalKept: kept, iterations: cg.iterations, residual: cg.residual });
    return cg.x;
  });
  const ntk = kernels.map(() => new Int8Array(m));
  const nearest = new Int8Array(m);
  const singular = new Int8Array(m);
  const rowK = kernels.map(() => new Float64Array(n));
  const rowS = new Float64Array(n);
  for (let t = 0; t < m; t++) {
    let best = Infinity;
    let bi = 0;
    for (let i = 0; i < n; i++) {
      const w = cosineLogit(test.x, t * d, train.x, i * d, d);
      if (w < best) {
        best = w;
        bi = i;
      }
      rowS[i] = logSingularKernel(w, beta);
      kernels.forEach((k, a) => {
        rowK[a]![i] = lookupLogK(k.table, k.depthIndex, w);
      });
    }
    nearest[t] = train.y[bi]!;
    singular[t] = signOfKernelSum(rowS, train.y);
    kernels.forEach((_, a) => {
      ntk[a]![t] = signOfKernelSum(rowK[a]!, alphas[a]!);
    });
  }
  return { ntk, nearest, singular, solver };
}
