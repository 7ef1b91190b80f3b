import type { LayerSpec } from '@paperlab/core/train';

/** One stage per entry of `filters`: a 3×3 ReLU convolution with that many filters, then a 2×2 max-pool. */
export function convStages(filters: readonly number[]): LayerSpec[] {
  return filters.flatMap((n) => [
    { type: 'conv2d' as const, filters: n, kernel: 3, activation: 'relu' as const },
    { type: 'maxPool' as const, size: 2 },
  ]);
}

/** The small CNN of the simulated-image papers. */
export interface SmallCnnOptions {
  /** Filters of each conv + pool stage. */
  filters: readonly number[];
  /** Units of the hidden ReLU dense layer. */
  dense: number;
  /** Dropout rate after the hidden dense layer (no dropout layer when absent). */
  dropout?: number;
}

/** Conv + pool stages, flatten, a hidden ReLU dense layer (then dropout if given) and the output layer `out`. */
export function smallCnn(options: SmallCnnOptions, out: LayerSpec): LayerSpec[] {
  const { filters, dense, dropout } = options;
  return [
    ...convStages(filters),
    { type: 'flatten' },
    { type: 'dense', units: dense, activation: 'relu' },
    ...(dropout === undefined ? [] : [{ type: 'dropout' as const, rate: dropout }]),
    out,
  ];
}
