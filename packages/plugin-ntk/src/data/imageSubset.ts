import type { DataSources } from '@paperlab/core';
import { loadIdxImageDataset } from '@paperlab/core/data';

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

function pool2d(x: Float32Array, n: number, side: number, f: number): Float32Array {
  if (f === 1) return x;
  const s = side / f;
  const out = new Float32Array(n * s * s);
  for (let i = 0; i < n; i++)
    for (let r = 0; r < s; r++)
      for (let c = 0; c < s; c++) {
        let acc = 0;
        for (let a = 0; a < f; a++)
          for (let b = 0; b < f; b++) acc += x[i * side * side + (r * f + a) * side + c * f + b]!;
        out[i * s * s + r * s + c] = acc / (f * f);
      }
  return out;
}

/**
 * Loads an MNIST-family dataset through the run's data sources (a missing dataset is core's clear error),
 * keeps a class subset, average-pools, centres on the training mean and normalises each image to ‖x‖² = d.
 */
export async function loadImageSubset(
  data: DataSources,
  name: 'mnist' | 'fashion-mnist',
  o: ImageSubsetOptions,
): Promise<ImageSubset> {
  const ds = await loadIdxImageDataset(data, name, {
    ...(o.classes ? { classes: o.classes } : {}),
    trainLimit: o.trainLimit,
    testLimit: o.testLimit,
  });
  const side = ds.meta.inputShape[0]!;
  const f = o.pool ?? 1;
  if (side % f !== 0) throw new Error(`loadImageSubset: pool ${f} does not divide image side ${side}`);
  const tr = ds.arrays('train');
  const te = ds.arrays('test');
  const nTrain = ds.size('train');
  const nTest = ds.size('test');
  const xTrain = Float32Array.from(pool2d(tr.x, nTrain, side, f));
  const xTest = Float32Array.from(pool2d(te.x, nTest, side, f));
  const d = (side / f) ** 2;
  if (o.center ?? true) {
    const m = new Float64Array(d);
    for (let i = 0; i < nTrain; i++) for (let k = 0; k < d; k++) m[k]! += xTrain[i * d + k]! / nTrain;
    for (const [x, n] of [
      [xTrain, nTrain],
      [xTest, nTest],
    ] as const)
      for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) x[i * d + k]! -= m[k]!;
  }
  if (o.normalize ?? true) {
    for (const [x, n] of [
      [xTrain, nTrain],
      [xTest, nTest],
    ] as const)
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += x[i * d + k]! ** 2;
        const scale = s > 0 ? Math.sqrt(d / s) : 0;
        for (let k = 0; k < d; k++) x[i * d + k]! *= scale;
      }
  }
  return {
    xTrain,
    yTrain: Int32Array.from(tr.y),
    xTest,
    yTest: Int32Array.from(te.y),
    nTrain,
    nTest,
    d,
    numClasses: ds.meta.numClasses ?? 10,
    source: ds.meta.source ?? name,
  };
}

/** Binary labels ±1 from 0/1 class indices (class 0 → +1, class 1 → −1). */
export function plusMinus(y: Int32Array): Float64Array {
  return Float64Array.from(y, (v) => (v === 0 ? 1 : -1));
}
