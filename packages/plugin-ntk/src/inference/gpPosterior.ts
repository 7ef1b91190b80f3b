import { cholesky, type Mat, solveLower, solveUpperT, zeros } from '@paperlab/core/linalg';

/** Inputs of a Gaussian-process posterior (e.g. with the NNGP as the prior covariance). */
export interface GpPosteriorInputs {
  /** K(X, X), N × N. */
  kTrainTrain: Mat;
  /** K(X*, X), M × N. */
  kTestTrain: Mat;
  /** K(X*, X*): the full M × M matrix, or only its diagonal (then only variances are returned). */
  kTestTest: Mat | Float64Array;
  /** Targets, N × K row-major (K independent outputs sharing the kernel). */
  yTrain: ArrayLike<number>;
  /** Observation-noise variance σ² added to K(X, X) (default 0: noiseless; jitter is added only if needed). */
  noise?: number;
}

/** Posterior mean and (co)variance at the test points, and the log marginal likelihood. */
export interface GpPosterior {
  /** Posterior mean, M × K. */
  mean: Float64Array;
  /** Posterior variance of each test point (same for every output), M. */
  variance: Float64Array;
  /** Full posterior covariance, M × M (only when kTestTest is a full matrix). */
  covariance: Mat | null;
  /** log p(Y | X) summed over the K outputs. */
  logMarginalLikelihood: number;
  /** Jitter that had to be added to K + σ²I for the Cholesky factorisation (0 if none). */
  jitter: number;
}

/**
 * GP regression: mean = K*·(K + σ²I)⁻¹·Y, covariance = K** − K*·(K + σ²I)⁻¹·K*ᵀ (Rasmussen & Williams,
 * Algorithm 2.1), via one Float64 Cholesky factorisation.
 */
export function gpPosterior(inputs: GpPosteriorInputs): GpPosterior {
  const { kTrainTrain: K, kTestTrain: Ks } = inputs;
  const n = K.rows;
  const m = Ks.rows;
  if (K.cols !== n || Ks.cols !== n)
    throw new Error(`gpPosterior: K(X,X) is ${K.rows}×${K.cols}, K(X*,X) is ${Ks.rows}×${Ks.cols}`);
  const kOut = inputs.yTrain.length / n;
  if (!Number.isInteger(kOut) || kOut < 1)
    throw new Error(`gpPosterior: yTrain has ${inputs.yTrain.length} values for ${n} points`);
  const noise = inputs.noise ?? 0;
  const A = { rows: n, cols: n, data: K.data.slice() };
  for (let i = 0; i < n; i++) A.data[i * n + i]! += noise;
  const { L, jitter } = cholesky(A);
  const Y = { rows: n, cols: kOut, data: Float64Array.from(inputs.yTrain) };
  const z = solveLower(L, Y);
  const alpha = solveUpperT(L, z);
  const mean = new Float64Array(m * kOut);
  for (let i = 0; i < m; i++)
    for (let c = 0; c < kOut; c++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += Ks.data[i * n + j]! * alpha.data[j * kOut + c]!;
      mean[i * kOut + c] = s;
    }
  // V = L⁻¹·K*ᵀ (N × M): the posterior covariance is K** − VᵀV.
  const KsT = zeros(n, m);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) KsT.data[j * m + i] = Ks.data[i * n + j]!;
  const V = solveLower(L, KsT);
  const full = !(inputs.kTestTest instanceof Float64Array);
  const prior = inputs.kTestTest;
  const variance = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += V.data[j * m + i]! ** 2;
    const pii = full ? (prior as Mat).data[i * m + i]! : (prior as Float64Array)[i]!;
    variance[i] = pii - s;
  }
  let covariance: Mat | null = null;
  if (full) {
    const P = prior as Mat;
    if (P.rows !== m || P.cols !== m) throw new Error(`gpPosterior: K(X*,X*) must be ${m}×${m}`);
    covariance = zeros(m, m);
    for (let a = 0; a < m; a++)
      for (let b = a; b < m; b++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += V.data[j * m + a]! * V.data[j * m + b]!;
        const v = P.data[a * m + b]! - s;
        covariance.data[a * m + b] = v;
        covariance.data[b * m + a] = v;
      }
  } else if ((prior as Float64Array).length !== m)
    throw new Error(`gpPosterior: diag K(X*,X*) must have ${m} entries`);
  let logDet = 0;
  for (let i = 0; i < n; i++) logDet += 2 * Math.log(L.data[i * n + i]!);
  let fit = 0;
  for (let i = 0; i < n * kOut; i++) fit += z.data[i]! ** 2;
  const logMarginalLikelihood = -0.5 * fit - 0.5 * kOut * logDet - 0.5 * kOut * n * Math.log(2 * Math.PI);
  return { mean, variance, covariance, logMarginalLikelihood, jitter };
}
