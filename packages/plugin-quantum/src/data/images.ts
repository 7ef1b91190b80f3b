import type { DataSources } from '@paperlab/core';
import { loadIdxImageDataset } from '@paperlab/core/data';
import type { LabelledImages } from '../attacks/adversarial.js';

/**
 * Area-average resize of `n` grey images `[n, h, w]` to `[n, oh, ow]`: each output pixel is the mean of
 * the input area it covers (fractional overlaps weighted), so 28 → 14 is exact 2×2 average pooling.
 */
export function resizeImages(
  x: Float32Array,
  n: number,
  h: number,
  w: number,
  oh: number,
  ow: number,
): Float32Array {
  if (x.length !== n * h * w)
    throw new RangeError(`resizeImages: expected ${n}×${h}×${w} values, got ${x.length}`);
  if (oh === h && ow === w) return x.slice();
  // Per-axis weights: out[o] = Σ_i W[o, i]·in[i], rows summing to 1.
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

/** Train and test images of an IDX dataset, resized to `size`×`size` (pixels in [0, 1], one channel). */
export interface ImageSplits {
  train: LabelledImages;
  test: LabelledImages;
  /** Where the files came from. */
  source: string;
}

/** Options of {@link loadImages}. */
export interface LoadImagesOptions {
  /** Training images (the first ones of the official training set). */
  train: number;
  /** Test images (the first ones of the official test set). */
  test: number;
  /** Output side length (28 keeps the original resolution). */
  size: number;
  /** Keep only these classes, relabelled 0..k−1. */
  classes?: number[];
}

/**
 * Loads MNIST-family images (`mnist`, `fashion-mnist`) from the run's data sources and resizes them. A
 * missing dataset is an error from core saying how to get it; nothing is ever substituted.
 */
export async function loadImages(
  sources: DataSources,
  name: 'mnist' | 'fashion-mnist',
  o: LoadImagesOptions,
): Promise<ImageSplits> {
  const data = await loadIdxImageDataset(sources, name, {
    trainLimit: o.train,
    testLimit: o.test,
    classes: o.classes,
  });
  const [h, w] = data.meta.inputShape as [number, number, number];
  const shape = [o.size, o.size, 1];
  const split = (s: 'train' | 'test'): LabelledImages => {
    const a = data.arrays(s);
    const n = a.y.length;
    return { x: resizeImages(a.x, n, h, w, o.size, o.size), y: a.y as Int32Array, shape };
  };
  return { train: split('train'), test: split('test'), source: data.meta.source ?? name };
}

/** {@link loadImages} with the sizes of an experiment config (`trainSize`, `testSize`, `imageSize`). */
export function loadImagesSized(
  sources: DataSources,
  name: 'mnist' | 'fashion-mnist',
  cfg: { trainSize: number; testSize: number; imageSize: number },
): Promise<ImageSplits> {
  return loadImages(sources, name, { train: cfg.trainSize, test: cfg.testSize, size: cfg.imageSize });
}

/** The first `n` examples of labelled images. */
export function headOf(data: LabelledImages, n: number): LabelledImages {
  const d = data.shape.reduce((a, b) => a * b, 1);
  const k = Math.min(n, data.y.length);
  return { x: data.x.subarray(0, k * d), y: data.y.subarray(0, k), shape: data.shape };
}
