import type { Rng } from '@paperlab/core';
import { type BatchSource, fit, ownedVariable, type Trainee } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import type { CompressNet, ForwardHooks } from '../nets/compressNet.js';

/**
 * Dynamic channel gating in the style of Fire Together Wire Together (Elkerdawy et al. 2022): a small head per gated
 * conv layer — global max pooling of the layer's input, then a 1×1 conv (a dense map over channels) — predicts which
 * of the layer's filters to compute for each input. Trained as self-supervised binary classification against the
 * filters that carry a fraction τ of the layer's activation mass ("heatmap mass") on that input.
 */
export class MaskPredictors {
  /** Gated layer index → [weights (C_in × C_out), bias (C_out)]. */
  readonly heads: Map<number, [tf.Variable, tf.Variable]>;

  private constructor(heads: Map<number, [tf.Variable, tf.Variable]>) {
    this.heads = heads;
  }

  /** Heads for the given conv layers of `net` (Glorot-uniform weights from `rng`, zero bias). */
  static build(net: CompressNet, layers: readonly number[], rng: Rng): MaskPredictors {
    const heads = new Map<number, [tf.Variable, tf.Variable]>();
    for (const l of layers) {
      const layer = net.layers[l]!;
      if (layer.spec.type !== 'conv2d' || l === 0)
        throw new Error(
          `MaskPredictors: layer ${l} is not a conv layer after the first (a head reads the previous layer)`,
        );
      const cin = layer.inShape[2]!;
      const cout = layer.outShape[2]!;
      const lim = Math.sqrt(6 / (cin + cout));
      heads.set(l, [
        ownedVariable(tf.tensor2d(rng.split(`head-${l}`).uniforms(cin * cout, -lim, lim), [cin, cout])),
        ownedVariable(tf.zeros([cout])),
      ]);
    }
    return new MaskPredictors(heads);
  }

  /** Mask logits of gated layer `l` from its input activations [B, h, w, C_in]. */
  logits(l: number, input: tf.Tensor): tf.Tensor2D {
    const [w, b] = this.heads.get(l)!;
    return tf.tidy(() => tf.add(tf.matMul(tf.max(input, [1, 2]) as tf.Tensor2D, w), b) as tf.Tensor2D);
  }

  /** Trainable variables of every head. */
  variables(): tf.Variable[] {
    return [...this.heads.values()].flat();
  }

  /** Releases the heads. */
  dispose(): void {
    tf.dispose(this.variables());
  }
}

/**
 * Ground-truth masks per input: for each example, the fewest filters whose activation mass Σ|a_c| (over positions)
 * reaches `tau` of the layer's total, most massive first (1 = keep). `acts` is the layer's output [B, h, w, C].
 */
export function massMasks(acts: tf.Tensor, tau: number): Float32Array {
  const [b, , , c] = acts.shape as [number, number, number, number];
  const m = tf.tidy(() => tf.sum(tf.abs(acts), [1, 2]));
  const mass = m.dataSync();
  m.dispose();
  const out = new Float32Array(b * c);
  for (let i = 0; i < b; i++) {
    const row = Array.from({ length: c }, (_, j) => mass[i * c + j]!);
    const total = row.reduce((s, v) => s + v, 0);
    const order = row.map((_, j) => j).sort((p, q) => row[q]! - row[p]! || p - q);
    let acc = 0;
    for (const j of order) {
      out[i * c + j] = 1;
      acc += row[j]!;
      if (acc >= tau * total) break;
    }
  }
  return out;
}

/**
 * Trains the heads with the backbone frozen (FTWT's decoupled mode): sigmoid cross-entropy between each head's
 * logits and the τ-mass masks of the backbone's own activations, with Adam over `data` batches.
 */
export async function trainMaskPredictors(
  net: CompressNet,
  heads: MaskPredictors,
  data: { x: Float32Array; n: number; shape: number[] },
  o: { tau: number; epochs: number; batchSize: number; lr: number; order: Rng; signal?: AbortSignal },
): Promise<void> {
  const gated = [...heads.heads.keys()];
  const d = data.shape.reduce((a, b) => a * b, 1);
  const source: BatchSource = {
    n: data.n,
    batch(idx) {
      const xb = new Float32Array(idx.length * d);
      for (let i = 0; i < idx.length; i++) xb.set(data.x.subarray(idx[i]! * d, (idx[i]! + 1) * d), i * d);
      const x = tf.tensor(xb, [idx.length, ...data.shape]);
      const acts = net.activations(x);
      const targets = gated.map((l) => massMasks(acts[l]!, o.tau));
      tf.dispose(acts);
      const width = targets.reduce((s, t) => s + t.length / idx.length, 0);
      const y = new Float32Array(idx.length * width);
      let off = 0;
      for (const t of targets) {
        const c = t.length / idx.length;
        for (let i = 0; i < idx.length; i++) y.set(t.subarray(i * c, (i + 1) * c), i * width + off);
        off += c;
      }
      return { x, y: tf.tensor2d(y, [idx.length, width]) };
    },
  };
  const trainee: Trainee = {
    variables: () => heads.variables(),
    forward(x: tf.Tensor) {
      const acts = net.activations(x);
      try {
        return tf.concat(
          gated.map((l) => heads.logits(l, acts[l - 1]!)),
          1,
        );
      } finally {
        tf.dispose(acts);
      }
    },
  };
  await fit({
    model: trainee,
    data: source,
    loss: 'sigmoid-ce',
    optimizer: { type: 'adam', lr: o.lr },
    epochs: o.epochs,
    batchSize: o.batchSize,
    order: o.order,
    signal: o.signal,
    accuracy: false,
    recordEvery: o.epochs,
  });
}

/**
 * The same values as a fresh tensor with no history: tfjs has no stopGradient, and a zero-gradient wrapper still
 * leaves the (non-differentiable) comparison ops on the tape's path.
 */
function detached(x: tf.Tensor): tf.Tensor {
  return tf.tensor(x.dataSync() as Float32Array, x.shape);
}

/**
 * Forward hooks that gate each predicted layer's output channels by its head (logit > 0 keeps a filter, at least
 * one filter kept). `record`, when given, receives each gated layer's 0/1 masks (host array, [B × C]).
 */
export function gateHooks(
  heads: MaskPredictors,
  record?: (layer: number, mask: Float32Array, c: number) => void,
): ForwardHooks {
  let previous: tf.Tensor | null = null;
  return {
    output(l, y) {
      let out = y;
      if (heads.heads.has(l)) {
        // The masks are decisions, not functions to differentiate: no gradient flows into the heads' inputs.
        const logits = heads.logits(l, detached(previous!));
        const c = logits.shape[1];
        // Keep the filters with positive logits; an input whose head keeps none keeps its top filter.
        const best = tf.max(logits, 1, true);
        const mask = detached(
          tf.cast(tf.logicalOr(tf.greater(logits, 0), tf.greaterEqual(logits, best)), 'float32'),
        );
        if (record) record(l, Float32Array.from(mask.dataSync()), c);
        out = tf.mul(y, tf.reshape(mask, [-1, 1, 1, c]));
      }
      previous = out;
      return out;
    },
  };
}
