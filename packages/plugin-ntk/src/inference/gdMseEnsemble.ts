import { eigh, type Mat, matFrom, matmul, transpose } from '@paperlab/core/linalg';
import { type GdTime, gdSpectralFilter } from './gdMse.js';

/** Inputs of the infinite-width ensemble prediction (NTK for the dynamics, NNGP for the initial function). */
export interface GdMseEnsembleInputs {
  /** Θ(X, X), N × N. */
  ntkTrainTrain: Mat;
  /** Θ(X*, X), M × N. */
  ntkTestTrain: Mat;
  /** K(X, X) (NNGP), N × N. */
  nngpTrainTrain: Mat;
  /** K(X*, X), M × N. */
  nngpTestTrain: Mat;
  /** K(X*, X*): full M × M, or its diagonal (then only variances are returned). */
  nngpTestTest: Mat | Float64Array;
  /** Targets, N × K row-major. */
  yTrain: ArrayLike<number>;
  /** Learning rate η of the loss (1/2N)·Σ‖f(x_i) − y_i‖² (as in `gradientDescentMse`). */
  lr: number;
}

/** Mean and (co)variance over random initialisations of infinitely wide networks trained for time t. */
export interface GdMseEnsemble {
  /** E[f_t(X*)], M × K. */
  mean: Float64Array;
  /** Var[f_t(x*)] per test point (same for every output), M. */
  variance: Float64Array;
  /** Cov[f_t(X*)], M × M (only when nngpTestTest is a full matrix). */
  covariance: Mat | null;
}

/**
 * Gradient-descent MSE ensemble of infinitely wide networks (Lee et al. 2019, eq. 16): with
 * T = Θ⁻¹(I − e^{−ηΘt/N}) (or its discrete-step form), mean = Θ*·T·Y and
 * covariance = K** + Θ*·T·K·Tᵀ·Θ*ᵀ − (Θ*·T·K*ᵀ + K*·Tᵀ·Θ*ᵀ). At t = ∞ with Θ = K this is the noiseless GP posterior.
 */
export function gradientDescentMseEnsemble(inputs: GdMseEnsembleInputs, time: GdTime): GdMseEnsemble {
  const n = inputs.ntkTrainTrain.rows;
  const m = inputs.ntkTestTrain.rows;
  const k = inputs.yTrain.length / n;
  if (!Number.isInteger(k) || k < 1)
    throw new Error(`gradientDescentMseEnsemble: yTrain has ${inputs.yTrain.length} values for ${n} points`);
  for (const [name, M, r, c] of [
    ['ntkTestTrain', inputs.ntkTestTrain, m, n],
    ['nngpTrainTrain', inputs.nngpTrainTrain, n, n],
    ['nngpTestTrain', inputs.nngpTestTrain, m, n],
  ] as const)
    if (M.rows !== r || M.cols !== c)
      throw new Error(`gradientDescentMseEnsemble: ${name} must be ${r}×${c}`);
  const { values, vectors } = eigh(inputs.ntkTrainTrain);
  const g = gdSpectralFilter(values, inputs.lr / n, time);
  // P = Θ*·T = Θ*·V·diag(g)·Vᵀ, M × N.
  const A = matmul(inputs.ntkTestTrain, vectors);
  for (let i = 0; i < m; i++) for (let a = 0; a < n; a++) A.data[i * n + a]! *= g[a]!;
  const Pm = matmul(A, transpose(vectors));
  const mean = matmul(Pm, matFrom(n, k, inputs.yTrain)).data;
  // PK = P·K (M × N); Cov = K** + PK·Pᵀ − P·K*ᵀ − K*·Pᵀ.
  const PK = matmul(Pm, inputs.nngpTrainTrain).data;
  const P = Pm.data;
  const Ks = inputs.nngpTestTrain.data;
  const entry = (a: number, b: number) => {
    let s = 0;
    for (let j = 0; j < n; j++)
      s += PK[a * n + j]! * P[b * n + j]! - P[a * n + j]! * Ks[b * n + j]! - Ks[a * n + j]! * P[b * n + j]!;
    return s;
  };
  const prior = inputs.nngpTestTest;
  const full = !(prior instanceof Float64Array);
  const variance = new Float64Array(m);
  for (let i = 0; i < m; i++)
    variance[i] = (full ? (prior as Mat).data[i * m + i]! : (prior as Float64Array)[i]!) + entry(i, i);
  let covariance: Mat | null = null;
  if (full) {
    const Pr = prior as Mat;
    if (Pr.rows !== m || Pr.cols !== m)
      throw new Error(`gradientDescentMseEnsemble: nngpTestTest must be ${m}×${m}`);
    covariance = { rows: m, cols: m, data: new Float64Array(m * m) };
    for (let a = 0; a < m; a++)
      for (let b = a; b < m; b++) {
        const v = Pr.data[a * m + b]! + entry(a, b);
        covariance.data[a * m + b] = v;
        covariance.data[b * m + a] = v;
      }
  } else if ((prior as Float64Array).length !== m)
    throw new Error(`gradientDescentMseEnsemble: diag nngpTestTest must have ${m} entries`);
  return { mean, variance, covariance };
}
