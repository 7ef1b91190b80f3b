import type { Rng } from '@paperlab/core';
import type { Mat } from '@paperlab/core/linalg';

/** Inputs of a binary kernel SVM. */
export interface KernelSvmInputs {
  /** K(X, X), N × N (positive semi-definite). */
  kTrainTrain: Mat;
  /** Labels ±1, N. */
  yTrain: ArrayLike<number>;
  /** Box constraint C of the hinge loss C·Σ max(0, 1 − y·f) + ½‖f‖²_H (default 1). */
  C?: number;
  /** Unregularised-in-spirit bias, implemented by adding 1 to the kernel (default true). */
  bias?: boolean;
  /** Stop when the largest projected-gradient violation falls below this (default 1e-6). */
  tol?: number;
  /** Passes over the data at most (default 10 000). */
  maxEpochs?: number;
  /** Visiting order is a fresh permutation per epoch from this Rng (deterministic per seed). */
  rng: Rng;
}

/** A trained binary kernel SVM. */
export interface KernelSvm {
  /** Dual coefficients α ∈ [0, C], N. */
  alpha: Float64Array;
  /** Bias b (0 without bias). */
  bias: number;
  /** Decision values f(x_i) on the training points. */
  trainDecision: Float64Array;
  /** Primal objective ½‖f‖² + C·Σ hinge at the solution. */
  primal: number;
  /** Dual objective Σα − ½αᵀQα (≤ primal; equal at the optimum). */
  dual: number;
  /** Largest projected-gradient violation at exit. */
  violation: number;
  epochs: number;
  converged: boolean;
}

/**
 * Kernel SVM by dual coordinate descent (Hsieh et al. 2008): minimise ½αᵀQα − Σα over 0 ≤ α ≤ C with
 * Q_ij = y_i·y_j·K_ij, one exact coordinate step at a time, keeping f = Σ_j α_j·y_j·K(·, x_j) up to date.
 * The bias is the coefficient of a constant feature (K + 1), so it is lightly regularised.
 */
export function kernelSvm(inputs: KernelSvmInputs): KernelSvm {
  const K = inputs.kTrainTrain;
  const n = K.rows;
  if (K.cols !== n) throw new Error(`kernelSvm: K(X,X) is ${K.rows}×${K.cols}, not square`);
  const y = Float64Array.from(inputs.yTrain);
  if (y.length !== n) throw new Error(`kernelSvm: ${y.length} labels for ${n} points`);
  for (const v of y) if (v !== 1 && v !== -1) throw new Error(`kernelSvm: labels must be ±1, got ${v}`);
  const C = inputs.C ?? 1;
  if (!(C > 0)) throw new Error(`kernelSvm: C must be > 0, got ${C}`);
  const withBias = inputs.bias ?? true;
  const b0 = withBias ? 1 : 0;
  const tol = inputs.tol ?? 1e-6;
  const maxEpochs = inputs.maxEpochs ?? 10_000;
  const kk = (i: number, j: number) => K.data[i * n + j]! + b0;
  const alpha = new Float64Array(n);
  // f_i = Σ_j α_j y_j (K_ij + b0): decision value including the bias term.
  const f = new Float64Array(n);
  let violation = Number.POSITIVE_INFINITY;
  let epochs = 0;
  while (epochs < maxEpochs && violation > tol) {
    violation = 0;
    for (const i of inputs.rng.permutation(n)) {
      const G = y[i]! * f[i]! - 1;
      const a = alpha[i]!;
      const pg = a <= 0 ? Math.min(G, 0) : a >= C ? Math.max(G, 0) : G;
      violation = Math.max(violation, Math.abs(pg));
      if (pg === 0) continue;
      const qii = kk(i, i);
      if (!(qii > 0)) continue;
      const next = Math.min(Math.max(a - G / qii, 0), C);
      const delta = (next - a) * y[i]!;
      if (delta === 0) continue;
      alpha[i] = next;
      for (let j = 0; j < n; j++) f[j]! += delta * kk(j, i);
    }
    epochs++;
  }
  let normSq = 0;
  let hinge = 0;
  let sumAlpha = 0;
  for (let i = 0; i < n; i++) {
    normSq += alpha[i]! * y[i]! * f[i]!;
    hinge += Math.max(0, 1 - y[i]! * f[i]!);
    sumAlpha += alpha[i]!;
  }
  let bias = 0;
  if (withBias) for (let i = 0; i < n; i++) bias += alpha[i]! * y[i]!;
  return {
    alpha,
    bias,
    trainDecision: f,
    primal: 0.5 * normSq + C * hinge,
    dual: sumAlpha - 0.5 * normSq,
    violation,
    epochs,
    converged: violation <= tol,
  };
}

/** Decision values f(x*) = Σ_j α_j·y_j·K(x*, x_j) + b for test rows K(X*, X) (M × N). */
export function svmDecision(svm: KernelSvm, yTrain: ArrayLike<number>, kTestTrain: Mat): Float64Array {
  const n = svm.alpha.length;
  if (kTestTrain.cols !== n)
    throw new Error(`svmDecision: K(X*,X) has ${kTestTrain.cols} columns, expected ${n}`);
  const out = new Float64Array(kTestTrain.rows);
  for (let i = 0; i < kTestTrain.rows; i++) {
    let s = svm.bias;
    for (let j = 0; j < n; j++) s += svm.alpha[j]! * yTrain[j]! * kTestTrain.data[i * n + j]!;
    out[i] = s;
  }
  return out;
}
