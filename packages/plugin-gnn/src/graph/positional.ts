import type { Rng } from '@paperlab/core';
import { eigh, zeros } from '@paperlab/core/linalg';
import { type Features, type Graph, inDegrees } from './graph.js';

/**
 * Laplacian eigenvector positional encodings (Dwivedi et al. 2020): the eigenvectors of the `k` smallest
 * non-trivial eigenvalues of the normalised Laplacian `I − D^−½AD^−½` (the graph read as undirected, by its
 * in-edges), one row per node; zero columns pad graphs with fewer than `k + 1` nodes. Dense eigensolver:
 * for graphs of up to a few thousand nodes.
 */
export function laplacianPE(g: Graph, k: number): Features & { eigenvalues: Float64Array } {
  const n = g.numNodes;
  const deg = inDegrees(g);
  const L = zeros(n, n);
  for (let i = 0; i < n; i++) L.data[i * n + i] = deg[i]! > 0 ? 1 : 0;
  for (let e = 0; e < g.src.length; e++) {
    const i = g.dst[e]!;
    const j = g.src[e]!;
    if (i === j) continue;
    L.data[i * n + j]! -= 1 / Math.sqrt(deg[i]! * deg[j]!);
  }
  const { values, vectors } = eigh(L);
  const data = new Float32Array(n * k);
  const eigenvalues = new Float64Array(k);
  for (let c = 0; c < k && c + 1 < n; c++) {
    eigenvalues[c] = values[c + 1]!;
    for (let i = 0; i < n; i++) data[i * k + c] = vectors.data[i * n + c + 1]!;
  }
  return { data, dim: k, eigenvalues };
}

/** The encoding with each column's sign flipped at random (eigenvectors are defined up to sign). */
export function randomSignFlip(pe: Features, rng: Rng): Features {
  const signs = Array.from({ length: pe.dim }, () => (rng.bernoulli(0.5) ? -1 : 1));
  const data = new Float32Array(pe.data.length);
  for (let i = 0; i < pe.data.length; i++) data[i] = pe.data[i]! * signs[i % pe.dim]!;
  return { data, dim: pe.dim };
}
