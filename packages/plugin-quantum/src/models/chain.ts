import type { Sequential } from '@paperlab/core/train';
import type * as tf from '@tensorflow/tfjs-core';
import { Stack, sequentialStage } from '../layers/stack.js';

/**
 * Sequential models applied one after another, as one trainable model (e.g. encoder → decoder): a
 * {@link Stack} whose state is saved under the parts' stable variable names, so it restores into another
 * instance built from the same specs.
 */
export class Chain extends Stack {
  /** The parts, in order. */
  readonly parts: Sequential[];

  constructor(parts: Sequential[]) {
    super(parts.map(sequentialStage));
    this.parts = parts;
  }

  protected override named(): Record<string, tf.Variable> {
    const named: Record<string, tf.Variable> = {};
    for (const p of this.parts) Object.assign(named, p.namedVariables());
    return named;
  }
}
