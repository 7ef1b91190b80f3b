import type { Rng } from '@paperlab/core';
import type { Sequential } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import type { Stage } from './stack.js';

/** A feature map `[batch, q]` → `[batch, k]` with its own variables (a circuit layer or a fixed classical map). */
export interface FeatureMap {
  /** Maps a batch of angles to features. */
  apply(x: tf.Tensor2D): tf.Tensor2D;
  /** Trainable variables (none for a fixed map). */
  variables(): tf.Variable[];
  /** Releases its tensors. */
  dispose(): void;
}

/** A feature map as a {@link Stack} stage. */
export function featureStage(m: FeatureMap): Stage {
  return {
    forward: (x) => m.apply(x as tf.Tensor2D),
    variables: () => m.variables(),
    dispose: () => m.dispose(),
  };
}

/** The parts of a {@link GatedFusion}: shared features, two heads and the gate that weighs them. */
export interface GatedFusionParts {
  /** Input → shared features f. */
  backbone: Sequential;
  /** f → classical logits. */
  classicalHead: Sequential;
  /** f → the feature map's input (e.g. dense(q, tanh) angles). */
  pre: Sequential;
  /** The branch under test (a circuit, or its classical stand-in). */
  module: FeatureMap;
  /** Feature-map outputs → logits. */
  quantumHead: Sequential;
  /** f → two gate logits (softmax weights of the classical and the module logits). */
  gate: Sequential;
}

/**
 * Two logit branches on shared features fused by a learned gate (QShield, Azimi et al. 2026): f → classical
 * logits, and f → pre → feature map → head logits; a small gate network on f weighs the two (softmax over 2).
 */
export class GatedFusion implements Stage {
  private readonly seqs: Sequential[];

  constructor(private readonly p: GatedFusionParts) {
    this.seqs = [p.backbone, p.classicalHead, p.pre, p.quantumHead, p.gate];
  }

  /** Fused logits: w_c·classical + w_q·module-branch logits. */
  forward(x: tf.Tensor, training: boolean): tf.Tensor {
    const p = this.p;
    return tf.tidy(() => {
      const f = p.backbone.forward(x, { training });
      const lc = p.classicalHead.forward(f, { training });
      const zq = p.module.apply(p.pre.forward(f, { training }) as tf.Tensor2D);
      const lq = p.quantumHead.forward(zq, { training });
      const w = tf.softmax(p.gate.forward(f, { training }));
      const [wc, wq] = tf.split(w, 2, 1);
      return tf.add(tf.mul(wc!, lc), tf.mul(wq!, lq));
    });
  }

  /** Mean fusion weight given to the module (circuit) logits over a batch. */
  quantumWeight(x: tf.Tensor): number {
    const p = this.p;
    const w = tf.tidy(() =>
      tf.mean(
        tf.slice(
          tf.softmax(p.gate.forward(p.backbone.forward(x, { training: false }), { training: false })),
          [0, 1],
          [-1, 1],
        ),
      ),
    );
    const v = w.dataSync()[0]!;
    w.dispose();
    return v;
  }

  /** Variables of every part. */
  variables(): tf.Variable[] {
    return [...this.seqs.flatMap((s) => s.variables()), ...this.p.module.variables()];
  }

  /** Releases every part. */
  dispose(): void {
    for (const s of this.seqs) s.dispose();
    this.p.module.dispose();
  }
}

/** Fixed random bounded features cos(W·θ + b) of q angles (W ~ N(0, (π/2)²), b ~ U[0, 2π)): a circuit's classical stand-in. */
export function randomCosFeatures(q: number, rng: Rng): FeatureMap {
  const w = tf.tensor2d(rng.normals(q * q, 0, Math.PI / 2), [q, q]);
  const b = tf.tensor1d(rng.uniforms(q, 0, 2 * Math.PI));
  return {
    apply: (x) => tf.tidy(() => tf.cos(tf.add(tf.matMul(x, w), b)) as tf.Tensor2D),
    variables: () => [],
    dispose: () => tf.dispose([w, b]),
  };
}
