import type { Rng } from '@paperlab/core';
import { type Graph, undirected } from '../graph/graph.js';

/** A graph with planted motifs: node labels and the ground-truth explanation edges. */
export interface MotifGraph {
  graph: Graph;
  /** Label of each node (0 = base graph). */
  labels: Int32Array;
  /** 1 for every (directed) edge inside a planted motif: the ground-truth explanation. */
  motifEdge: Uint8Array;
  /** Motif each node belongs to (−1 for base nodes). */
  motifOf: Int32Array;
}

/** A graph-classification sample with its ground-truth explanation edges. */
export interface MotifGraphSample {
  graph: Graph;
  label: number;
  motifEdge: Uint8Array;
}

/** Undirected pairs of a Barabási–Albert graph: `n` nodes, each new node attached to `m` earlier ones. */
export function barabasiAlbertPairs(rng: Rng, n: number, m: number): number[] {
  if (m < 1 || n <= m) throw new RangeError(`barabasiAlbert: need 1 ≤ m < n, got m = ${m}, n = ${n}`);
  const pairs: number[] = [];
  const repeated: number[] = [];
  let targets = Array.from({ length: m }, (_, i) => i);
  for (let v = m; v < n; v++) {
    for (const t of targets) {
      pairs.push(v, t);
      repeated.push(v, t);
    }
    const chosen = new Set<number>();
    while (chosen.size < m) chosen.add(repeated[rng.int(repeated.length)]!);
    targets = [...chosen];
  }
  return pairs;
}

// House: 0 top; 1, 2 middle; 3, 4 bottom. Role labels 1 (top), 2 (middle), 3 (bottom).
const HOUSE = [0, 1, 0, 2, 1, 2, 1, 3, 2, 4, 3, 4];
const HOUSE_ROLE = [1, 2, 2, 3, 3];

function cyclePairs(k: number): number[] {
  const p: number[] = [];
  for (let i = 0; i < k; i++) p.push(i, (i + 1) % k);
  return p;
}

/** Marks the edges of `g` whose both endpoints lie in the same motif. */
function motifEdges(g: Graph, motifOf: Int32Array): Uint8Array {
  const out = new Uint8Array(g.src.length);
  for (let e = 0; e < g.src.length; e++) {
    const a = motifOf[g.src[e]!]!;
    out[e] = a >= 0 && a === motifOf[g.dst[e]!] ? 1 : 0;
  }
  return out;
}

function planted(
  rng: Rng,
  basePairs: number[],
  baseNodes: number,
  motif: readonly number[],
  motifSize: number,
  count: number,
  roles: readonly number[],
  noiseEdges: number,
): MotifGraph {
  const pairs = basePairs.slice();
  const n = baseNodes + count * motifSize;
  const labels = new Int32Array(n);
  const motifOf = new Int32Array(n).fill(-1);
  for (let k = 0; k < count; k++) {
    const o = baseNodes + k * motifSize;
    for (let i = 0; i < motif.length; i++) pairs.push(o + motif[i]!);
    for (let i = 0; i < motifSize; i++) {
      labels[o + i] = roles[i]!;
      motifOf[o + i] = k;
    }
    pairs.push(o, rng.int(baseNodes));
  }
  for (let k = 0; k < noiseEdges; k++) pairs.push(rng.int(n), rng.int(n));
  const x = { data: new Float32Array(n).fill(1), dim: 1 };
  const graph = undirected(n, pairs, { x });
  return { graph, labels, motifEdge: motifEdges(graph, motifOf), motifOf };
}

/**
 * BA-Shapes (Ying et al. 2019): a Barabási–Albert base graph with house motifs attached by one edge each,
 * plus random noise edges; node labels 0 (base), 1 (top), 2 (middle), 3 (bottom of a house).
 */
export function baShapes(
  rng: Rng,
  o: { baseNodes: number; attach: number; houses: number; noiseFraction: number },
): MotifGraph {
  const base = barabasiAlbertPairs(rng.split('base'), o.baseNodes, o.attach);
  const noise = Math.round(o.noiseFraction * (base.length / 2 + 7 * o.houses));
  return planted(rng.split('motifs'), base, o.baseNodes, HOUSE, 5, o.houses, HOUSE_ROLE, noise);
}

/**
 * Tree-Cycles (Ying et al. 2019): a balanced binary tree with 6-cycles attached by one edge each; node
 * label 1 on cycle nodes, 0 on tree nodes.
 */
export function treeCycles(
  rng: Rng,
  o: { depth: number; cycles: number; cycleSize: number; noiseFraction: number },
): MotifGraph {
  const treeNodes = 2 ** (o.depth + 1) - 1;
  const tree: number[] = [];
  for (let v = 1; v < treeNodes; v++) tree.push(v, (v - 1) >> 1);
  const noise = Math.round(o.noiseFraction * (treeNodes - 1 + (o.cycleSize + 1) * o.cycles));
  const roles = new Array<number>(o.cycleSize).fill(1);
  return planted(rng, tree, treeNodes, cyclePairs(o.cycleSize), o.cycleSize, o.cycles, roles, noise);
}

/**
 * BA-2Motifs (Luo et al. 2020): Barabási–Albert graphs with either a house (label 0) or a 5-cycle (label 1)
 * attached by one edge; the motif's edges are the ground-truth explanation of the label.
 */
export function ba2Motifs(
  rng: Rng,
  o: { graphs: number; baseNodes: number; attach: number },
): MotifGraphSample[] {
  const out: MotifGraphSample[] = [];
  for (let g = 0; g < o.graphs; g++) {
    const label = g % 2;
    const base = barabasiAlbertPairs(rng, o.baseNodes, o.attach);
    const motif = label === 0 ? HOUSE : cyclePairs(5);
    const m = planted(rng, base, o.baseNodes, motif, 5, 1, [1, 1, 1, 1, 1], 0);
    out.push({ graph: m.graph, label, motifEdge: m.motifEdge });
  }
  return out;
}
