import * as tf from '@tensorflow/tfjs-core';
import { single } from './flow.js';
import { type Kernel, mapKernelArrays, meanAll, meanDiagonal, spatialSize } from './kernel.js';
import type { Layer } from './types.js';

/** Flatten [n, ...spatial, C] → [n, S·C]; kernel: the mean of same-pixel covariances. */
export function flatten(): Layer {
  const name = 'Flatten';
  return {
    name,
    needsFullSpatial: false,
    outputShape(input) {
      const s = single(name, input);
      return [s.reduce((a, b) => a * b, 1)];
    },
    init: () => [],
    apply(_params, xs) {
      const x = single(name, xs);
      return x.rank === 2 ? x : tf.reshape(x, [x.shape[0]!, -1]);
    },
    kernel(ks): Kernel {
      const k = single(name, ks);
      if (k.spatial.length === 0) return k;
      const s = spatialSize(k.spatial);
      const means = mapKernelArrays(k, (data, rows) => meanDiagonal(data, rows, s, k.full));
      return { ...k, spatial: [], ...means, channels: k.channels * s };
    },
  };
}

/** Global average pooling over the spatial axes; kernel: the mean over all pixel pairs (needs them all). */
export function globalAvgPool(): Layer {
  const name = 'GlobalAvgPool';
  return {
    name,
    needsFullSpatial: true,
    outputShape(input) {
      const s = single(name, input);
      if (s.length < 2) throw new Error(`${name}: input [${s.join(', ')}] has no spatial axes`);
      return [s[s.length - 1]!];
    },
    init: () => [],
    apply(_params, xs) {
      const x = single(name, xs);
      return tf.mean(
        x,
        Array.from({ length: x.rank - 2 }, (_, i) => i + 1),
      );
    },
    kernel(ks): Kernel {
      const k = single(name, ks);
      if (k.spatial.length === 0) throw new Error(`${name}: input has no spatial axes`);
      if (!k.full) throw new Error(`${name}: internal error, pixel-pair covariances were not kept`);
      const s = spatialSize(k.spatial);
      return { ...k, spatial: [], ...mapKernelArrays(k, (data, rows) => meanAll(data, rows, s)) };
    },
  };
}
