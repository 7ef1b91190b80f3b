import type { Rng } from '@paperlab/core';

/**
 * Pairs (i, j) of a block drawn independently with probability `p`, by geometric skips (cost ∝ edges drawn,
 * not pairs). `i` ranges over `[0, rows)`, `j` over `[0, cols)`; with `upper` only pairs with i < j (a
 * symmetric block). Calls `emit(i, j)` for each pair drawn.
 */
export function bernoulliPairs(
  rng: Rng,
  rows: number,
  cols: number,
  p: number,
  upper: boolean,
  emit: (i: number, j: number) => void,
): void {
  if (p <= 0 || rows === 0 || cols === 0) return;
  const total = upper ? (rows * (rows - 1)) / 2 : rows * cols;
  if (p >= 1) {
    for (let k = 0; k < total; k++) emitPair(k, rows, cols, upper, emit);
    return;
  }
  const logq = Math.log1p(-p);
  let k = -1;
  for (;;) {
    k += 1 + Math.floor(Math.log(1 - rng.uniform()) / logq);
    if (k >= total) return;
    emitPair(k, rows, cols, upper, emit);
  }
}

function emitPair(
  k: number,
  rows: number,
  cols: number,
  upper: boolean,
  emit: (i: number, j: number) => void,
) {
  if (!upper) {
    emit(Math.floor(k / cols), k % cols);
    return;
  }
  // Row-major upper triangle without the diagonal: row i holds rows − 1 − i pairs.
  let i = Math.floor(rows - 0.5 - Math.sqrt((rows - 0.5) ** 2 - 2 * k));
  const start = (r: number) => r * rows - (r * (r + 1)) / 2;
  while (i > 0 && start(i) > k) i--;
  while (start(i + 1) <= k) i++;
  emit(i, i + 1 + (k - start(i)));
}

/** Sizes drawn uniformly from `[min, max]`. */
export function randomSizes(rng: Rng, count: number, min: number, max: number): number[] {
  return Array.from({ length: count }, () => min + rng.int(max - min + 1));
}

/** One-hot rows of `labels` over `k` classes. */
export function oneHot(labels: ArrayLike<number>, k: number): Float32Array {
  const out = new Float32Array(labels.length * k);
  for (let i = 0; i < labels.length; i++) out[i * k + labels[i]!] = 1;
  return out;
}

/** Values moved to shuffled node ids: `out[perm[v]] = values[v]`. */
export function permuted(perm: ArrayLike<number>, values: ArrayLike<number>): Int32Array {
  const out = new Int32Array(values.length);
  for (let v = 0; v < values.length; v++) out[perm[v]!] = values[v]!;
  return out;
}
