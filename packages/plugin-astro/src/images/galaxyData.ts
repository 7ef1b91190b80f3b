import type { Rng } from '@paperlab/core';
import { type GalaxyParams, type GalaxySampleOptions, sampleGalaxies } from './galaxy.js';
import { type SynthesizeOptions, synthesizeGalaxies } from './synthesize.js';

/** The survey-like observing setup the galaxy papers share: sky, read noise, Moffat seeing, arcsinh stretch. */
export function surveyObserving(size: number): SynthesizeOptions {
  return {
    size,
    sky: 200,
    readNoise: 5,
    psf: { fwhm: 0.08 * size, beta: 3 },
    stretch: { softening: 3 * Math.sqrt(200), scale: 2000 },
  };
}

/** Samples a galaxy population and its observed, stretched images ([n × size × size], one channel). */
export function galaxyImages(
  rng: Rng,
  n: number,
  options: GalaxySampleOptions,
): { params: GalaxyParams; images: Float32Array } {
  const params = sampleGalaxies(rng.split('params'), n, options);
  return { params, images: synthesizeGalaxies(params, surveyObserving(options.size), rng.split('observe')) };
}
