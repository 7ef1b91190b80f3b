import { Rng } from '@paperlab/core';
import { frobenius, frobeniusDiff } from '@paperlab/core/linalg';
import { useWasm } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fcKernelsHost } from '../kernels/fcKernel.js';
import * as stax from './index.js';

beforeAll(useWasm);

function rel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return frobeniusDiff(a, b) / frobenius(b);
}

/** Expected relative Frobenius error of a covariance estimated from N independent Gaussian samples. */
function samplingError(K: Float64Array, n: number, N: number): number {
  let e = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) e += K[i * n + i]! * K[j * n + j]! + K[i * n + j]! ** 2;
  return Math.sqrt(e / N) / frobenius(K);
}

const W = { sigmaW2: 2, sigmaB2: 0.05 };

/** Architectures with a readout of `out` channels (MC NNGP uses many, MC NTK one). */
const archs: Array<{ name: string; shape: number[]; net: (width: number, out: number) => stax.Layer }> = [
  {
    name: 'FC: Dense–Abs–Dense–LeakyRelu(0.2)–Dense',
    shape: [4],
    net: (w, out) =>
      stax.serial(
        stax.dense(w, W),
        stax.abs(),
        stax.dense(w, { sigmaW2: 0.8, sigmaB2: 0.1 }),
        stax.leakyRelu(0.2),
        stax.dense(out, W),
      ),
  },
  {
    name: '1-D CNN: Conv(3, same)–Relu–Conv(2, stride 2, circular)–Erf–Flatten–Dense',
    shape: [8, 2],
    net: (w, out) =>
      stax.serial(
        stax.conv(w, [3], W),
        stax.relu(),
        stax.conv(w, [2], { sigmaW2: 1.5, sigmaB2: 0.1, strides: 2, padding: 'circular' }),
        stax.erf(),
        stax.flatten(),
        stax.dense(out, W),
      ),
  },
  {
    name: '2-D ResNet block with global average pooling',
    shape: [5, 5, 2],
    net: (w, out) =>
      stax.serial(
        stax.conv(w, [2, 2], { ...W, padding: 'valid' }),
        stax.fanOut(2),
        stax.parallel(
          stax.serial(stax.relu(), stax.conv(w, [3, 3], W), stax.relu(), stax.conv(w, [2, 2], W)),
          stax.identity(),
        ),
        stax.fanInSum(),
        stax.relu(),
        stax.globalAvgPool(),
        stax.dense(out, W),
      ),
  },
  {
    name: 'Parallel branches concatenated',
    shape: [3],
    net: (w, out) =>
      stax.serial(
        stax.fanOut(2),
        stax.parallel(
          stax.serial(stax.dense(w, W), stax.relu()),
          stax.serial(stax.dense(w / 2, W), stax.erf()),
        ),
        stax.fanInConcat(),
        stax.dense(out, W),
      ),
  },
];

function inputs(shape: number[], n: number, seed: number) {
  const size = shape.reduce((a, b) => a * b, 1);
  return { values: new Rng(seed).normals(n * size), shape: [n, ...shape] };
}

