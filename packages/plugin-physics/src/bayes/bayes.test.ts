import { Rng } from '@paperlab/core';
import { useWasm } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { EnsembleMlp } from '../nets/ensembleMlp.js';
import { svgdDirection } from './svgd.js';

describe('SVGD and ensembles', () => {
  beforeAll(useWasm);

  it('SVGD particles sample a 2-D Gaussian: mean and covariance within sampling error', () => {
    const rng = new Rng(3);
    const K = 64;
    const mu = [1, -2];
    // Precision of N(mu, diag(0.5², 2²)).
    const prec = [1 / 0.25, 1 / 4];
    const X = tf.variable(tf.tensor2d(rng.normals(2 * K, 0, 1), [K, 2]));
    const before = tf.memory().numTensors;
    for (let step = 0; step < 800; step++)
      tf.tidy(() => {
        const G = tf.mul(tf.sub(tf.tensor1d(mu), X), tf.tensor1d(prec)) as tf.Tensor2D;
        X.assign(tf.add(X, tf.mul(0.05, svgdDirection(X, G))));
      });
    expect(tf.memory().numTensors).toBe(before);
    const v = X.arraySync();
    const m = [0, 1].map((a) => v.reduce((s, r) => s + r[a]!, 0) / K);
    const sd = [0, 1].map((a) => Math.sqrt(v.reduce((s, r) => s + (r[a]! - m[a]!) ** 2, 0) / K));
    expect(m[0]).toBeCloseTo(1, 1);
    expect(m[1]).toBeCloseTo(-2, 0);
    expect(sd[0]).toBeGreaterThan(0.35);
    expect(sd[0]).toBeLessThan(0.65);
    expect(sd[1]).toBeGreaterThan(1.4);
    expect(sd[1]).toBeLessThan(2.6);
    X.dispose();
  });

  it('ensemble jets: first and second input derivatives agree with finite differences', () => {
    const net = new EnsembleMlp([1, 6, 6, 1]);
    const p = tf.tensor2d(net.init(3, new Rng(1)), [3, net.size]);
    const t = [0.2, 0.7];
    const h = 1e-2;
    tf.tidy(() => {
      const j = net.jet(p, tf.tensor1d(t), 0.5);
      const f = (dt: number) => net.jet(p, tf.tensor1d(t.map((v) => v + dt)), 0.5).y.dataSync();
      const [fp, f0, fm] = [f(h), f(0), f(-h)];
      const dy = j.dy.dataSync();
      const d2y = j.d2y.dataSync();
      for (let k = 0; k < 6; k++) {
        expect(dy[k]).toBeCloseTo((fp[k]! - fm[k]!) / (2 * h), 3);
        expect(d2y[k]).toBeCloseTo((fp[k]! - 2 * f0[k]! + fm[k]!) / (h * h), 1);
      }
    });
    p.dispose();
  });
});
