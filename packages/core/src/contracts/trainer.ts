import type * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from './dataset.js';
import type { Metric } from './metric.js';
import type { Model } from './model.js';
import type { RunContext } from './runContext.js';

/** Options of a training run. */
export interface FitOptions {
  epochs: number;
  batchSize: number;
  /** Loss of a batch, returning a scalar. */
  loss: (pred: tf.Tensor, target: tf.Tensor) => tf.Scalar;
  optimizer: tf.Optimizer;
  /** Metrics evaluated on `evalSplit` after every epoch. */
  metrics?: Metric[];
  evalSplit?: 'val' | 'test';
  /** Checkpoint every this many steps (0: only at epoch ends). */
  checkpointEvery?: number;
  /** Checkpoint key, unique within the run (a run may train several models). */
  checkpointKey?: string;
  /** Prefix of logged scalar names. */
  logPrefix?: string;
  /** Gradient clipping by global norm. */
  clipNorm?: number;
}

/** What training returns. */
export interface FitResult {
  steps: number;
  epochs: number;
  /** Final training loss (mean over the last epoch). */
  loss: number;
  /** Final metric values on the eval split. */
  metrics: Record<string, number>;
  /** Per-epoch history rows (epoch, loss, metrics...). */
  history: Array<Record<string, number>>;
  /** Whether training resumed from a checkpoint. */
  resumed: boolean;
}

/** Trains a model on a dataset. */
export interface Trainer {
  fit(ctx: RunContext, model: Model, data: Dataset, options: FitOptions): Promise<FitResult>;
}