describe('stax: analytic kernels', () => {
  for (const activation of ['relu', 'erf'] as const) {
    it(`Dense/${activation} chains equal the fused fully-connected recursion (${activation})`, () => {
      const x = inputs([3], 5, 1);
      const a = { sigmaW2: 1.7, sigmaB2: 0.2 };
      const act = activation === 'relu' ? stax.relu : stax.erf;
      const net = stax.serial(
        stax.dense(10, a),
        act(),
        stax.dense(10, a),
        act(),
        stax.dense(10, a),
        act(),
        stax.dense(1, a),
      );
      const k = stax.kernelFn(net, x);
      const host = fcKernelsHost(x.values, x.values, 3, { depth: 4, ...a, activation });
      expect(rel(k.nngp, host.nngp)).toBeLessThan(1e-12);
      expect(rel(k.ntk!, host.ntk)).toBeLessThan(1e-12);
    });
  }

  for (const arch of archs) {
    it(`NNGP matches the output covariance of random wide networks: ${arch.name}`, async () => {
      const n = 5;
      const x = inputs(arch.shape, n, 2);
      const analytic = stax.kernelFn(arch.net(8, 1), x, null, 'nngp').nngp;
      const samples = 48;
      const outs = 64;
      const mc = await stax.monteCarloKernels(arch.net(128, outs), arch.shape, new Rng(3), x, null, {
        samples,
      });
      const err = rel(mc.nngp, analytic);
      const expected = samplingError(analytic, n, samples * outs);
      expect(expected).toBeLessThan(0.04);
      // Channels of one network share its hidden layers, which adds an O(1/√(width·samples)) term.
      expect(err, `error ${err} vs sampling error ${expected}`).toBeLessThan(2.5 * expected);
    });
  }

  for (const arch of archs) {
    it(`NTK matches the mean empirical NTK of wide networks: ${arch.name}`, async () => {
      const x = inputs(arch.shape, 4, 4);
      const analytic = stax.kernelFn(arch.net(8, 1), x).ntk!;
      const width = 256;
      const mc = await stax.monteCarloKernels(arch.net(width, 1), arch.shape, new Rng(5), x, null, {
        samples: 3,
        get: 'ntk',
      });
      const err = rel(mc.ntk!, analytic);
      // Fluctuations of the empirical NTK are O(1/√width); averaging 3 networks divides them by √3.
      expect(err, `error ${err}`).toBeLessThan(3 / Math.sqrt(width * 3));
    });
  }

  it('standard parametrisation: same NNGP as NTK parametrisation, width-dependent NTK matching finite nets', async () => {
    const x = inputs([3], 4, 6);
    const net = (w: number, p: stax.Parametrization) =>
      stax.serial(
        stax.dense(w, { ...W, parametrization: p }),
        stax.relu(),
        stax.dense(w, { ...W, parametrization: p }),
        stax.relu(),
        stax.dense(1, { ...W, parametrization: p }),
      );
    const ntkParam = stax.kernelFn(net(256, 'ntk'), x);
    const std = stax.kernelFn(net(256, 'standard'), x);
    expect(rel(std.nngp, ntkParam.nngp)).toBeLessThan(1e-12);
    expect(frobenius(std.ntk!)).toBeGreaterThan(50 * frobenius(ntkParam.ntk!));
    const mc = await stax.monteCarloKernels(net(256, 'standard'), [3], new Rng(7), x, null, {
      samples: 3,
      get: 'both',
    });
    expect(rel(mc.ntk!, std.ntk!)).toBeLessThan(3 / Math.sqrt(256 * 3));
  });

  it('refuses a sum of correlated branches and gives shape errors that name the layer', () => {
    const x = inputs([3], 2, 8);
    const bad = stax.serial(
      stax.dense(4),
      stax.fanOut(2),
      stax.parallel(stax.relu(), stax.identity()),
      stax.fanInSum(),
      stax.dense(1),
    );
    expect(() => stax.kernelFn(bad, x)).toThrow(/correlated/);
    expect(() => stax.kernelFn(stax.serial(stax.conv(4, [3, 3]), stax.flatten(), stax.dense(1)), x)).toThrow(
      /Conv2D.*spatial axes/,
    );
    expect(() => stax.kernelFn(stax.serial(stax.dense(4)), inputs([2, 3], 2, 9))).toThrow(/flatten/);
  });

  it('kernelMatrix: blocked Float32 Gram equals the one-shot kernel, symmetric and rectangular, with progress', async () => {
    const net = archs[1]!.net(8, 1);
    const x = inputs([8, 2], 11, 10);
    const y = inputs([8, 2], 7, 11);
    const full = stax.kernelFn(net, x);
    const progress: number[] = [];
    const blocked = await stax.kernelMatrix(net, x, null, {
      blockSize: 4,
      onProgress: (d, t) => progress.push(d / t),
    });
    expect(rel(blocked.ntk!, full.ntk!)).toBeLessThan(1e-6);
    expect(rel(blocked.nngp!, full.nngp)).toBeLessThan(1e-6);
    expect(progress[progress.length - 1]).toBe(1);
    const cross = stax.kernelFn(net, x, y, 'ntk');
    const out = new Float32Array(11 * 7);
    const rect = await stax.kernelMatrix(net, x, y, { blockSize: 3, get: 'ntk', out: { ntk: out } });
    expect(rect.ntk).toBe(out);
    expect(rect.nngp).toBeNull();
    expect(rel(out, cross.ntk!)).toBeLessThan(1e-6);
    const ctl = new AbortController();
    ctl.abort();
    await expect(stax.kernelMatrix(net, x, null, { signal: ctl.signal })).rejects.toThrow();
  });
});

