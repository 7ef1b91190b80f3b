import type { DataSources } from '@paperlab/core';
import { loadIdxImages } from '@paperlab/core/data';
import type { LabelledPoints } from './gaussianMixture.js';

/**
 * The first `samples` training images of an MNIST-family dataset, average-pooled by `pool` (⌊side/pool⌋ per
 * side), each pixel centred and the whole set scaled to unit overall variance. A missing dataset is core's error.
 */
export async function loadStandardisedDigits(
  data: DataSources,
  dataset: 'mnist' | 'fashion-mnist',
  samples: number,
  pool: number,
): Promise<LabelledPoints> {
  const { train } = await loadIdxImages(data, dataset, {
    trainLimit: samples,
    testLimit: 1,
    pool,
    poolCrop: true,
    flatten: true,
  });
  const { x, n } = train;
  const d = train.shape[0]!;
  let ss = 0;
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x[i * d + j]!;
    m /= n;
    for (let i = 0; i < n; i++) {
      x[i * d + j]! -= m;
      ss += x[i * d + j]! ** 2;
    }
  }
  const scale = 1 / Math.sqrt(ss / (n * d));
  for (let i = 0; i < n * d; i++) x[i]! *= scale;
  return { x, labels: train.y, dim: d, classes: 10 };
}
