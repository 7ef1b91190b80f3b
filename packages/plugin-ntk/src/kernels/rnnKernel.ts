import { type DualActivation, dualOf } from './dualActivations.js';

/** Hyper-parameters of a simple (Elman) RNN h_t = φ(W·h_{t−1} + U·x_t + b), output v·h_T. */
export interface RnnKernelAttrs {
  /** Recurrent weight variance: W_ij ~ N(0, σw²/n). */
  sigmaW2: number;
  /** Input weight variance: U_ij ~ N(0, σu²/d). */
  sigmaU2: number;
  /** Bias variance σb². */
  sigmaB2: number;
  /** Readout variance: v_i ~ N(0, σv²/n). */
  sigmaV2: number;
  activation: DualActivation;
}

/**
 * NNGP of a simple RNN read out at the last step (Yang 2019, Tensor Programs I): the pre-activations g_t are
 * jointly Gaussian in the infinite-width limit, whether W is shared across time (tied) or not, with
 * Σ_t(x, x') = σw²·E[φ(g_{t−1}(x))φ(g_{t−1}(x'))] + σu²·x_t·x'_t/d + σb² (h₀ = 0), and the output kernel
 * σv²·E[φ(g_T(x))φ(g_T(x'))]. Sequences are [n, T, d] row-major; returns the [n1, n2] Float64 kernel.
 */
export function rnnNngp(
  x1: ArrayLike<number>,
  n1: number,
  x2: ArrayLike<number>,
  n2: number,
  steps: number,
  d: number,
  a: RnnKernelAttrs,
): Float64Array {
  const dual = dualOf(a.activation);
  const dot = (x: ArrayLike<number>, i: number, y: ArrayLike<number>, j: number, t: number) => {
    let s = 0;
    for (let k = 0; k < d; k++) s += x[(i * steps + t) * d + k]! * y[(j * steps + t) * d + k]!;
    return s / d;
  };
  // Self variances q_t(x) first (they feed every cross entry).
  const selfVar = (x: ArrayLike<number>, n: number) => {
    const q = new Float64Array(n * steps);
    for (let i = 0; i < n; i++) {
      let prev = 0;
      for (let t = 0; t < steps; t++) {
        const rec = t === 0 ? 0 : a.sigmaW2 * dual(prev, prev, prev).k;
        prev = rec + a.sigmaU2 * dot(x, i, x, i, t) + a.sigmaB2;
        q[i * steps + t] = prev;
      }
    }
    return q;
  };
  const q1 = selfVar(x1, n1);
  const q2 = selfVar(x2, n2);
  const out = new Float64Array(n1 * n2);
  for (let i = 0; i < n1; i++) {
    for (let j = 0; j < n2; j++) {
      let c = 0;
      for (let t = 0; t < steps; t++) {
        const rec = t === 0 ? 0 : a.sigmaW2 * dual(q1[i * steps + t - 1]!, q2[j * steps + t - 1]!, c).k;
        c = rec + a.sigmaU2 * dot(x1, i, x2, j, t) + a.sigmaB2;
      }
      out[i * n2 + j] = a.sigmaV2 * dual(q1[i * steps + steps - 1]!, q2[j * steps + steps - 1]!, c).k;
    }
  }
  return out;
}
