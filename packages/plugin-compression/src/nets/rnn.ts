import type { Rng } from '@paperlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { normalVariable, variableOf } from './variables.js';

/**
 * An Elman RNN classifier over image rows: h_t = tanh(x_t·W_x + h_{t−1}·(W_h ⊙ M) + b), logits = h_T·W_o + b_o,
 * where x_t is row t of an [h, w, 1] image and M is a fixed 0/1 mask on the recurrent matrix (all ones until
 * {@link ElmanRnn.setRecurrentMask}). W_h[i, j] is the connection from hidden neuron i to neuron j.
 */
export class ElmanRnn {
  /** Input-to-hidden weights [inputs, hidden]. */
  readonly wx: tf.Variable;
  /** Recurrent weights [hidden, hidden]. */
  readonly wh: tf.Variable;
  /** Hidden bias [hidden]. */
  readonly b: tf.Variable;
  /** Readout weights [hidden, classes]. */
  readonly wo: tf.Variable;
  /** Readout bias [classes]. */
  readonly bo: tf.Variable;
  private mask: tf.Tensor2D | null = null;

  private constructor(
    readonly steps: number,
    readonly inputs: number,
    readonly hidden: number,
    readonly classes: number,
    rng: Rng,
  ) {
    const init = (shape: [number, number], fanIn: number, label: string) =>
      normalVariable(shape, fanIn, rng.split(label));
    this.wx = init([inputs, hidden], inputs, 'wx');
    this.wh = init([hidden, hidden], hidden, 'wh');
    this.b = variableOf(tf.zeros([hidden]));
    this.wo = init([hidden, classes], hidden, 'wo');
    this.bo = variableOf(tf.zeros([classes]));
  }

  /** A fresh RNN for images of `shape` [rows, cols, 1] (rows are the time steps), initialised from `rng`. */
  static build(shape: readonly number[], hidden: number, classes: number, rng: Rng): ElmanRnn {
    const [rows, cols] = shape as [number, number];
    return new ElmanRnn(rows, cols, hidden, classes, rng);
  }

  /** Logits [batch, classes] of a batch of images [batch, rows, cols, 1]. */
  forward(x: tf.Tensor, _options?: { training: boolean }): tf.Tensor {
    return tf.tidy(() => {
      const n = x.shape[0]!;
      const wh: tf.Tensor2D = this.mask ? tf.mul(this.wh, this.mask) : (this.wh as tf.Tensor2D);
      const flat = tf.reshape(x, [n * this.steps, this.inputs]) as tf.Tensor2D;
      const proj = tf.reshape(tf.matMul(flat, this.wx as tf.Tensor2D), [n, this.steps, this.hidden]);
      let h: tf.Tensor2D = tf.zeros([n, this.hidden]);
      for (let t = 0; t < this.steps; t++) {
        const xt = tf.reshape(tf.slice(proj, [0, t, 0], [n, 1, this.hidden]), [n, this.hidden]);
        h = tf.tanh(tf.add(tf.add(xt, tf.matMul(h, wh)), this.b));
      }
      return tf.add(tf.matMul(h, this.wo as tf.Tensor2D), this.bo);
    });
  }

  /** The trainable variables (stable order). */
  variables(): tf.Variable[] {
    return [this.wx, this.wh, this.b, this.wo, this.bo];
  }

  /** Fixes the recurrent mask M (row-major [hidden, hidden], 1 keeps a connection); `null` removes it. */
  setRecurrentMask(mask: Float32Array | null): void {
    this.mask?.dispose();
    this.mask = mask ? tf.tensor2d(mask, [this.hidden, this.hidden]) : null;
  }

  /** The recurrent weights W_h as a host array (row-major [hidden, hidden]). */
  recurrentWeights(): Float32Array {
    return this.wh.dataSync() as Float32Array;
  }

  /** Frees the variables and the mask. */
  dispose(): void {
    for (const v of this.variables()) v.dispose();
    this.setRecurrentMask(null);
  }
}
