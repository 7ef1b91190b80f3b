import type { Rng } from '@paperlab/core';
import * as tf from '@tensorflow/tfjs-core';

/** A Moffat PSF I(r) ∝ (1 + (r/α)²)^−β of full width at half maximum `fwhm` px, on an odd `size`² stamp, summing to 1. */
export function moffatKernel(fwhm: number, beta: number, size?: number): Float32Array {
  const k = size ?? 2 * Math.ceil(1.5 * fwhm) + 1;
  if (k % 2 !== 1) throw new RangeError(`moffatKernel: the stamp side must be odd, got ${k}`);
  const alpha = fwhm / (2 * Math.sqrt(2 ** (1 / beta) - 1));
  const c = (k - 1) / 2;
  const out = new Float32Array(k * k);
  let total = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      const r2 = ((i - c) ** 2 + (j - c) ** 2) / (alpha * alpha);
      const v = (1 + r2) ** -beta;
      out[i * k + j] = v;
      total += v;
    }
  for (let i = 0; i < out.length; i++) out[i]! /= total;
  return out;
}

/** Convolves [n, h, w, 1] images with a square PSF stamp ('same' size, zero outside). */
export function convolvePsf(images: tf.Tensor4D, psf: Float32Array): tf.Tensor4D {
  const k = Math.round(Math.sqrt(psf.length));
  if (k * k !== psf.length)
    throw new RangeError(`convolvePsf: the PSF stamp must be square, got ${psf.length} values`);
  return tf.tidy(() => tf.conv2d(images, tf.tensor4d(psf, [k, k, 1, 1]), 1, 'same'));
}

/** Detector and sky of {@link observe}. */
export interface ObserveOptions {
  /** Sky level per pixel (counts), added before the noise and subtracted after. */
  sky: number;
  /** Read noise per pixel (counts, Gaussian). */
  readNoise: number;
  /** Moffat PSF: FWHM (px) and β; omitted: no convolution. */
  psf?: { fwhm: number; beta: number };
}

/**
 * What a detector records of noiseless images: PSF convolution, photon noise of source + sky (Poisson in its
 * Gaussian limit, variance = counts: the counts here are ≥ the sky level, hundreds), Gaussian read noise, sky
 * subtracted. Noise comes from `rng`; returns a new tensor.
 */
export function observe(images: tf.Tensor4D, o: ObserveOptions, rng: Rng): tf.Tensor4D {
  const size = images.size;
  const shot = rng.normals(size);
  const read = rng.normals(size, 0, o.readNoise);
  return tf.tidy(() => {
    const blurred = o.psf ? convolvePsf(images, moffatKernel(o.psf.fwhm, o.psf.beta)) : images;
    const counts = tf.relu(tf.add(blurred, o.sky));
    const noisy = tf.add(
      tf.mul(tf.sqrt(counts), tf.tensor(shot, images.shape)),
      tf.tensor(read, images.shape),
    );
    return tf.add(blurred, noisy) as tf.Tensor4D;
  });
}

/** The arcsinh stretch of Lupton et al. (2004): asinh(x / a) / asinh(scale / a), with softening `a` near the noise level. */
export function arcsinhStretch(images: tf.Tensor, softening: number, scale: number): tf.Tensor {
  return tf.tidy(() => tf.div(tf.asinh(tf.div(images, softening)), Math.asinh(scale / softening)));
}
