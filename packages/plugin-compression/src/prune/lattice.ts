import type { Rng } from '@paperlab/core';

/** How a weight matrix becomes an adjacency: 0/1 above the mean magnitude, or magnitude / max in [0, 1]. */
export type AdjacencyKind = 'binary' | 'continuous';

/**
 * Adjacency [n, n] of a square weight matrix (row i: connections out of neuron i). `binary`: 1 where |w| exceeds
 * the mean |w|; `continuous`: |w| / max |w|.
 */
export function adjacency(w: Float32Array, n: number, kind: AdjacencyKind): Float32Array {
  let sum = 0;
  let max = 0;
  for (const v of w) {
    sum += Math.abs(v);
    max = Math.max(max, Math.abs(v));
  }
  const mean = sum / (n * n);
  return Float32Array.from(w, (v) =>
    kind === 'binary' ? (Math.abs(v) > mean ? 1 : 0) : max > 0 ? Math.abs(v) / max : 0,
  );
}

/**
 * The meet-irreducible neurons of the dependency poset of an adjacency: neuron j ≤ k when row j ≤ row k entrywise
 * (every connection of j is at most as strong in k); the meet is the entrywise minimum. Neuron j is meet-irreducible
 * unless its row equals the meet of the rows strictly above it (then it carries nothing the others do not). Neurons
 * with identical rows keep the first. Returns a 0/1 flag per neuron.
 */
export function meetIrreducible(a: Float32Array, n: number): Uint8Array {
  const out = new Uint8Array(n).fill(1);
  const row = (i: number) => a.subarray(i * n, (i + 1) * n);
  const leq = (x: Float32Array, y: Float32Array) => x.every((v, c) => v <= y[c]!);
  for (let j = 0; j < n; j++) {
    const rj = row(j);
    const meet = new Float32Array(n).fill(Number.POSITIVE_INFINITY);
    let above = 0;
    let duplicateBefore = false;
    for (let k = 0; k < n; k++) {
      if (k === j) continue;
      const rk = row(k);
      if (!leq(rj, rk)) continue;
      if (leq(rk, rj)) {
        if (k < j) duplicateBefore = true;
        continue;
      }
      above++;
      for (let c = 0; c < n; c++) meet[c] = Math.min(meet[c]!, rk[c]!);
    }
    if (duplicateBefore || (above > 0 && meet.every((v, c) => v === rj[c]))) out[j] = 0;
  }
  return out;
}

/**
 * Lattice-based mask of a recurrent matrix (a reconstruction of Sengupta 2025): keep connection i → j when both
 * neurons are meet-irreducible in the dependency poset and the adjacency holds it (binary: entry 1; continuous:
 * entry ≥ `level`). Returns the 0/1 mask (row-major [n, n]).
 */
export function latticeMask(w: Float32Array, n: number, kind: AdjacencyKind, level = 0.5): Float32Array {
  const a = adjacency(w, n, kind);
  const keep = meetIrreducible(a, n);
  const mask = new Float32Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const on = kind === 'binary' ? a[i * n + j]! > 0 : a[i * n + j]! >= level;
      mask[i * n + j] = keep[i] && keep[j] && on ? 1 : 0;
    }
  return mask;
}

/** Mask keeping the `kept` largest-magnitude entries of `w` (ties by index): magnitude pruning at a given count. */
export function magnitudeMaskOf(w: Float32Array, kept: number): Float32Array {
  const order = Array.from(w.keys()).sort((p, q) => Math.abs(w[q]!) - Math.abs(w[p]!) || p - q);
  const mask = new Float32Array(w.length);
  for (const i of order.slice(0, kept)) mask[i] = 1;
  return mask;
}

/** Mask keeping `kept` entries of `size` drawn uniformly at random. */
export function randomMaskOf(size: number, kept: number, rng: Rng): Float32Array {
  const mask = new Float32Array(size);
  for (const i of rng.permutation(size).subarray(0, kept)) mask[i] = 1;
  return mask;
}

/** Number of ones of a 0/1 mask. */
export function maskCount(mask: Float32Array): number {
  let c = 0;
  for (const v of mask) c += v;
  return c;
}
