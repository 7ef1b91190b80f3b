import { type Rng, type SeriesRow, throwIfAborted } from '@paperlab/core';
import { gatherBatch } from '@paperlab/core/data';
import { type LayerSpec, type Model, Sequential, softmaxCrossEntropy } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { imageAccuracy, logitsOf } from '../attacks/adversarial.js';
import type { FeatureSplits } from '../features/features.js';

/** Rows of features with integer labels. */
export interface LabelledRows {
  x: Float32Array;
  y: Int32Array;
  dim: number;
}

/** Options of {@link fitClassifier}. */
export interface FitClassifierOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  /** Shuffles each epoch (pass the same rng to train two models on identical batch orders). */
  rng: Rng;
  signal?: AbortSignal;
  /** Called after each epoch. */
  onEpoch?: (row: SeriesRow) => void;
}

/** Labelled rows as core's labelled-array view (one example is `[dim]`). */
const asExamples = (rows: LabelledRows) => ({ x: rows.x, y: rows.y, shape: [rows.dim] });

/** Accuracy of a classifier on labelled rows (batched forward, no gradient). */
export function accuracyOf(model: Model, rows: LabelledRows, batchSize = 1024): number {
  return imageAccuracy(logitsOf(model), asExamples(rows), batchSize);
}

/**
 * Mini-batch Adam on any loss: `batchOf(indices)` builds the batch tensors (disposed here), the batch order
 * of each epoch comes only from `options.rng`. Returns the mean loss of the last epoch. (A plain loop rather
 * than core's SupervisedTrainer so that two models can share one batch order, and no checkpoint tensors
 * are created.)
 */
export function fitMinibatches(
  model: Model,
  n: number,
  batchOf: (indices: Int32Array) => { x: tf.Tensor; y: tf.Tensor },
  loss: (pred: tf.Tensor, target: tf.Tensor) => tf.Scalar,
  options: FitClassifierOptions,
): number {
  const opt = tf.train.adam(options.lr);
  const vars = model.variables();
  let last = Number.NaN;
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const order = options.rng.split(`epoch-${epoch}`).permutation(n);
      let sum = 0;
      let count = 0;
      for (let i = 0; i < n; i += options.batchSize) {
        if (options.signal) throwIfAborted(options.signal);
        const { x, y } = batchOf(order.subarray(i, Math.min(n, i + options.batchSize)));
        const cost = opt.minimize(() => loss(model.forward(x, { training: true }), y), true, vars);
        sum += cost!.dataSync()[0]!;
        count++;
        tf.dispose([x, y, cost!]);
      }
      last = sum / Math.max(count, 1);
      if (!Number.isFinite(last)) throw new Error(`training loss became ${last} in epoch ${epoch + 1}`);
      options.onEpoch?.({ epoch: epoch + 1, loss: last });
    }
  } finally {
    opt.dispose();
  }
  return last;
}

/** Trains a classifier with Adam on softmax cross-entropy (see {@link fitMinibatches}). */
export function fitClassifier(model: Model, train: LabelledRows, options: FitClassifierOptions): number {
  return fitMinibatches(
    model,
    train.y.length,
    (idx) => gatherBatch(asExamples(train), idx),
    softmaxCrossEntropy,
    options,
  );
}

/** A dense ReLU classifier `dim → hidden… → classes` (with optional dropout after each hidden layer). */
export function mlpClassifier(
  dim: number,
  hidden: number[],
  classes: number,
  rng: Rng,
  name: string,
  dropout = 0,
): Sequential {
  const specs: LayerSpec[] = [];
  for (const h of hidden) {
    specs.push({ type: 'dense', units: h, activation: 'relu' });
    if (dropout > 0) specs.push({ type: 'dropout', rate: dropout });
  }
  specs.push({ type: 'dense', units: classes });
  return Sequential.build(specs, [dim], rng, name);
}

/** Held-out and training accuracy of a trained classifier, and its last-epoch loss. */
export interface RowsScore {
  [name: string]: number;
  testAcc: number;
  trainAcc: number;
  loss: number;
}

/** Options of {@link fitAndScoreRows}: the classifier's shape, its init generator and name, and training. */
export interface FitRowsOptions extends FitClassifierOptions {
  /** Hidden widths of the {@link mlpClassifier} (`[]`: softmax regression). */
  hidden: number[];
  dropout?: number;
  /** Output classes (default 10). */
  classes?: number;
  /** Initialisation (pass the same generator to start two models of one shape identically). */
  init: Rng;
  name: string;
}

/**
 * Trains an {@link mlpClassifier} on the training split of `x` (labels `y.train`), scores it on both splits,
 * and disposes it (also on error).
 */
export function fitAndScoreRows(
  x: FeatureSplits,
  y: { train: Int32Array; test: Int32Array },
  o: FitRowsOptions,
): RowsScore {
  const { hidden, dropout, classes = 10, init, name, ...fit } = o;
  const train: LabelledRows = { x: x.train, y: y.train, dim: x.dim };
  const model = mlpClassifier(x.dim, hidden, classes, init, name, dropout);
  try {
    const loss = fitClassifier(model, train, fit);
    return {
      testAcc: accuracyOf(model, { x: x.test, y: y.test, dim: x.dim }),
      trainAcc: accuracyOf(model, train),
      loss,
    };
  } finally {
    model.dispose();
  }
}
