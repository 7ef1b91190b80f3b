import type { DataSources } from '@paperlab/core';
import { loadIdxImageDataset } from '@paperlab/core/data';
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
  const ds = await loadIdxImageDataset(data, dataset, { trainLimit: samples, testLimit: 1 });
  const { x: raw, y } = ds.arrays('train');
  const [h, w] = ds.meta.inputShape as [number, number];
  const ph = Math.floor(h / pool);
  const pw = Math.floor(w / pool);
  const d = ph * pw;
  const n = y.length;
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++)
    for (let r = 0; r < ph; r++)
      for (let c = 0; c < pw; c++) {
        let s = 0;
        for (let u = 0; u < pool; u++)
          for (let v = 0; v < pool; v++) s += raw[i * h * w + (r * pool + u) * w + c * pool + v]!;
        x[i * d + r * pw + c] = s / (pool * pool);
      }
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
  return { x, labels: Int32Array.from(y as Int32Array), dim: d, classes: 10 };
}
