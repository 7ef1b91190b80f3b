import type { Rng } from '@paperlab/core';
import { type KdvDesign, kdvFeatures, kdvLeastSquares, kdvTrajectory } from '../../data/kdvInverse.js';

/** A test split of δ: in distribution, out of distribution, extreme. */
export type Split = 'id' | 'ood' | 'ext';
/** The splits in table order. */
export const SPLITS: readonly Split[] = ['id', 'ood', 'ext'];
/** δ ranges: in-distribution (training) band, out-of-distribution and extreme bands on both sides. */
const BANDS: Record<Split, ReadonlyArray<readonly [number, number]>> = {
  id: [[1.5, 3.5]],
  ood: [
    [1.0, 1.5],
    [3.5, 4.2],
  ],
  ext: [
    [0.8, 1.0],
    [4.2, 5.0],
  ],
};
/** Display names of the splits with their δ bands. */
export const SPLIT_LABEL: Record<Split, string> = {
  id: 'in-distribution δ ∈ [1.5, 3.5]',
  ood: 'OOD δ ∈ [1, 1.5) ∪ (3.5, 4.2]',
  ext: 'extreme δ ∈ [0.8, 1) ∪ (4.2, 5]',
};

/** A δ drawn uniformly from a split's bands (each band weighted by its width). */
function drawDelta(rng: Rng, split: Split): number {
  const bands = BANDS[split];
  const widths = bands.map(([a, b]) => b - a);
  const k = rng.categorical(widths);
  const [a, b] = bands[k]!;
  return rng.range(a, b);
}

/** A split: encoder inputs [n, nt − 2, nx, C], log δ targets, the residual parts a, b, and the LS estimates. */
export interface SplitData {
  n: number;
  x: Float32Array;
  /** u-only inputs (channel 0 of x). */
  xu: Float32Array;
  logDelta: Float32Array;
  delta: number[];
  a: Float32Array;
  b: Float32Array;
  ls: number[];
}

/** `n` noisy trajectories of one split with their derivative features and least-squares residual parts. */
export function makeSplit(rng: Rng, split: Split, n: number, d: KdvDesign): SplitData {
  const m = (d.nt - 2) * d.nx;
  const out: SplitData = {
    n,
    x: new Float32Array(n * m * 4),
    xu: new Float32Array(n * m),
    logDelta: new Float32Array(n),
    delta: [],
    a: new Float32Array(n * m),
    b: new Float32Array(n * m),
    ls: [],
  };
  for (let i = 0; i < n; i++) {
    const delta = drawDelta(rng, split);
    const f = kdvFeatures(kdvTrajectory(rng.split(`traj${i}`), delta, d).u, d);
    const ls = kdvLeastSquares(f);
    for (let k = 0; k < m; k++) {
      out.x.set([f.u[k]!, f.ux[k]!, f.uxxx[k]!, f.ut[k]!], (i * m + k) * 4);
      out.xu[i * m + k] = f.u[k]!;
    }
    out.a.set(ls.a, i * m);
    out.b.set(ls.b, i * m);
    out.delta.push(delta);
    out.logDelta[i] = Math.log(delta);
    out.ls.push(Math.sqrt(Math.max(ls.delta2, 1e-8)));
  }
  return out;
}

/** Relative δ errors of least squares on four noise-free in-distribution trajectories (the solver control). */
export function cleanLeastSquaresErrors(rng: Rng, d: KdvDesign): number[] {
  return Array.from({ length: 4 }, (_, i) => {
    const delta = drawDelta(rng.split(`clean${i}`), 'id');
    const ls = kdvLeastSquares(
      kdvFeatures(kdvTrajectory(rng.split(`clean-traj${i}`), delta, { ...d, noise: 0 }).u, {
        ...d,
        noise: 0,
      }),
    );
    return Math.abs(Math.sqrt(Math.max(ls.delta2, 0)) - delta) / delta;
  });
}

/** Per-channel standardisation from the training split (applied to every split). */
export function standardise(train: Float32Array, channels: number, all: Float32Array[]): void {
  for (let c = 0; c < channels; c++) {
    let [s, s2, n] = [0, 0, 0];
    for (let k = c; k < train.length; k += channels) {
      s += train[k]!;
      s2 += train[k]! * train[k]!;
      n++;
    }
    const mu = s / n;
    const sd = Math.sqrt(Math.max(s2 / n - mu * mu, 1e-12));
    for (const arr of all) for (let k = c; k < arr.length; k += channels) arr[k] = (arr[k]! - mu) / sd;
  }
}
