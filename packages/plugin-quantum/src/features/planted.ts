import type { Rng } from '@paperlab/core';

/**
 * A positive control for "does appending a feature block help?": `k` features per row that carry label
 * information the other features lack, x = signal·μ_y + ε with class means μ_c ~ N(0, I_k) (drawn once) and
 * independent noise ε ~ N(0, I_k) per row. The block knows only the label, so whatever it adds to a classifier
 * is information not in the images.
 */
export function plantedBlock(
  labels: { train: ArrayLike<number>; test: ArrayLike<number> },
  k: number,
  signal: number,
  rng: Rng,
  classes = 10,
): { train: Float32Array; test: Float32Array } {
  const means = rng.split('means').normals(classes * k, 0, 1);
  const draw = (y: ArrayLike<number>, r: Rng) => {
    const noise = r.normals(y.length * k, 0, 1);
    const out = new Float32Array(y.length * k);
    for (let i = 0; i < y.length; i++)
      for (let j = 0; j < k; j++) out[i * k + j] = signal * means[y[i]! * k + j]! + noise[i * k + j]!;
    return out;
  };
  return { train: draw(labels.train, rng.split('train')), test: draw(labels.test, rng.split('test')) };
}
