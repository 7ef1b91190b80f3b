import type { Rng } from '@paperlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { sersicB, sersicIe } from './sersic.js';

/** Values per tidal-feature slot in {@link GalaxyParams.arcs}: dx, dy, radius, width, angle, half-angle, flux. */
export const ARC_FIELDS = 7;
/** Values per point-source slot in {@link GalaxyParams.blobs}: x, y, sigma, flux (pixels from the image centre). */
export const BLOB_FIELDS = 4;

/** Tidal-feature kinds a host can carry (0 = none). */
export const TIDAL_KINDS = ['none', 'shells', 'stream', 'tails'] as const;
/** One of {@link TIDAL_KINDS}. */
export type TidalKind = (typeof TIDAL_KINDS)[number];

/**
 * A batch of galaxies as structure-of-arrays (one entry per galaxy), in pixels and radians, fluxes in counts.
 * Everything a renderer needs, plus the latent truth (`truth`) a label model reads.
 */
export interface GalaxyParams {
  /** Number of galaxies. */
  n: number;
  /** Centre offset from the image centre (px). */
  cx: Float32Array;
  cy: Float32Array;
  /** Position angle of bulge and disc (rad). */
  pa: Float32Array;
  bulgeFlux: Float32Array;
  bulgeRe: Float32Array;
  bulgeN: Float32Array;
  bulgeQ: Float32Array;
  discFlux: Float32Array;
  discRe: Float32Array;
  /** Disc axis ratio (cos of the inclination, floored by the disc's thickness). */
  discQ: Float32Array;
  barFlux: Float32Array;
  barRe: Float32Array;
  barQ: Float32Array;
  /** Bar angle relative to `pa` (rad). */
  barPa: Float32Array;
  /** Spiral-arm modulation amplitude in [0, 1) (0: no arms). */
  armAmp: Float32Array;
  armM: Float32Array;
  /** Pitch angle (rad). */
  armPitch: Float32Array;
  armPhase: Float32Array;
  /** Tidal-feature slots per galaxy. */
  arcSlots: number;
  /** [n × arcSlots × ARC_FIELDS]: arcs of Gaussian cross-section centred at the host centre + (dx, dy). */
  arcs: Float32Array;
  /** Point-source slots per galaxy. */
  blobSlots: number;
  /** [n × blobSlots × BLOB_FIELDS]: Gaussian companions and stars (before the PSF). */
  blobs: Float32Array;
  /** Latent morphology, for label models. */
  truth: GalaxyTruth;
}

/** The latent morphology of each galaxy (what volunteers and labels respond to). */
export interface GalaxyTruth {
  /** Disc share of the host's light. */
  discFrac: Float32Array;
  /** Bar share of the host's light. */
  barFrac: Float32Array;
  armAmp: Float32Array;
  discQ: Float32Array;
  bulgeQ: Float32Array;
  /** Index into {@link TIDAL_KINDS}. */
  tidal: Int32Array;
  /** Tidal light below the host, in magnitudes (Infinity without a feature). */
  tidalDeltaMag: Float32Array;
  /** Total host flux (counts). */
  hostFlux: Float32Array;
}

/** How {@link sampleGalaxies} draws a population. */
export interface GalaxySampleOptions {
  /** Image side in pixels (sizes and positions scale with it). */
  size: number;
  /** Share of disc (featured) galaxies; the rest are smooth spheroids. */
  discShare?: number;
  /** Probability that a disc galaxy has a bar. */
  barProb?: number;
  /** Probability that a disc galaxy has spiral arms. */
  armProb?: number;
  /** Host flux range (counts, log-uniform). */
  flux?: readonly [number, number];
  /** Probability of a tidal feature (kind uniform over shells/stream/tails). */
  tidalProb?: number;
  /** Tidal light below the host in magnitudes, uniform in this range. */
  tidalDeltaMag?: readonly [number, number];
  /** Mean number of companions (small faint galaxies) and stars per image. */
  companions?: number;
  stars?: number;
  /** Maximum centre offset in pixels. */
  jitter?: number;
}

function poissonSmall(rng: Rng, mean: number): number {
  // Knuth: fine for the small means used for companion counts.
  const l = Math.exp(-mean);
  let k = 0;
  let p = rng.uniform();
  while (p > l) {
    k++;
    p *= rng.uniform();
  }
  return k;
}

