import type { Rng } from '@paperlab/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * K tanh MLPs of one scalar input, their weights held as rows of one flat matrix [K, D] (the particles of SVGD or an
 * ensemble), evaluated in one batched pass; `jet` also gives the first and second derivatives in the input by
 * forward mode. Layout of a row: per layer W (in × out, row-major) then b (out).
 */
export class EnsembleMlp {
  readonly sizes: readonly number[];
  /** Parameters per network. */
  readonly size: number;

  constructor(sizes: readonly number[]) {
    if (sizes[0] !== 1) throw new Error(`EnsembleMlp takes one scalar input, got sizes [${sizes}]`);
    this.sizes = sizes;
    let d = 0;
    for (let i = 0; i + 1 < sizes.length; i++) d += sizes[i]! * sizes[i + 1]! + sizes[i + 1]!;
    this.size = d;
  }

  /** Glorot-normal weights and zero biases for K networks, [K, D]. */
  init(k: number, rng: Rng): Float32Array {
    const out = new Float32Array(k * this.size);
    for (let p = 0; p < k; p++) {
      let o = p * this.size;
      for (let i = 0; i + 1 < this.sizes.length; i++) {
        const [fin, fout] = [this.sizes[i]!, this.sizes[i + 1]!];
        const sd = Math.sqrt(2 / (fin + fout));
        for (let q = 0; q < fin * fout; q++) out[o + q] = sd * rng.normal();
        o += fin * fout + fout;
      }
    }
    return out;
  }

  /**
   * Outputs and their first two input derivatives for every network at points t [T] (scaled by `scale`:
   * the network sees t·scale): three tensors [K, T, out].
   */
  jet(params: tf.Tensor2D, t: tf.Tensor1D, scale = 1): { y: tf.Tensor3D; dy: tf.Tensor3D; d2y: tf.Tensor3D } {
    return tf.tidy(() => {
      const K = params.shape[0];
      const T = t.shape[0];
      let h: tf.Tensor3D = tf.tile(tf.reshape(tf.mul(t, scale), [1, T, 1]), [K, 1, 1]);
      let dh: tf.Tensor3D = tf.fill([K, T, 1], scale) as tf.Tensor3D;
      let d2h: tf.Tensor3D = tf.zeros([K, T, 1]);
      let o = 0;
      const last = this.sizes.length - 2;
      for (let i = 0; i <= last; i++) {
        const [fin, fout] = [this.sizes[i]!, this.sizes[i + 1]!];
        const W = tf.reshape(tf.slice(params, [0, o], [K, fin * fout]), [K, fin, fout]) as tf.Tensor3D;
        const b = tf.reshape(tf.slice(params, [0, o + fin * fout], [K, fout]), [K, 1, fout]);
        o += fin * fout + fout;
        const z = tf.add(tf.matMul(h, W), b) as tf.Tensor3D;
        const dz = tf.matMul(dh, W) as tf.Tensor3D;
        const d2z = tf.matMul(d2h, W) as tf.Tensor3D;
        if (i === last) return { y: z, dy: dz, d2y: d2z };
        const a = tf.tanh(z);
        const s = tf.sub(1, tf.square(a));
        h = a as tf.Tensor3D;
        dh = tf.mul(s, dz) as tf.Tensor3D;
        d2h = tf.add(tf.mul(s, d2z), tf.mul(tf.mul(-2, tf.mul(a, s)), tf.square(dz))) as tf.Tensor3D;
      }
      throw new Error('unreachable');
    });
  }
}
