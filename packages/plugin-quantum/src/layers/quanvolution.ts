import type { Rng } from '@paperlab/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Circuit } from '../circuits/circuit.js';
import type { Observable } from '../circuits/observables.js';
import { type DiffMethod, QuantumLayer } from './quantumLayer.js';
import type { Stage } from './stack.js';

/** Options of a {@link Quanvolution}. */
export interface QuanvolutionOptions {
  /** Patch side k (patches are k×k×channels). */
  kernel: number;
  /** Stride (default k: non-overlapping patches). */
  stride?: number;
  /** Input channels. */
  channels: number;
  /** The patch circuit: `input(j)` reads patch feature j (row-major over k, k, channels). */
  circuit: Circuit;
  /** One output channel per observable. */
  observables: Observable[];
  /** Draws the initial circuit weights. */
  rng: Rng;
  /** Initial weights ~ U(lo, hi) (default [0, 2π)). */
  init?: { lo: number; hi: number };
  /** Gradient method (default auto). */
  diffMethod?: DiffMethod | 'auto';
  /** Variable name prefix (must be unique among live variables). */
  name: string;
}

/**
 * A quanvolutional layer (Henderson et al. 2019, trainable as in Senokosov et al. 2023): the same circuit
 * runs on every k×k patch of `[batch, h, w, c]` images, and its expectation values become the output
 * channels `[batch, oh, ow, K]` ('valid' padding). Patches are gathered by a convolution with a one-hot
 * kernel, so gradients reach both the circuit weights and the pixels (needed for white-box attacks).
 */
export class Quanvolution implements Stage {
  /** The circuit run on each patch. */
  readonly layer: QuantumLayer;
  /** Patch side. */
  readonly kernel: number;
  /** Stride. */
  readonly stride: number;
  /** Input channels. */
  readonly channels: number;
  private readonly picker: tf.Tensor4D;

  constructor(o: QuanvolutionOptions) {
    this.kernel = o.kernel;
    this.stride = o.stride ?? o.kernel;
    this.channels = o.channels;
    const f = o.kernel * o.kernel * o.channels;
    if (o.circuit.numInputs > f) {
      throw new RangeError(`Quanvolution: the circuit reads ${o.circuit.numInputs} inputs, a patch has ${f}`);
    }
    this.layer = new QuantumLayer({
      circuit: o.circuit,
      observables: o.observables,
      rng: o.rng,
      init: o.init,
      diffMethod: o.diffMethod,
      name: o.name,
    });
    // One-hot kernel [k, k, c, k·k·c]: output channel (i·k + j)·c + ch copies pixel (i, j, ch).
    const pick = new Float32Array(f * f);
    for (let q = 0; q < f; q++) pick[q * f + q] = 1;
    this.picker = tf.tensor4d(pick, [o.kernel, o.kernel, o.channels, f]);
  }

  /** Output channels. */
  get outputs(): number {
    return this.layer.outputs;
  }

  /** Output spatial size for an input of size h×w. */
  outputSize(h: number, w: number): [number, number] {
    return [Math.floor((h - this.kernel) / this.stride) + 1, Math.floor((w - this.kernel) / this.stride) + 1];
  }

  /** Patches `[batch·oh·ow, k·k·c]` of images `[batch, h, w, c]`. */
  patches(x: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => {
      const p = tf.conv2d(x, this.picker, this.stride, 'valid');
      return tf.reshape(p, [-1, p.shape[3]]) as tf.Tensor2D;
    });
  }

  /** `[batch, h, w, c]` → `[batch, oh, ow, K]`. */
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const [b, h, w] = x.shape as [number, number, number, number];
      const [oh, ow] = this.outputSize(h, w);
      const p = this.patches(x as tf.Tensor4D);
      const used = this.layer.circuit.numInputs;
      const inputs = used < p.shape[1] ? tf.slice(p, [0, 0], [-1, used]) : p;
      return tf.reshape(this.layer.apply(inputs as tf.Tensor2D), [b, oh, ow, this.outputs]);
    });
  }

  /** The circuit weights. */
  variables(): tf.Variable[] {
    return this.layer.variables();
  }

  /** Releases the weights and the patch kernel. */
  dispose(): void {
    this.layer.dispose();
    this.picker.dispose();
  }
}
