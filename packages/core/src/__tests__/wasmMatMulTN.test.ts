import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installWasmKernels } from '../backends/wasm/install.js';
import { GEMM_TN_MAX_OUTPUT } from '../backends/wasm/matMul.js';
import { useSimdKernels } from '../backends/wasm/simdKernels.js';
import { Rng } from '../rng/rng.js';
import { useBackend, useWasm } from '../testing/backends.js';

/** Aᵀ·B in float64 for A [batch, P, K], B [batch, P, N], with Σ|a·b| per entry (the scale of its rounding error). */
function reference(a: Float32Array, b: Float32Array, batch: number, P: number, K: number, N: number) {
  const value = new Float64Array(batch * K * N);
  const scale = new Float64Array(batch * K * N);
  for (let i = 0; i < batch; i++)
    for (let p = 0; p < P; p++)
      for (let k = 0; k < K; k++) {
        const av = a[(i * P + p) * K + k]!;
        for (let n = 0; n < N; n++) {
          const prod = av * b[(i * P + p) * N + n]!;
          value[(i * K + k) * N + n]! += prod;
          scale[(i * K + k) * N + n]! += Math.abs(prod);
        }
      }
  return { value, scale };
}

/** Values of `fn` (inputs built inside from host arrays) on `backend`. */
async function on(backend: 'cpu' | 'wasm', fn: () => tf.Tensor): Promise<Float32Array> {
  await useBackend(backend);
  const out = tf.tidy(fn);
  const v = Float32Array.from(await out.data());
  out.dispose();
  return v;
}

/** Calls of the wasm Transpose kernel while `fn` runs (the old Aᵀ·B routes transpose an operand; gemmTN does not). */
function transposesDuring(fn: () => void): number {
  const original = tf.getKernel('Transpose', 'wasm')!;
  let calls = 0;
  tf.unregisterKernel('Transpose', 'wasm');
  tf.registerKernel({
    ...original,
    kernelFunc: (args) => {
      calls++;
      return original.kernelFunc(args);
    },
  });
  try {
    fn();
  } finally {
    tf.unregisterKernel('Transpose', 'wasm');
    tf.registerKernel(original);
  }
  return calls;
}

describe('wasm Aᵀ·B through gemmTN (A read by columns)', () => {
  beforeAll(async () => {
    await useWasm();
    installWasmKernels();
  });
  afterEach(() => useSimdKernels(true));

  // [batch dims, P, K, N]: widths not a multiple of 4 (tails of 1–3 columns), 1 row / 1 column, more than one
  // block of 512 along P, 16-column panels plus 4-column ones, odd K (a last 1-row tile), batched and rank 4.
  const cases: Array<[number[], number, number, number]> = [
    [[], 1, 1, 1],
    [[], 7, 1, 5],
    [[], 9, 6, 1],
    [[], 37, 13, 10],
    [[], 64, 5, 16],
    [[], 600, 3, 17],
    [[], 33, 40, 23],
    [[], 4096, 37, 50],
    [[3], 70, 9, 6],
    [[2, 2], 20, 5, 12],
    // Just above GEMM_TN_MAX_OUTPUT entries: left to the transpose + XNNPACK route.
    [[], 2, 363, 362],
  ];
  for (const simd of [true, false]) {
    const route = simd ? 'gemmTN' : 'transpose + XNNPACK';
    for (const [lead, P, K, N] of cases) {
      it(`agrees with a float64 product and with cpu (${route}; [${[...lead, P, K]}]ᵀ·[${[...lead, P, N]}])`, async () => {
        const batch = lead.reduce((x, y) => x * y, 1);
        const rng = new Rng(P * 131 + K * 17 + N);
        const av = Float32Array.from(rng.normals(batch * P * K));
        const bv = Float32Array.from(rng.normals(batch * P * N));
        const product = () =>
          tf.matMul(tf.tensor(av, [...lead, P, K]), tf.tensor(bv, [...lead, P, N]), true, false);
        useSimdKernels(simd);
        await useWasm();
        const tensorsBefore = tf.memory().numTensors;
        const dataBefore = tf.engine().backend.numDataIds();
        let wasmOut: Float32Array | undefined;
        const transposes = transposesDuring(() => {
          const out = tf.tidy(product);
          expect(out.shape).toEqual([...lead, K, N]);
          wasmOut = out.dataSync() as Float32Array;
          out.dispose();
        });
        expect(tf.memory().numTensors).toBe(tensorsBefore);
        expect(tf.engine().backend.numDataIds()).toBe(dataBefore);
        if (simd && K * N <= GEMM_TN_MAX_OUTPUT) expect(transposes).toBe(0);
        else expect(transposes).toBeGreaterThan(0);
        const { value, scale } = reference(av, bv, batch, P, K, N);
        const cpu = await on('cpu', product);
        // float32 sums of P products: errors of a few ulps of Σ|a·b| (blocked sums keep them near one block's).
        let worstRef = 0;
        let worstCpu = 0;
        for (let i = 0; i < value.length; i++) {
          const bound = 1e-6 * Math.sqrt(P) * scale[i]! + 1e-30;
          worstRef = Math.max(worstRef, Math.abs(wasmOut![i]! - value[i]!) / bound);
          worstCpu = Math.max(worstCpu, Math.abs(wasmOut![i]! - cpu[i]!) / bound);
        }
        expect(worstRef).toBeLessThanOrEqual(2);
        expect(worstCpu).toBeLessThanOrEqual(4);
      });
    }
  }

  it('dense-layer gradients (tf.grad: dW = xᵀ·g, dx = g·Wᵀ) agree between wasm and cpu', async () => {
    const rng = new Rng(11);
    const [batch, din, dout] = [130, 27, 10];
    const xv = rng.normals(batch * din);
    const wv = rng.normals(din * dout);
    const grads = () => {
      const f = (x: tf.Tensor, w: tf.Tensor) =>
        tf.sum(tf.square(tf.relu(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D))));
      return tf.concat(
        tf
          .grads(f)([tf.tensor2d(xv, [batch, din]), tf.tensor2d(wv, [din, dout])])
          .map((g) => tf.reshape(g, [-1])),
      );
    };
    const cpu = await on('cpu', grads);
    await useWasm();
    const before = tf.memory().numTensors;
    const wasm = await on('wasm', grads);
    expect(tf.memory().numTensors).toBe(before);
    let worst = 0;
    for (let i = 0; i < cpu.length; i++)
      worst = Math.max(worst, Math.abs(wasm[i]! - cpu[i]!) / Math.max(1, Math.abs(cpu[i]!)));
    expect(worst).toBeLessThan(3e-5);
  });

  it('same inputs give the same bits on repeated calls', async () => {
    await useWasm();
    const rng = new Rng(5);
    const av = rng.normals(700 * 19);
    const bv = rng.normals(700 * 21);
    const run = () =>
      tf.tidy(() =>
        tf.matMul(tf.tensor2d(av, [700, 19]), tf.tensor2d(bv, [700, 21]), true, false).dataSync(),
      );
    expect(Array.from(run())).toEqual(Array.from(run()));
  });
});
