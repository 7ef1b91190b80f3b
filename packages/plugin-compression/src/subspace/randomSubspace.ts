import { Rng } from '@paperlab/core';
import { ownedVariable, type Trainee } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import type { CompressNet } from '../nets/compressNet.js';

/**
 * A random d-dimensional subspace of a D-dimensional parameter space (Li et al. 2018): θ = θ₀ + Pᵀθ_d with P [d, D]
 * of i.i.d. normals, rows normalised to unit length. P is regenerated from its seed, never stored: a trained model
 * is (seed, θ₀'s seed, θ_d), i.e. 4·d bytes plus two integers.
 */
export class RandomSubspace {
  readonly D: number;
  readonly d: number;
  readonly seed: number;
  /** The projection [d, D]. */
  readonly P: tf.Tensor2D;

  private constructor(D: number, d: number, seed: number, P: tf.Tensor2D) {
    this.D = D;
    this.d = d;
    this.seed = seed;
    this.P = P;
  }

  /**
   * Generates P from `seed` (same seed → same P on every backend). Row i depends only on (seed, i), so the first d
   * rows of a larger subspace are this subspace's rows: nested subspaces share directions.
   */
  static generate(D: number, d: number, seed: number): RandomSubspace {
    if (!(Number.isInteger(d) && d >= 1 && d <= D))
      throw new RangeError(`RandomSubspace: need 1 ≤ d ≤ D, got d = ${d}, D = ${D}`);
    const values = new Float32Array(d * D);
    const root = new Rng(seed).split('subspace');
    for (let i = 0; i < d; i++) {
      const row = root.split(i).normals(D);
      let norm = 0;
      for (let j = 0; j < D; j++) norm += row[j]! * row[j]!;
      const inv = 1 / Math.sqrt(norm);
      for (let j = 0; j < D; j++) values[i * D + j] = row[j]! * inv;
    }
    return new RandomSubspace(D, d, seed, tf.tensor2d(values, [d, D]));
  }

  /** The offset Pᵀθ_d [D] of a point θ_d [d] of the subspace. */
  offset(thetaD: tf.Tensor): tf.Tensor1D {
    // Gradient P·g written as a plain matMul with g as a column (a reshape, no transpose): tfjs' own gradient
    // would multiply by a transposed P, which wasm materialises at every step.
    const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => ({
      value: tf.tidy(() =>
        tf.reshape(tf.matMul(tf.reshape(args[0] as tf.Tensor, [1, this.d]), this.P), [this.D]),
      ),
      gradFunc: (dy: tf.Tensor) =>
        tf.tidy(() => tf.reshape(tf.matMul(this.P, tf.reshape(dy, [this.D, 1])), [this.d])),
    }));
    return f(thetaD) as tf.Tensor1D;
  }

  /** Bytes of the compressed model: θ_d in float32 plus the two seeds (P and θ₀ are regenerated). */
  storedBytes(): number {
    return 4 * this.d + 8;
  }

  /** Releases P. */
  dispose(): void {
    this.P.dispose();
  }
}

/** Splits a flat parameter vector into tensors of the given shapes. */
export function unflatten(flat: tf.Tensor1D, shapes: readonly number[][]): tf.Tensor[] {
  return tf.tidy(() => {
    let at = 0;
    return shapes.map((s) => {
      const n = s.reduce((a, b) => a * b, 1);
      const t = tf.reshape(tf.slice(flat, [at], [n]), s);
      at += n;
      return t;
    });
  });
}

/** The net's variables as one flat vector (in `variables()` order). */
export function flattenParams(net: CompressNet): tf.Tensor1D {
  return tf.tidy(() => tf.concat(net.variables().map((v) => tf.reshape(v, [-1]))) as tf.Tensor1D);
}

/**
 * A trainee whose only variable is θ_d: the net runs on θ₀ + Pᵀθ_d (θ₀ = the net's current weights, kept fixed).
 * Train it with core's `fit`; `dispose` releases θ_d and θ₀ (not the net or the subspace).
 */
export function subspaceTrainee(
  net: CompressNet,
  subspace: RandomSubspace,
): Trainee & { thetaD: tf.Variable; dispose(): void } {
  const shapes = net.variables().map((v) => [...v.shape]);
  const theta0 = flattenParams(net);
  if (theta0.size !== subspace.D) {
    theta0.dispose();
    throw new Error(
      `subspaceTrainee: the net has ${net.paramCount()} parameters, the subspace D = ${subspace.D}`,
    );
  }
  const thetaD = ownedVariable(
    tf.zeros([subspace.d]),
    `subspace-${subspace.seed}-${subspace.d}-${theta0.id}`,
  );
  return {
    thetaD,
    variables: () => [thetaD],
    forward(x, options) {
      return tf.tidy(() => {
        const theta = tf.add(theta0, subspace.offset(thetaD)) as tf.Tensor1D;
        return net.forwardParams(x, unflatten(theta, shapes), options);
      });
    },
    dispose() {
      tf.dispose([thetaD, theta0]);
    },
  };
}
