import type { Rng } from '@paperlab/core';
import { knnGraph } from '../../data/pointCloud.js';
import type { Features, Graph } from '../../graph/graph.js';
import { makeGraph } from '../../graph/graph.js';
import type { Nabian2024Config } from './experiment.js';

/** One sample of the field task: node features `[q, x, y]` per node and the field value per node. */
export interface FieldSample {
  x: Float32Array;
  y: Float32Array;
}

/** Edge features [dx, dy, |d|, level] (displacements scaled by √points, so of order one). */
export function withEdgeAttr(g: Graph, pos: Features, level: Uint8Array | null, scale: number): Graph {
  const data = new Float32Array(g.src.length * 4);
  for (let e = 0; e < g.src.length; e++) {
    const dx = (pos.data[2 * g.src[e]!]! - pos.data[2 * g.dst[e]!]!) * scale;
    const dy = (pos.data[2 * g.src[e]! + 1]! - pos.data[2 * g.dst[e]! + 1]!) * scale;
    data.set([dx, dy, Math.hypot(dx, dy), level ? level[e]! : 0], 4 * e);
  }
  return { ...g, edgeAttr: { data, dim: 4 } };
}

/** The kNN graph plus kNN edges among a random coarse subset (X-MeshGraphNet's multi-scale graph). */
export function multiScale(
  pos: Features,
  cfg: Pick<Nabian2024Config, 'points' | 'k' | 'coarseRatio'>,
  rng: Rng,
  scale: number,
): Graph {
  const fine = knnGraph(pos, cfg.k);
  const n = cfg.points;
  const coarse = Int32Array.from(
    rng.permutation(n).subarray(0, Math.max(cfg.k + 1, Math.floor(n / cfg.coarseRatio))),
  ).sort();
  const cpos = {
    data: Float32Array.from(
      { length: 2 * coarse.length },
      (_, i) => pos.data[2 * coarse[i >> 1]! + (i & 1)]!,
    ),
    dim: 2,
  };
  const cg = knnGraph(cpos, cfg.k);
  const src = Int32Array.from([...fine.src, ...Array.from(cg.src, (v) => coarse[v]!)]);
  const dst = Int32Array.from([...fine.dst, ...Array.from(cg.dst, (v) => coarse[v]!)]);
  const level = new Uint8Array(src.length);
  level.fill(1, fine.src.length);
  return withEdgeAttr(makeGraph(n, src, dst, { pos }), pos, level, scale);
}

/** Samples: node features [q, x, y] (q = source charge at source nodes) and the field Σ_s q_s·exp(−r/ℓ). */
export function samples(
  pos: Features,
  cfg: Pick<Nabian2024Config, 'points' | 'sources' | 'length'>,
  count: number,
  rng: Rng,
): FieldSample[] {
  const n = cfg.points;
  return Array.from({ length: count }, () => {
    const x = new Float32Array(3 * n);
    for (let i = 0; i < n; i++) x.set([0, pos.data[2 * i]!, pos.data[2 * i + 1]!], 3 * i);
    const src = Array.from({ length: cfg.sources }, () => ({
      at: rng.int(n),
      q: (rng.bernoulli(0.5) ? 1 : -1) * rng.range(0.5, 1.5),
    }));
    for (const s of src) x[3 * s.at]! += s.q;
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++)
      for (const s of src) {
        const r = Math.hypot(
          pos.data[2 * i]! - pos.data[2 * s.at]!,
          pos.data[2 * i + 1]! - pos.data[2 * s.at + 1]!,
        );
        y[i]! += s.q * Math.exp(-r / cfg.length);
      }
    return { x, y };
  });
}
