import * as tf from '@tensorflow/tfjs-core';
import { bsplineBasis } from './bspline.js';

/** Univariate function families a KAN edge can be built from (the activation spaces of S-KAN). */
export type BasisFamily = 'bspline' | 'chebyshev' | 'rbf' | 'fourier' | 'wavelet';

/** A family with its size: `size` functions per input on the input range [lo, hi]. */
export interface BasisSpec {
  family: BasisFamily;
  /** Grid intervals (bspline), polynomial degree + 1 (chebyshev), centres (rbf, wavelet), or 2 × frequencies (fourier). */
  size: number;
  lo?: number;
  hi?: number;
  /** Spline degree for `bspline` (default 3). */
  order?: number;
}

/** Functions per input a spec yields. */
export function basisCount(spec: BasisSpec): number {
  return spec.family === 'bspline' ? spec.size + (spec.order ?? 3) : spec.size;
}

/**
 * Evaluates a family on inputs [n, d] → [n, d, basisCount]: cubic B-splines on a uniform grid (FFT-free, the
 * `physics/bspline-basis` kernel), Chebyshev polynomials T_m(tanh x) (ChebyKAN), Gaussian radial bumps (FastKAN),
 * Fourier features cos/sin(m·π·x̂), or Mexican-hat wavelets at `size` centres.
 */
export function evaluateBasis(x: tf.Tensor2D, spec: BasisSpec): tf.Tensor3D {
  const lo = spec.lo ?? -1;
  const hi = spec.hi ?? 1;
  const m = spec.size;
  return tf.tidy(() => {
    switch (spec.family) {
      case 'bspline':
        return bsplineBasis(x, { grid: m, order: spec.order ?? 3, lo, hi });
      case 'chebyshev': {
        const t = tf.tanh(x);
        const out: tf.Tensor[] = [tf.onesLike(t), t];
        for (let k = 2; k < m; k++) out.push(tf.sub(tf.mul(tf.mul(2, t), out[k - 1]!), out[k - 2]!));
        return tf.stack(out.slice(0, m), 2) as tf.Tensor3D;
      }
      case 'rbf':
      case 'wavelet': {
        const c = tf.linspace(lo, hi, m);
        const w = (hi - lo) / Math.max(m - 1, 1);
        const z = tf.div(tf.sub(tf.expandDims(x, 2), c), w);
        const g = tf.exp(tf.neg(tf.mul(0.5, tf.square(z))));
        return (spec.family === 'rbf' ? g : tf.mul(tf.sub(1, tf.square(z)), g)) as tf.Tensor3D;
      }
      case 'fourier': {
        const half = Math.max(1, Math.floor(m / 2));
        const freq = tf.mul(Math.PI / (hi - lo), tf.range(1, half + 1));
        const ang = tf.mul(tf.expandDims(tf.sub(x, lo), 2), freq);
        const both = tf.concat([tf.cos(ang), tf.sin(ang)], 2);
        return (
          m % 2 === 0 ? both : tf.concat([both, tf.onesLike(tf.slice(both, [0, 0, 0], [-1, -1, 1]))], 2)
        ) as tf.Tensor3D;
      }
    }
  });
}
