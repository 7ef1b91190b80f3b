import type { Rng } from '@paperlab/core';
import { bosonProbabilities, sampleBosonPatterns } from './bosonSampling.js';
import { interferometerUnitary, meshPhaseCount } from './interferometer.js';

/** How images program a boson sampler (see {@link photonicFeatures}). */
export interface ImageEmbeddingOptions {
  /** Interferometer modes. */
  modes: number;
  /** Pixel x on a mesh cell: internal phase a = phaseScale·x or external φ = phaseScale·x. */
  phaseScale: number;
  /** Detection events per image for the sampled features. */
  shots: number;
  /** Index of the pixel that goes on phase slot 0 (default 0: pixel i on slot i, the challenge's raster order). */
  pixelStart?: number;
}

/** Evenly spread input modes of n photons in m modes. */
export function spreadModes(m: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.floor((m * (2 * i + 1)) / (2 * n)));
}

/**
 * Mesh phases for one image, pixel i on phase slot i. The challenge's mesh cells are BS·PS(a)·BS·PS(b) with
 * fixed 50:50 splitters; in the (θ, φ) MZI form used here that cell is θ = π/2 − a/2, φ = b, so a pixel on a
 * θ slot gives θ = π/2 − scale·x/2 (a blank pixel makes the cell a full crossing, as in Perceval) and a pixel
 * on a φ slot gives φ = scale·x. Slots past the last pixel are crossings with zero phase.
 */
export function imagePhases(pixels: ArrayLike<number>, m: number, scale: number): Float64Array {
  const phases = new Float64Array(meshPhaseCount(m));
  const mzi = (m * (m - 1)) / 2;
  for (let i = 0; i < phases.length; i++) {
    const x = i < pixels.length ? pixels[i]! : 0;
    phases[i] = i < 2 * mzi && i % 2 === 0 ? Math.PI / 2 - (scale * x) / 2 : scale * x;
  }
  return phases;
}

/** Photonic feature blocks of every image: exact, sampled and distinguishable-photon probabilities. */
export interface PhotonicFeatures {
  /** Collision-free patterns. */
  dim: number;
  exact: Float32Array;
  shots: Float32Array;
  distinguishable: Float32Array;
  /** Mean probability mass of collision-free outcomes (the post-selection rate). */
  collisionFree: number;
  /** Mean total-variation distance between the indistinguishable and distinguishable distributions. */
  tvd: number;
}

/**
 * Boson-sampler embedding (Perceval challenge baseline): the image programs the phases of an m-mode
 * interferometer, n photons enter `inputModes`, and the collision-free output distribution (renormalised
 * to the post-selected events) is the feature vector; also its `shots`-sample estimate and the same
 * distribution for distinguishable photons (classical particles through the same interferometer).
 */
export function photonicFeatures(
  x: Float32Array,
  pixels: number,
  cfg: ImageEmbeddingOptions,
  inputModes: number[],
  rng: Rng,
): PhotonicFeatures {
  const n = x.length / pixels;
  let dim = 0;
  let exact = new Float32Array(0);
  let shots = new Float32Array(0);
  let dist = new Float32Array(0);
  let mass = 0;
  let tvd = 0;
  for (let i = 0; i < n; i++) {
    const u = interferometerUnitary(
      cfg.modes,
      imagePhases(
        x.subarray(i * pixels + (cfg.pixelStart ?? 0), (i + 1) * pixels),
        cfg.modes,
        cfg.phaseScale,
      ),
    );
    const q = bosonProbabilities(u, inputModes, { collisionFree: true });
    const c = bosonProbabilities(u, inputModes, { collisionFree: true, distinguishable: true });
    if (i === 0) {
      dim = q.probs.length;
      exact = new Float32Array(n * dim);
      shots = new Float32Array(n * dim);
      dist = new Float32Array(n * dim);
    }
    let tq = 0;
    let tc = 0;
    for (let j = 0; j < dim; j++) {
      tq += q.probs[j]!;
      tc += c.probs[j]!;
    }
    mass += tq / n;
    for (let j = 0; j < dim; j++) {
      exact[i * dim + j] = q.probs[j]! / tq;
      dist[i * dim + j] = c.probs[j]! / tc;
      tvd += Math.abs(q.probs[j]! / tq - c.probs[j]! / tc) / (2 * n);
    }
    const s = sampleBosonPatterns(q, cfg.shots, rng.split(`image-${i}`));
    shots.set(Float32Array.from(s.frequencies), i * dim);
  }
  return { dim, exact, shots, distinguishable: dist, collisionFree: mass, tvd };
}
