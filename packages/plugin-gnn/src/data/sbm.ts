import { type Rng, z } from '@paperlab/core';
import { type Graph, undirected } from '../graph/graph.js';
import { bernoulliPairs, permuted } from './random.js';

/** A graph with one label per node. */
export interface LabelledGraph {
  graph: Graph;
  /** Label of each node. */
  labels: Int32Array;
  /** Number of classes. */
  classes: number;
}

/**
 * The edges of a stochastic block model as flat `[i, j, …]` pairs (each block pair drawn once, in order;
 * `pIn` inside a block, `pOut` between blocks) and the first node of each block, nodes numbered block by
 * block (`starts` ends with the node count).
 */
export function blockPairs(
  rng: Rng,
  sizes: readonly number[],
  pIn: number,
  pOut: number,
): { pairs: number[]; starts: number[] } {
  const starts = [0];
  for (const s of sizes) starts.push(starts[starts.length - 1]! + s);
  const pairs: number[] = [];
  for (let a = 0; a < sizes.length; a++)
    for (let b = a; b < sizes.length; b++) {
      const oa = starts[a]!;
      const ob = starts[b]!;
      bernoulliPairs(rng, sizes[a]!, sizes[b]!, a === b ? pIn : pOut, a === b, (i, j) =>
        pairs.push(oa + i, ob + j),
      );
    }
  return { pairs, starts };
}

/**
 * Stochastic block model: blocks of the given sizes (nodes numbered block by block), an edge inside a block
 * with probability `pIn` and between blocks with `pOut`, undirected. Labels are the blocks.
 */
export function stochasticBlockModel(
  rng: Rng,
  o: { sizes: readonly number[]; pIn: number; pOut: number },
): LabelledGraph {
  const { pairs, starts } = blockPairs(rng, o.sizes, o.pIn, o.pOut);
  const n = starts[o.sizes.length]!;
  const labels = new Int32Array(n);
  o.sizes.forEach((s, b) => {
    labels.fill(b, starts[b]!, starts[b]! + s);
  });
  return { graph: undirected(n, pairs), labels, classes: o.sizes.length };
}

/** Options of {@link contextualSbm}. */
export interface ContextualSbmOptions {
  /** Nodes (split as evenly as possible over the classes). */
  nodes: number;
  classes: number;
  /** Expected degree. */
  avgDegree: number;
  /** Expected fraction of a node's edges that stay inside its class (edge homophily). */
  homophily: number;
  /** Feature dimension. */
  featureDim: number;
  /**
   * Distance of the class means in units of the noise: features are μ_y + N(0, I) with the class means drawn
   * as N(0, I)·signal/√featureDim (so ‖μ_a − μ_b‖ ≈ √2·signal).
   */
  signal: number;
}

/**
 * Contextual SBM (Deshpande et al. 2018): an SBM whose block probabilities give the expected degree and
 * homophily asked for, with Gaussian node features around a class mean. Nodes are shuffled, so ids carry
 * no class information.
 */
export function contextualSbm(rng: Rng, o: ContextualSbmOptions): LabelledGraph & { graph: Graph } {
  const sizes = Array.from(
    { length: o.classes },
    (_, c) => Math.floor(o.nodes / o.classes) + (c < o.nodes % o.classes ? 1 : 0),
  );
  const per = o.nodes / o.classes;
  const pIn = Math.min(1, (o.homophily * o.avgDegree) / Math.max(1, per - 1));
  const pOut = Math.min(1, ((1 - o.homophily) * o.avgDegree) / Math.max(1, o.nodes - per));
  const sbm = stochasticBlockModel(rng.split('edges'), { sizes, pIn, pOut });
  // Shuffle node ids.
  const perm = rng.split('perm').permutation(o.nodes);
  const src = Int32Array.from(sbm.graph.src, (v) => perm[v]!);
  const dst = Int32Array.from(sbm.graph.dst, (v) => perm[v]!);
  const labels = permuted(perm, sbm.labels);
  const fr = rng.split('features');
  const means = Array.from({ length: o.classes }, () =>
    fr.normals(o.featureDim, 0, o.signal / Math.sqrt(o.featureDim)),
  );
  const x = fr.normals(o.nodes * o.featureDim);
  for (let v = 0; v < o.nodes; v++) {
    const mu = means[labels[v]!]!;
    for (let f = 0; f < o.featureDim; f++) x[v * o.featureDim + f]! += mu[f]!;
  }
  return {
    graph: { numNodes: o.nodes, src, dst, x: { data: x, dim: o.featureDim } },
    labels,
    classes: o.classes,
  };
}

/** Edge homophily: the fraction of edges whose endpoints share a label. */
export function edgeHomophily(g: Graph, labels: ArrayLike<number>): number {
  let same = 0;
  for (let e = 0; e < g.src.length; e++) if (labels[g.src[e]!] === labels[g.dst[e]!]) same++;
  return g.src.length ? same / g.src.length : 0;
}

/** A stratified split of node ids: `fractions` of each class, in order (e.g. train, val, test). */
export function stratifiedSplit(
  rng: Rng,
  labels: ArrayLike<number>,
  fractions: readonly number[],
): Int32Array[] {
  const classes = Math.max(...Array.from(labels)) + 1;
  const parts: number[][] = fractions.map(() => []);
  for (let c = 0; c < classes; c++) {
    const members: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === c) members.push(i);
    rng.shuffle(members);
    let at = 0;
    fractions.forEach((f, p) => {
      const take = p === fractions.length - 1 ? members.length - at : Math.round(f * members.length);
      parts[p]!.push(...members.slice(at, at + take));
      at += take;
    });
  }
  return parts.map((p) => Int32Array.from(p.sort((a, b) => a - b)));
}

/**
 * Config fields of a contextual-SBM node-classification task with a stratified train/test split, to spread into
 * a paper's `z.strictObject` (every number bounded); `nodes` sets the default graph size.
 */
export function nodeTaskConfig(defaults: { nodes: number }) {
  return {
    nodes: z.number().int().min(20).max(20000).default(defaults.nodes),
    classes: z.number().int().min(2).max(20).default(5),
    avgDegree: z.number().positive().max(50).default(10),
    homophily: z.number().min(0).max(1).default(0.7),
    featureDim: z.number().int().min(1).max(512).default(32),
    signal: z
      .number()
      .min(0)
      .max(20)
      .default(1)
      .describe('class-mean separation of the features, in noise units'),
    trainFraction: z.number().min(0.05).max(0.9).default(0.6),
  };
}

/** The values of {@link nodeTaskConfig}'s fields. */
export interface NodeTaskConfig extends ContextualSbmOptions {
  trainFraction: number;
}

/** The task of {@link nodeTaskConfig} for one seed: the contextual SBM (Rng `data-<seed>`) and its split (`split-<seed>`). */
export function nodeTask(
  cfg: NodeTaskConfig,
  rng: Rng,
  seed: number,
): { data: LabelledGraph & { graph: Graph }; train: Int32Array; test: Int32Array } {
  const data = contextualSbm(rng.split(`data-${seed}`), cfg);
  const [train, test] = stratifiedSplit(rng.split(`split-${seed}`), data.labels, [
    cfg.trainFraction,
    1 - cfg.trainFraction,
  ]) as [Int32Array, Int32Array];
  return { data, train, test };
}
