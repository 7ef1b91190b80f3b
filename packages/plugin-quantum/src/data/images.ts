import type { DataSources } from '@paperlab/core';
import { areaResizeImages, type ImageSplits, loadIdxImages, type ResizeImages } from '@paperlab/core/data';

export { headOf, type ImageSplits } from '@paperlab/core/data';

/**
 * Area-average resize of `n` grey images `[n, h, w]` to `[n, oh, ow]`: each output pixel is the mean of the
 * input area it covers, so 28 → 14 is exact 2×2 average pooling (core's {@link areaResizeImages}).
 */
export const resizeImages: ResizeImages = areaResizeImages;

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
 * Loads MNIST-family images (`mnist`, `fashion-mnist`) from the run's data sources, area-resized to
 * `size`×`size` (pixels in [0, 1], one channel). A missing dataset is an error from core saying how to get
 * it; nothing is ever substituted.
 */
export function loadImages(
  sources: DataSources,
  name: 'mnist' | 'fashion-mnist',
  o: LoadImagesOptions,
): Promise<ImageSplits> {
  return loadIdxImages(sources, name, {
    trainLimit: o.train,
    testLimit: o.test,
    classes: o.classes,
    resize: o.size,
    resizeMode: 'area',
  });
}

/** {@link loadImages} with the sizes of an experiment config (`trainSize`, `testSize`, `imageSize`). */
export function loadImagesSized(
  sources: DataSources,
  name: 'mnist' | 'fashion-mnist',
  cfg: { trainSize: number; testSize: number; imageSize: number },
): Promise<ImageSplits> {
  return loadImages(sources, name, { train: cfg.trainSize, test: cfg.testSize, size: cfg.imageSize });
}
