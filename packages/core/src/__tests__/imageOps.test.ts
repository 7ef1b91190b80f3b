import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  areaResizeImages,
  avgPoolImages,
  bilinearResizeImages,
  featureMean,
  unitNormRows,
} from '../data/imageOps.js';
import { nodeBackendLoaders } from '../node/backends.js';
import { Rng } from '../rng/rng.js';
import { ensureBackend } from '../runs/runner.js';

// --- Verbatim copies of the plugins' pooling code (plugin-ntk data/imageSubset.ts `pool2d`, plugin-quantum
// data/images.ts `resizeImages`, plugin-quantum papers/bausch2020 `digitSequences`' pooling). Core's versions
// must give the same bits, so papers can switch without changing a number.

function ntkPool2d(x: Float32Array, n: number, side: number, f: number): Float32Array {
  if (f === 1) return x;
  const s = side / f;
  const out = new Float32Array(n * s * s);
  for (let i = 0; i < n; i++)
    for (let r = 0; r < s; r++)
      for (let c = 0; c < s; c++) {
        let acc = 0;
        for (let a = 0; a < f; a++)
          for (let b = 0; b < f; b++) acc += x[i * side * side + (r * f + a) * side + c * f + b]!;
        out[i * s * s + r * s + c] = acc / (f * f);
      }
  return out;
}

function quantumResize(
  x: Float32Array,
  n: number,
  h: number,
  w: number,
  oh: number,
  ow: number,
): Float32Array {
  if (oh === h && ow === w) return x.slice();
  const axis = (from: number, to: number): Float64Array => {
    const m = new Float64Array(to * from);
    const s = from / to;
    for (let o = 0; o < to; o++) {
      const a = o * s;
      const b = (o + 1) * s;
      for (let i = Math.floor(a); i < Math.min(from, Math.ceil(b)); i++) {
        const overlap = Math.min(b, i + 1) - Math.max(a, i);
        if (overlap > 0) m[o * from + i] = overlap / s;
      }
    }
    return m;
  };
  const wy = axis(h, oh);
  const wx = axis(w, ow);
  const out = new Float32Array(n * oh * ow);
  const tmp = new Float64Array(oh * w);
  for (let k = 0; k < n; k++) {
    const off = k * h * w;
    tmp.fill(0);
    for (let o = 0; o < oh; o++)
      for (let i = 0; i < h; i++) {
        const c = wy[o * h + i]!;
        if (c === 0) continue;
        for (let j = 0; j < w; j++) tmp[o * w + j]! += c * x[off + i * w + j]!;
      }
    for (let o = 0; o < oh; o++)
      for (let p = 0; p < ow; p++) {
        let acc = 0;
        for (let j = 0; j < w; j++) {
          const c = wx[p * w + j]!;
          if (c !== 0) acc += c * tmp[o * w + j]!;
        }
        out[(k * oh + o) * ow + p] = acc;
      }
  }
  return out;
}

/** bausch2020's pooling + threshold (its sequence layout stripped: one bit per pooled pixel). */
function bauschBits(images: Float32Array, n: number, pool: number, threshold: number): Float32Array {
  const side = Math.floor(28 / pool);
  const x = new Float32Array(n * side * side);
  for (let i = 0; i < n; i++)
    for (let r = 0; r < side; r++)
      for (let c = 0; c < side; c++) {
        let acc = 0;
        for (let dr = 0; dr < pool; dr++)
          for (let dc = 0; dc < pool; dc++) acc += images[i * 784 + (r * pool + dr) * 28 + c * pool + dc]!;
        x[i * side * side + r * side + c] = acc / (pool * pool) > threshold ? 1 : 0;
      }
  return x;
}

/** MNIST-like pixels: bytes scaled as core's loader does (p·(1/255) stored as float32), mostly dark. */
function pixels(n: number, side: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from(
    { length: n * side * side },
    () => (rng.bernoulli(0.6) ? 0 : rng.int(256)) * (1 / 255),
  );
}

describe('image ops', () => {
  beforeAll(async () => {
    await ensureBackend('wasm', { backends: nodeBackendLoaders(), platform: 'node' });
  });

  it('avgPoolImages gives the bits of plugin-ntk pool2d for every factor dividing 28', () => {
    const x = pixels(20, 28, 1);
    for (const f of [1, 2, 4, 7, 14])
      expect(avgPoolImages(x, 20, 28, 28, f)).toEqual(ntkPool2d(x, 20, 28, f));
    // Arbitrary floats too, not only pixel levels.
    const r = new Rng(2).normals(5 * 28 * 28);
    expect(avgPoolImages(r, 5, 28, 28, 4)).toEqual(ntkPool2d(r, 5, 28, 4));
  });

  it('avgPoolImages with crop + threshold gives the bits of bausch2020’s pooled digits, for all factors', () => {
    const x = pixels(12, 28, 3);
    for (const pool of [1, 2, 3, 4, 5, 6, 7, 9, 14])
      for (const t of [0, 0.25, 0.5, 1 / 3])
        expect(avgPoolImages(x, 12, 28, 28, pool, { crop: true, threshold: t })).toEqual(
          bauschBits(x, 12, pool, t),
        );
    expect(() => avgPoolImages(x, 12, 28, 28, 3)).toThrow(/does not divide.*crop: true/);
  });

  it('areaResizeImages gives the bits of plugin-quantum resizeImages, shrinking and growing', () => {
    const x = pixels(8, 28, 4);
    for (const size of [28, 20, 16, 14, 12, 10, 8, 7, 4, 3, 32])
      expect(areaResizeImages(x, 8, 28, 28, size, size)).toEqual(quantumResize(x, 8, 28, 28, size, size));
    expect(areaResizeImages(x, 8, 28, 28, 10, 6)).toEqual(quantumResize(x, 8, 28, 28, 10, 6));
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
        tf.image.resizeBilinear(tf.tensor4d(x, [4, 28, 28, 1]), [oh, ow], false, true).reshape([-1]),
      );
      const ref = (await t.data()) as Float32Array;
      t.dispose();
      let worst = 0;
      for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(ref[i]! - mine[i]!));
      expect(worst).toBeLessThan(1e-5); // tfjs-wasm interpolates in float32, core in float64
    }
    expect(bilinearResizeImages(x, 4, 28, 28, 28, 28)).toEqual(x);
  });

  it('featureMean and unitNormRows centre and normalise rows as plugin-ntk’s loader does', () => {
    const x = pixels(30, 7, 8);
    const d = 49;
    const m = featureMean(x, 30, d);
    const ref = new Float64Array(d);
    for (let i = 0; i < 30; i++) for (let k = 0; k < d; k++) ref[k]! += x[i * d + k]! / 30;
    expect(m).toEqual(ref);
    const y = unitNormRows(x.slice(), d);
    for (let i = 0; i < 30; i++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += y[i * d + k]! ** 2;
      if (s > 0) expect(s / d).toBeCloseTo(1, 5);
    }
  });
});
