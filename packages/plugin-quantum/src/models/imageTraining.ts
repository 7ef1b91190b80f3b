import { gatherBatch } from '@paperlab/core/data';
import { type Model, softmaxCrossEntropy } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import {
  type Attack,
  imageAccuracy,
  type LabelledImages,
  type LogitsFn,
  logitsOf,
} from '../attacks/adversarial.js';
import { type FitClassifierOptions, fitMinibatches } from './classifier.js';

/** Options of {@link fitImages}. */
export interface FitImagesOptions extends FitClassifierOptions {
  /**
   * Adversarial training (Goodfellow et al. 2015): each batch is the clean examples plus adversarial copies
   * crafted against the current model by `attack(f)`.
   */
  adversarial?: (f: LogitsFn) => Attack;
}

/** Trains an image classifier with Adam on softmax cross-entropy; returns the last epoch's mean loss. */
export function fitImages(model: Model, data: LabelledImages, o: FitImagesOptions): number {
  const craft = o.adversarial?.(logitsOf(model));
  return fitMinibatches(
    model,
    data.y.length,
    (idx) => {
      const batch = gatherBatch(data, idx);
      if (!craft) return batch;
      const adv = craft(batch.x, batch.y);
      const out = { x: tf.concat([batch.x, adv]), y: tf.concat([batch.y, batch.y]) as tf.Tensor1D };
      tf.dispose([batch.x, batch.y, adv]);
      return out;
    },
    softmaxCrossEntropy,
    o,
  );
}

/** Test and train accuracy of a trained image model, its weight count and last-epoch loss. */
export interface ImageScore {
  [name: string]: number;
  testAcc: number;
  trainAcc: number;
  params: number;
  loss: number;
}

/** Trains an image model with {@link fitImages}, scores it on both splits, and disposes it (also on error). */
export function fitAndScore(
  model: Model & { paramCount(): number },
  data: { train: LabelledImages; test: LabelledImages },
  o: FitImagesOptions,
): ImageScore {
  try {
    const loss = fitImages(model, data.train, o);
    const f = logitsOf(model);
    return {
      testAcc: imageAccuracy(f, data.test),
      trainAcc: imageAccuracy(f, data.train),
      params: model.paramCount(),
      loss,
    };
  } finally {
    model.dispose();
  }
}
