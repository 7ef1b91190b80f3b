import type { TrainedSpectrum } from '../nets/trainedSpectrum.js';

/**
 * Outliers = the ranks above the largest ratio λ_i/λ_{i+1} among the top `maxOutliers` positive eigenvalues
 * (descending). `contrast` compares that gap with the bulk's own spacing just below it: (gap − 1) over the
 * median (λ_i/λ_{i+1} − 1) of the next 20 ranks.
 */
export function outlierSplit(
  desc: number[],
  maxOutliers: number,
): { count: number; gap: number; contrast: number } {
  let count = 0;
  let gap = 0;
  for (let i = 0; i < Math.min(maxOutliers, desc.length - 1); i++) {
    if (desc[i + 1]! <= 0) break;
    const r = desc[i]! / desc[i + 1]!;
    if (r > gap) {
      gap = r;
      count = i + 1;
    }
  }
  const spacings: number[] = [];
  for (let i = count; i < Math.min(count + 20, desc.length - 1); i++)
    if (desc[i + 1]! > 0) spacings.push(desc[i]! / desc[i + 1]! - 1);
  spacings.sort((a, b) => a - b);
  const typical = spacings.length ? spacings[Math.floor(spacings.length / 2)]! : Number.NaN;
  return { count, gap, contrast: (gap - 1) / typical };
}

/**
 * The shape of a Hessian spectrum: outliers and their gap ({@link outlierSplit}), the near-zero mass
 * (|λ| ≤ nearZero·λ_max), and the largest relative difference between the outliers and the Gauss-Newton's.
 */
export function spectrumShape(s: TrainedSpectrum, o: { maxOutliers: number; nearZero: number }) {
  const h = s.hessian;
  const P = h.length;
  const lmax = h[0]!;
  const { count, gap, contrast } = outlierSplit(h, o.maxOutliers);
  const nearZeroCount = h.filter((v) => Math.abs(v) <= o.nearZero * lmax).length;
  let gnRelDiff = 0;
  for (let i = 0; i < count; i++)
    gnRelDiff = Math.max(gnRelDiff, Math.abs(s.gaussNewton[i]! - h[i]!) / h[i]!);
  return {
    P,
    outliers: count,
    gap,
    contrast,
    nearZeroFrac: nearZeroCount / P,
    nearZeroCount,
    outlierMean: h.slice(0, count).reduce((a, b) => a + b, 0) / Math.max(count, 1),
    bulkEdge: h[count]!,
    lambdaMax: lmax,
    lambdaMin: h[P - 1]!,
    gnRelDiff,
  };
}
