import type { Rng } from '@paperlab/core';
import { adam, ownedVariable } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { EnsembleMlp } from '../nets/ensembleMlp.js';
import type { SwingParams } from '../solvers/swing.js';
import { svgdDirection } from './svgd.js';

/** Noisy measurements of a swing trajectory: δ and ω = δ̇ at times t, with their noise levels. */
export interface SwingData {
  t: Float32Array;
  delta: Float32Array;
  omega: Float32Array;
  sigmaDelta: number;
  sigmaOmega: number;
}

/** Options of {@link fitSwingPinn}. */
export interface SwingPinnOptions {
  /** Known line and power (B, P); m and d are inferred. */
  known: Pick<SwingParams, 'B' | 'P'>;
  /** Hidden widths of the tanh network t ↦ δ(t). */
  hidden: readonly number[];
  /** Particles: 1 gives the point-estimate (MAP) PINN, more a Bayesian PINN by SVGD. */
  particles: number;
  steps: number;
  lr: number;
  /** Collocation times for the physics residual. */
  collocation: number;
  /** Standard deviation of the physics residual in the likelihood. */
  sigmaPhysics: number;
  /** Prior N(μ, s²) on log m and log d. */
  prior: { mean: number; sd: number };
  /** Floor on the data noise levels (zero-noise data would otherwise give an infinite likelihood weight). */
  sigmaFloor: number;
  signal?: AbortSignal;
}

/** Posterior summary of m and d over particles, and the fit of the particle-mean trajectory. */
export interface SwingPinnResult {
  m: number[];
  d: number[];
  /** RMSE of the mean δ against the measurements, in units of σ_δ. */
  dataRmse: number;
}

/**
 * A physics-informed network for the swing equation m·δ̈ + d·δ̇ + B·sin δ = P with unknown m, d: each particle is
 * (network weights, log m, log d), scored by a Gaussian log-posterior of the δ and ω measurements, the physics
 * residual at collocation times, and priors (N(0, 1) on weights). One particle is trained by Adam to the MAP (a
 * PINN); several follow SVGD with Adam-scaled steps (a Bayesian PINN, Stock et al. 2024).
 */
export function fitSwingPinn(data: SwingData, o: SwingPinnOptions, rng: Rng): SwingPinnResult {
  const net = new EnsembleMlp([1, ...o.hidden, 1]);
  const K = o.particles;
  const D = net.size + 2;
  const T = data.t[data.t.length - 1]!;
  const init = new Float32Array(K * D);
  const w = net.init(K, rng.split('weights'));
  for (let k = 0; k < K; k++) {
    init.set(w.subarray(k * net.size, (k + 1) * net.size), k * D);
    init[k * D + net.size] = o.prior.mean + o.prior.sd * 0.5 * rng.normal();
    init[k * D + net.size + 1] = o.prior.mean + o.prior.sd * 0.5 * rng.normal();
  }
  const X = ownedVariable(tf.tensor2d(init, [K, D])) as tf.Variable<tf.Rank.R2>;
  const tData = tf.tensor1d(data.t);
  const tCol = tf.linspace(0, T, o.collocation) as tf.Tensor1D;
  const [dObs, wObs] = [tf.tensor1d(data.delta), tf.tensor1d(data.omega)];
  const sd = Math.max(data.sigmaDelta, o.sigmaFloor);
  const sw = Math.max(data.sigmaOmega, o.sigmaFloor);
  /** log p per particle [K]. */
  const logPost = (P: tf.Tensor2D): tf.Tensor1D =>
    tf.tidy(() => {
      const params = tf.slice(P, [0, 0], [K, net.size]);
      const logM = tf.reshape(tf.slice(P, [0, net.size], [K, 1]), [K, 1]);
      const logD = tf.reshape(tf.slice(P, [0, net.size + 1], [K, 1]), [K, 1]);
      const fit = net.jet(params, tData, 1 / T);
      const yd = tf.reshape(fit.y, [K, -1]);
      const yw = tf.reshape(fit.dy, [K, -1]);
      const like = tf.add(
        tf.div(tf.sum(tf.square(tf.sub(yd, dObs)), 1), -2 * sd * sd),
        tf.div(tf.sum(tf.square(tf.sub(yw, wObs)), 1), -2 * sw * sw),
      );
      const col = net.jet(params, tCol, 1 / T);
      const [y, dy, d2y] = [
        tf.reshape(col.y, [K, -1]),
        tf.reshape(col.dy, [K, -1]),
        tf.reshape(col.d2y, [K, -1]),
      ];
      const r = tf.sub(
        tf.add(tf.add(tf.mul(tf.exp(logM), d2y), tf.mul(tf.exp(logD), dy)), tf.mul(o.known.B, tf.sin(y))),
        o.known.P,
      );
      const phys = tf.div(tf.sum(tf.square(r), 1), -2 * o.sigmaPhysics * o.sigmaPhysics);
      const priorW = tf.mul(-0.5, tf.sum(tf.square(params), 1));
      const priorMD = tf.div(
        tf.add(tf.square(tf.sub(logM, o.prior.mean)), tf.square(tf.sub(logD, o.prior.mean))),
        -2 * o.prior.sd * o.prior.sd,
      );
      return tf.add(tf.add(like, phys), tf.add(priorW, tf.reshape(priorMD, [K]))) as tf.Tensor1D;
    });
  const opt = adam(o.lr);
  try {
    for (let step = 0; step < o.steps; step++) {
      if (o.signal?.aborted) break;
      tf.tidy(() => {
        const G = tf.grad((P: tf.Tensor) => tf.sum(logPost(P as tf.Tensor2D)))(X) as tf.Tensor2D;
        const phi = K > 1 ? svgdDirection(X, G) : G;
        // Adam minimises: hand it −φ, the ascent direction turned into a descent one.
        opt.apply([X], [tf.neg(phi)]);
      });
    }
    const P = X.arraySync();
    const m = P.map((row) => Math.exp(row[net.size]!));
    const d = P.map((row) => Math.exp(row[net.size + 1]!));
    const dataRmse = tf.tidy(() => {
      const yd = tf.mean(tf.reshape(net.jet(tf.slice(X, [0, 0], [K, net.size]), tData, 1 / T).y, [K, -1]), 0);
      return Math.sqrt(tf.mean(tf.square(tf.sub(yd, dObs))).dataSync()[0]!) / sd;
    });
    return { m, d, dataRmse };
  } finally {
    opt.dispose();
    tf.dispose([X, tData, tCol, dObs, wObs]);
  }
}
