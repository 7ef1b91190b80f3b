import * as tf from '@tensorflow/tfjs-core';
import type { PointwiseField } from '../autodiff/partials.js';

/** A box [lo, hi] in d dimensions. */
export interface Box {
  lo: readonly number[];
  hi: readonly number[];
}

/**
 * Distance-like function φ of a box, zero on the walls normal to `axes` (default: all) and positive inside:
 * φ(x) = Π_{a ∈ axes} 4(x_a − lo_a)(hi_a − x_a)/(hi_a − lo_a)², 1 at the centre. Smooth, so u = g + φ·N meets
 * Dirichlet data on those walls exactly and keeps every derivative a residual needs.
 */
export function boxDistance(box: Box, axes?: readonly number[]): PointwiseField {
  const use = axes ?? box.lo.map((_, a) => a);
  for (const a of use)
    if (a < 0 || a >= box.lo.length || !(box.hi[a]! > box.lo[a]!))
      throw new RangeError(`boxDistance: axis ${a} is not a proper side of the box [${box.lo}]–[${box.hi}]`);
  return (x) =>
    tf.tidy(() => {
      let phi: tf.Tensor = tf.onesLike(tf.slice(x, [0, 0], [-1, 1]));
      for (const a of use) {
        const [lo, hi] = [box.lo[a]!, box.hi[a]!];
        const xa = tf.slice(x, [0, a], [-1, 1]);
        phi = tf.mul(phi, tf.mul(4 / (hi - lo) ** 2, tf.mul(tf.sub(xa, lo), tf.sub(hi, xa))));
      }
      return phi as tf.Tensor2D;
    });
}
