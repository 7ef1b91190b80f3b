import { eigh, type Mat, matFrom, matmul, transpose } from '@paperlab/core/linalg';

/** Inputs of the infinite-width gradient-descent prediction. */
export interface GdMseInputs {
  /** Θ(X, X), N × N. */
  kTrainTrain: Mat;
  /** Θ(X*, X), M × N. */
  kTestTrain: Mat;
  /** Targets at the training points, N × K (row-major). */
  yTrain: ArrayLike<number>;
  /** Network outputs at initialisation at the training points, N × K. */
  f0Train: ArrayLike<number>;
  /** Network outputs at initialisation at the test points, M × K. */
  f0Test: ArrayLike<number>;
  /** Learning rate η of the loss (1/2N)·Σ‖f(x_i) − y_i‖². */
  lr: number;
}

/** Outputs f_t at training and test points. */
export interface GdMsePrediction {
  train: Float64Array;
  test: Float64Array;
}

/** Training time of {@link gradientDescentMse}: discrete steps, or gradient-flow time (either may be Infinity). */
export type GdTime = { steps: number } | { t: number };

/**
 * The spectral filter of gradient descent on MSE with step scale s = η/N: g(λ) = (1 − (1 − sλ)^steps)/λ for
 * discrete steps, (1 − e^{−sλt})/λ for gradient flow. λ is clamped at 0; tiny sλ take the λ → 0 limit
 * (steps·s or t·s), and at infinite time g = 1/λ, 0 on the null space (the minimum-norm interpolant).
 */
export function gdSpectralFilter(values: Float64Array, scale: number, time: GdTime): Float64Array {
  return values.map((lambda) => {
    const lam = Math.max(lambda, 0);
    if ('steps' in time) {
      if (!Number.isFinite(time.steps)) return lam * scale < 1e-12 ? 0 : 1 / lam;
      if (lam * scale < 1e-12) return time.steps * scale;
      return (1 - (1 - scale * lam) ** time.steps) / lam;
    }
    if (!Number.isFinite(time.t)) return lam * scale < 1e-12 ? 0 : 1 / lam;
    if (lam * scale * time.t < 1e-12) return time.t * scale;
    return -Math.expm1(-scale * lam * time.t) / lam;
  });
}

/**
 * Predicted outputs of a network trained by gradient descent on MSE when its NTK stays constant
 * (linearised/infinite-width dynamics; Jacot et al. 2018, Lee et al. 2019):
 * f_t(X*) = f_0(X*) + Θ(X*,X)·V·diag(g(λ))·Vᵀ·(Y − f_0(X)), with Θ(X,X) = VΛVᵀ and
 * g(λ) = (1 − (1 − ηλ/N)^steps)/λ for discrete GD, or (1 − e^{−ηλt/N})/λ for gradient flow.
 */
export function gradientDescentMse(inputs: GdMseInputs, time: GdTime): GdMsePrediction {
  const n = inputs.kTrainTrain.rows;
  const m = inputs.kTestTrain.rows;
  const k = inputs.yTrain.length / n;
  const { values, vectors } = eigh(inputs.kTrainTrain);
  const g = gdSpectralFilter(values, inputs.lr / n, time);
  // r = diag(g)·Vᵀ·(Y − f0), then z = V·r (N × K).
  const resid = new Float64Array(n * k);
  for (let i = 0; i < n * k; i++) resid[i] = inputs.yTrain[i]! - inputs.f0Train[i]!;
  const r = matmul(transpose(vectors), { rows: n, cols: k, data: resid });
  for (let a = 0; a < n; a++) for (let c = 0; c < k; c++) r.data[a * k + c]! *= g[a]!;
  const z = matmul(vectors, r).data;
  const apply = (K: Mat, f0: ArrayLike<number>, rows: number) => {
    const out = new Float64Array(rows * k);
    for (let i = 0; i < rows; i++) {
      for (let c = 0; c < k; c++) {
        let s = f0[i * k + c]!;
        for (let j = 0; j < n; j++) s += K.data[i * n + j]! * z[j * k + c]!;
        out[i * k + c] = s;
      }
    }
    return out;
  };
  return {
    train: apply(inputs.kTrainTrain, inputs.f0Train, n),
    test: apply(inputs.kTestTrain, inputs.f0Test, m),
  };
}

/** Convenience: a Mat from a Float32/64 row-major block. */
export function toMat(rows: number, cols: number, values: ArrayLike<number>): Mat {
  return matFrom(rows, cols, values);
}