/**
 * Draws a galaxy population: smooth spheroids (Sérsic n 2.5–5) and discs (exponential disc + bulge) with
 * random inclination and orientation, optional bars and 2–3-armed log spirals, optional tidal features
 * (shells, a stream, or two tails) and random companions and stars. Deterministic in `rng`.
 */
export function sampleGalaxies(rng: Rng, n: number, o: GalaxySampleOptions): GalaxyParams {
  const s = o.size;
  const f32 = () => new Float32Array(n);
  const maxBlobs = 6;
  const arcSlots = 3;
  const p: GalaxyParams = {
    n,
    cx: f32(),
    cy: f32(),
    pa: f32(),
    bulgeFlux: f32(),
    bulgeRe: f32(),
    bulgeN: f32(),
    bulgeQ: f32(),
    discFlux: f32(),
    discRe: f32(),
    discQ: f32(),
    barFlux: f32(),
    barRe: f32(),
    barQ: f32(),
    barPa: f32(),
    armAmp: f32(),
    armM: f32(),
    armPitch: f32(),
    armPhase: f32(),
    arcSlots,
    arcs: new Float32Array(n * arcSlots * ARC_FIELDS),
    blobSlots: maxBlobs,
    blobs: new Float32Array(n * maxBlobs * BLOB_FIELDS),
    truth: {
      discFrac: f32(),
      barFrac: f32(),
      armAmp: f32(),
      discQ: f32(),
      bulgeQ: f32(),
      tidal: new Int32Array(n),
      tidalDeltaMag: f32(),
      hostFlux: f32(),
    },
  };
  const [fLo, fHi] = o.flux ?? [2e4, 8e4];
  const [mLo, mHi] = o.tidalDeltaMag ?? [2, 4];
  const jitter = o.jitter ?? 0.03 * s;
  for (let i = 0; i < n; i++) {
    const g = rng.split(i);
    const flux = Math.exp(g.range(Math.log(fLo), Math.log(fHi)));
    p.truth.hostFlux[i] = flux;
    p.cx[i] = g.range(-jitter, jitter);
    p.cy[i] = g.range(-jitter, jitter);
    p.pa[i] = g.range(0, Math.PI);
    const disc = g.bernoulli(o.discShare ?? 0.6);
    const re = g.range(0.09, 0.16) * s;
    p.bulgeQ[i] = disc ? g.range(0.7, 1) : g.range(0.3, 1);
    p.bulgeN[i] = disc ? g.range(1, 2.5) : g.range(2.5, 5);
    if (disc) {
      const df = g.range(0.45, 0.9);
      const q = Math.max(0.12, Math.cos(g.range(0, Math.PI / 2)));
      p.discQ[i] = q;
      p.discRe[i] = re;
      const bar = q > 0.45 && g.bernoulli(o.barProb ?? 0.4);
      const bf = bar ? g.range(0.08, 0.22) : 0;
      p.discFlux[i] = flux * df;
      p.barFlux[i] = flux * bf;
      p.bulgeFlux[i] = flux * Math.max(0.02, 1 - df - bf);
      p.bulgeRe[i] = re * g.range(0.2, 0.35);
      p.barRe[i] = re * g.range(0.7, 1.1);
      p.barQ[i] = g.range(0.2, 0.35);
      p.barPa[i] = g.range(0, Math.PI);
      if (g.bernoulli(o.armProb ?? 0.7)) {
        p.armAmp[i] = g.range(0.4, 0.9);
        p.armM[i] = g.bernoulli(0.7) ? 2 : 3;
        p.armPitch[i] = g.range(0.2, 0.45);
        p.armPhase[i] = g.range(0, 2 * Math.PI);
      }
      p.truth.discFrac[i] = df;
      p.truth.barFrac[i] = bf;
    } else {
      p.bulgeFlux[i] = flux;
      p.bulgeRe[i] = re * g.range(0.7, 1.1);
      p.discQ[i] = 1;
      p.discRe[i] = re;
    }
    p.truth.armAmp[i] = p.armAmp[i]!;
    p.truth.discQ[i] = p.discQ[i]!;
    p.truth.bulgeQ[i] = p.bulgeQ[i]!;
    p.truth.tidalDeltaMag[i] = Number.POSITIVE_INFINITY;
    if (g.bernoulli(o.tidalProb ?? 0)) {
      const kind = 1 + g.int(3);
      const dm = g.range(mLo, mHi);
      p.truth.tidal[i] = kind;
      p.truth.tidalDeltaMag[i] = dm;
      const tflux = flux * 10 ** (-0.4 * dm);
      const base = i * arcSlots * ARC_FIELDS;
      const set = (k: number, v: number[]) => p.arcs.set(v, base + k * ARC_FIELDS);
      const ang = g.range(0, 2 * Math.PI);
      if (kind === 1) {
        // Shells: concentric arcs on alternating sides of the host.
        for (let k = 0; k < 3; k++)
          set(k, [
            0,
            0,
            re * (1.4 + 0.7 * k),
            0.02 * s,
            ang + (k % 2) * Math.PI,
            g.range(0.5, 0.9),
            tflux / 3,
          ]);
      } else if (kind === 2) {
        // A stream: one long arc on a circle offset from the host.
        const off = re * g.range(1.5, 2.5);
        set(0, [
          off * Math.cos(ang),
          off * Math.sin(ang),
          off * g.range(0.9, 1.3),
          0.025 * s,
          ang + Math.PI,
          g.range(0.6, 1.0),
          tflux,
        ]);
      } else {
        // Tails: two arcs leaving the host on opposite sides, curving the same way.
        const r = re * g.range(1.6, 2.4);
        for (let k = 0; k < 2; k++) {
          const a = ang + k * Math.PI;
          set(k, [r * Math.cos(a), r * Math.sin(a), r, 0.03 * s, a + Math.PI * 0.7, 0.5, tflux / 2]);
        }
      }
    }
    const nc = Math.min(3, poissonSmall(g, o.companions ?? 0.5));
    const ns = Math.min(maxBlobs - nc, poissonSmall(g, o.stars ?? 0.5));
    for (let k = 0; k < nc + ns; k++) {
      const companion = k < nc;
      const r = g.range(0.2, 0.45) * s;
      const a = g.range(0, 2 * Math.PI);
      p.blobs.set(
        [
          r * Math.cos(a),
          r * Math.sin(a),
          companion ? g.range(0.02, 0.05) * s : 0.5,
          flux * (companion ? g.range(0.02, 0.1) : g.range(0.01, 0.2)),
        ],
        (i * maxBlobs + k) * BLOB_FIELDS,
      );
    }
  }
  return p;
}

