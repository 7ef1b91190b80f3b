import type { LossFn, Model } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import type { Attack, LabelledImages, LogitsFn } from '../attacks/adversarial.js';
import { imageAccuracy, logitsOf } from '../attacks/adversarial.js';
import { fitMinibatches, type MinibatchOptions, type TrainingReport } from './classifier.js';

/** Options of {@link fitImages}. */
export interface FitImagesOptions extends MinibatchOptions {
  /**
   * Adversarial training (Goodfellow et al. 2015): each batch is the clean examples plus adversarial copies
   * crafted against the current model by `attack(f)`.
   */
  adversarial?: (f: LogitsFn) => Attack;
  /** The training loss (default softmax cross-entropy), e.g. a fusion's loss with an auxiliary term. */
  loss?: LossFn;
}

/** Gathers example `indices` of labelled images into a batch. */
export function gatherImages(
  data: LabelledImages,
  indices: ArrayLike<number>,
): { x: tf.Tensor; y: tf.Tensor1D } {
  const d = data.shape.reduce((a, b) => a * b, 1);
  const b = indices.length;
  const xb = new Float32Array(b * d);
  const yb = new Int32Array(b);
  for (let i = 0; i < b; i++) {
    const j = indices[i]!;
    xb.set(data.x.subarray(j * d, (j + 1) * d), i * d);
    yb[i] = data.y[j]!;
  }
  return { x: tf.tensor(xb, [b, ...data.shape]), y: tf.tensor1d(yb, 'int32') };
}

/** Trains an image classifier with Adam on softmax cross-entropy (see {@link fitMinibatches}). */
export function fitImages(model: Model, data: LabelledImages, o: FitImagesOptions): Promise<TrainingReport> {
  const craft = o.adversarial?.(logitsOf(model));
  return fitMinibatches(
    model,
    data.y.length,
    (idx) => {
      const batch = gatherImages(data, idx);
      if (!craft) return batch;
      const adv = craft(batch.x, batch.y);
      const out = { x: tf.concat([batch.x, adv]), y: tf.concat([batch.y, batch.y]) as tf.Tensor1D };
      tf.dispose([batch.x, batch.y, adv]);
      return out;
    },
    o.loss ?? 'softmax-ce',
    {
      epochs: o.epochs,
      batchSize: o.batchSize,
      lr: o.lr,
      rng: o.rng,
      signal: o.signal,
      onEpoch: o.onEpoch,
      // With adversarial copies a batch holds twice the examples `fit` counts, so its running accuracy would
      // be wrong; adversarially trained models report no running accuracy (and no plateau).
      accuracy: !craft,
    },
  );
}

/** Test and train accuracy of a trained image model, its weight count, last-epoch loss and plateau flag (1/0). */
export interface ImageScore {
  [name: string]: number;
  testAcc: number;
  trainAcc: number;
  params: number;
  loss: number;
  plateau: number;
}

/** Trains an image model with {@link fitImages}, scores it on both splits, and disposes it (also on error). */
export async function fitAndScore(
  model: Model & { paramCount(): number },
  data: { train: LabelledImages; test: LabelledImages },
  o: FitImagesOptions,
): Promise<ImageScore> {
  try {
    const r = await fitImages(model, data.train, o);
    const f = logitsOf(model);
    return {
      testAcc: imageAccuracy(f, data.test),
      trainAcc: imageAccuracy(f, data.train),
      params: model.paramCount(),
      loss: r.loss,
      plateau: Number(r.plateaued),
    };
  } finally {
    model.dispose();
  }
}