describe('stax: empirical NTK from per-example Jacobians', () => {
  /** Reference: J·Jᵀ with one tf.grad per example and output (no layer structure used). */
  function bruteForce(net: stax.Layer, params: stax.Params, x: tf.Tensor, k: number): Float64Array {
    const vars = stax.flattenParams(params);
    const n = x.shape[0]!;
    const out = new Float64Array(n * n);
    for (let c = 0; c < k; c++) {
      const rows = tf.tidy(() => {
        const rs: tf.Tensor[] = [];
        for (let i = 0; i < n; i++) {
          const xi = tf.slice(x, [i], [1]);
          const { grads } = tf.variableGrads(
            () => tf.sum(tf.slice(net.apply(params, xi) as tf.Tensor, [0, c], [1, 1])) as tf.Scalar,
            vars,
          );
          rs.push(tf.concat(vars.map((v) => tf.reshape(grads[v.name]!, [-1]))));
        }
        const J = tf.stack(rs);
        return tf.matMul(J, J, false, true);
      });
      const v = rows.dataSync();
      for (let i = 0; i < n * n; i++) out[i]! += v[i]! / k;
      rows.dispose();
    }
    return out;
  }

  const small: Array<{ name: string; shape: number[]; net: stax.Layer; k: number }> = [
    {
      name: 'MLP with biases, 3 outputs (trace)',
      shape: [3],
      net: stax.serial(stax.dense(6, W), stax.relu(), stax.dense(5, W), stax.erf(), stax.dense(3, W)),
      k: 3,
    },
    {
      name: '1-D CNN, circular stride 2, dense on spatial axes, standard parametrisation',
      shape: [6, 2],
      net: stax.serial(
        stax.conv(4, [3], { ...W, strides: 2, padding: 'circular', parametrization: 'standard' }),
        stax.leakyRelu(0.1),
        stax.dense(3, W),
        stax.flatten(),
        stax.dense(1),
      ),
      k: 1,
    },
    {
      name: '2-D ResNet with pooling',
      shape: [5, 5, 2],
      net: archs[2]!.net(3, 2),
      k: 2,
    },
  ];

  for (const s of small) {
    it(`equals J·Jᵀ from one backward pass per example: ${s.name}`, async () => {
      const before = tf.memory().numTensors;
      const params = s.net.init(new Rng(12), s.shape);
      const xb = inputs(s.shape, 5, 13);
      const x = tf.tensor(xb.values, xb.shape);
      const ref = bruteForce(s.net, params, x, s.k);
      const got = await stax.empiricalNtk(s.net, params, xb);
      expect(rel(got.ntk, ref)).toBeLessThan(2e-5);
      const blocked = await stax.empiricalNtk(s.net, params, x, null, { blockSize: 2, cacheBytes: 0 });
      expect(rel(blocked.ntk, ref)).toBeLessThan(2e-5);
      x.dispose();
      stax.disposeParams(params);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('blocked rectangular Gram with cached column blocks matches the unblocked one; progress reaches the total', async () => {
    const net = small[0]!.net;
    const params = net.init(new Rng(14), [3]);
    const x = inputs([3], 9, 15);
    const y = inputs([3], 5, 16);
    const ref = await stax.empiricalNtk(net, params, x, y);
    let last = 0;
    const got = await stax.empiricalNtk(net, params, x, y, {
      blockSize: 2,
      onProgress: (d, t) => (last = d / t),
    });
    expect(rel(got.ntk, ref.ntk)).toBeLessThan(1e-6);
    expect(last).toBe(1);
    stax.disposeParams(params);
  });
});
