import { type Features, type Graph, inducedSubgraph, kHopIn } from './graph.js';

/**
 * Recursive coordinate bisection: splits points into `parts` (a power of two) groups of equal size by
 * cutting at the median of the widest coordinate. Returns the part of every node.
 */
export function coordinatePartition(pos: Features, parts: number): Int32Array {
  if (parts < 1 || (parts & (parts - 1)) !== 0)
    throw new RangeError(`coordinatePartition: parts must be a power of two, got ${parts}`);
  const n = pos.data.length / pos.dim;
  const part = new Int32Array(n);
  const split = (ids: number[], first: number, count: number) => {
    if (count === 1) {
      for (const i of ids) part[i] = first;
      return;
    }
    let axis = 0;
    let widest = -1;
    for (let d = 0; d < pos.dim; d++) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const i of ids) {
        lo = Math.min(lo, pos.data[i * pos.dim + d]!);
        hi = Math.max(hi, pos.data[i * pos.dim + d]!);
      }
      if (hi - lo > widest) {
        widest = hi - lo;
        axis = d;
      }
    }
    const sorted = ids
      .slice()
      .sort((a, b) => pos.data[a * pos.dim + axis]! - pos.data[b * pos.dim + axis]! || a - b);
    const half = Math.floor(sorted.length / 2);
    split(sorted.slice(0, half), first, count / 2);
    split(sorted.slice(half), first + count / 2, count / 2);
  };
  split(
    Array.from({ length: n }, (_, i) => i),
    0,
    parts,
  );
  return part;
}

/**
 * Partitions by breadth-first growth from spread-out seeds (for graphs without coordinates): each part
 * grows from its own seed in turn until every node is claimed. Returns the part of every node.
 */
export function bfsPartition(g: Graph, parts: number): Int32Array {
  const n = g.numNodes;
  const part = new Int32Array(n).fill(-1);
  const adj: number[][] = Array.from({ length: n }, () => []);
  for (let e = 0; e < g.src.length; e++) {
    adj[g.src[e]!]!.push(g.dst[e]!);
    adj[g.dst[e]!]!.push(g.src[e]!);
  }
  const frontiers: number[][] = [];
  for (let p = 0; p < parts; p++) {
    const seed = Math.floor(((p + 0.5) * n) / parts);
    let s = seed;
    while (part[s] !== -1) s = (s + 1) % n;
    part[s] = p;
    frontiers.push([s]);
  }
  let claimed = parts;
  while (claimed < n) {
    let grew = false;
    for (let p = 0; p < parts; p++) {
      const next: number[] = [];
      for (const v of frontiers[p]!)
        for (const u of adj[v]!)
          if (part[u] === -1) {
            part[u] = p;
            next.push(u);
            claimed++;
          }
      frontiers[p] = next;
      if (next.length) grew = true;
    }
    if (!grew) {
      // Disconnected remainder: start the smallest part again from an unclaimed node.
      const v = part.indexOf(-1);
      const sizes = new Int32Array(parts);
      for (const q of part) if (q >= 0) sizes[q]!++;
      const p = sizes.indexOf(Math.min(...sizes));
      part[v] = p;
      frontiers[p] = [v];
      claimed++;
    }
  }
  return part;
}

/** One partition with its halo: an induced subgraph whose first `inner` nodes are the partition's own. */
export interface HaloPartition {
  /** The subgraph on inner + halo nodes (local ids). */
  graph: Graph;
  /** Global id of each local node: inner nodes first, then halo nodes by hop. */
  nodes: Int32Array;
  /** Global id of each local edge. */
  edges: Int32Array;
  /** Number of inner nodes (local ids `0 … inner − 1`). */
  inner: number;
}

/**
 * Subgraphs for partitioned message passing (X-MeshGraphNet): each part's nodes plus every node within
 * `hops` steps against the edge direction (the nodes whose messages reach the part in `hops` rounds),
 * with all edges among them. With `hops` ≥ the number of message-passing layers, the inner nodes' outputs
 * equal those of the full graph for layers whose messages depend on the edge and its endpoints' features
 * (MeshGraphNet, SAGE, GIN, GAT); degree-normalised layers (GCN) also need the full graph's edge weights.
 */
export function haloPartitions(g: Graph, part: Int32Array, hops: number): HaloPartition[] {
  const parts = Math.max(...Array.from(part)) + 1;
  const out: HaloPartition[] = [];
  for (let p = 0; p < parts; p++) {
    const inner: number[] = [];
    for (let v = 0; v < g.numNodes; v++) if (part[v] === p) inner.push(v);
    const nodes = kHopIn(g, inner, hops);
    const sub = inducedSubgraph(g, nodes);
    out.push({ graph: sub.graph, nodes: sub.nodes, edges: sub.edges, inner: inner.length });
  }
  return out;
}
