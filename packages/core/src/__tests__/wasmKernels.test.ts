import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { installWasmKernels } from '../backends/wasm/install.js';
import { useSimdKernels } from '../backends/wasm/simdKernels.js';
import { Rng } from '../rng/rng.js';
import { useBackend, useWasm } from '../testing/backends.js';

/** Runs `fn` on a backend with inputs built from host arrays, returning host values. */
async function on(backend: 'cpu' | 'wasm', fn: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await useBackend(backend);
  const out = tf.tidy(fn);
  const list = Array.isArray(out) ? out : [out];
  const values = await Promise.all(list.map(async (t) => Float32Array.from(await t.data())));
  tf.dispose(list);
  return values;
}

function maxDiff(a: Float32Array[], b: Float32Array[]): number {
  let m = 0;
  a.forEach((x, k) => {
    expect(x.length).toBe(b[k]!.length);
    for (let i = 0; i < x.length; i++)
      m = Math.max(m, Math.abs(x[i]! - b[k]![i]!) / Math.max(1, Math.abs(b[k]![i]!)));
  });
  return m;
}

async function agree(fn: () => tf.Tensor | tf.Tensor[], tol = 3e-5): Promise<void> {
  const cpu = await on('cpu', fn);
  const wasm = await on('wasm', fn);
  expect(maxDiff(wasm, cpu)).toBeLessThan(tol);
}

