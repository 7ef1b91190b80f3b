import { throwIfAborted } from '@paperlab/core';
import { ownedVariable } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link heavyBallToTarget}. */
export interface HeavyBallOptions {
  lr: number;
  momentum: number;
  /** Stop as soon as the loss is at most this. */
  target: number;
  maxSteps: number;
  /** Checked every 16 steps. */
  signal: AbortSignal;
}

/**
 * Full-batch gradient descent with heavy-ball momentum (v ← μv + ∇L; θ ← θ − ηv) until the loss reaches a target;
 * returns the steps taken. Written out because tfjs's MomentumOptimizer.dispose leaks its learning-rate scalar.
 */
export function heavyBallToTarget(loss: () => tf.Scalar, vars: tf.Variable[], o: HeavyBallOptions): number {
  const velocity = vars.map((v) => ownedVariable(tf.zerosLike(v)));
  try {
    let steps = 0;
    for (; steps < o.maxSteps; steps++) {
      if (steps % 16 === 0) throwIfAborted(o.signal);
      const { value, grads } = tf.variableGrads(loss, vars);
      tf.tidy(() => {
        vars.forEach((v, i) => {
          const vel = velocity[i]!;
          vel.assign(tf.add(tf.mul(vel, o.momentum), grads[v.name]!));
          v.assign(tf.sub(v, tf.mul(vel, o.lr)));
        });
      });
      const current = value.dataSync()[0]!;
      tf.dispose([value, ...Object.values(grads)]);
      if (current <= o.target) break;
    }
    return steps;
  } finally {
    tf.dispose(velocity);
  }
}