function column(values: ArrayLike<number>, n: number): tf.Tensor3D {
  return tf.tensor3d(Float32Array.from(values), [n, 1, 1]);
}

/** Field `f` of every galaxy's `slots` slots (`stride` fields per slot, row-major) as a [n, slots, 1, 1] tensor. */
function slotField(values: Float32Array, stride: number, n: number, slots: number, f: number): tf.Tensor4D {
  return tf.tensor4d(
    Float32Array.from({ length: n * slots }, (_, j) => values[j * stride + f]!),
    [n, slots, 1, 1],
  );
}

/** Pixel-centre coordinates of a `size`² grid relative to its centre, as [1, size, size] tensors. */
function grid(size: number): { x: tf.Tensor3D; y: tf.Tensor3D } {
  const c = (size - 1) / 2;
  const xs = new Float32Array(size * size);
  const ys = new Float32Array(size * size);
  for (let i = 0; i < size; i++)
    for (let j = 0; j < size; j++) {
      xs[i * size + j] = j - c;
      ys[i * size + j] = i - c;
    }
  return { x: tf.tensor3d(xs, [1, size, size]), y: tf.tensor3d(ys, [1, size, size]) };
}

function sersic(
  u: tf.Tensor,
  v: tf.Tensor,
  q: ArrayLike<number>,
  re: ArrayLike<number>,
  idx: ArrayLike<number>,
  flux: ArrayLike<number>,
  n: number,
): { image: tf.Tensor; r: tf.Tensor } {
  const ie = Array.from(flux, (f, i) => (f > 0 ? sersicIe(f, idx[i]!, re[i]!, q[i]!) : 0));
  const b = Array.from(idx, (k) => sersicB(k));
  const vq = tf.div(v, column(q, n));
  // A quarter-pixel core keeps cuspy profiles finite at pixel centres.
  const r = tf.sqrt(tf.add(tf.add(tf.square(u), tf.square(vq)), 0.0625));
  const x = tf.pow(
    tf.div(r, column(re, n)),
    column(
      Array.from(idx, (k) => 1 / k),
      n,
    ),
  );
  const image = tf.mul(column(ie, n), tf.exp(tf.mul(tf.neg(column(b, n)), tf.sub(x, 1))));
  return { image, r };
}

