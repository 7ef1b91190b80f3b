import { Rng } from '@paperlab/core';
import { ownedVariable, type Trainee } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import type { CompressNet } from '../nets/compressNet.js';

/** How P is drawn: dense Gaussian rows, or very sparse rows with ≈ √D entries ±1/√c each (Li, Hastie & Church 2006). */
export type ProjectionKind = 'dense' | 'sparse';

/**
 * A random d-dimensional subspace of a D-dimensional parameter space (Li et al. 2018): θ = θ₀ + Pᵀθ_d, P [d, D] with
 * unit-length rows — dense i.i.d. normals, or (`sparse`) c = round(√D) distinct random positions per row with random
 * signs, the sparse projection Li et al. use for larger nets (cost O(d·√D) per step instead of O(d·D)). P is
 * regenerated from its seed, never stored: a trained model is (seed, θ₀'s seed, θ_d), i.e. 4·d bytes plus two
 * integers. Row i depends only on (seed, i), so the first d rows of a larger subspace are this subspace's rows.
 */
export class RandomSubspace {
  readonly D: number;
  readonly d: number;
  readonly seed: number;
  readonly kind: ProjectionKind;
  /** Dense: the projection [d, D] as a tensor. */
  private readonly P: tf.Tensor2D | null;
  /** Sparse: row i's c non-zeros at columns cols[i·c …] with values vals[i·c …] (host arrays). */
  private readonly sparse: { c: number; cols: Int32Array; vals: Float32Array } | null;

  private constructor(
    D: number,
    d: number,
    seed: number,
    kind: ProjectionKind,
    P: tf.Tensor2D | null,
    sparse: RandomSubspace['sparse'],
  ) {
    this.D = D;
    this.d = d;
    this.seed = seed;
    this.kind = kind;
    this.P = P;
    this.sparse = sparse;
  }

  /** Generates P from `seed` (same seed → same P on every backend). */
  static generate(D: number, d: number, seed: number, kind: ProjectionKind = 'dense'): RandomSubspace {
    if (!(Number.isInteger(d) && d >= 1 && d <= D))
      throw new RangeError(`RandomSubspace: need 1 ≤ d ≤ D, got d = ${d}, D = ${D}`);
    const root = new Rng(seed).split(`subspace-${kind}`);
    if (kind === 'sparse') {
      const c = Math.max(1, Math.min(D, Math.round(Math.sqrt(D))));
      const cols = new Int32Array(d * c);
      const vals = new Float32Array(d * c);
      const v = 1 / Math.sqrt(c);
      for (let i = 0; i < d; i++) {
        const rng = root.split(i);
        const taken = new Set<number>();
        for (let t = 0; t < c; t++) {
          let j = rng.int(D);
          while (taken.has(j)) j = rng.int(D);
          taken.add(j);
          cols[i * c + t] = j;
          vals[i * c + t] = rng.uniform() < 0.5 ? -v : v;
        }
      }
      return new RandomSubspace(D, d, seed, kind, null, { c, cols, vals });
    }
    const values = new Float32Array(d * D);
    for (let i = 0; i < d; i++) {
      const row = root.split(i).normals(D);
      let norm = 0;
      for (let j = 0; j < D; j++) norm += row[j]! * row[j]!;
      const inv = 1 / Math.sqrt(norm);
      for (let j = 0; j < D; j++) values[i * D + j] = row[j]! * inv;
    }
    return new RandomSubspace(D, d, seed, kind, tf.tensor2d(values, [d, D]), null);
  }

  /** P as a dense [d, D] tensor (a new tensor; for tests and small subspaces). */
  dense(): tf.Tensor2D {
    if (this.P) return tf.clone(this.P);
    const { c, cols, vals } = this.sparse!;
    const out = new Float32Array(this.d * this.D);
    for (let k = 0; k < cols.length; k++) out[Math.floor(k / c) * this.D + cols[k]!] = vals[k]!;
    return tf.tensor2d(out, [this.d, this.D]);
  }

  /** The offset Pᵀθ_d [D] of a point θ_d [d] of the subspace. */
  offset(thetaD: tf.Tensor): tf.Tensor1D {
    if (this.sparse) {
      // Host loops over the d·c non-zeros, both ways: tfjs' gather/segment-sum are ~100× slower on wasm.
      const { c, cols, vals } = this.sparse;
      const { d, D } = this;
      const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
        const theta = (args[0] as tf.Tensor).dataSync();
        const out = new Float32Array(D);
        for (let k = 0; k < cols.length; k++) out[cols[k]!]! += vals[k]! * theta[Math.floor(k / c)]!;
        return {
          value: tf.tensor1d(out),
          gradFunc: (dy: tf.Tensor) => {
            const g = dy.dataSync();
            const grad = new Float32Array(d);
            for (let k = 0; k < cols.length; k++) grad[Math.floor(k / c)]! += vals[k]! * g[cols[k]!]!;
            return tf.tensor1d(grad);
          },
        };
      });
      return f(thetaD) as tf.Tensor1D;
    }
    const P = this.P!;
    // Gradient P·g written as a plain matMul with g as a column (a reshape, no transpose): tfjs' own gradient
    // would multiply by a transposed P, which wasm materialises at every step.
    const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => ({
      value: tf.tidy(() => tf.reshape(tf.matMul(tf.reshape(args[0] as tf.Tensor, [1, this.d]), P), [this.D])),
      gradFunc: (dy: tf.Tensor) =>
        tf.tidy(() => tf.reshape(tf.matMul(P, tf.reshape(dy, [this.D, 1])), [this.d])),
    }));
    return f(thetaD) as tf.Tensor1D;
  }

  /** Bytes of the compressed model: θ_d in float32 plus the two seeds (P and θ₀ are regenerated). */
  storedBytes(): number {
    return 4 * this.d + 8;
  }

  /** Releases P. */
  dispose(): void {
    this.P?.dispose();
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
