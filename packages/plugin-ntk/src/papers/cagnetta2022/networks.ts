import { type Mat, matFrom } from '@paperlab/core/linalg';
import * as stax from '../../stax/index.js';

/** The hierarchical CNN of the paper: L × (conv with filter = stride s_l, ReLU), then a dense readout. */
export function hierarchicalCnn(filters: readonly number[]): stax.Layer {
  return stax.serial(
    ...filters.flatMap((s) => [
      stax.conv(64, [s], { sigmaW2: 2, strides: s, padding: 'valid' }),
      stax.relu(),
    ]),
    stax.flatten(),
    stax.dense(1, { sigmaW2: 2 }),
  );
}

/** The baseline: a fully-connected ReLU network of the given depth. */
export function fullyConnected(depth: number): stax.Layer {
  return stax.serial(
    ...Array.from({ length: depth - 1 }, () => [stax.dense(64, { sigmaW2: 2 }), stax.relu()]).flat(),
    stax.dense(1, { sigmaW2: 2 }),
  );
}

/** A kernel matrix as a Mat (Float64 views are kept, Float32 copied). */
export const asMat = (v: Float32Array | Float64Array, rows: number, cols: number): Mat =>
  v instanceof Float64Array ? { rows, cols, data: v } : matFrom(rows, cols, v);
