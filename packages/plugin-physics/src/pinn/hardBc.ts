import * as tf from '@tensorflow/tfjs-core';
import { type Jet, jetAdd, jetMul } from '../autodiff/jet.js';
import type { PointwiseField } from '../autodiff/partials.js';

/**
 * Hard Dirichlet conditions u = g + φ·N: `g` extends the boundary data into the domain, `φ` vanishes on the
 * constrained boundary (e.g. {@link boxDistance}), `n` is the network. The constraint then holds exactly, for
 * any weights, instead of being a penalty in the loss.
 */
export function hardConstrained(g: PointwiseField, phi: PointwiseField, n: PointwiseField): PointwiseField {
  return (x) => tf.tidy(() => tf.add(g(x), tf.mul(phi(x), n(x))) as tf.Tensor2D);
}

/** {@link hardConstrained} on jets (forward-mode derivatives carried through the product rule). */
export function hardConstrainedJet(g: Jet, phi: Jet, n: Jet): Jet {
  return jetAdd(g, jetMul(phi, n));
}
