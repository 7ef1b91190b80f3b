import { Rng } from '@paperlab/core';
import { useWasm } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Mlp } from '../nets/mlp.js';
import { coordinateJet, jetAdd, jetMul, jetOfField, jetTensors } from './jet.js';
import { partial, partials } from './partials.js';
import { tanhHO } from './tanh.js';

const read = (t: tf.Tensor) => Array.from(t.dataSync());

describe('autodiff', () => {
  beforeAll(useWasm);

  it('tanhHO: first, second and third derivatives equal the analytic ones (tf.tanh fails the second)', () => {
    const before = tf.memory().numTensors;
    const xs = [-1.3, -0.2, 0.4, 2.1];
    tf.tidy(() => {
      const x = tf.tensor1d(xs);
      const g1 = tf.grad((v: tf.Tensor) => tf.sum(tanhHO(v)));
      const g2 = tf.grad((v: tf.Tensor) => tf.sum(g1(v)));
      const g3 = tf.grad((v: tf.Tensor) => tf.sum(g2(v)));
      const t = xs.map(Math.tanh);
      const exact = [
        t.map((a) => 1 - a * a),
        t.map((a) => -2 * a * (1 - a * a)),
        t.map((a) => (6 * a * a - 2) * (1 - a * a)),
      ];
      [g1(x), g2(x), g3(x)].forEach((g, i) => {
        read(g).forEach((v, k) => {
          expect(v).toBeCloseTo(exact[i]![k]!, 5);
        });
      });
    });
    expect(tf.memory().numTensors).toBe(before);
    // The reason tanhHO exists: stock tanh's second derivative is not taped correctly (this leaks on throw).
    const s1 = tf.grad((v: tf.Tensor) => tf.sum(tf.tanh(v)));
    expect(() => tf.grad((v: tf.Tensor) => tf.sum(s1(v)))(tf.tensor1d(xs))).toThrow(
      /Cannot compute gradient/,
    );
  });

  it('nested partials of an analytic field up to third order, mixed included', () => {
    // f(x, y) = sin(2x)·y³ + x²y
    const f = (p: tf.Tensor2D) =>
      tf.tidy(() => {
        const [x, y] = tf.split(p, 2, 1);
        return tf.add(tf.mul(tf.sin(tf.mul(2, x!)), tf.pow(y!, 3)), tf.mul(tf.square(x!), y!)) as tf.Tensor2D;
      });
    const pts = [
      [0.3, 0.7],
      [-0.5, 1.2],
    ];
    const before = tf.memory().numTensors;
    const d = tf.tidy(() => {
      const p = tf.tensor2d(pts);
      const r = partials(f, p, 0, { x: [0], yy: [1, 1], xxx: [0, 0, 0], xy: [0, 1], xyy: [0, 1, 1] });
      return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, read(v as tf.Tensor)]));
    });
    expect(tf.memory().numTensors).toBe(before);
    pts.forEach(([x, y], i) => {
      expect(d.x![i]).toBeCloseTo(2 * Math.cos(2 * x!) * y! ** 3 + 2 * x! * y!, 4);
      expect(d.yy![i]).toBeCloseTo(6 * Math.sin(2 * x!) * y!, 4);
      expect(d.xxx![i]).toBeCloseTo(-8 * Math.cos(2 * x!) * y! ** 3, 3);
      expect(d.xy![i]).toBeCloseTo(6 * Math.cos(2 * x!) * y! ** 2 + 2 * x!, 4);
      expect(d.xyy![i]).toBeCloseTo(12 * Math.cos(2 * x!) * y!, 3);
    });
  });

  it('forward-mode jets of an MLP agree with nested reverse mode to third order (tanh and sine)', () => {
    for (const activation of ['tanh', 'sin'] as const) {
      const net = new Mlp(
        { sizes: [2, 8, 8, 2], activation, inputBox: { lo: [-1, 0], hi: [2, 0.5] } },
        new Rng(3),
      );
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const x = tf.tensor2d([0.1, 0.9, -0.4, 0.3, 0.7, -0.8], [3, 2]);
        const jet = net.jet(x, 3);
        const plain = read(net.forward(x));
        read(jet.value).forEach((v, k) => {
          expect(v).toBeCloseTo(plain[k]!, 5);
        });
        for (let ax = 0; ax < 2; ax++)
          for (let m = 1; m <= 3; m++)
            for (let j = 0; j < 2; j++) {
              const nested = read(partial((p) => net.forward(p), x, j, Array(m).fill(ax)));
              const fwd = read(tf.slice(jet.d[ax]![m - 1]!, [0, j], [-1, 1]));
              nested.forEach((v, k) => {
                expect(fwd[k]!).toBeCloseTo(v, 4);
              });
            }
      });
      expect(tf.memory().numTensors).toBe(before);
      net.dispose();
    }
  });

  it('jet algebra: Leibniz product of coordinate jets gives the derivatives of x²y', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const p = tf.tensor2d([[0.5, 2]]);
      const c = coordinateJet(p, 3);
      const x = {
        value: tf.slice(c.value, [0, 0], [-1, 1]),
        d: c.d.map((ds) => ds.map((t) => tf.slice(t, [0, 0], [-1, 1]))),
      };
      const y = {
        value: tf.slice(c.value, [0, 1], [-1, 1]),
        d: c.d.map((ds) => ds.map((t) => tf.slice(t, [0, 1], [-1, 1]))),
      };
      const f = jetAdd(jetMul(jetMul(x, x), y), y); // x²y + y
      expect(read(f.value)[0]).toBeCloseTo(2.5, 6);
      expect(read(f.d[0]![0]!)[0]).toBeCloseTo(2 * 0.5 * 2, 6); // 2xy
      expect(read(f.d[0]![1]!)[0]).toBeCloseTo(4, 6); // 2y
      expect(read(f.d[0]![2]!)[0]).toBeCloseTo(0, 6);
      expect(read(f.d[1]![0]!)[0]).toBeCloseTo(1.25, 6); // x² + 1
      const g = jetOfField((q) => tf.mul(tf.square(q), 1) as tf.Tensor2D, p, 2);
      expect(read(g.d[0]![1]!)).toEqual([2, 0]);
      tf.dispose(jetTensors(g));
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
