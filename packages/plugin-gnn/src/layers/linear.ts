import type { Rng } from '@paperlab/core';
import { type Activation, activate, type InitScheme, initTensor, ownedVariable } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';

/** Something with trainable variables that must be released. */
export interface Parametrised {
  /** Trainable variables, in a stable order. */
  variables(): tf.Variable[];
  /** State that is not trained but must be saved with the model (e.g. batch-norm running statistics). */
  buffers?(): tf.Variable[];
  /** Releases the variables. */
  dispose(): void;
}

/** A dense layer `x·W + b` with weights drawn from the run's Rng. */
export class Linear implements Parametrised {
  readonly w: tf.Variable;
  readonly b: tf.Variable | null;

  /** `inDim → outDim`, Glorot-uniform weights by default, zero bias unless `bias: false`. */
  constructor(
    rng: Rng,
    readonly inDim: number,
    readonly outDim: number,
    o: { bias?: boolean; init?: InitScheme } = {},
  ) {
    this.w = ownedVariable(initTensor([inDim, outDim], o.init ?? 'glorot', rng, inDim, outDim));
    this.b = o.bias === false ? null : ownedVariable(tf.zeros([outDim]));
  }

  /** `x·W + b`. */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    const y = tf.matMul(x, this.w);
    return (this.b ? tf.add(y, this.b) : y) as tf.Tensor2D;
  }

  variables(): tf.Variable[] {
    return this.b ? [this.w, this.b] : [this.w];
  }

  dispose(): void {
    tf.dispose(this.variables());
  }
}

/** A multilayer perceptron: dense layers with an activation between them (none after the last). */
export class Mlp implements Parametrised {
  readonly layers: Linear[];

  /** `dims = [in, hidden…, out]`. */
  constructor(
    rng: Rng,
    dims: readonly number[],
    readonly activation: Activation = 'relu',
    o: { init?: InitScheme } = {},
  ) {
    if (dims.length < 2) throw new RangeError(`Mlp needs at least [in, out] dims, got [${dims}]`);
    this.layers = dims
      .slice(1)
      .map((d, i) => new Linear(rng.split(`mlp-${i}`), dims[i]!, d, o.init ? { init: o.init } : {}));
  }

  /** The forward pass. */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    let h = x;
    this.layers.forEach((l, i) => {
      h = l.apply(h);
      if (i < this.layers.length - 1) h = activate(h, this.activation) as tf.Tensor2D;
    });
    return h;
  }

  variables(): tf.Variable[] {
    return this.layers.flatMap((l) => l.variables());
  }

  dispose(): void {
    for (const l of this.layers) l.dispose();
  }
}

/** Number of scalar parameters of a model. */
export function parameterCount(m: Parametrised): number {
  return m.variables().reduce((s, v) => s + v.size, 0);
}
