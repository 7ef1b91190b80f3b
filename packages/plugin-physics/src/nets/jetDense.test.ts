import { Rng } from '@paperlab/core';
import { nodeBackendLoaders } from '@paperlab/core/node';
import { ensureBackend } from '@paperlab/core/runs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { type Jet, jetTensors } from '../autodiff/jet.js';
import { tanhRational } from '../autodiff/jetActivationKernel.js';
import { jetActivationDense } from './jetDense.js';
import { Mlp } from './mlp.js';

const loaders = nodeBackendLoaders();

/** max |a − b| / max(1, |b|) over two flat arrays. */
function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return m;
}

/** A residual-like scalar from every stream of a jet (products of streams, as a PDE residual has). */
function lossOf(j: Jet): tf.Scalar {
  const [v, ...d] = jetTensors(j);
  return tf.tidy(() =>
    tf.addN(d.map((t, i) => tf.mean(tf.square(tf.add(tf.mul(v!, t), (i + 1) * 0.1))))),
  ) as tf.Scalar;
}

/** Jet streams and the loss gradient in every variable, as host arrays. */
function jetAndGrads(net: Mlp, x: tf.Tensor2D, order: number, fused: boolean): Float32Array[] {
  return tf.tidy(() => {
    const jet = (fused ? net.jet(x, order) : net.jetUnfused(x, order)) as Jet;
    const streams = jetTensors(jet).map((t) => t.dataSync().slice() as Float32Array);
    const { grads } = tf.variableGrads(
      () => lossOf(fused ? net.jet(x, order) : net.jetUnfused(x, order)),
      net.variables(),
    );
    return [...streams, ...net.variables().map((v) => grads[v.name]!.dataSync().slice() as Float32Array)];
  });
}

describe('fused jet layers on cpu and wasm', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`${backend}: Mlp.jet (fused kernels) equals the unfused chain — streams and loss gradients, tanh and sine, orders 1–3`, async () => {
      await ensureBackend(backend, { backends: loaders, platform: 'node' });
      const before = tf.memory().numTensors;
      for (const activation of ['tanh', 'sin'] as const)
        for (const order of [1, 2, 3]) {
          const net = new Mlp(
            { sizes: [2, 12, 9, 3], activation, inputBox: { lo: [0, -1], hi: [1, 1] } },
            new Rng(5),
          );
          const x = tf.tensor2d(new Rng(6).uniforms(2 * 37), [37, 2]);
          const fused = jetAndGrads(net, x, order, true);
          const plain = jetAndGrads(net, x, order, false);
          expect(fused.length).toBe(1 + 2 * order + net.variables().length);
          fused.forEach((f, i) => {
            expect(maxRel(f, plain[i]!), `${activation}, order ${order}, output ${i}`).toBeLessThan(2e-5);
          });
          // Same inputs, same numbers (the typed-array passes are deterministic).
          jetAndGrads(net, x, order, true).forEach((f, i) => {
            expect(Array.from(f)).toEqual(Array.from(fused[i]!));
          });
          x.dispose();
          net.dispose();
        }
      expect(tf.memory().numTensors).toBe(before);
    });

    it(`${backend}: one input axis, and a network without hidden layers`, async () => {
      await ensureBackend(backend, { backends: loaders, platform: 'node' });
      const before = tf.memory().numTensors;
      const x = tf.tensor2d([-0.5, 0.1, 0.7], [3, 1]);
      for (const sizes of [
        [1, 6, 1],
        [1, 2],
      ]) {
        const net = new Mlp({ sizes }, new Rng(sizes.length));
        const fused = jetAndGrads(net, x, 2, true);
        const plain = jetAndGrads(net, x, 2, false);
        fused.forEach((f, i) => {
          expect(maxRel(f, plain[i]!)).toBeLessThan(2e-5);
        });
        net.dispose();
      }
      x.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });

    it(`${backend}: a stacked jet of the wrong height is refused by name, leaving nothing behind`, async () => {
      await ensureBackend(backend, { backends: loaders, platform: 'node' });
      const before = tf.memory().numTensors;
      const buffers = tf.backend().numDataIds();
      const [z, b, w] = [tf.ones([7, 3]), tf.zeros([3]), tf.ones([3, 2])] as [
        tf.Tensor2D,
        tf.Tensor1D,
        tf.Tensor2D,
      ];
      expect(() => jetActivationDense(z, b, w, { activation: 'tanh', axes: 2, order: 2 })).toThrow(
        /7 rows are not 5 blocks/,
      );
      tf.dispose([z, b, w]);
      expect(tf.memory().numTensors).toBe(before);
      expect(tf.backend().numDataIds()).toBe(buffers);
    });
  }
});

describe('fused jet kernels: checks', () => {
  it('tanhRational is within 3e-8 of Math.tanh on [−12, 12]', () => {
    let worst = 0;
    for (let i = -120000; i <= 120000; i++) {
      const x = i / 10000;
      worst = Math.max(worst, Math.abs(tanhRational(x) - Math.tanh(x)));
    }
    expect(worst).toBeLessThan(3e-8);
    expect(Number.isNaN(tanhRational(Number.NaN))).toBe(true);
  });

  it('Mlp.jet names a bad order', () => {
    const net = new Mlp({ sizes: [2, 4, 1] }, new Rng(1));
    const x = tf.zeros([2, 2]) as tf.Tensor2D;
    expect(() => net.jet(x, 4)).toThrow(/order must be 0…3, got 4/);
    x.dispose();
    net.dispose();
  });
});
