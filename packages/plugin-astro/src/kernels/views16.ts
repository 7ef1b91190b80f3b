import { defineKernel, type WgslProgram, wgslUniforms } from '@paperlab/core/kernels';
import * as tf from '@tensorflow/tfjs-core';

/** Inputs of {@link views16Kernel}: a batch of images [n, size, size, channels]. */
export type Views16Inputs = { images: tf.Tensor4D };

/** Attributes of {@link views16Kernel}. */
export interface Views16Attrs {
  /** Side of each view (px). */
  view: number;
  /** How far past the image centre each corner crop reaches (px); Dieleman et al.: 10 of 45. */
  margin: number;
}

/** Number of views per image. */
export const VIEWS = 16;

/** Bilinear taps of the 16 views: 4 per output pixel, pixel indices into size² (−1: outside) and weights. */
export interface ViewTaps {
  index: Int32Array;
  weight: Float32Array;
}

const cache = new Map<string, ViewTaps>();

/**
 * The sampling taps of Dieleman et al.'s 16 views: the image and its 45°-rotated copy, each as is and mirrored,
 * each cut into four overlapping corner crops that are turned so the galaxy centre sits in the same corner of
 * every view (view pixel (v − 1 − margin)² = image centre). View k = quadrant + 4·flip + 8·rot45.
 */
