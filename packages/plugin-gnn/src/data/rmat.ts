import type { Rng } from '@paperlab/core';
import type { Csr } from '../graph/graph.js';

/** Options of {@link rmat}. */
export interface RmatOptions {
  /** log₂ of the number of nodes. */
  scale: number;
  /** Edges drawn per node (before duplicates are merged). */
  edgeFactor: number;
  /** Quadrant probabilities (Graph500: 0.57, 0.19, 0.19, 0.05). */
  a?: number;
  b?: number;
  c?: number;
}

/**
 * R-MAT (Chakrabarti et al. 2004) adjacency matrix as CSR with unit values: `edgeFactor·2^scale` directed
 * edges, each placed by recursive quadrant choice; duplicates merged, self-loops kept out, columns sorted,
 * node ids permuted (so the hubs are not all at low ids).
 */
export function rmat(rng: Rng, o: RmatOptions): Csr {
  const a = o.a ?? 0.57;
  const b = o.b ?? 0.19;
  const c = o.c ?? 0.19;
  const n = 2 ** o.scale;
  const m = Math.round(o.edgeFactor * n);
  const perm = rng.permutation(n);
  const keys = new Float64Array(m);
  let count = 0;
  for (let e = 0; e < m; e++) {
    let i = 0;
    let j = 0;
    for (let level = 0; level < o.scale; level++) {
      const u = rng.uniform();
      const bit = 1 << (o.scale - 1 - level);
      if (u < a) continue;
      if (u < a + b) j += bit;
      else if (u < a + b + c) i += bit;
      else {
        i += bit;
        j += bit;
      }
    }
    if (i === j) continue;
    keys[count++] = perm[i]! * n + perm[j]!;
  }
  const sorted = keys.subarray(0, count).sort();
  const rowPtr = new Int32Array(n + 1);
  const cols: number[] = [];
  let last = -1;
  for (let k = 0; k < count; k++) {
    const key = sorted[k]!;
    if (key === last) continue;
    last = key;
    const r = Math.floor(key / n);
    rowPtr[r + 1]!++;
    cols.push(key - r * n);
  }
  for (let r = 0; r < n; r++) rowPtr[r + 1]! += rowPtr[r]!;
  return {
    rows: n,
    cols: n,
    rowPtr,
    colIdx: Int32Array.from(cols),
    values: new Float32Array(cols.length).fill(1),
  };
}
