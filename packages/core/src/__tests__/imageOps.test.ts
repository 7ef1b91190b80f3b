import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  areaResizeImages,
  avgPoolImages,
  bilinearResizeImages,
  featureMean,
  unitNormRows,
} from '../data/imageOps.js';
import { Rng } from '../rng/rng.js';
import { useWasm } from '../testing/backends.js';

// Independent references: a window's values listed in row-major order and summed with reduce (the order
// core documents), so equality is bitwise; no copy of any implementation.

const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);

/** Reference average pooling (one channel), cropping partial windows, optionally thresholded. */
function refPool(x: Float32Array, n: number, h: number, w: number, f: number, t?: number): Float32Array {
  const oh = Math.floor(h / f);
  const ow = Math.floor(w / f);
  const window = (i: number, r: number, c: number) =>
    Array.from(
      { length: f * f },
      (_, k) => x[i * h * w + (r * f + Math.floor(k / f)) * w + c * f + (k % f)]!,
    );
  return Float32Array.from({ length: n * oh * ow }, (_, j) => {
    const mean = sum(window(Math.floor(j / (oh * ow)), Math.floor((j % (oh * ow)) / ow), j % ow)) / (f * f);
    return t === undefined ? mean : mean > t ? 1 : 0;
  });
}

const maxAbsDiff = (a: Float32Array, b: Float32Array) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
const meanOf = (a: Float32Array) => sum(Array.from(a)) / a.length;

/** MNIST-like pixels: bytes scaled as core's loader does (p·(1/255) stored as float32), mostly dark. */
function pixels(n: number, side: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from(
    { length: n * side * side },
    () => (rng.bernoulli(0.6) ? 0 : rng.int(256)) * (1 / 255),
  );
}

describe('image ops', () => {
  beforeAll(useWasm);

  it('avgPoolImages averages each window: a hand example and the reference, bit for bit', () => {
    const ramp = Float32Array.from({ length: 16 }, (_, i) => i);
    expect(Array.from(avgPoolImages(ramp, 1, 4, 4, 2))).toEqual([2.5, 4.5, 10.5, 12.5]);
    expect(Array.from(avgPoolImages(ramp, 1, 4, 4, 4))).toEqual([7.5]);
    const x = pixels(20, 28, 1);
    for (const f of [1, 2, 4, 7, 14])
      expect(avgPoolImages(x, 20, 28, 28, f)).toEqual(refPool(x, 20, 28, 28, f));
    // Arbitrary floats too, not only pixel levels.
    const r = new Rng(2).normals(5 * 28 * 28);
    expect(avgPoolImages(r, 5, 28, 28, 4)).toEqual(refPool(r, 5, 28, 28, 4));
  });

  it('avgPoolImages with crop + threshold drops partial windows and thresholds the exact mean', () => {
    const x = pixels(12, 28, 3);
    for (const pool of [1, 2, 3, 4, 5, 6, 7, 9, 14])
      for (const t of [0, 0.25, 0.5, 1 / 3])
        expect(avgPoolImages(x, 12, 28, 28, pool, { crop: true, threshold: t })).toEqual(
          refPool(x, 12, 28, 28, pool, t),
        );
    expect(() => avgPoolImages(x, 12, 28, 28, 3)).toThrow(/does not divide.*crop: true/);
  });

  it('areaResizeImages averages covered areas: pooling, replication, fractional overlaps, mass kept', () => {
    const x = pixels(8, 28, 4);
    for (const f of [2, 4, 7])
      expect(
        maxAbsDiff(areaResizeImages(x, 8, 28, 28, 28 / f, 28 / f), avgPoolImages(x, 8, 28, 28, f)),
      ).toBeLessThan(1e-6);
    // Growing by 2 repeats every pixel exactly.
    const two = Float32Array.of(1, 2, 3, 4);
    expect(Array.from(areaResizeImages(two, 1, 2, 2, 4, 4))).toEqual([
      1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4,
    ]);
    // 3 → 2: weights (2/3, 1/3) and (1/3, 2/3), so a centre spike of 9 spreads as 1 into each corner.
    const spike = Float32Array.of(0, 0, 0, 0, 9, 0, 0, 0, 0);
    for (const v of areaResizeImages(spike, 1, 3, 3, 2, 2)) expect(v).toBeCloseTo(1, 6);
    for (const [oh, ow] of [
      [20, 20],
      [10, 6],
      [3, 3],
      [32, 32],
    ] as const)
      expect(meanOf(areaResizeImages(x, 8, 28, 28, oh, ow))).toBeCloseTo(meanOf(x), 6);
    expect(areaResizeImages(x, 8, 28, 28, 28, 28)).toEqual(x);
    expect(() => areaResizeImages(x, 9, 28, 28, 10, 10)).toThrow(/expected 9×28×28×1/);
  });

  it('multi-channel pooling and resizing act on each channel separately', () => {
    const c0 = pixels(3, 12, 5);
    const c1 = pixels(3, 12, 6);
    const rgb = new Float32Array(3 * 144 * 2);
    for (let i = 0; i < 3 * 144; i++) {
      rgb[2 * i] = c0[i]!;
      rgb[2 * i + 1] = c1[i]!;
    }
    const pooled = avgPoolImages(rgb, 3, 12, 12, 3, { channels: 2 });
    const resized = areaResizeImages(rgb, 3, 12, 12, 5, 5, 2);
    const even = (a: Float32Array) => a.filter((_, i) => i % 2 === 0);
    const odd = (a: Float32Array) => a.filter((_, i) => i % 2 === 1);
    expect(even(pooled)).toEqual(avgPoolImages(c0, 3, 12, 12, 3));
    expect(odd(pooled)).toEqual(avgPoolImages(c1, 3, 12, 12, 3));
    expect(even(resized)).toEqual(areaResizeImages(c0, 3, 12, 12, 5, 5));
    expect(odd(resized)).toEqual(areaResizeImages(c1, 3, 12, 12, 5, 5));
  });

  it('bilinearResizeImages agrees with tf.image.resizeBilinear (half-pixel centres) and keeps a same-size image', async () => {
    const x = pixels(4, 28, 7);
    for (const [oh, ow] of [
      [14, 14],
      [10, 12],
      [40, 33],
      [28, 28],
    ] as const) {
      const mine = bilinearResizeImages(x, 4, 28, 28, oh, ow);
      const t = tf.tidy(() =>
        tf.reshape(tf.image.resizeBilinear(tf.tensor4d(x, [4, 28, 28, 1]), [oh, ow], false, true), [-1]),
      );
      const ref = (await t.data()) as Float32Array;
      t.dispose();
      let worst = 0;
      for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(ref[i]! - mine[i]!));
      expect(worst).toBeLessThan(1e-5); // tfjs-wasm interpolates in float32, core in float64
    }
    expect(bilinearResizeImages(x, 4, 28, 28, 28, 28)).toEqual(x);
  });

  it('featureMean sums x/n row by row; unitNormRows gives every non-zero row x·x/d = 1', () => {
    const x = pixels(30, 7, 8);
    const d = 49;
    const m = featureMean(x, 30, d);
    const column = (k: number) => Array.from({ length: 30 }, (_, i) => x[i * d + k]! / 30);
    expect(m).toEqual(Float64Array.from({ length: d }, (_, k) => sum(column(k))));
    const y = unitNormRows(x.slice(), d);
    for (let i = 0; i < 30; i++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += y[i * d + k]! ** 2;
      if (s > 0) expect(s / d).toBeCloseTo(1, 5);
    }
  });
});
