import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng/rng.js';

/**
 * Hessian tools for any model whose loss can be written as a function of its parameter tensors (PyHessian's
 * toolbox: Hessian-vector products, Hutchinson traces per block, power-iteration top eigenvalues).
 *
 * The products are central differences of exact gradients, H·v ≈ (∇L(θ + εv) − ∇L(θ − εv)) / 2ε, not double
 * backpropagation: in tfjs 4.22 second-order gradients silently come out as zeros through matMul/logSoftmax chains
 * and fail outright through convolutions (no gradient for Conv2DBackpropFilter). The difference is exact for
 * quadratic losses and has an O(ε²) error otherwise; the tests check it against a closed-form Hessian.
 */

/** A loss as a function of parameter tensors (same shapes and order as the parameters given with it). */
export type ParamLoss = (params: readonly tf.Tensor[]) => tf.Scalar;

/** Options of the Hessian-vector product. */
export interface HvpOptions {
  /** Step ε relative to the scale: ε = eps·max(1, ‖θ‖/√P)/max(‖v‖/√P, tiny) (default 1e-3). */
  eps?: number;
}

/** The gradient of `loss` at `params` (fresh tensors, caller disposes). */
export function lossGradient(loss: ParamLoss, params: readonly tf.Tensor[]): tf.Tensor[] {
  const g = tf.grads((...ps: tf.Tensor[]) => loss(ps));
  return g([...params]);
}

function rms(ts: readonly tf.Tensor[]): number {
  let s = 0;
  let n = 0;
  for (const t of ts) {
    const q = tf.tidy(() => tf.sum(tf.square(t)));
    s += q.dataSync()[0]!;
    q.dispose();
    n += t.size;
  }
  return Math.sqrt(s / Math.max(n, 1));
}

/** H·v for the Hessian of `loss` at `params` (central difference of gradients; caller disposes the result). */
export function hessianVectorProduct(
  loss: ParamLoss,
  params: readonly tf.Tensor[],
  v: readonly tf.Tensor[],
  options: HvpOptions = {},
): tf.Tensor[] {
  if (v.length !== params.length)
    throw new Error(`hessianVectorProduct: ${v.length} direction tensors for ${params.length} parameters`);
  const vScale = rms(v);
  if (!(vScale > 0)) return params.map((p) => tf.zerosLike(p));
  const eps = ((options.eps ?? 1e-3) * Math.max(1, rms(params))) / vScale;
  const shifted = (sign: number) => {
    const ps = params.map((p, i) => tf.tidy(() => tf.add(p, tf.mul(v[i]!, sign * eps))));
    const g = lossGradient(loss, ps);
    tf.dispose(ps);
    return g;
  };
  const plus = shifted(1);
  const minus = shifted(-1);
  const out = plus.map((gp, i) => tf.tidy(() => tf.div(tf.sub(gp, minus[i]!), 2 * eps)));
  tf.dispose([...plus, ...minus]);
  return out;
}

/** Rademacher (±1) tensors shaped like `params`, drawn from `rng`. */
export function rademacher(params: readonly tf.Tensor[], rng: Rng): tf.Tensor[] {
  return params.map((p) =>
    tf.tensor(
      Float32Array.from({ length: p.size }, () => (rng.uniform() < 0.5 ? -1 : 1)),
      p.shape,
    ),
  );
}

/** Groups of parameter indices (e.g. one layer's kernel and bias); default: one block per tensor. */
export type ParamBlocks = ReadonlyArray<readonly number[]>;

/** Per-block Hutchinson estimates of Tr(H_bb). */
export interface TraceEstimate {
  /** Mean over samples of v_bᵀ(Hv)_b, per block. */
  trace: number[];
  /** Standard error of that mean, per block. */
  sem: number[];
  /** Number of Rademacher samples. */
  samples: number;
}

