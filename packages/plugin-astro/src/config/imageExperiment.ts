import { z } from '@paperlab/core';

/**
 * Config fields the simulated-image papers share (spread into a paper's `z.strictObject`, overriding defaults with
 * `.default(...)` where a paper differs): data sizes, image side, a small CNN, Adam training and seeds. Every
 * numeric field is bounded.
 */
export const imageExperimentConfig = {
  trainSize: z.number().int().min(50).max(50_000).default(3000).describe('simulated training images'),
  testSize: z.number().int().min(50).max(20_000).default(1000).describe('simulated test images'),
  size: z.number().int().min(16).max(96).default(32).describe('image side (px)'),
  filters: z
    .array(z.number().int().min(2).max(128))
    .min(1)
    .max(4)
    .default([8, 16])
    .describe('conv 3×3 + max-pool 2 stages'),
  dense: z.number().int().min(4).max(1024).default(32).describe('hidden dense units'),
  epochs: z.number().int().min(1).max(200).default(8),
  batchSize: z.number().int().min(4).max(1024).default(32),
  lr: z.number().positive().max(1).default(1e-3).describe('Adam step'),
  seeds: z.number().int().min(1).max(10).default(3),
};

/** Fields of {@link imageExperimentConfig}. */
export type ImageExperimentConfig = {
  [K in keyof typeof imageExperimentConfig]: z.infer<(typeof imageExperimentConfig)[K]>;
};
