import type { Rng } from '@paperlab/core';
import { activate } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { OperatorNet, type ParamShape, zerosShape } from './params.js';
import { type DftMatrices, dftMatrices, disposeDft, spectralConv2d } from './spectral.js';

/** Sizes of an {@link Fno}. */
export interface FnoSpec {
  /** Grid side n of the inputs. */
  grid: number;
  /** Channels of the Fourier layers. */
  width: number;
  /** Kept modes per direction (k_y < m, |k_x| < m). */
  modes: number;
  /** Fourier layers. */
  layers: number;
  /** Zero padding added on the high side of both axes before the Fourier layers (non-periodic data). */
  pad: number;
  /** Hidden units of the pointwise projection (default 2·width). */
  projection?: number;
}

/** Every weight of an {@link Fno}: lifting (a, x, y) → width, per layer the spectral and pointwise weights, projection. */
export function fnoShapes(spec: FnoSpec): ParamShape[] {
  const { width: w, modes: m, layers } = spec;
  if (2 * m > spec.grid + spec.pad)
    throw new RangeError(`Fno: ${m} modes do not fit a ${spec.grid + spec.pad}-point padded grid`);
  const q = spec.projection ?? 2 * w;
  const km = 2 * m * m;
  const out: ParamShape[] = [
    { name: 'lift/w', shape: [3, w], fanIn: 3, init: 'lecun' },
    zerosShape('lift/b', w),
  ];
  for (let k = 0; k < layers; k++)
    out.push(
      { name: `F${k}/re`, shape: [km, w, w], fanIn: 1, init: { uniform: 1 / (w * w) } },
      { name: `F${k}/im`, shape: [km, w, w], fanIn: 1, init: { uniform: 1 / (w * w) } },
      { name: `F${k}/w`, shape: [w, w], fanIn: w, init: 'lecun' },
      zerosShape(`F${k}/b`, w),
    );
  out.push(
    { name: 'proj/w1', shape: [w, q], fanIn: w, init: 'lecun' },
    zerosShape('proj/b1', q),
    { name: 'proj/w2', shape: [q, 1], fanIn: q, init: 'lecun' },
    zerosShape('proj/b2', 1),
  );
  return out;
}

/**
 * A small Fourier neural operator (Li et al. 2021) in 2-D: pointwise lifting of (a, x, y) to `width` channels,
 * `layers` blocks v ↦ σ(K v + W v + b) with K the truncated spectral convolution (real DFT matrices as matmuls,
 * see `spectral.ts`), the last block linear, then a two-layer pointwise projection to one channel.
 */
export class Fno extends OperatorNet {
  readonly spec: FnoSpec;
  private readonly dft: DftMatrices;
  private readonly coords: tf.Tensor4D;

  constructor(spec: FnoSpec, rng: Rng) {
    super(fnoShapes(spec), rng, 'fno');
    this.spec = spec;
    this.dft = dftMatrices(spec.grid + spec.pad, spec.modes);
    const n = spec.grid;
    const xy = new Float32Array(n * n * 2);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) xy.set([i / (n - 1), j / (n - 1)], (i * n + j) * 2);
    this.coords = tf.tensor4d(xy, [1, n, n, 2]);
  }

  private dense(x: tf.Tensor4D, w: string, b: string): tf.Tensor4D {
    const [bs, h, ww, c] = x.shape;
    const W = this.params.get(w) as tf.Tensor as tf.Tensor2D;
    const y = tf.add(tf.matMul(tf.reshape(x, [bs * h * ww, c]), W), this.params.get(b));
    return tf.reshape(y, [bs, h, ww, W.shape[1]]);
  }

  /** Input [b, n, n, 1] (the coefficient field) → output [b, n, n, 1]. */
  forward(x: tf.Tensor, _options: { training: boolean }): tf.Tensor {
    return tf.tidy(() => {
      const a = x as tf.Tensor4D;
      const [b, n] = a.shape;
      const inp = tf.concat([a, tf.tile(this.coords, [b, 1, 1, 1])], 3);
      let v = this.dense(inp, 'lift/w', 'lift/b');
      const p = this.spec.pad;
      if (p > 0)
        v = tf.pad(v, [
          [0, 0],
          [0, p],
          [0, p],
          [0, 0],
        ]);
      for (let k = 0; k < this.spec.layers; k++) {
        const s = spectralConv2d(
          v,
          this.params.get(`F${k}/re`) as tf.Tensor as tf.Tensor3D,
          this.params.get(`F${k}/im`) as tf.Tensor as tf.Tensor3D,
          this.dft,
        );
        const z = tf.add(s, this.dense(v, `F${k}/w`, `F${k}/b`)) as tf.Tensor4D;
        v = k < this.spec.layers - 1 ? (activate(z, 'gelu') as tf.Tensor4D) : z;
      }
      if (p > 0) v = tf.slice(v, [0, 0, 0, 0], [b, n, n, this.spec.width]);
      const h = activate(this.dense(v, 'proj/w1', 'proj/b1'), 'gelu') as tf.Tensor4D;
      return this.dense(h, 'proj/w2', 'proj/b2');
    });
  }

  /** Releases the variables and the DFT matrices. */
  override dispose(): void {
    super.dispose();
    disposeDft(this.dft);
    this.coords.dispose();
  }
}
