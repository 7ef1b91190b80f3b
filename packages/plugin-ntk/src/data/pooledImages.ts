import type { DataSources } from '@paperlab/core';
import { loadIdxImageDataset } from '@paperlab/core/data';

/** Pooled images as Float64 rows with their labels. */
export interface PooledImages {
  /** [count, dim] row-major, each row scaled to ‖x‖² = dim. */
  x: Float64Array;
  labels: Int32Array;
  dim: number;
}

/** Options of {@link loadPooledImages}. */
export interface PooledImagesOptions {
  /** Sum-pool factor of the square images (4: 28×28 → 7×7). */
  pool: number;
  /** First training image used. */
  offset: number;
  /** Training images used from `offset` on. */
  count: number;
}

/**
 * Training images of an MNIST-family dataset, sum-pooled and each scaled to ‖x‖² = d (the NTK convention: O(1)
 * entries), in Float64 — no centring. A dataset with fewer than offset + count training images is an error.
 */
export async function loadPooledImages(
  data: DataSources,
  name: 'mnist' | 'fashion-mnist',
  o: PooledImagesOptions,
): Promise<PooledImages> {
  const ds = await loadIdxImageDataset(data, name, { trainLimit: o.offset + o.count, testLimit: 1 });
  const { x: raw, y } = ds.arrays('train');
  const [h, w] = ds.meta.inputShape as [number, number];
  if (y.length - o.offset < o.count)
    throw new Error(
      `${name} has ${y.length} training images, fewer than offset + count = ${o.offset + o.count}: lower them`,
    );
  const ph = Math.floor(h / o.pool);
  const pw = Math.floor(w / o.pool);
  const dim = ph * pw;
  const x = new Float64Array(o.count * dim);
  const labels = new Int32Array(o.count);
  for (let k = 0; k < o.count; k++) {
    const i = o.offset + k;
    labels[k] = y[i]!;
    let ss = 0;
    for (let r = 0; r < ph; r++)
      for (let c = 0; c < pw; c++) {
        let s = 0;
        for (let u = 0; u < o.pool; u++)
          for (let v = 0; v < o.pool; v++) s += raw[i * h * w + (r * o.pool + u) * w + c * o.pool + v]!;
        x[k * dim + r * pw + c] = s;
        ss += s * s;
      }
    const scale = ss > 0 ? Math.sqrt(dim / ss) : 0;
    for (let j = 0; j < dim; j++) x[k * dim + j]! *= scale;
  }
  return { x, labels, dim };
}
