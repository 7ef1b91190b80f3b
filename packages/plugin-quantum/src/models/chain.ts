import type { StateDict } from '@paperlab/core';
import {
  assignVariables,
  type Inputs,
  type Model,
  type Sequential,
  variablesState,
} from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';

/** Sequential models applied one after another, as one trainable {@link Model} (e.g. encoder → decoder). */
export class Chain implements Model {
  /** The parts, in order. */
  readonly parts: Sequential[];

  constructor(parts: Sequential[]) {
    this.parts = parts;
  }

  /** Trainable variables of all parts. */
  variables(): tf.Variable[] {
    return this.parts.flatMap((p) => p.variables());
  }

  /** Runs every part in turn. */
  forward(x: Inputs, options: { training: boolean }): tf.Tensor {
    return tf.tidy(() => {
      let h = x as tf.Tensor;
      for (const p of this.parts) h = p.forward(h, options);
      return h;
    });
  }

  /** Saved variables of all parts. */
  async getState(): Promise<StateDict> {
    const named: Record<string, tf.Variable> = {};
    for (const p of this.parts) Object.assign(named, p.namedVariables());
    return variablesState(named);
  }

  /** Restores saved variables. */
  setState(state: StateDict): void {
    const named: Record<string, tf.Variable> = {};
    for (const p of this.parts) Object.assign(named, p.namedVariables());
    assignVariables(named, state);
  }

  /** Releases every part. */
  dispose(): void {
    for (const p of this.parts) p.dispose();
  }
}
