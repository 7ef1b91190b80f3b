import type { DataSources } from '@paperlab/core';
import { z } from '@paperlab/core';
import { type ImageSplits, loadIdxImages } from '@paperlab/core/data';

/** Config fields of an image-classification experiment at CPU scale (MNIST family, pooled, a subset). */
export const imageDataConfig = {
  dataset: z
    .enum(['fashion-mnist', 'mnist'])
    .default('fashion-mnist')
    .describe('IDX dataset read from the local sources'),
  trainSize: z.number().int().min(50).max(60_000).default(5000).describe('training images (the first ones)'),
  testSize: z.number().int().min(50).max(10_000).default(2000).describe('test images (the first ones)'),
  pool: z.number().int().min(1).max(4).default(2).describe('average-pool factor (2: 28×28 → 14×14)'),
};

/** What {@link loadImageData} reads from a config. */
export interface ImageDataOptions {
  dataset: 'fashion-mnist' | 'mnist';
  trainSize: number;
  testSize: number;
  pool: number;
  /** Keep only these classes (relabelled 0..k−1). */
  classes?: number[];
  /** One row per image (MLPs) instead of [h, w, 1] (CNNs). */
  flatten?: boolean;
}

/**
 * Loads a pooled, standardised subset of an MNIST-family dataset from the run's data sources. A missing dataset is
 * core's error saying how to get it; nothing is ever substituted.
 */
export function loadImageData(sources: DataSources, o: ImageDataOptions): Promise<ImageSplits> {
  return loadIdxImages(sources, o.dataset, {
    trainLimit: o.trainSize,
    testLimit: o.testSize,
    pool: o.pool,
    standardize: true,
    flatten: o.flatten ?? false,
    ...(o.classes ? { classes: o.classes } : {}),
  });
}

/** The data of most smoke presets: 300 training and 200 test images, pooled 4×4 (7×7 inputs). */
export const SMOKE_IMAGES = { trainSize: 300, testSize: 200, pool: 4 } as const;