describe('wasm kernel patches', () => {
  const rng = new Rng(7);
  const r = (shape: number[]) => {
    const v = rng.normals(shape.reduce((a, b) => a * b, 1));
    return () => tf.tensor(v, shape);
  };

  beforeAll(useWasm);

  it('installs the missing kernels and records them', () => {
    const { patches } = installWasmKernels();
    for (const k of [
      'Conv2DBackpropFilter',
      'Conv2DBackpropInput',
      'MaxPoolGrad',
      'UnsortedSegmentSum',
      'Identity',
      'Sum',
      'Add',
      'Einsum',
      'DepthwiseConv2dNativeBackpropFilter',
    ]) {
      expect(tf.getKernel(k, 'wasm'), k).toBeDefined();
      expect(patches.some((p) => p.includes(k))).toBe(true);
    }
  });

  it('transposed matmuls agree with cpu (all four transpose combinations, batched)', async () => {
    const a = r([3, 17, 23]);
    const b = r([3, 23, 11]);
    const at = r([3, 23, 17]);
    const bt = r([3, 11, 23]);
    await agree(() => tf.matMul(a(), b()));
    await agree(() => tf.matMul(at(), b(), true, false));
    await agree(() => tf.matMul(a(), bt(), false, true));
    await agree(() => tf.matMul(at(), bt(), true, true));
  });

  it('transposed matmuls take the swapped route for skinny × big operands and still agree', async () => {
    const skinny = r([2, 5, 64]);
    const big = r([2, 48, 64]);
    const bigT = r([2, 64, 48]);
    const skinnyT = r([2, 64, 5]);
    await agree(() => tf.matMul(skinny(), big(), false, true)); // (B·Aᵀ)ᵀ
    await agree(() => tf.matMul(bigT(), skinnyT(), true, false)); // (Bᵀ·A)ᵀ
    await agree(() => tf.matMul(skinnyT(), big(), true, true)); // (B·A)ᵀ
    const tall = r([64, 3]);
    const wide = r([200, 64]);
    await agree(() => tf.matMul(tall(), wide(), true, true));
  });

  it('fused matmul with transposes and bias agrees', async () => {
    const a = r([9, 13]);
    const b = r([9, 7]);
    const bias = r([13]);
    await agree(() =>
      tf.fused.matMul({
        a: b(),
        b: a(),
        transposeA: true,
        transposeB: false,
        bias: bias(),
        activation: 'relu',
      }),
    );
  });

  for (const [pad, stride] of [
    ['same', 1],
    ['valid', 1],
    ['same', 2],
    ['valid', 2],
  ] as const) {
    it(`Conv2DBackpropFilter agrees with cpu (pad ${pad}, stride ${stride})`, async () => {
      const x = r([2, 9, 8, 3]);
      const w = r([3, 3, 3, 4]);
      await agree(() =>
        tf.grad((ww: tf.Tensor) =>
          tf.sum(tf.square(tf.conv2d(x() as tf.Tensor4D, ww as tf.Tensor4D, stride, pad))),
        )(w()),
      );
    });
  }

  // Input and filter gradients together, as training asks for them; shapes cover odd sizes, rectangular
  // filters, strides that do not divide the input, and explicit padding (negative cropping included).
  const convCases: Array<{
    x: number[];
    w: number[];
    stride: number | [number, number];
    pad: 'same' | 'valid' | tf.backend_util.ExplicitPadding;
    tol?: number;
  }> = [
    { x: [2, 9, 8, 3], w: [3, 3, 3, 4], stride: 1, pad: 'same' },
    { x: [2, 9, 8, 3], w: [3, 3, 3, 4], stride: 1, pad: 'valid' },
    { x: [2, 9, 8, 3], w: [3, 3, 3, 4], stride: 2, pad: 'same' },
    { x: [2, 9, 8, 3], w: [3, 3, 3, 4], stride: 2, pad: 'valid' },
    { x: [1, 10, 11, 2], w: [5, 2, 2, 3], stride: [3, 2], pad: 'same' },
    { x: [1, 10, 11, 2], w: [5, 2, 2, 3], stride: [3, 2], pad: 'valid' },
    {
      x: [3, 7, 7, 1],
      w: [3, 3, 1, 5],
      stride: 1,
      pad: [
        [0, 0],
        [2, 0],
        [0, 1],
        [0, 0],
      ],
    },
    { x: [2, 6, 6, 4], w: [1, 1, 4, 2], stride: 1, pad: 'valid' },
    // Output channels in multiples of 4 take the wasm gemm: 16 + 4 columns, rows in tiles of 3 and 1, and more
    // than one block (512) of output positions. Sums of 1800 float32 products with cancellation: both wasm routes
    // (this gemm and XNNPACK) land ~2e-5 from a float64 reference, so the bound is looser here.
    { x: [2, 30, 30, 2], w: [2, 2, 2, 20], stride: 1, pad: 'same', tol: 1e-4 },
    { x: [1, 8, 8, 1], w: [3, 3, 1, 16], stride: 2, pad: 'same' },
    { x: [2, 6, 7, 3], w: [3, 3, 3, 8], stride: 1, pad: 'valid' },
    // Forward padding wider than the filter: the backward padding is negative (dy is cropped).
    {
      x: [1, 5, 6, 2],
      w: [2, 2, 2, 3],
      stride: 1,
      pad: [
        [0, 0],
        [3, 0],
        [0, 2],
        [0, 0],
      ],
    },
  ];
  // Both routes of the patched kernels: the WebAssembly SIMD helpers and the typed-array loops.
  for (const simd of [true, false]) {
    const route = simd ? 'wasm helpers' : 'typed arrays';
    convCases.forEach(({ x: xs, w: ws, stride, pad, tol }, k) => {
      it(`conv2d input and filter gradients agree with cpu (${route}; x [${xs}], w [${ws}], stride ${stride}, pad ${JSON.stringify(pad)})`, async () => {
        // Inputs of their own per case, so adding a case does not change the others' numbers.
        const rng = new Rng(100 + k);
        const xv = rng.normals(xs.reduce((a, b) => a * b, 1));
        const wv = rng.normals(ws.reduce((a, b) => a * b, 1));
        const x = () => tf.tensor(xv, xs);
        const w = () => tf.tensor(wv, ws);
        const previous = useSimdKernels(simd);
        try {
          await agree(() => {
            const f = (xx: tf.Tensor, ww: tf.Tensor) =>
              tf.sum(tf.square(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, stride, pad)));
            const [gx, gw] = tf.grads(f)([x(), w()]);
            return [gx!, gw!];
          }, tol);
        } finally {
          useSimdKernels(previous);
        }
      });
    });
  }

  it('conv2dTranspose (Conv2DBackpropInput as a forward op) agrees with cpu', async () => {
    const dy = r([2, 5, 4, 6]);
    const w = r([3, 3, 2, 6]);
    await agree(() => tf.conv2dTranspose(dy() as tf.Tensor4D, w() as tf.Tensor4D, [2, 10, 8, 2], 2, 'same'));
    await agree(() => tf.conv2dTranspose(dy() as tf.Tensor4D, w() as tf.Tensor4D, [2, 11, 9, 2], 2, 'valid'));
  });

  for (const simd of [true, false])
    for (const [size, stride, pad, channels] of [
      [2, 2, 'valid', 8],
      [2, 2, 'valid', 5],
      [3, 2, 'same', 4],
      [3, 1, 'same', 5],
      [2, 3, 'valid', 4],
    ] as const) {
      it(`MaxPoolGrad agrees with cpu, ties included (${simd ? 'wasm helper' : 'typed arrays'}; size ${size}, stride ${stride}, pad ${pad}, ${channels} channels)`, async () => {
        // Values on a coarse grid, so many windows hold several equal maxima: the first one (tfjs' rule) gets
        // the gradient; a distinct weight per output makes a wrong choice visible. 9×7 leaves a row and a
        // column outside every 2×2 window.
        const shape = [2, 9, 7, channels];
        const v = new Rng(size * 10 + stride).normals(2 * 9 * 7 * channels).map((t) => Math.round(t));
        const previous = useSimdKernels(simd);
        try {
          await agree(() =>
            tf.grad((xx: tf.Tensor) => {
              const p = tf.maxPool(xx as tf.Tensor4D, size, stride, pad);
              return tf.sum(tf.mul(p, tf.reshape(tf.range(1, p.size + 1), p.shape)));
            })(tf.tensor(v, shape)),
          );
        } finally {
          useSimdKernels(previous);
        }
      });
    }

  it('MaxPoolGrad passes nothing from a window of NaNs or −∞, like cpu', async () => {
    // 4 channels (the SIMD route) and 1 channel (typed arrays); windows of NaN, −∞, mixed, and one maximum.
    for (const channels of [4, 1]) {
      const v = new Float32Array(16 * channels).fill(Number.NaN);
      for (let i = 0; i < 4 * channels; i++) v[8 * channels + i] = Number.NEGATIVE_INFINITY;
      v[5 * channels] = 2;
      v[2 * channels] = Number.NEGATIVE_INFINITY;
      await agree(() =>
        tf.grad((xx: tf.Tensor) => tf.sum(tf.maxPool(xx as tf.Tensor4D, 2, 2, 'valid')))(
          tf.tensor(v, [1, 4, 4, channels]),
        ),
      );
    }
  });

  it('Sum over the leading axes (bias gradients) agrees with cpu; other sums go to the stock kernel', async () => {
    const x = r([3, 5, 4, 8]);
    const odd = r([6, 6]);
    await agree(() => tf.sum(x(), [0, 1, 2]));
    await agree(() => tf.sum(x(), [2, 0, 1], true));
    await agree(() => tf.sum(x(), [0, 1]));
    await agree(() => tf.sum(x(), -1));
    await agree(() => tf.sum(odd(), 0));
    await agree(() => tf.sum(tf.reshape(x(), [60, 8]), 0));
    await agree(() => tf.sum(tf.zeros([0, 4]), 0));
  });

  it('Add of a [C] bias (either order) agrees with cpu; other broadcasts go to the stock kernel', async () => {
    const x = r([3, 5, 4, 8]);
    const bias = r([8]);
    const m = r([6, 12]);
    const b12 = r([12]);
    const sq = r([6, 6]);
    const b6 = r([6]);
    const row = r([4, 8]);
    await agree(() => tf.add(x(), bias()));
    await agree(() => tf.add(bias(), x()));
    await agree(() => tf.add(m(), b12()));
    await agree(() => tf.add(m(), tf.tensor1d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])));
    await agree(() => tf.add(sq(), b6()));
    await agree(() => tf.add(x(), row()));
    await agree(() => tf.add(x(), x()));
    await agree(() => tf.add(tf.tensor1d([1, 2, 3, 4]), tf.tensor1d([1, 2, 3, 4])));
  });

  it('Identity and same-dtype Cast share the buffer (no copy); the copies outlive their source', async () => {
    await useWasm();
    const before = tf.memory().numDataBuffers;
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.clone(a);
    const c = tf.cast(a, 'float32');
    expect(tf.memory().numDataBuffers).toBe(before + 1);
    a.dispose();
    expect(Array.from(await b.data())).toEqual([1, 2, 3]);
    b.dispose();
    expect(Array.from(await c.data())).toEqual([1, 2, 3]);
    c.dispose();
    expect(tf.memory().numDataBuffers).toBe(before);
    const s = tf.tensor1d(['x', 'y'], 'string');
    const t = tf.clone(s);
    s.dispose();
    expect(await t.data()).toEqual(['x', 'y']);
    t.dispose();
    const i = tf.tensor1d([1.5, -2.5]);
    const n = tf.cast(i, 'int32');
    expect(Array.from(await n.data())).toEqual([1, -2]);
    tf.dispose([i, n]);
  });

  it('depthwise conv gradients agree with cpu', async () => {
    const x = r([2, 7, 7, 3]);
    const w = r([3, 3, 3, 2]);
    await agree(() => {
      const f = (xx: tf.Tensor, ww: tf.Tensor) =>
        tf.sum(tf.square(tf.depthwiseConv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, 2, 'same')));
      const [gx, gw] = tf.grads(f)([x(), w()]);
      return [gx!, gw!];
    });
  });

  it('UnsortedSegmentSum sums duplicates and drops out-of-range ids like cpu', async () => {
    const x = r([6, 4]);
    await agree(() => tf.unsortedSegmentSum(x(), tf.tensor1d([0, 2, 2, 1, 0, 2], 'int32'), 4));
    await agree(() => tf.unsortedSegmentSum(x(), tf.tensor1d([0, -1, 2, 5, 0, 2], 'int32'), 3));
  });

  it('gather gradient (embeddings) trains on wasm', async () => {
    const table = r([10, 3]);
    await agree(() =>
      tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.gather(t, tf.tensor1d([1, 3, 3, 9], 'int32')))))(table()),
    );
  });

  it('Einsum agrees with cpu on matmul, batch, outer and trace-like equations', async () => {
    const a = r([4, 5]);
    const b = r([5, 6]);
    const c = r([2, 4, 5]);
    const d = r([2, 5, 3]);
    await agree(() => tf.einsum('ij,jk->ik', a(), b()));
    await agree(() => tf.einsum('bij,bjk->bik', c(), d()));
    await agree(() => tf.einsum('i,j->ij', tf.tensor1d([1, 2, 3]), tf.tensor1d([4, 5])));
    await agree(() => tf.einsum('ij->j', a()));
  });

  it('patched kernels leak no tensors or wasm buffers', async () => {
    await useWasm();
    const x = r([2, 9, 8, 3])();
    const w = r([3, 3, 3, 4])();
    const a = r([8, 8])();
    const before = tf.memory();
    for (let i = 0; i < 3; i++) {
      tf.dispose(
        tf.tidy(() =>
          tf.grad((ww: tf.Tensor) => tf.sum(tf.conv2d(x as tf.Tensor4D, ww as tf.Tensor4D, 2, 'same')))(w),
        ),
      );
      tf.dispose(
        tf.tidy(() =>
          tf.grads((xx: tf.Tensor, ww: tf.Tensor) =>
            tf.sum(tf.maxPool(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, 2, 'same'), 2, 2, 'valid')),
          )([x, w]),
        ),
      );
      tf.dispose(tf.tidy(() => tf.matMul(a, a, true, true)));
      tf.dispose(tf.tidy(() => tf.einsum('ij,jk->ik', a, a)));
    }
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
    tf.dispose([x, w, a]);
  });
});
