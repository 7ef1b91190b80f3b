import * as tf from '@tensorflow/tfjs-core';
import { type PointwiseField, partial } from './partials.js';

/**
 * A field and its pure partial derivatives at N points (forward-mode, univariate Taylor along each axis):
 * `value` [N, k] and `d[axis][m − 1]` = ∂^m/∂x_axis^m [N, k] for m = 1 … order. Mixed derivatives are not
 * carried (use {@link partial} for those); the residuals here (Navier–Stokes, KdV, swing) need none.
 */
export interface Jet {
  value: tf.Tensor2D;
  d: tf.Tensor2D[][];
}

/** Highest derivative order a jet carries. */
export function jetOrder(j: Jet): number {
  return j.d[0]?.length ?? 0;
}

/** Every tensor a jet holds. */
export function jetTensors(j: Jet): tf.Tensor[] {
  return [j.value, ...j.d.flat()];
}

/** Applies `f` to the value and every derivative (for linear maps: scaling, column slices). */
export function jetMap(j: Jet, f: (t: tf.Tensor2D) => tf.Tensor2D): Jet {
  return { value: f(j.value), d: j.d.map((ds) => ds.map(f)) };
}

/** Column `c` of a jet ([N, 1] each). */
export function jetColumn(j: Jet, c: number): Jet {
  return jetMap(j, (t) => tf.slice(t, [0, c], [-1, 1]));
}

/** a + b (shapes broadcast). */
export function jetAdd(a: Jet, b: Jet): Jet {
  return {
    value: tf.add(a.value, b.value),
    d: a.d.map((ds, ax) => ds.map((t, m) => tf.add(t, b.d[ax]![m]!))),
  };
}

const BINOMIAL = [[1], [1, 1], [1, 2, 1], [1, 3, 3, 1]];

/** a·b by Leibniz's rule along each axis (shapes broadcast, e.g. a distance function [N, 1] times [N, k]). */
export function jetMul(a: Jet, b: Jet): Jet {
  const order = Math.min(jetOrder(a), jetOrder(b));
  if (order > 3) throw new RangeError(`jetMul supports order ≤ 3, got ${order}`);
  const at = (j: Jet, ax: number, m: number) => (m === 0 ? j.value : j.d[ax]![m - 1]!);
  return {
    value: tf.mul(a.value, b.value),
    d: a.d.map((_, ax) =>
      Array.from({ length: order }, (_, i) => {
        const m = i + 1;
        let s: tf.Tensor2D | null = null;
        for (let r = 0; r <= m; r++) {
          const c = BINOMIAL[m]![r]!;
          const prod = tf.mul(at(a, ax, m - r), at(b, ax, r)) as tf.Tensor2D;
          const term = c === 1 ? prod : (tf.mul(c, prod) as tf.Tensor2D);
          s = s ? tf.add(s, term) : term;
        }
        return s!;
      }),
    ),
  };
}

/**
 * The jet of a fixed field (no trainable weights: a boundary lift g, a distance function φ) by nested
 * reverse-mode gradients; compute it once per point set and reuse it.
 */
export function jetOfField(f: PointwiseField, x: tf.Tensor2D, order: number): Jet {
  return tf.tidy(() => {
    const value = f(x);
    const k = value.shape[1];
    const d = Array.from({ length: x.shape[1] }, (_, ax) =>
      Array.from({ length: order }, (_, i) => {
        const idx = Array.from({ length: i + 1 }, () => ax);
        const cols = Array.from({ length: k }, (_, j) => partial(f, x, j, idx));
        return tf.stack(cols, 1) as tf.Tensor2D;
      }),
    );
    return { value, d } as unknown as tf.TensorContainer;
  }) as unknown as Jet;
}

/** The input coordinates as a jet: value x, ∂x_a/∂x_a = 1, higher derivatives 0. */
export function coordinateJet(x: tf.Tensor2D, order: number): Jet {
  return tf.tidy(() => {
    const [n, dim] = x.shape;
    const d = Array.from({ length: dim }, (_, ax) =>
      Array.from({ length: order }, (_, i) => {
        if (i > 0) return tf.zeros([n, dim]) as tf.Tensor2D;
        const e = new Float32Array(dim);
        e[ax] = 1;
        return tf.tile(tf.tensor2d(e, [1, dim]), [n, 1]) as tf.Tensor2D;
      }),
    );
    return { value: tf.clone(x), d } as unknown as tf.TensorContainer;
  }) as unknown as Jet;
}

/** σ and its first three derivatives at z (for the chain rule on jets). */
export type ActivationDerivatives = (z: tf.Tensor2D) => [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];

/** tanh: t, 1 − t², −2t(1 − t²), (6t² − 2)(1 − t²). */
export const tanhDerivatives: ActivationDerivatives = (z) => {
  const t = tf.tanh(z);
  const s = tf.sub(1, tf.square(t)) as tf.Tensor2D;
  return [t, s, tf.mul(-2, tf.mul(t, s)), tf.mul(tf.sub(tf.mul(6, tf.square(t)), 2), s)];
};

/** sin: sin, cos, −sin, −cos. */
export const sinDerivatives: ActivationDerivatives = (z) => {
  const s = tf.sin(z);
  const c = tf.cos(z);
  return [s, c, tf.neg(s), tf.neg(c)];
};

/** σ(jet) by Faà di Bruno's formula to third order. */
export function jetActivate(j: Jet, sigma: ActivationDerivatives): Jet {
  const order = jetOrder(j);
  if (order > 3) throw new RangeError(`jetActivate supports order ≤ 3, got ${order}`);
  const [s0, s1, s2, s3] = sigma(j.value);
  return {
    value: s0,
    d: j.d.map((ds) => {
      const [z1, z2, z3] = ds;
      const out: tf.Tensor2D[] = [tf.mul(s1, z1!)];
      if (order >= 2) out.push(tf.add(tf.mul(s2, tf.square(z1!)), tf.mul(s1, z2!)));
      if (order >= 3)
        out.push(
          tf.add(
            tf.add(tf.mul(s3, tf.pow(z1!, 3)), tf.mul(tf.mul(3, s2), tf.mul(z1!, z2!))),
            tf.mul(s1, z3!),
          ),
        );
      return out;
    }),
  };
}
