import type { Rng } from '@paperlab/core';

/** Options of {@link RandomForest.fit}. */
export interface ForestOptions {
  /** Trees in the forest. */
  trees: number;
  /** Maximum depth of a tree. */
  maxDepth: number;
  /** Fewest examples in a leaf. */
  minLeaf: number;
  /** Features tried per split (default ⌈√features⌉ … use `features` for bagging only). */
  maxFeatures?: number;
  /** Candidate thresholds tried per feature (quantiles of a random sample of the node's values). */
  thresholds?: number;
}

/** Flat node arrays of one tree: feature (−1 = leaf), threshold, children, and leaf values [nodes × outputs]. */
interface Tree {
  feature: Int32Array;
  threshold: Float32Array;
  left: Int32Array;
  right: Int32Array;
  value: Float32Array;
}

/**
 * A seeded multi-output regression random forest (Breiman 2001): bootstrap samples, a random feature subset per
 * split, variance-reduction splits over a few candidate thresholds, leaves holding mean targets. Classification:
 * fit one-hot targets, the prediction is the class-probability vector. Written here (small, typed-array, no
 * dependency) so it runs in the browser and takes its randomness from the run's Rng.
 */
export class RandomForest {
  private constructor(
    private readonly trees: Tree[],
    /** Number of input features. */
    readonly features: number,
    /** Number of outputs. */
    readonly outputs: number,
  ) {}

  /** Fits a forest on `x` [n × features] and targets `y` [n × outputs]. */
  static fit(x: Float32Array, y: Float32Array, n: number, o: ForestOptions, rng: Rng): RandomForest {
    const f = x.length / n;
    const d = y.length / n;
    if (!Number.isInteger(f) || !Number.isInteger(d))
      throw new RangeError(
        `RandomForest.fit: ${x.length} inputs / ${y.length} targets do not split into ${n} rows`,
      );
    const trees: Tree[] = [];
    for (let t = 0; t < o.trees; t++) {
      const g = rng.split(`tree-${t}`);
      const idx = Int32Array.from({ length: n }, () => g.int(n));
      trees.push(growTree(x, y, f, d, idx, o, g));
    }
    return new RandomForest(trees, f, d);
  }

  /** Mean prediction of the trees, [n × outputs]. */
  predict(x: Float32Array): Float32Array {
    const n = x.length / this.features;
    const out = new Float32Array(n * this.outputs);
    for (const tree of this.trees)
      for (let i = 0; i < n; i++) {
        let node = 0;
        while (tree.feature[node]! >= 0)
          node =
            x[i * this.features + tree.feature[node]!]! <= tree.threshold[node]!
              ? tree.left[node]!
              : tree.right[node]!;
        for (let k = 0; k < this.outputs; k++)
          out[i * this.outputs + k]! += tree.value[node * this.outputs + k]! / this.trees.length;
      }
    return out;
  }
}

function growTree(
  x: Float32Array,
  y: Float32Array,
  f: number,
  d: number,
  rows: Int32Array,
  o: ForestOptions,
  rng: Rng,
): Tree {
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const mtry = Math.min(f, o.maxFeatures ?? Math.ceil(Math.sqrt(f)));
  const nThr = o.thresholds ?? 16;
  const node = (members: Int32Array, depth: number): number => {
    const id = feature.length;
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    const mean = new Float64Array(d);
    for (const r of members) for (let k = 0; k < d; k++) mean[k]! += y[r * d + k]! / members.length;
    for (let k = 0; k < d; k++) value.push(mean[k]!);
    if (depth >= o.maxDepth || members.length < 2 * o.minLeaf) return id;
    let best = { gain: 0, feat: -1, thr: 0 };
    const total = new Float64Array(d);
    let totalSq = 0;
    for (const r of members)
      for (let k = 0; k < d; k++) {
        const v = y[r * d + k]!;
        total[k]! += v;
        totalSq += v * v;
      }
    const parentSse = totalSq - total.reduce((a, s) => a + (s * s) / members.length, 0);
    const feats = rng.permutation(f).subarray(0, mtry);
    // One pass per feature: bin the node's rows by sorted candidate thresholds, then scan the prefix sums.
    const binN = new Float64Array(nThr + 1);
    const binSum = new Float64Array((nThr + 1) * d);
    for (const feat of feats) {
      const cands = new Float64Array(nThr);
      for (let c = 0; c < nThr; c++) cands[c] = x[members[rng.int(members.length)]! * f + feat]!;
      cands.sort();
      binN.fill(0);
      binSum.fill(0);
      for (const r of members) {
        const v = x[r * f + feat]!;
        let lo = 0;
        let hi = nThr;
        // First candidate ≥ v: rows in bin b go left of every threshold with index ≥ b.
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cands[mid]! < v) lo = mid + 1;
          else hi = mid;
        }
        binN[lo]!++;
        for (let k = 0; k < d; k++) binSum[lo * d + k]! += y[r * d + k]!;
      }
      let nL = 0;
      const sumL = new Float64Array(d);
      for (let c = 0; c < nThr; c++) {
        nL += binN[c]!;
        for (let k = 0; k < d; k++) sumL[k]! += binSum[c * d + k]!;
        if (c + 1 < nThr && cands[c + 1] === cands[c]) continue;
        const nR = members.length - nL;
        if (nL < o.minLeaf || nR < o.minLeaf) continue;
        let sse = totalSq;
        for (let k = 0; k < d; k++) {
          const sr = total[k]! - sumL[k]!;
          sse -= (sumL[k]! * sumL[k]!) / nL + (sr * sr) / nR;
        }
        const gain = parentSse - sse;
        if (gain > best.gain) best = { gain, feat, thr: cands[c]! };
      }
    }
    if (best.feat < 0) return id;
    const l: number[] = [];
    const r: number[] = [];
    for (const m of members) (x[m * f + best.feat]! <= best.thr ? l : r).push(m);
    feature[id] = best.feat;
    threshold[id] = best.thr;
    left[id] = node(Int32Array.from(l), depth + 1);
    right[id] = node(Int32Array.from(r), depth + 1);
    return id;
  };
  node(rows, 0);
  return {
    feature: Int32Array.from(feature),
    threshold: Float32Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float32Array.from(value),
  };
}
