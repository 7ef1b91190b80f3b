import type { Rng } from '@paperlab/core';
import { type Graph, undirected } from '../graph/graph.js';

/** Implicit-feedback interactions of users with items, split per user. */
export interface Interactions {
  users: number;
  items: number;
  /** Training pairs (user, item), sorted by user then item. */
  train: { user: Int32Array; item: Int32Array };
  /** Held-out pairs, sorted the same way. */
  test: { user: Int32Array; item: Int32Array };
  /** Latent cluster of each user and item (the structure a recommender can find). */
  userCluster: Int32Array;
  itemCluster: Int32Array;
}

/** Options of {@link movieLensLike}. */
export interface InteractionOptions {
  users: number;
  items: number;
  /** Target number of interactions (before the split). */
  interactions: number;
  /** Minimum interactions per user (MovieLens-100K: 20). */
  minPerUser: number;
  /** Latent taste clusters shared by users and items. */
  clusters: number;
  /** Zipf exponent of item popularity. */
  zipf: number;
  /** Probability that an interaction follows the user's cluster (else it follows popularity only). */
  affinity: number;
  /** Fraction of each user's interactions held out. */
  testFraction: number;
}

/**
 * MovieLens-100K-shaped implicit feedback (943 users × 1,682 items, ~100k interactions at the defaults the
 * callers use): item popularity is Zipf, user activity is heavy-tailed above a minimum, and users and items
 * belong to latent clusters so that a fraction `affinity` of a user's items comes from its own cluster.
 * Each user's interactions are split at random into train/test (`testFraction`, at least one of each).
 */
export function movieLensLike(rng: Rng, o: InteractionOptions): Interactions {
  const userCluster = Int32Array.from({ length: o.users }, () => rng.int(o.clusters));
  const itemCluster = Int32Array.from({ length: o.items }, () => rng.int(o.clusters));
  const rank = rng.permutation(o.items);
  const pop = Float64Array.from({ length: o.items }, (_, i) => 1 / (rank[i]! + 1) ** o.zipf);
  // Cumulative popularity, overall and per cluster, for inverse-CDF sampling.
  const cdf = (ids: number[]) => {
    const c = new Float64Array(ids.length);
    let s = 0;
    ids.forEach((id, k) => {
      s += pop[id]!;
      c[k] = s;
    });
    return { ids, c, total: s };
  };
  const all = cdf(Array.from({ length: o.items }, (_, i) => i));
  const byCluster = Array.from({ length: o.clusters }, (_, k) =>
    cdf(Array.from({ length: o.items }, (_, i) => i).filter((i) => itemCluster[i] === k)),
  );
  const draw = (t: { ids: number[]; c: Float64Array; total: number }) => {
    const u = rng.uniform() * t.total;
    let lo = 0;
    let hi = t.c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (t.c[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return t.ids[lo]!;
  };
  // Activity: minPerUser + a Pareto-like tail scaled to the target total.
  const tail = Float64Array.from({ length: o.users }, () => 1 / Math.sqrt(1 - rng.uniform()) - 1);
  const tailSum = tail.reduce((a, b) => a + b, 0);
  const extra = Math.max(0, o.interactions - o.minPerUser * o.users);
  const trainU: number[] = [];
  const trainI: number[] = [];
  const testU: number[] = [];
  const testI: number[] = [];
  for (let u = 0; u < o.users; u++) {
    const want = Math.min(Math.floor(o.items / 2), o.minPerUser + Math.round((extra * tail[u]!) / tailSum));
    const own = byCluster[userCluster[u]!]!;
    const chosen = new Set<number>();
    for (let tries = 0; chosen.size < want && tries < 50 * want; tries++)
      chosen.add(rng.uniform() < o.affinity && own.ids.length ? draw(own) : draw(all));
    const items = rng.shuffle([...chosen]);
    const nTest = Math.min(items.length - 1, Math.max(1, Math.round(o.testFraction * items.length)));
    const test = items.slice(0, nTest).sort((a, b) => a - b);
    const train = items.slice(nTest).sort((a, b) => a - b);
    for (const i of train) {
      trainU.push(u);
      trainI.push(i);
    }
    for (const i of test) {
      testU.push(u);
      testI.push(i);
    }
  }
  return {
    users: o.users,
    items: o.items,
    train: { user: Int32Array.from(trainU), item: Int32Array.from(trainI) },
    test: { user: Int32Array.from(testU), item: Int32Array.from(testI) },
    userCluster,
    itemCluster,
  };
}

/** The user–item bipartite graph of the training pairs: users are nodes `0…users−1`, items follow; both directions. */
export function interactionGraph(data: Interactions): Graph {
  const pairs = new Int32Array(2 * data.train.user.length);
  for (let k = 0; k < data.train.user.length; k++) {
    pairs[2 * k] = data.train.user[k]!;
    pairs[2 * k + 1] = data.users + data.train.item[k]!;
  }
  return undirected(data.users + data.items, pairs);
}

/**
 * BPR negatives: for each (user, positive item) an item drawn uniformly among those the user has no training
 * interaction with (rejection sampling). Deterministic given the Rng and the call sequence.
 */
export function negativeSampler(data: Interactions, rng: Rng): (users: ArrayLike<number>) => Int32Array {
  const seen = Array.from({ length: data.users }, () => new Set<number>());
  for (let k = 0; k < data.train.user.length; k++) seen[data.train.user[k]!]!.add(data.train.item[k]!);
  return (users) =>
    Int32Array.from(users, (u) => {
      const own = seen[u]!;
      if (own.size >= data.items)
        throw new RangeError(`negativeSampler: user ${u} has interacted with every item`);
      let i = rng.int(data.items);
      while (own.has(i)) i = rng.int(data.items);
      return i;
    });
}
