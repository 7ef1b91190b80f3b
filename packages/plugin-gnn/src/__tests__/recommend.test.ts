import { Rng } from '@paperlab/core';
import { onBackendWithoutLeaks } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  graphTensors,
  interactionGraph,
  lightGcnPropagate,
  movieLensLike,
  negativeSampler,
  SheafDiffusion,
  sparseTensors,
  symmetricNormWeights,
  toCsr,
  topKMetrics,
} from '../index.js';

const maxAbs = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;

const small = () =>
  movieLensLike(new Rng(3), {
    users: 30,
    items: 50,
    interactions: 600,
    minPerUser: 8,
    clusters: 3,
    zipf: 1,
    affinity: 0.7,
    testFraction: 0.2,
  });

describe('recommendation pieces', () => {
  onBackendWithoutLeaks('wasm', 'block');

  it('sheaf diffusion with identity maps is LightGCN; learned maps change it and get gradients', () => {
    const data = small();
    const g = interactionGraph(data);
    expect(g.numNodes).toBe(80);
    expect(g.src.length).toBe(2 * data.train.user.length);
    const gt = graphTensors(g);
    const adj = sparseTensors(toCsr(g, symmetricNormWeights(g)));
    const rng = new Rng(4);
    const e0 = tf.tensor2d(rng.normals(80 * 6), [80, 6]);
    const identity = new SheafDiffusion(rng.split('id'), 6, 2, { initScale: 0 });
    const learned = new SheafDiffusion(rng.split('l'), 6, 2, { initScale: 3 });
    tf.tidy(() => {
      const ref = lightGcnPropagate(adj, e0, 2);
      expect(maxAbs(identity.apply(gt, e0), ref)).toBeLessThan(1e-5);
      expect(identity.mapDeviation(gt, e0)).toBe(0);
      expect(maxAbs(learned.apply(gt, e0), ref)).toBeGreaterThan(1e-2);
      expect(learned.mapDeviation(gt, e0)).toBeGreaterThan(0.05);
      const grads = tf.variableGrads(
        () => tf.sum(tf.square(learned.apply(gt, e0))) as tf.Scalar,
        learned.variables(),
      );
      for (const v of learned.variables())
        expect(tf.max(tf.abs(grads.grads[v.name]!)).dataSync()[0]).toBeGreaterThan(0);
    });
    identity.dispose();
    learned.dispose();
    adj.dispose();
    gt.dispose();
    e0.dispose();
  });

  it('negatives avoid training items; top-k metrics match a hand count', () => {
    const data = small();
    const neg = negativeSampler(data, new Rng(5));
    const seen = new Set(Array.from(data.train.user, (u, k) => `${u}:${data.train.item[k]}`));
    const users = Int32Array.from({ length: 500 }, (_, k) => k % data.users);
    for (const [k, i] of neg(users).entries()) expect(seen.has(`${users[k]}:${i}`)).toBe(false);
    // Two users, four items; user 0 trained on item 0, held out {1, 2}; user 1 held out {3}.
    const scores = [9, 1, 5, 3, 0, 4, 3, 2];
    const m = topKMetrics(
      scores,
      { users: 2, items: 4 },
      { user: [0], item: [0] },
      { user: [0, 0, 1], item: [1, 2, 3] },
      2,
    );
    // User 0 ranks 2, 3 (one hit at rank 1): P = 1/2, R = 1/2, NDCG = 1 / (1 + 1/log2 3).
    // User 1 ranks 1, 2 (no hit): 0.
    expect(m.precision).toBeCloseTo(0.25, 10);
    expect(m.recall).toBeCloseTo(0.25, 10);
    expect(m.f1).toBeCloseTo(0.25, 10);
    expect(m.ndcg).toBeCloseTo(0.5 / (1 + 1 / Math.log2(3)), 10);
    expect(m.users).toBe(2);
  });
});
