import type { Rng, SeriesRow } from '@paperlab/core';
import type { FitEpochRow, LayerSpec, LossFn, LossName, Model } from '@paperlab/core/train';
import { detectPlateau, fit, Sequential } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import type { FeatureSplits } from '../features/features.js';

/** Rows of features with integer labels. */
export interface LabelledRows {
  x: Float32Array;
  y: Int32Array;
  dim: number;
}

/** Minibatch Adam training: epochs, batch size, learning rate, batch order, abort signal, per-epoch callback. */
export interface MinibatchOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  /** Shuffles each epoch (pass the same rng to train two models on identical batch orders). */
  rng: Rng;
  signal?: AbortSignal;
  /** Called after each epoch. */
  onEpoch?: (row: SeriesRow) => void;
}

/** Options of {@link fitClassifier}. */
export interface FitClassifierOptions extends MinibatchOptions {
  /** Record the running train accuracy (default: for the classification losses only). */
  accuracy?: boolean;
}

function batchTensors(rows: LabelledRows, idx: ArrayLike<number>): { x: tf.Tensor2D; y: tf.Tensor1D } {
  const b = idx.length;
  const xb = new Float32Array(b * rows.dim);
  const yb = new Int32Array(b);
  for (let i = 0; i < b; i++) {
    const j = idx[i]!;
    xb.set(rows.x.subarray(j * rows.dim, (j + 1) * rows.dim), i * rows.dim);
    yb[i] = rows.y[j]!;
  }
  return { x: tf.tensor2d(xb, [b, rows.dim]), y: tf.tensor1d(yb, 'int32') };
}

/** Accuracy of a classifier on labelled rows (batched forward, no gradient). */
export function accuracyOf(model: Model, rows: LabelledRows, batchSize = 1024): number {
  const n = rows.y.length;
  let correct = 0;
  for (let i = 0; i < n; i += batchSize) {
    const idx = Int32Array.from({ length: Math.min(batchSize, n - i) }, (_, k) => i + k);
    const { x, y } = batchTensors(rows, idx);
    const c = tf.tidy(() =>
      tf.sum(tf.cast(tf.equal(tf.argMax(model.forward(x, { training: false }), -1), y), 'int32')),
    );
    correct += c.dataSync()[0]!;
    tf.dispose([x, y, c]);
  }
  return n ? correct / n : Number.NaN;
}

/** Train accuracy counts as plateaued when it gained less than this over the last `window` epochs. */
export const TRAIN_PLATEAU = { window: 3, absTol: 0.01 } as const;

/** What a training run reports: last-epoch loss, the epoch history, and whether the train accuracy plateaued. */
export interface TrainingReport {
  /** Mean batch loss of the last epoch. */
  loss: number;
  /** Recorded epochs (`epoch`, `loss`, and `accuracy` for classifiers: the running train accuracy). */
  history: FitEpochRow[];
  /**
   * The running train accuracy gained < {@link TRAIN_PLATEAU}.absTol over the last {@link TRAIN_PLATEAU}.window
   * epochs (false when too few epochs were run, or no accuracy was recorded).
   */
  plateaued: boolean;
}

/**
 * Mini-batch Adam on any loss through core's `fit` (the shared training loop): `batchOf(indices)` builds the
 * batch tensors (disposed by `fit`), the batch order of each epoch comes only from `options.rng`, so two
 * models given the same generator see the same batches.
 */
export async function fitMinibatches(
  model: Model,
  n: number,
  batchOf: (indices: Int32Array) => { x: tf.Tensor; y: tf.Tensor },
  loss: LossName | LossFn,
  options: FitClassifierOptions,
): Promise<TrainingReport> {
  const report = await fit({
    model,
    data: { n, batch: batchOf },
    loss,
    optimizer: { type: 'adam', lr: options.lr },
    epochs: options.epochs,
    batchSize: options.batchSize,
    order: options.rng,
    signal: options.signal,
    ...(options.accuracy === undefined ? {} : { accuracy: options.accuracy }),
    onEpoch: ({ steps: _, ...row }) => options.onEpoch?.(row),
  });
  const accs = report.history.map((h) => h.accuracy ?? Number.NaN);
  const plateau = detectPlateau(accs, { ...TRAIN_PLATEAU, relTol: 0, mode: 'max' });
  return { loss: report.loss, history: report.history, plateaued: plateau.plateaued };
}

/** Trains a classifier with Adam on softmax cross-entropy (see {@link fitMinibatches}). */
export function fitClassifier(
  model: Model,
  train: LabelledRows,
  options: FitClassifierOptions,
): Promise<TrainingReport> {
  return fitMinibatches(model, train.y.length, (idx) => batchTensors(train, idx), 'softmax-ce', options);
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

/** Held-out and training accuracy of a trained classifier, its last-epoch loss and plateau flag (1/0). */
export interface RowsScore {
  [name: string]: number;
  testAcc: number;
  trainAcc: number;
  loss: number;
  plateau: number;
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
export async function fitAndScoreRows(
  x: FeatureSplits,
  y: { train: Int32Array; test: Int32Array },
  o: FitRowsOptions,
): Promise<RowsScore> {
  const { hidden, dropout, classes = 10, init, name, ...training } = o;
  const train: LabelledRows = { x: x.train, y: y.train, dim: x.dim };
  const model = mlpClassifier(x.dim, hidden, classes, init, name, dropout);
  try {
    const r = await fitClassifier(model, train, training);
    return {
      testAcc: accuracyOf(model, { x: x.test, y: y.test, dim: x.dim }),
      trainAcc: accuracyOf(model, train),
      loss: r.loss,
      plateau: Number(r.plateaued),
    };
  } finally {
    model.dispose();
  }
}
