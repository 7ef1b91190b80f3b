import { type Mat, solveSPD } from '@paperlab/core/linalg';

/** Inputs of kernel ridge regression. */
export interface KernelRidgeInputs {
  /** K(X, X), N × N. */
  kTrainTrain: Mat;
  /** K(X*, X), M × N (optional: only the dual coefficients are returned without it). */
  kTestTrain?: Mat;
  /** Targets, N × K row-major. */
  yTrain: ArrayLike<number>;
  /** Ridge λ in (K + λI)α = Y (default 0: ridgeless interpolation; jitter is added only if K is singular). */
  ridge?: number;
}

/** Dual coefficients and predictions of kernel ridge regression. */
export interface KernelRidgeResult {
  /** α = (K + λI)⁻¹Y, N × K. */
  alpha: Float64Array;
  /** K*·α, M × K (empty without kTestTrain). */
  predictions: Float64Array;
  /** Jitter that had to be added on top of λ (0 if none). */
  jitter: number;
}

/** Kernel ridge regression (ridgeless when λ = 0, the minimum-norm interpolant of a positive-definite kernel). */
export function kernelRidge(inputs: KernelRidgeInputs): KernelRidgeResult {
  const K = inputs.kTrainTrain;
  const n = K.rows;
  if (K.cols !== n) throw new Error(`kernelRidge: K(X,X) is ${K.rows}×${K.cols}, not square`);
  const k = inputs.yTrain.length / n;
  if (!Number.isInteger(k) || k < 1)
    throw new Error(`kernelRidge: yTrain has ${inputs.yTrain.length} values for ${n} points`);
  const ridge = inputs.ridge ?? 0;
  if (!(ridge >= 0)) throw new Error(`kernelRidge: ridge must be ≥ 0, got ${ridge}`);
  const A = { rows: n, cols: n, data: K.data.slice() };
  for (let i = 0; i < n; i++) A.data[i * n + i]! += ridge;
  const { X, jitter } = solveSPD(
    A,
    { rows: n, cols: k, data: Float64Array.from(inputs.yTrain) },
    { initialJitter: 1e-12 },
  );
  const Ks = inputs.kTestTrain;
  let predictions = new Float64Array(0);
  if (Ks) {
    if (Ks.cols !== n) throw new Error(`kernelRidge: K(X*,X) has ${Ks.cols} columns, expected ${n}`);
    predictions = new Float64Array(Ks.rows * k);
    for (let i = 0; i < Ks.rows; i++)
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += Ks.data[i * n + j]! * X.data[j * k + c]!;
        predictions[i * k + c] = s;
      }
  }
  return { alpha: X.data, predictions, jitter };
}
