import type { Rng } from '@paperlab/core';
import { type Features, type Graph, makeGraph } from '../graph/graph.js';

/** `n` points drawn uniformly in the unit cube `[0, 1)^dim`. */
export function uniformPoints(rng: Rng, n: number, dim: number): Features {
  return { data: rng.uniforms(n * dim), dim };
}

/**
 * k-nearest-neighbour graph of points: an edge `j → i` from each of the `k` nearest points `j` of every
 * point `i` (Euclidean, ties by index), so each node aggregates over its k neighbours. Uses a uniform grid
 * of buckets, so the cost grows with n·k rather than n².
 */
export function knnGraph(pos: Features, k: number): Graph {
  const dim = pos.dim;
  const n = pos.data.length / dim;
  if (!Number.isInteger(n)) throw new RangeError(`knnGraph: ${pos.data.length} values are not n × ${dim}`);
  if (k >= n) throw new RangeError(`knnGraph: k = ${k} needs more than ${n} points`);
  const lo = new Float64Array(dim).fill(Number.POSITIVE_INFINITY);
  const hi = new Float64Array(dim).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < n; i++)
    for (let d = 0; d < dim; d++) {
      lo[d] = Math.min(lo[d]!, pos.data[i * dim + d]!);
      hi[d] = Math.max(hi[d]!, pos.data[i * dim + d]!);
    }
  // About 2 points per cell.
  const side = Math.max(1, Math.floor((n / 2) ** (1 / dim)));
  const cellOf = (i: number, d: number) =>
    Math.min(side - 1, Math.floor(((pos.data[i * dim + d]! - lo[d]!) / (hi[d]! - lo[d]! || 1)) * side));
  const cells = side ** dim;
  const start = new Int32Array(cells + 1);
  const cellIdx = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let d = 0; d < dim; d++) c = c * side + cellOf(i, d);
    cellIdx[i] = c;
    start[c + 1]!++;
  }
  for (let c = 0; c < cells; c++) start[c + 1]! += start[c]!;
  const fill = start.slice(0, cells);
  const members = new Int32Array(n);
  for (let i = 0; i < n; i++) members[fill[cellIdx[i]!]!++] = i;

  const src = new Int32Array(n * k);
  const dst = new Int32Array(n * k);
  const bestD = new Float64Array(k);
  const bestJ = new Int32Array(k);
  const coord = new Int32Array(dim);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) coord[d] = cellOf(i, d);
    let count = 0;
    // Grow the searched shell until k points are found and no unsearched cell can be closer.
    for (let r = 0; ; r++) {
      visitShell(coord, r, side, dim, (c) => {
        for (let p = start[c]!; p < start[c + 1]!; p++) {
          const j = members[p]!;
          if (j === i) continue;
          let d2 = 0;
          for (let d = 0; d < dim; d++) {
            const t = pos.data[i * dim + d]! - pos.data[j * dim + d]!;
            d2 += t * t;
          }
          if (count < k) {
            insert(bestD, bestJ, count, d2, j);
            count++;
          } else if (d2 < bestD[k - 1]! || (d2 === bestD[k - 1]! && j < bestJ[k - 1]!)) {
            insert(bestD, bestJ, k - 1, d2, j);
          }
        }
      });
      const cellWidth = Math.min(...Array.from({ length: dim }, (_, d) => (hi[d]! - lo[d]! || 1) / side));
      if (count === k && r * cellWidth >= Math.sqrt(bestD[k - 1]!)) break;
      if (r > side) break;
    }
    for (let t = 0; t < k; t++) {
      src[i * k + t] = bestJ[t]!;
      dst[i * k + t] = i;
    }
  }
  return makeGraph(n, src, dst, { pos });
}

/** Inserts (d, j) into the sorted prefix of length `len` (dropping the last when full). */
function insert(bestD: Float64Array, bestJ: Int32Array, len: number, d: number, j: number): void {
  let p = len;
  while (p > 0 && (bestD[p - 1]! > d || (bestD[p - 1] === d && bestJ[p - 1]! > j))) {
    if (p < bestD.length) {
      bestD[p] = bestD[p - 1]!;
      bestJ[p] = bestJ[p - 1]!;
    }
    p--;
  }
  if (p < bestD.length) {
    bestD[p] = d;
    bestJ[p] = j;
  }
}

/** Calls `visit` on every grid cell at Chebyshev distance exactly `r` from `coord`. */
function visitShell(
  coord: Int32Array,
  r: number,
  side: number,
  dim: number,
  visit: (cell: number) => void,
): void {
  const off = new Int32Array(dim).fill(-r);
  for (;;) {
    let onShell = false;
    let ok = true;
    let c = 0;
    for (let d = 0; d < dim; d++) {
      const v = coord[d]! + off[d]!;
      if (v < 0 || v >= side) ok = false;
      if (Math.abs(off[d]!) === r) onShell = true;
      c = c * side + v;
    }
    if (ok && onShell) visit(c);
    let d = 0;
    while (d < dim && off[d] === r) off[d++] = -r;
    if (d === dim) return;
    off[d]!++;
  }
}
