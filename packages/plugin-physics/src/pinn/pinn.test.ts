import { Rng } from '@paperlab/core';
import { useWasm } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { jetOfField, jetTensors } from '../autodiff/jet.js';
import { Mlp } from '../nets/mlp.js';
import { boundaryPoints2d, gridPoints2d, latinHypercube, uniformPoints } from './collocation.js';
import { boxDistance } from './distance.js';
import { hardConstrained, hardConstrainedJet } from './hardBc.js';

describe('pinn building blocks', () => {
  beforeAll(useWasm);

  it('hard constraints: u = g + φ·N equals g on the walls for any network, and its jet matches nested gradients', () => {
    const box = { lo: [0, 0], hi: [1, 1] };
    const g = (x: tf.Tensor2D) =>
      tf.tidy(() => tf.mul(tf.slice(x, [0, 1], [-1, 1]), tf.slice(x, [0, 0], [-1, 1])) as tf.Tensor2D);
    const phi = boxDistance(box);
    const net = new Mlp({ sizes: [2, 6, 1] }, new Rng(1));
    const u = hardConstrained(g, phi, (x) => net.forward(x));
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const wall = tf.tensor2d(boundaryPoints2d(new Rng(2), 5, box).points, [20, 2]);
      const diff = tf.sub(u(wall), g(wall));
      expect(tf.max(tf.abs(diff)).dataSync()[0]).toBeLessThan(1e-7);
      const inside = tf.tensor2d([0.3, 0.6, 0.8, 0.1], [2, 2]);
      const jet = hardConstrainedJet(
        jetOfField(g, inside, 2),
        jetOfField(phi, inside, 2),
        net.jet(inside, 2),
      );
      const nested = jetOfField(u, inside, 2);
      jetTensors(jet).forEach((t, i) => {
        const ref = jetTensors(nested)[i]!.dataSync();
        Array.from(t.dataSync()).forEach((v, k) => {
          expect(v).toBeCloseTo(ref[k]!, 5);
        });
      });
      // φ is 1 at the centre and 0 on the walls.
      expect(phi(tf.tensor2d([[0.5, 0.5]])).dataSync()[0]).toBeCloseTo(1, 6);
    });
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
  });

  it('samplers are seeded, inside the box, and Latin hypercube fills every stratum', () => {
    const box = { lo: [-1, 2], hi: [1, 3] };
    const a = uniformPoints(new Rng(5), 50, box);
    expect(uniformPoints(new Rng(5), 50, box)).toEqual(a);
    expect(uniformPoints(new Rng(6), 50, box)).not.toEqual(a);
    for (let i = 0; i < 50; i++) {
      expect(a[2 * i]).toBeGreaterThanOrEqual(-1);
      expect(a[2 * i]).toBeLessThanOrEqual(1);
      expect(a[2 * i + 1]).toBeGreaterThanOrEqual(2);
    }
    const n = 40;
    const lhs = latinHypercube(new Rng(1), n, box);
    for (let axis = 0; axis < 2; axis++) {
      const strata = new Set(
        Array.from({ length: n }, (_, i) =>
          Math.floor((((lhs[2 * i + axis]! - box.lo[axis]!) / 2 ** (1 - axis)) * n) / (axis === 0 ? 1 : 1)),
        ),
      );
      expect(strata.size).toBe(n);
    }
    const grid = gridPoints2d(3, 2, box);
    expect(Array.from(grid)).toEqual([-1, 2, 0, 2, 1, 2, -1, 3, 0, 3, 1, 3]);
    expect(() => boxDistance(box, [2])).toThrow(/axis 2/);
  });
});