export function viewTaps(size: number, view: number, margin: number): ViewTaps {
  const key = `${size}:${view}:${margin}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const c = (size - 1) / 2;
  const anchor = view - 1 - margin;
  const per = view * view * 4;
  const index = new Int32Array(VIEWS * per).fill(-1);
  const weight = new Float32Array(VIEWS * per);
  const r45 = Math.SQRT1_2;
  for (let k = 0; k < VIEWS; k++) {
    const quadrant = k % 4;
    const flip = (k >> 2) & 1;
    const rot = (k >> 3) & 1;
    for (let i = 0; i < view; i++)
      for (let j = 0; j < view; j++) {
        let dy = i - anchor;
        let dx = j - anchor;
        for (let t = 0; t < quadrant; t++) [dy, dx] = [dx, -dy];
        if (flip) dx = -dx;
        if (rot) [dy, dx] = [r45 * (dy + dx), r45 * (dx - dy)];
        const y = c + dy;
        const x = c + dx;
        const y0 = Math.floor(y);
        const x0 = Math.floor(x);
        const fy = y - y0;
        const fx = x - x0;
        const taps: Array<[number, number, number]> = [
          [y0, x0, (1 - fy) * (1 - fx)],
          [y0, x0 + 1, (1 - fy) * fx],
          [y0 + 1, x0, fy * (1 - fx)],
          [y0 + 1, x0 + 1, fy * fx],
        ];
        const o = k * per + (i * view + j) * 4;
        taps.forEach(([ty, tx, w], t) => {
          if (ty >= 0 && ty < size && tx >= 0 && tx < size && w > 0) {
            index[o + t] = ty * size + tx;
            weight[o + t] = w;
          }
        });
      }
  }
  const taps = { index, weight };
  cache.set(key, taps);
  return taps;
}

/** Checks the input shape against the attributes; the batch, image side, channels, view side and taps. */
function viewPlan(shape: readonly number[], attrs: Views16Attrs) {
  const { view, margin } = attrs;
  const [n, h, w, ch] = shape as [number, number, number, number];
  if (h !== w) throw new RangeError(`views16: images must be square, got ${h}×${w}`);
  if (view < 1 || view > h || margin < 0 || margin >= view)
    throw new RangeError(`views16: view ${view} and margin ${margin} must satisfy 0 ≤ margin < view ≤ ${h}`);
  return { n, size: h, ch, v: view, ...viewTaps(h, view, margin) };
}

/**
 * The 16 rotated and flipped views of Dieleman, Willett & Dambre (2015) as one op: [n, s, s, c] →
 * [16n, v, v, c] (views of image b at rows 16b … 16b + 15), bilinear, zero outside the image. The reference
 * gathers the taps with tfjs ops; the typed-array and WGSL versions loop over them directly.
 */
export const views16Kernel = defineKernel<Views16Inputs, Views16Attrs, tf.Tensor4D>({
  name: 'astro/views16',
  description: 'the 16 rotated/flipped/cropped views of Dieleman et al. (2015), bilinear',
  reference({ images }, attrs) {
    const { n, size, ch, v, index, weight } = viewPlan(images.shape, attrs);
    return tf.tidy(() => {
      const flat = tf.reshape(images, [n, size * size, ch]);
      const safe = tf.tensor1d(
        index.map((i) => Math.max(i, 0)),
        'int32',
      );
      const taken = tf.gather(flat, safe, 1);
      const weighted = tf.mul(taken, tf.tensor3d(weight, [1, weight.length, 1]));
      const summed = tf.sum(tf.reshape(weighted, [n * VIEWS, v, v, 4, ch]), 3);
      return summed as tf.Tensor4D;
    });
  },
  cpu({ images }, attrs) {
    const { n, size, ch, v, index, weight } = viewPlan(images.shape, attrs);
    const src = images.values;
    const perView = v * v;
    const out = new Float32Array(n * VIEWS * perView * ch);
    const img = size * size * ch;
    for (let b = 0; b < n; b++) {
      const base = b * img;
      for (let p = 0; p < VIEWS * perView; p++) {
        const t = p * 4;
        const o = (b * VIEWS * perView + p) * ch;
        for (let q = 0; q < 4; q++) {
          const idx = index[t + q]!;
          if (idx < 0) continue;
          const w = weight[t + q]!;
          const s = base + idx * ch;
          for (let c = 0; c < ch; c++) out[o + c]! += w * src[s + c]!;
        }
      }
    }
    return { shape: [n * VIEWS, v, v, ch], values: out };
  },
  webgpu({ images }, attrs, gpu) {
    const { n, size, ch, v, index, weight } = viewPlan(images.shape, attrs);
    const idx = tf.tensor1d(index, 'int32');
    const w = tf.tensor1d(weight);
    const program: WgslProgram = {
      key: 'astro_views16',
      outputShape: [n * VIEWS, v, v, ch],
      variableNames: ['X', 'I', 'W'],
      ...wgslUniforms({ taps: ['i32', VIEWS * v * v], img: ['i32', size * size * ch], ch: ['i32', ch] }),
      userCode: `
        fn main(index : i32) {
          if (index < uniforms.size) {
            let c = index % uniforms.ch;
            let pix = index / uniforms.ch;
            let b = pix / uniforms.taps;
            let p = pix % uniforms.taps;
            var acc = 0.0;
            for (var q = 0; q < 4; q = q + 1) {
              let i = I[p * 4 + q];
              if (i >= 0) {
                acc = acc + W[p * 4 + q] * X[b * uniforms.img + i * uniforms.ch + c];
              }
            }
            setOutputAtIndex(index, acc);
          }
        }`,
    };
    try {
      return gpu.run(program, [images, idx, w]) as tf.Tensor4D;
    } finally {
      idx.dispose();
      w.dispose();
    }
  },
  examples() {
    const cases: Array<[number, number, number, number, number]> = [
      [2, 8, 5, 1, 1],
      [1, 11, 7, 2, 3],
      [3, 16, 10, 3, 1],
    ];
    return cases.map(([n, size, view, margin, ch], k) => ({
      name: `${n}×${size}²×${ch} → 16 views of ${view}² (margin ${margin})`,
      attrs: { view, margin },
      inputs: () => ({
        images: tf.tensor4d(
          Float32Array.from(
            { length: n * size * size * ch },
            (_, i) => Math.sin(0.37 * i + k) + (i % 5) * 0.1,
          ),
          [n, size, size, ch],
        ),
      }),
    }));
  },
});