function dotBlocks(a: readonly tf.Tensor[], b: readonly tf.Tensor[], blocks: ParamBlocks): number[] {
  return blocks.map((idx) => {
    let s = 0;
    for (const i of idx) {
      const d = tf.tidy(() => tf.sum(tf.mul(a[i]!, b[i]!)));
      s += d.dataSync()[0]!;
      d.dispose();
    }
    return s;
  });
}

/**
 * Hutchinson's estimator of the trace of each diagonal block of the Hessian (Avron & Toledo 2011; HAWQ-V2, PyHessian):
 * with one Rademacher vector v over all parameters, E[v_bᵀ(Hv)_b] = Tr(H_bb), since the cross terms have zero mean —
 * one Hessian-vector product per sample serves every block (`probe: 'joint'`, the default). The cross terms add
 * variance that swamps a small block's trace; `probe: 'per-block'` draws v inside one block at a time (zero
 * elsewhere), one product per block and sample, and leaves only the block's own variance.
 */
export function hutchinsonTrace(
  loss: ParamLoss,
  params: readonly tf.Tensor[],
  rng: Rng,
  options: HvpOptions & { samples: number; blocks?: ParamBlocks; probe?: 'joint' | 'per-block' },
): TraceEstimate {
  const blocks = options.blocks ?? params.map((_, i) => [i]);
  const draws: number[][] = blocks.map(() => []);
  for (let s = 0; s < options.samples; s++) {
    if (options.probe === 'per-block') {
      for (const [b, idx] of blocks.entries()) {
        const inBlock = new Set(idx);
        const full = rademacher(params, rng);
        const v = full.map((t, i) => (inBlock.has(i) ? t : tf.zerosLike(t)));
        tf.dispose(full.filter((_, i) => !inBlock.has(i)));
        const hv = hessianVectorProduct(loss, params, v, options);
        draws[b]!.push(dotBlocks(v, hv, [idx])[0]!);
        tf.dispose([...v, ...hv]);
      }
      continue;
    }
    const v = rademacher(params, rng);
    const hv = hessianVectorProduct(loss, params, v, options);
    for (const [b, d] of dotBlocks(v, hv, blocks).entries()) draws[b]!.push(d);
    tf.dispose([...v, ...hv]);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    trace: draws.map(mean),
    sem: draws.map((xs) => {
      if (xs.length < 2) return 0;
      const m = mean(xs);
      return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1) / xs.length);
    }),
    samples: options.samples,
  };
}

/**
 * The eigenvalue of largest magnitude of each diagonal block H_bb, by power iteration on Hessian-vector products
 * with the direction zero outside the block (HAWQ-V1's sensitivity). Stops when the Rayleigh quotient changes by
 * less than `tol` (relative) or after `iterations`.
 */
export function topHessianEigenvalues(
  loss: ParamLoss,
  params: readonly tf.Tensor[],
  rng: Rng,
  options: HvpOptions & { iterations?: number; tol?: number; blocks?: ParamBlocks },
): number[] {
  const blocks = options.blocks ?? params.map((_, i) => [i]);
  const iterations = options.iterations ?? 20;
  const tol = options.tol ?? 1e-3;
  return blocks.map((idx) => {
    const inBlock = new Set(idx);
    let v = params.map((p, i) =>
      inBlock.has(i) ? tf.tensor(rng.normals(p.size), p.shape) : tf.zerosLike(p),
    );
    let lambda = 0;
    for (let it = 0; it < iterations; it++) {
      const norm = Math.sqrt(dotBlocks(v, v, [idx])[0]!);
      const unit = v.map((t) => tf.div(t, norm));
      tf.dispose(v);
      const hv = hessianVectorProduct(loss, params, unit, options);
      const next = dotBlocks(unit, hv, [idx])[0]!;
      tf.dispose(unit);
      v = hv.map((t, i) => (inBlock.has(i) ? t : tf.zerosLike(t)));
      for (const [i, t] of hv.entries()) if (!inBlock.has(i)) t.dispose();
      const done = it > 0 && Math.abs(next - lambda) <= tol * Math.abs(next);
      lambda = next;
      if (done) break;
    }
    tf.dispose(v);
    return lambda;
  });
}
