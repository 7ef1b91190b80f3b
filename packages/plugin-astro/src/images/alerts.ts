import type { Rng } from '@paperlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { BLOB_FIELDS, type GalaxyParams, renderGalaxies, sampleGalaxies } from './galaxy.js';
import { arcsinhStretch, observe } from './observe.js';
import { sliceGalaxies } from './synthesize.js';

/** Alert kinds: one real class and the bogus types of difference imaging. */
export const ALERT_KINDS = ['real', 'cosmic-ray', 'bad-column', 'dipole'] as const;
/** One of {@link ALERT_KINDS}. */
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Options of {@link synthesizeAlerts}. */
export interface AlertOptions {
  /** Stamp side (px). */
  size: number;
  /** Share of real transients (the rest split evenly over the bogus kinds). */
  realShare?: number;
  /** Sky level, read noise (counts) and seeing (Moffat FWHM, px) of the reference; the science seeing varies ±20% between chunks of 64 alerts. */
  sky?: number;
  readNoise?: number;
  fwhm?: number;
  /** Transient flux range (counts, log-uniform). */
  transientFlux?: readonly [number, number];
}

/** A set of alert triplets: [n × size × size × 3] (science, reference, difference), real/bogus label and kind. */
export interface AlertSet {
  x: Float32Array;
  /** 1 for a real transient, 0 for bogus. */
  label: Int32Array;
  /** Index into {@link ALERT_KINDS}. */
  kind: Int32Array;
  n: number;
  size: number;
}

function shifted(p: GalaxyParams, dx: Float32Array, dy: Float32Array): GalaxyParams {
  const blobs = Float32Array.from(p.blobs);
  for (let i = 0; i < p.n; i++)
    for (let k = 0; k < p.blobSlots; k++) {
      const o = (i * p.blobSlots + k) * BLOB_FIELDS;
      blobs[o] = blobs[o]! + dx[i]!;
      blobs[o + 1] = blobs[o + 1]! + dy[i]!;
    }
  return {
    ...p,
    cx: p.cx.map((v, i) => v + dx[i]!),
    cy: p.cy.map((v, i) => v + dy[i]!),
    blobs,
  };
}

/**
 * Synthetic alert triplets as braai-style classifiers see them: a reference image of a host galaxy and field
 * stars, a science image of the same field (different seeing and noise) and their difference. Real alerts add a
 * PSF-shaped transient near the host; bogus ones carry a cosmic ray (a sharp unconvolved streak), a bad column, or
 * a misregistration (the science image shifted by 0.7–1.5 px, leaving dipoles). Each channel is arcsinh-stretched.
 */
export function synthesizeAlerts(rng: Rng, n: number, o: AlertOptions): AlertSet {
  const s = o.size;
  const sky = o.sky ?? 200;
  const readNoise = o.readNoise ?? 5;
  const fwhm = o.fwhm ?? 2.5;
  const [tLo, tHi] = o.transientFlux ?? [800, 8000];
  const host = sampleGalaxies(rng.split('hosts'), n, {
    size: s,
    flux: [2e3, 3e4],
    companions: 0.3,
    stars: 1.5,
    jitter: 0.15 * s,
  });
  const label = new Int32Array(n);
  const kind = new Int32Array(n);
  const dx = new Float32Array(n);
  const dy = new Float32Array(n);
  const tx = new Float32Array(n);
  const ty = new Float32Array(n);
  const tf0 = new Float32Array(n);
  const draw = rng.split('kinds');
  for (let i = 0; i < n; i++) {
    const real = draw.bernoulli(o.realShare ?? 0.5);
    kind[i] = real ? 0 : 1 + draw.int(3);
    label[i] = real ? 1 : 0;
    if (kind[i] === 3) {
      const r = draw.range(0.7, 1.5);
      const a = draw.range(0, 2 * Math.PI);
      dx[i] = r * Math.cos(a);
      dy[i] = r * Math.sin(a);
    }
    if (real) {
      const r = draw.range(0, 1.5) * host.bulgeRe[i]!;
      const a = draw.range(0, 2 * Math.PI);
      tx[i] = host.cx[i]! + r * Math.cos(a);
      ty[i] = host.cy[i]! + r * Math.sin(a);
      tf0[i] = Math.exp(draw.range(Math.log(tLo), Math.log(tHi)));
    }
  }
  const per = s * s;
  const out = new Float32Array(n * per * 3);
  const science = shifted(host, dx, dy);
  // The transient rides on the science image as one more point source.
  const slots = host.blobSlots + 1;
  const blobs = new Float32Array(n * slots * BLOB_FIELDS);
  for (let i = 0; i < n; i++) {
    blobs.set(
      science.blobs.subarray(i * host.blobSlots * BLOB_FIELDS, (i + 1) * host.blobSlots * BLOB_FIELDS),
      i * slots * BLOB_FIELDS,
    );
    blobs.set([tx[i]!, ty[i]!, 0.5, tf0[i]!], (i * slots + host.blobSlots) * BLOB_FIELDS);
  }
  science.blobSlots = slots;
  science.blobs = blobs;
  const noise = rng.split('noise');
  // Rendered in chunks on the active backend; the science seeing varies from chunk to chunk.
  const chunk = 64;
  const sciAll = new Float32Array(n * per);
  const refAll = new Float32Array(n * per);
  for (let start = 0, c = 0; start < n; start += chunk, c++) {
    const end = Math.min(n, start + chunk);
    const g = noise.split(`chunk-${c}`);
    const seeing = fwhm * g.range(0.8, 1.2);
    const [sci, ref] = tf.tidy(() => [
      observe(
        renderGalaxies(sliceGalaxies(science, start, end), s),
        { sky, readNoise, psf: { fwhm: seeing, beta: 3 } },
        g.split('sci'),
      ),
      observe(
        renderGalaxies(sliceGalaxies(host, start, end), s),
        { sky, readNoise, psf: { fwhm, beta: 3 } },
        g.split('ref'),
      ),
    ]);
    sciAll.set(sci!.dataSync(), start * per);
    refAll.set(ref!.dataSync(), start * per);
    tf.dispose([sci!, ref!]);
  }
  for (let i = 0; i < n; i++) {
    const g = noise.split(i);
    const sci = sciAll.subarray(i * per, (i + 1) * per);
    const ref = refAll.subarray(i * per, (i + 1) * per);
    if (kind[i] === 1) {
      // A cosmic ray: a short bright streak of 2–5 pixels, sharp (never seen through the atmosphere).
      let r = g.int(s);
      let c = g.int(s);
      const len = 2 + g.int(4);
      const dr = g.int(3) - 1;
      const dc = dr === 0 ? 1 : g.int(3) - 1;
      for (let k = 0; k < len; k++) {
        if (r >= 0 && r < s && c >= 0 && c < s) sci[r * s + c]! += g.range(800, 4000);
        r += dr;
        c += dc;
      }
    } else if (kind[i] === 2) {
      const c = g.int(s);
      const level = g.range(150, 600);
      for (let r = 0; r < s; r++) sci[r * s + c]! += level + g.normal(0, readNoise);
    }
    for (let j = 0; j < per; j++) {
      const o3 = (i * per + j) * 3;
      out[o3] = sci[j]!;
      out[o3 + 1] = ref[j]!;
      out[o3 + 2] = sci[j]! - ref[j]!;
    }
  }
  const stretched = tf.tidy(() => arcsinhStretch(tf.tensor(out), 3 * Math.sqrt(sky), 100 * Math.sqrt(sky)));
  out.set(stretched.dataSync());
  stretched.dispose();
  return { x: out, label, kind, n, size: s };
}
