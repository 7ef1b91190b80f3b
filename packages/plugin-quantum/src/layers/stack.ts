import type { StateDict } from '@paperlab/core';
import type { Inputs, Model, Sequential } from '@paperlab/core/train';
import { assignVariables, variablesState } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import type { QuantumLayer } from './quantumLayer.js';

/** One step of a {@link Stack}: a differentiable map with its own variables. */
export interface Stage {
  /** Forward pass on a batch (the batch is the first dimension). */
  forward(x: tf.Tensor, training: boolean): tf.Tensor;
  /** Trainable variables. */
  variables(): tf.Variable[];
  /** Releases the variables. */
  dispose(): void;
}

/** A core {@link Sequential} as a stage. */
export function sequentialStage(seq: Sequential): Stage {
  return {
    forward: (x, training) => seq.forward(x, { training }),
    variables: () => seq.variables(),
    dispose: () => seq.dispose(),
  };
}

/** A {@link QuantumLayer} as a stage: `[batch, numInputs]` → expectations `[batch, K]`. */
export function quantumStage(layer: QuantumLayer): Stage {
  return {
    forward: (x) => layer.apply(x as tf.Tensor2D),
    variables: () => layer.variables(),
    dispose: () => layer.dispose(),
  };
}

/** A parameter-free map (reshape, activation, scaling). */
export function mapStage(fn: (x: tf.Tensor) => tf.Tensor): Stage {
  return { forward: (x) => tf.tidy(() => fn(x)), variables: () => [], dispose: () => {} };
}

/**
 * Stages applied side by side to consecutive feature blocks of a `[batch, Σ widths]` input; their outputs
 * are concatenated along the feature axis (e.g. several small circuits in parallel).
 */
export function parallelStage(stages: Stage[], widths: number[]): Stage {
  if (stages.length !== widths.length) throw new RangeError('parallelStage: one width per stage');
  return {
    forward: (x, training) =>
      tf.tidy(() => {
        const parts = tf.split(x, widths, 1);
        return tf.concat(
          stages.map((s, i) => s.forward(parts[i]!, training)),
          1,
        );
      }),
    variables: () => stages.flatMap((s) => s.variables()),
    dispose: () => {
      for (const s of stages) s.dispose();
    },
  };
}

/** Stages applied in order, as one trainable {@link Model} (hybrid quantum-classical networks). */
export class Stack implements Model {
  /** The stages, in order. */
  readonly stages: Stage[];

  constructor(stages: Stage[]) {
    this.stages = stages;
  }

  /** Trainable variables of all stages. */
  variables(): tf.Variable[] {
    return this.stages.flatMap((s) => s.variables());
  }

  /** Number of trainable scalars. */
  paramCount(): number {
    return this.variables().reduce((a, v) => a + v.size, 0);
  }

  /** Runs every stage in turn. */
  forward(x: Inputs, options: { training: boolean }): tf.Tensor {
    if (!(x instanceof tf.Tensor)) throw new Error('Stack takes a single tensor input');
    return tf.tidy(() => {
      let h: tf.Tensor = x;
      for (const s of this.stages) h = s.forward(h, options.training);
      return h;
    });
  }

  /** The variables by the names their state is saved under (here the tfjs variable names). */
  protected named(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = {};
    for (const v of this.variables()) out[v.name] = v;
    return out;
  }

  /** Saved variables. */
  async getState(): Promise<StateDict> {
    return variablesState(this.named());
  }

  /** Restores saved variables. */
  setState(state: StateDict): void {
    assignVariables(this.named(), state);
  }

  /** Releases every stage. */
  dispose(): void {
    for (const s of this.stages) s.dispose();
  }
}
