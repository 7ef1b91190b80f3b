import type { Rng } from '@paperlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { ARC_FIELDS, BLOB_FIELDS, type GalaxyParams, renderGalaxies } from './galaxy.js';
import { arcsinhStretch, type ObserveOptions, observe } from './observe.js';

/** Galaxies `start` … `end − 1` of a batch (typed-array views, no copy). */
export function sliceGalaxies(p: GalaxyParams, start: number, end: number): GalaxyParams {
  const t = p.truth;
  const cut = <T extends Float32Array | Int32Array>(a: T, per = 1): T =>
    a.subarray(start * per, end * per) as T;
  return {
    n: end - start,
    cx: cut(p.cx),
    cy: cut(p.cy),
    pa: cut(p.pa),
    bulgeFlux: cut(p.bulgeFlux),
    bulgeRe: cut(p.bulgeRe),
    bulgeN: cut(p.bulgeN),
    bulgeQ: cut(p.bulgeQ),
    discFlux: cut(p.discFlux),
    discRe: cut(p.discRe),
    discQ: cut(p.discQ),
    barFlux: cut(p.barFlux),
    barRe: cut(p.barRe),
    barQ: cut(p.barQ),
    barPa: cut(p.barPa),
    armAmp: cut(p.armAmp),
    armM: cut(p.armM),
    armPitch: cut(p.armPitch),
    armPhase: cut(p.armPhase),
    arcSlots: p.arcSlots,
    arcs: cut(p.arcs, p.arcSlots * ARC_FIELDS),
    blobSlots: p.blobSlots,
    blobs: cut(p.blobs, p.blobSlots * BLOB_FIELDS),
    truth: {
      discFrac: cut(t.discFrac),
      barFrac: cut(t.barFrac),
      armAmp: cut(t.armAmp),
      discQ: cut(t.discQ),
      bulgeQ: cut(t.bulgeQ),
      tidal: cut(t.tidal),
      tidalDeltaMag: cut(t.tidalDeltaMag),
      hostFlux: cut(t.hostFlux),
    },
  };
}

/** Options of {@link synthesizeGalaxies}. */
export interface SynthesizeOptions extends ObserveOptions {
  /** Image side (px). */
  size: number;
  /** Arcsinh softening and scale (counts), see `arcsinhStretch`. */
  stretch: { softening: number; scale: number };
  /** Galaxies rendered per tensor batch (default 256). */
  chunk?: number;
}

/**
 * Renders, observes (PSF, noise) and stretches galaxies on the active backend in chunks; returns the images
 * as one host array [n × size × size] (one channel). Noise is drawn from `rng.split('chunk-k')`.
 */
export function synthesizeGalaxies(p: GalaxyParams, o: SynthesizeOptions, rng: Rng): Float32Array {
  const per = o.size * o.size;
  const out = new Float32Array(p.n * per);
  const chunk = o.chunk ?? 256;
  for (let start = 0, k = 0; start < p.n; start += chunk, k++) {
    const end = Math.min(p.n, start + chunk);
    const img = tf.tidy(() => {
      const clean = renderGalaxies(sliceGalaxies(p, start, end), o.size);
      const seen = observe(clean, o, rng.split(`chunk-${k}`));
      return arcsinhStretch(seen, o.stretch.softening, o.stretch.scale);
    });
    out.set(img.dataSync(), start * per);
    img.dispose();
  }
  return out;
}
