import type { Rng } from '@paperlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { normalVariable, variableOf } from './variables.js';

/** Sizes of a {@link SelectiveSsm}. */
export interface SsmSize {
  /** Channels E (the model width). */
  channels: number;
  /** State size N per channel. */
  state: number;
}

/**
 * A one-block selective state-space classifier (Mamba's S6 scan, Gu & Dao 2023) over image rows x_t: u_t = x_t·W_u,
 * Δ_t = softplus(x_t·W_Δ + b_Δ), B_t = x_t·W_B, C_t = x_t·W_C (all input-dependent), A = −exp(A_log) diagonal,
 * h_t = exp(Δ_t A) ⊙ h_{t−1} + (Δ_t u_t) B_t, y_t = C_t·h_t + D ⊙ u_t; logits = mean_t(y_t)·W_o + b_o.
 */
export class SelectiveSsm {
  private readonly vars: Record<
    'wu' | 'wd' | 'bd' | 'wb' | 'wc' | 'aLog' | 'skip' | 'wo' | 'bo',
    tf.Variable
  >;

  private constructor(
    readonly steps: number,
    readonly inputs: number,
    readonly size: SsmSize,
    readonly classes: number,
    rng: Rng,
  ) {
    const { channels: e, state: n } = size;
    const normal = (shape: [number, number], fanIn: number, label: string) =>
      normalVariable(shape, fanIn, rng.split(label));
    // S4D-real initialisation: A_{e,k} = −(k + 1).
    const aLog = Float32Array.from({ length: e * n }, (_, i) => Math.log((i % n) + 1));
    this.vars = {
      wu: normal([inputs, e], inputs, 'wu'),
      wd: normal([inputs, e], inputs, 'wd'),
      bd: variableOf(tf.fill([e], -1)),
      wb: normal([inputs, n], inputs, 'wb'),
      wc: normal([inputs, n], inputs, 'wc'),
      aLog: variableOf(tf.tensor2d(aLog, [e, n])),
      skip: variableOf(tf.ones([e])),
      wo: normal([e, classes], e, 'wo'),
      bo: variableOf(tf.zeros([classes])),
    };
  }

  /** A fresh model for images of `shape` [rows, cols, 1] (rows are the time steps), initialised from `rng`. */
  static build(shape: readonly number[], size: SsmSize, classes: number, rng: Rng): SelectiveSsm {
    const [rows, cols] = shape as [number, number];
    return new SelectiveSsm(rows, cols, size, classes, rng);
  }

  /** FLOPs of one example's forward pass (multiplies and adds; exp and softplus counted as one each). */
  static flops(steps: number, inputs: number, size: SsmSize, classes: number): number {
    const { channels: e, state: n } = size;
    const perStep = 2 * inputs * (2 * e + 2 * n) + 2 * e + 7 * e * n + 3 * e;
    return steps * perStep + 2 * e * classes;
  }

  /** Logits [batch, classes] of a batch of images [batch, rows, cols, 1]. */
  forward(x: tf.Tensor, _options?: { training: boolean }): tf.Tensor {
    const v = this.vars;
    const { channels: e, state: n } = this.size;
    return tf.tidy(() => {
      const b = x.shape[0]!;
      const flat = tf.reshape(x, [b * this.steps, this.inputs]) as tf.Tensor2D;
      const seq = (w: tf.Variable, width: number) =>
        tf.reshape(tf.matMul(flat, w as tf.Tensor2D), [b, this.steps, width]);
      const u = seq(v.wu, e);
      const delta = tf.softplus(tf.add(seq(v.wd, e), v.bd));
      const bIn = seq(v.wb, n);
      const cOut = seq(v.wc, n);
      const a = tf.neg(tf.exp(v.aLog));
      const at = (s: tf.Tensor, t: number, width: number) =>
        tf.reshape(tf.slice(s, [0, t, 0], [b, 1, width]), [b, width]);
      let h: tf.Tensor = tf.zeros([b, e, n]);
      let sum: tf.Tensor = tf.zeros([b, e]);
      for (let t = 0; t < this.steps; t++) {
        const ut = at(u, t, e);
        const dt = at(delta, t, e);
        const decay = tf.exp(tf.mul(tf.reshape(dt, [b, e, 1]), a));
        const drive = tf.mul(tf.reshape(tf.mul(dt, ut), [b, e, 1]), tf.reshape(at(bIn, t, n), [b, 1, n]));
        h = tf.add(tf.mul(decay, h), drive);
        const y = tf.add(tf.sum(tf.mul(h, tf.reshape(at(cOut, t, n), [b, 1, n])), -1), tf.mul(v.skip, ut));
        sum = tf.add(sum, y);
      }
      const pooled = tf.div(sum, this.steps) as tf.Tensor2D;
      return tf.add(tf.matMul(pooled, v.wo as tf.Tensor2D), v.bo);
    });
  }

  /** The trainable variables (stable order). */
  variables(): tf.Variable[] {
    return Object.values(this.vars);
  }

  /** Trainable parameters. */
  paramCount(): number {
    return this.variables().reduce((s, t) => s + t.size, 0);
  }

  /** Frees the variables. */
  dispose(): void {
    for (const t of this.variables()) t.dispose();
  }
}
