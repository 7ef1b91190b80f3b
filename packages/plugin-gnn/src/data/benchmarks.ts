import type { Rng } from '@paperlab/core';
import { type Graph, undirected } from '../graph/graph.js';
import { bernoulliPairs, oneHot, permuted, randomSizes } from './random.js';
import { blockPairs } from './sbm.js';

/** A graph with one label for the whole graph. */
export interface GraphSample {
  graph: Graph;
  label: number;
}

/** A graph with one label per node. */
export interface NodeLabelledSample {
  graph: Graph;
  labels: Int32Array;
}

/** Options of {@link circulantSkipLinks}. */
export interface CslOptions {
  /** Nodes of each cycle (41 in Murphy et al. 2019). */
  nodes: number;
  /** Skip lengths R of the classes C_n(1, R) (default: 2, 3, 4, 5, 6, 9, 11, 12, 13, 16). */
  skips: readonly number[];
  /** Graphs per class (15 in the benchmark: 150 graphs). */
  perClass: number;
}

/** The CSL skip lengths of Murphy et al. (2019), used by Dwivedi et al. (2020). */
export const CSL_SKIPS = [2, 3, 4, 5, 6, 9, 11, 12, 13, 16] as const;

/**
 * Circular Skip Link graphs (Murphy et al. 2019): the 4-regular circulant C_n(1, R) — a cycle plus chords
 * of length R — with node ids randomly permuted and one constant feature, labelled by the class of R.
 * All nodes look alike to message passing, so only positional information can separate the classes.
 */
export function circulantSkipLinks(rng: Rng, o: CslOptions): GraphSample[] {
  const out: GraphSample[] = [];
  o.skips.forEach((r, label) => {
    for (let k = 0; k < o.perClass; k++) {
      const perm = rng.permutation(o.nodes);
      const pairs: number[] = [];
      for (let i = 0; i < o.nodes; i++) {
        pairs.push(perm[i]!, perm[(i + 1) % o.nodes]!);
        pairs.push(perm[i]!, perm[(i + r) % o.nodes]!);
      }
      const x = { data: new Float32Array(o.nodes).fill(1), dim: 1 };
      out.push({ graph: undirected(o.nodes, pairs, { x }), label });
    }
  });
  return out;
}

/**
 * A node-labelled graph with its node ids shuffled, so position in the arrays says nothing: edges as flat
 * `[i, j, …]` pairs, features one-hot over `k` values.
 */
function shuffledSample(
  rng: Rng,
  pairs: readonly number[],
  feats: Int32Array,
  labels: Int32Array,
  k: number,
): NodeLabelledSample {
  const n = labels.length;
  const perm = rng.permutation(n);
  const x = { data: oneHot(permuted(perm, feats), k), dim: k };
  return {
    graph: undirected(
      n,
      pairs.map((v) => perm[v]!),
      { x },
    ),
    labels: permuted(perm, labels),
  };
}

/** Options of {@link patternGraphs}. */
export interface PatternOptions {
  graphs: number;
  /** SBM communities of each graph. */
  communities: number;
  /** Community sizes are drawn uniformly in [minSize, maxSize]. */
  minSize: number;
  maxSize: number;
  /** Edge probability inside / between communities. */
  p: number;
  q: number;
  /** Nodes of the planted pattern. */
  patternSize: number;
  /** Edge probability inside the pattern, and between a pattern node and a graph node. */
  pPattern: number;
  qPattern: number;
  /** Number of distinct patterns drawn once; each graph plants one of them. */
  patterns: number;
  /** Node features take values in {0 … vocab − 1} (one-hot). */
  vocab: number;
}

/**
 * PATTERN (Dwivedi et al. 2020): SBM graphs with a planted pattern — one of a fixed set of random graphs with
 * fixed random features — joined to the graph at random; a node's label is 1 when it belongs to the pattern.
 * Features alone (uniform over the vocabulary) do not identify pattern nodes.
 */
export function patternGraphs(rng: Rng, o: PatternOptions): NodeLabelledSample[] {
  const pr = rng.split('patterns');
  const patterns = Array.from({ length: o.patterns }, () => {
    const pairs: number[] = [];
    bernoulliPairs(pr, o.patternSize, o.patternSize, o.pPattern, true, (i, j) => pairs.push(i, j));
    const feats = Int32Array.from({ length: o.patternSize }, () => pr.int(o.vocab));
    return { pairs, feats };
  });
  const out: NodeLabelledSample[] = [];
  for (let g = 0; g < o.graphs; g++) {
    const sizes = randomSizes(rng, o.communities, o.minSize, o.maxSize);
    const { pairs, starts } = blockPairs(rng, sizes, o.p, o.q);
    const base = starts[sizes.length]!;
    const pat = patterns[rng.int(o.patterns)]!;
    for (let k = 0; k < pat.pairs.length; k++) pairs.push(base + pat.pairs[k]!);
    bernoulliPairs(rng, o.patternSize, base, o.qPattern, false, (i, j) => pairs.push(base + i, j));
    const n = base + o.patternSize;
    const feats = new Int32Array(n);
    for (let v = 0; v < base; v++) feats[v] = rng.int(o.vocab);
    feats.set(pat.feats, base);
    const labels = new Int32Array(n);
    labels.fill(1, base);
    out.push(shuffledSample(rng, pairs, feats, labels, o.vocab));
  }
  return out;
}

/** Options of {@link clusterGraphs}. */
export interface ClusterOptions {
  graphs: number;
  /** Communities (= classes). */
  clusters: number;
  minSize: number;
  maxSize: number;
  p: number;
  q: number;
}

/**
 * CLUSTER (Dwivedi et al. 2020): SBM graphs in which one random node per community carries its community id
 * as a feature (one-hot over clusters + 1, index 0 = unlabelled); every node's label is its community.
 */
export function clusterGraphs(rng: Rng, o: ClusterOptions): NodeLabelledSample[] {
  const out: NodeLabelledSample[] = [];
  for (let g = 0; g < o.graphs; g++) {
    const sizes = randomSizes(rng, o.clusters, o.minSize, o.maxSize);
    const n = sizes.reduce((a, b) => a + b, 0);
    const labels = new Int32Array(n);
    const feats = new Int32Array(n);
    let start = 0;
    sizes.forEach((s, c) => {
      labels.fill(c, start, start + s);
      feats[start + rng.int(s)] = c + 1;
      start += s;
    });
    const { pairs } = blockPairs(rng, sizes, o.p, o.q);
    out.push(shuffledSample(rng, pairs, feats, labels, o.clusters + 1));
  }
  return out;
}
