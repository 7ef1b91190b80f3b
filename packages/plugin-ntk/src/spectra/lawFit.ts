import type { Rng, SeriesRow } from '@paperlab/core';
import { histogram } from '../util/histogram.js';
import { momentMatchedGaussianCdf, wignerSpectrum, wishartSpectrum } from './randomMatrices.js';
import { ksDistance, marchenkoPasturCdf, semicircleCdf } from './randomMatrixLaws.js';

/** The spectra of one Wigner and one Wishart matrix and their KS distances to their laws and to Gaussians. */
export type LawFit = {
  /** KS distance of the Wigner spectrum to the semicircle, and to the moment-matched Gaussian. */
  ksSemicircle: number;
  ksSemicircleGaussian: number;
  /** KS distance of the Wishart spectrum to Marchenko–Pastur, and to the moment-matched Gaussian. */
  ksMp: number;
  ksMpGaussian: number;
  wigner: number[];
  wishart: number[];
};

/** An n×n Wigner matrix and an n×m Wishart matrix (m = n/ratio) against their limiting spectral laws. */
export function lawFit(rng: Rng, n: number, ratio: number): LawFit {
  const wigner = wignerSpectrum(rng.split('wigner'), n);
  const wishart = wishartSpectrum(rng.split('wishart'), n, Math.round(n / ratio));
  return {
    ksSemicircle: ksDistance(wigner, (x) => semicircleCdf(x)),
    ksSemicircleGaussian: ksDistance(wigner, momentMatchedGaussianCdf(wigner)),
    ksMp: ksDistance(wishart, (x) => marchenkoPasturCdf(x, ratio)),
    ksMpGaussian: ksDistance(wishart, momentMatchedGaussianCdf(wishart)),
    wigner,
    wishart,
  };
}

/** Histogram density rows of a sample next to a law's density (finite differences of its CDF). */
export function densityRows(
  xs: number[],
  cdf: (x: number) => number,
  label: string,
  bins: number,
): SeriesRow[] {
  const { counts, lo, width: w, centre } = histogram(xs, bins);
  return counts.flatMap((c, k) => [
    { x: centre(k), density: c / (xs.length * w), curve: `${label}: eigenvalues` },
    { x: centre(k), density: (cdf(lo + (k + 1) * w) - cdf(lo + k * w)) / w, curve: `${label}: law` },
  ]);
}
