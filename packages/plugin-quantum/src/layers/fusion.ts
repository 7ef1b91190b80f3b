import type { Rng } from '@paperlab/core';
import { type LossFn, type Sequential, softmaxCrossEntropy } from '@paperlab/core/train';
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
  /** f → two gate logits (softmax weights of the classical and the module branch). */
  gate: Sequential;
  /**
   * Least weight each branch keeps: the module's weight is floor + (1 − 2·floor)·softmax(gate)₁, so with
   * floor > 0 the gate cannot switch either branch off (default 0: a free gate).
   */
  floor?: number;
  /**
   * Weight of the module branch's own cross-entropy in {@link GatedFusion.loss} (deep supervision: the branch
   * learns to classify even where the gate leans on the other one); default 0.
   */
  moduleLoss?: number;
}

/**
 * Two branches on shared features fused by a learned gate (QShield, Azimi et al. 2026): f → classical logits,
 * and f → pre → feature map → head logits; a small gate network on f weighs the two branches' class
 * probabilities, p = (1 − w)·softmax(classical) + w·softmax(module). Mixing probabilities rather than logits
 * makes w the module's actual share of the prediction (a branch cannot win by scaling its logits up). The
 * output is log p, which a softmax cross-entropy and the attacks treat as logits.
 */
export class GatedFusion implements Stage {
  private readonly seqs: Sequential[];
  private readonly floor: number;
  /** Module logits of the last training forward pass, read by {@link loss} inside the same gradient tape. */
  private last: tf.Tensor | null = null;

  constructor(private readonly p: GatedFusionParts) {
    this.seqs = [p.backbone, p.classicalHead, p.pre, p.quantumHead, p.gate];
    this.floor = p.floor ?? 0;
    if (!(this.floor >= 0 && this.floor < 0.5))
      throw new RangeError(`GatedFusion: floor must lie in [0, 0.5), got ${this.floor}`);
  }

  /** The module's weight w per example `[batch, 1]`, from the shared features f. */
  private weight(f: tf.Tensor, training: boolean): tf.Tensor {
    const g = tf.slice(tf.softmax(this.p.gate.forward(f, { training })), [0, 1], [-1, 1]);
    return tf.add(this.floor, tf.mul(1 - 2 * this.floor, g));
  }

  /** Module-branch logits from the shared features f. */
  private moduleLogits(f: tf.Tensor, training: boolean): tf.Tensor {
    const p = this.p;
    return p.quantumHead.forward(p.module.apply(p.pre.forward(f, { training }) as tf.Tensor2D), { training });
  }

  /** Fused log-probabilities log((1 − w)·softmax(classical) + w·softmax(module)). */
  forward(x: tf.Tensor, training: boolean): tf.Tensor {
    const p = this.p;
    return tf.tidy(() => {
      const f = p.backbone.forward(x, { training });
      const w = tf.clipByValue(this.weight(f, training), 1e-6, 1 - 1e-6);
      const lc = tf.add(tf.logSoftmax(p.classicalHead.forward(f, { training })), tf.log(tf.sub(1, w)));
      const mq = this.moduleLogits(f, training);
      if (training && this.p.moduleLoss) {
        this.last?.dispose();
        this.last = tf.keep(mq);
      }
      const lq = tf.add(tf.logSoftmax(mq), tf.log(w));
      return tf.logSumExp(tf.stack([lc, lq]), 0);
    });
  }

  /** Training loss: softmax cross-entropy of the fused output + moduleLoss × that of the module branch alone. */
  loss(): LossFn {
    return (pred, y) =>
      tf.tidy(() => {
        const fused = softmaxCrossEntropy(pred, y);
        const a = this.p.moduleLoss ?? 0;
        return this.last && a > 0 ? tf.add(fused, tf.mul(a, softmaxCrossEntropy(this.last, y))) : fused;
      }) as tf.Scalar;
  }

  /** Mean weight of the module (circuit) branch in the fused prediction over a batch. */
  quantumWeight(x: tf.Tensor): number {
    const w = tf.tidy(() => tf.mean(this.weight(this.p.backbone.forward(x, { training: false }), false)));
    const v = w.dataSync()[0]!;
    w.dispose();
    return v;
  }

  /** The module (circuit) branch alone, as a logits function: what it predicts without the classical head. */
  moduleBranch(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.moduleLogits(this.p.backbone.forward(x, { training: false }), false));
  }

  /** Variables of every part. */
  variables(): tf.Variable[] {
    return [...this.seqs.flatMap((s) => s.variables()), ...this.p.module.variables()];
  }

  /** Releases every part. */
  dispose(): void {
    for (const s of this.seqs) s.dispose();
    this.p.module.dispose();
    this.last?.dispose();
    this.last = null;
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