/**
 * Renders a batch of galaxies (noiseless, before the PSF, counts per pixel) on the active backend:
 * Sérsic bulge, exponential disc modulated by log-spiral arms, Sérsic-0.5 bar, tidal arcs and Gaussian
 * point sources. Returns [n, size, size, 1].
 */
export function renderGalaxies(p: GalaxyParams, size: number): tf.Tensor4D {
  const n = p.n;
  return tf.tidy(() => {
    const g = grid(size);
    const cx = column(p.cx, n);
    const cy = column(p.cy, n);
    const dx = tf.sub(g.x, cx);
    const dy = tf.sub(g.y, cy);
    const rot = (angle: ArrayLike<number>) => {
      const c = column(Array.from(angle, Math.cos), n);
      const s = column(Array.from(angle, Math.sin), n);
      return {
        u: tf.add(tf.mul(dx, c), tf.mul(dy, s)),
        v: tf.sub(tf.mul(dy, c), tf.mul(dx, s)),
      };
    };
    const main = rot(p.pa);
    const bulge = sersic(main.u, main.v, p.bulgeQ, p.bulgeRe, p.bulgeN, p.bulgeFlux, n).image;
    const one = new Float32Array(n).fill(1);
    const disc = sersic(main.u, main.v, p.discQ, p.discRe, one, p.discFlux, n);
    // Log-spiral arms in the disc plane, faded towards the centre.
    const phi = tf.atan2(tf.div(main.v, column(p.discQ, n)), main.u);
    const rr = tf.div(disc.r, column(p.discRe, n));
    const wind = tf.div(
      tf.log(tf.add(rr, 0.05)),
      column(
        Array.from(p.armPitch, (a) => Math.tan(a || 1)),
        n,
      ),
    );
    const arg = tf.add(tf.mul(column(p.armM, n), tf.sub(phi, wind)), column(p.armPhase, n));
    const fade = tf.sub(1, tf.exp(tf.neg(tf.square(rr))));
    const arms = tf.add(1, tf.mul(tf.mul(column(p.armAmp, n), tf.cos(arg)), fade));
    let image = tf.add(bulge, tf.mul(disc.image, arms));
    const barAngle = Array.from(p.pa, (a, i) => a + p.barPa[i]!);
    const b = rot(barAngle);
    const half = new Float32Array(n).fill(0.5);
    image = tf.add(image, sersic(b.u, b.v, p.barQ, p.barRe, half, p.barFlux, n).image);
    // Tidal arcs: Gaussian across the circle, Gaussian window in angle.
    const k = p.arcSlots;
    if (k > 0) {
      const field = (f: number) => slotField(p.arcs, ARC_FIELDS, n, k, f);
      const ax = tf.sub(tf.expandDims(dx, 1), field(0));
      const ay = tf.sub(tf.expandDims(dy, 1), field(1));
      const rho = tf.sqrt(tf.add(tf.square(ax), tf.square(ay)));
      const theta = tf.atan2(ay, ax);
      const d = tf.sub(theta, field(4));
      const wrapped = tf.atan2(tf.sin(d), tf.cos(d));
      const width = tf.maximum(field(3), 1e-3);
      const halfAngle = tf.maximum(field(5), 1e-3);
      const radius = field(2);
      const amp = tf.div(
        field(6),
        tf.mul(tf.mul(tf.mul(2 * Math.PI, width), tf.maximum(radius, 1)), halfAngle),
      );
      const arcs = tf.mul(
        amp,
        tf.exp(
          tf.neg(
            tf.add(
              tf.div(tf.square(tf.sub(rho, radius)), tf.mul(2, tf.square(width))),
              tf.div(tf.square(wrapped), tf.mul(2, tf.square(halfAngle))),
            ),
          ),
        ),
      );
      image = tf.add(image, tf.sum(arcs, 1));
    }
    const m = p.blobSlots;
    if (m > 0) {
      const field = (f: number) => slotField(p.blobs, BLOB_FIELDS, n, m, f);
      const sig2 = tf.square(tf.maximum(field(2), 0.3));
      const bx = tf.sub(tf.expandDims(g.x, 1), field(0));
      const by = tf.sub(tf.expandDims(g.y, 1), field(1));
      const blobs = tf.mul(
        tf.div(field(3), tf.mul(2 * Math.PI, sig2)),
        tf.exp(tf.neg(tf.div(tf.add(tf.square(bx), tf.square(by)), tf.mul(2, sig2)))),
      );
      image = tf.add(image, tf.sum(blobs, 1));
    }
    return tf.expandDims(image, 3) as tf.Tensor4D;
  });
}
