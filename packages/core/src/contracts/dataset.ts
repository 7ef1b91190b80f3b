import type * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng/rng.js';

/** Standard dataset splits. */
export type Split = 'train' | 'val' | 'test';

/** Describes a dataset: where it came from and what it holds. */
export interface DatasetMeta {
  /** Registry id or well-known name, e.g. `core/fashion-mnist`. */
  name: string;
  /** Where the data came from (file path, generator + parameters). */
  source: string;
  /** Shape of one input example. */
  inputShape: number[];
  /** Number of classes for classification data. */
  numClasses?: number;
  /** Licence or provenance note. */
  license?: string;
}

/** One mini-batch; tensors are owned by the consumer, who disposes them. */
export interface Batch {
  x: tf.Tensor;
  y: tf.Tensor;
  /** Position of the batch within the epoch (for resumable cursors). */
  index: number;
}

/** Options for iterating a split. */
export interface BatchOptions {
  batchSize: number;
  rng: Rng;
  shuffle?: boolean;
  /** Skip this many batches (resume a half-finished epoch). */
  startBatch?: number;
  /** Keep the last, smaller batch (default true). */
  dropRemainder?: boolean;
}

/** A dataset that yields mini-batches of tensors built from typed arrays. */
export interface Dataset {
  meta: DatasetMeta;
  /** Number of examples in a split. */
  size(split: Split): number;
  /** Iterates a split in mini-batches. */
  batches(split: Split, options: BatchOptions): AsyncIterable<Batch>;
}
