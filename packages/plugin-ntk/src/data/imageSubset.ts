import type { DataSources } from '@paperlab/core';
import { loadIdxImages } from '@paperlab/core/data';

/** Options of {@link loadImageSubset}. */
export interface ImageSubsetOptions {
  /** Keep only these classes, relabelled 0..k−1 in this order (default: all ten). */
  classes?: number[];
  /** First this many training examples after the class filter. */
  trainLimit: number;
  /** First this many test examples after the class filter. */
  testLimit: number;
  /** Average-pool factor (1 = 28×28, 2 = 14×14, 4 = 7×7). */
  pool?: number;
  /** Subtract the training-set mean image (default true). */
  center?: boolean;
  /** Rescale every image to ‖x‖² = d, so x·x/d = 1 (default true). */
  normalize?: boolean;
}

/** A small image classification subset as flat Float32 rows. */
export interface ImageSubset {
  xTrain: Float32Array;
  yTrain: Int32Array;
  xTest: Float32Array;
  yTest: Int32Array;
  nTrain: number;
  nTest: number;
  /** Input dimension after pooling. */
  d: number;
  numClasses: number;
  source: string;
}

/**
 * Loads an MNIST-family dataset through the run's data sources (a missing dataset is core's clear error),
 * keeps a class subset, average-pools, centres on the training mean and normalises each image to ‖x‖² = d —
 * core's {@link loadIdxImages} with those options, as flat rows.
 */
export async function loadImageSubset(
  data: DataSources,
  name: 'mnist' | 'fashion-mnist',
  o: ImageSubsetOptions,
): Promise<ImageSubset> {
  const s = await loadIdxImages(data, name, {
    ...(o.classes ? { classes: o.classes } : {}),
    trainLimit: o.trainLimit,
    testLimit: o.testLimit,
    pool: o.pool ?? 1,
    center: o.center ?? true,
    unitNorm: o.normalize ?? true,
    flatten: true,
  });
  return {
    xTrain: s.train.x,
    yTrain: s.train.y,
    xTest: s.test.x,
    yTest: s.test.y,
    nTrain: s.train.n,
    nTest: s.test.n,
    d: s.train.shape[0]!,
    numClasses: s.train.classes,
    source: s.source,
  };
}

/** Binary labels ±1 from 0/1 class indices (class 0 → +1, class 1 → −1). */
export function plusMinus(y: Int32Array): Float64Array {
  return Float64Array.from(y, (v) => (v === 0 ? 1 : -1));
}
