import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSimdKernels } from '../backends/wasm/simdKernels.js';
import { runKernel } from '../kernels/kernelSpec.js';
import { Rng } from '../rng/rng.js';
import { useBackend, useWasm } from '../testing/backends.js';
import { checkKernelAgreement } from '../testing/kernels.js';
import { type AdamAttrs, adamKernel, wasmAdam } from '../train/adamKernel.js';
import { adam } from '../train/fitOptimizer.js';

/** `steps` Adam steps of one [rows, cols] variable under seeded gradients, with one implementation of the kernel. */
function run(impl: 'reference' | 'cpu' | 'wasm', steps: number, rows: number, cols: number): Float32Array[] {
  const rng = new Rng(7);
  const shape = [rows, cols];
  let x = tf.tensor(rng.normals(rows * cols), shape);
  let m = tf.zeros(shape);
  let v = tf.zeros(shape);
  let b1 = Math.fround(0.9);
  let b2 = Math.fround(0.999);
  for (let t = 0; t < steps; t++) {
    // Gradients of varied scale, with exact zeros: the moments and √v cover many magnitudes.
    const gv = rng.normals(rows * cols).map((z, i) => (i % 11 === 0 ? 0 : z * 10 ** ((t % 7) - 3)));
    const g = tf.tensor(gv, shape);
    const attrs: AdamAttrs = {
      step: -0.01,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      beta1Power: b1,
      beta2Power: b2,
    };
    const inputs = { x, g, m, v };
    const [x1, m1, v1] =
      impl === 'wasm' ? wasmAdam(inputs, attrs)! : runKernel(adamKernel, inputs, attrs, { impl });
    tf.dispose([x, m, v, g]);
    [x, m, v] = [x1!, m1!, v1!];
    b1 = Math.fround(b1 * Math.fround(0.9));
    b2 = Math.fround(b2 * Math.fround(0.999));
  }
  const out = [x, m, v].map((t) => t.dataSync() as Float32Array);
  tf.dispose([x, m, v]);
  return out;
}

describe('core/adam: the fused Adam kernel', () => {
  beforeAll(useWasm);

  it('agrees with its tfjs-ops reference on its examples (cpu and wasm)', async () => {
    const { results } = await checkKernelAgreement(adamKernel, adamKernel.examples!(), {
      atol: 0,
      rtol: 0,
      backends: ['wasm', 'cpu'],
    });
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.ok, `${r.backend} ${r.case}: ${r.maxAbsError}`).toBe(true);
    await tf.setBackend('wasm');
  });

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`300 steps of the typed-array path equal the reference's bit for bit on ${backend}, leak-free`, async () => {
      await useBackend(backend);
      const before = tf.memory().numTensors;
      const ref = run('reference', 300, 17, 9);
      const cpu = run('cpu', 300, 17, 9);
      for (let k = 0; k < 3; k++) expect(Array.from(cpu[k]!)).toEqual(Array.from(ref[k]!));
      // The run moved the variable: a kernel that returned its input unchanged would pass the equality.
      expect(Math.max(...ref[1]!.map(Math.abs))).toBeGreaterThan(0);
      expect(tf.memory().numTensors).toBe(before);
      await tf.setBackend('wasm');
    });
  }

  for (const simd of [true, false])
    it(`the wasm kernel (${simd ? 'SIMD' : 'typed arrays'}) equals the reference bit for bit over 300 steps, leak-free`, async () => {
      const previous = useSimdKernels(simd);
      try {
        const before = tf.memory().numTensors;
        // 153 and 7 entries: a multiple-of-4 prefix (SIMD) and a tail (typed arrays); 32: no tail.
        for (const [rows, cols] of [
          [17, 9],
          [1, 7],
          [4, 8],
        ] as const) {
          const ref = run('reference', 300, rows, cols);
          const fused = run('wasm', 300, rows, cols);
          for (let k = 0; k < 3; k++) expect(Array.from(fused[k]!)).toEqual(Array.from(ref[k]!));
        }
        expect(tf.memory().numTensors).toBe(before);
      } finally {
        useSimdKernels(previous);
      }
    });

  it('the wasm kernel names a mismatched input, and is null off wasm', async () => {
    const attrs = { step: -0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, beta1Power: 0.9, beta2Power: 0.999 };
    tf.tidy(() => {
      const x = tf.ones([5]);
      expect(() => wasmAdam({ x, g: tf.ones([4]), m: x, v: x }, attrs)).toThrow(/'g' must be float32 with 5/);
    });
    await useBackend('cpu');
    tf.tidy(() => {
      const x = tf.ones([5]);
      expect(wasmAdam({ x, g: x, m: x, v: x }, attrs)).toBeNull();
    });
    await tf.setBackend('wasm');
  });

  it("core's adam() equals tf.train.adam bit for bit over 100 steps, with lrScale, leak-free", async () => {
    const init = new Rng(3);
    const shapes = [[8, 5], [6]];
    const start = shapes.map((s) => init.normals(s.reduce((a, b) => a * b, 1)));
    /** 100 steps from `start` under seeded gradients, by `apply`; the final weights. */
    const train = (apply: (vars: tf.Variable[], grads: tf.Tensor[]) => void): Float32Array[] => {
      const rng = new Rng(4);
      const vars = tf.tidy(() => start.map((w, i) => tf.variable(tf.tensor(w, shapes[i]!))));
      for (let t = 0; t < 100; t++) {
        const gs = shapes.map((s) => tf.tensor(rng.normals(s.reduce((a, b) => a * b, 1)), s));
        apply(vars, gs);
        tf.dispose(gs);
      }
      const out = vars.map((v) => v.dataSync() as Float32Array);
      tf.dispose(vars);
      return out;
    };
    const tfA = tf.train.adam(0.02);
    const tfB = tf.train.adam(0.01);
    const theirs = train((vars, gs) => {
      tfA.applyGradients([{ name: vars[0]!.name, tensor: gs[0]! }]);
      tfB.applyGradients([{ name: vars[1]!.name, tensor: gs[1]! }]);
    });
    tfA.dispose();
    tfB.dispose();
    const before = tf.memory().numTensors;
    const opt = adam(0.02, { lrScale: [1, 0.5] });
    const ours = train((vars, gs) => opt.apply(vars, gs));
    opt.dispose();
    expect(tf.memory().numTensors).toBe(before);
    for (let i = 0; i < 2; i++) expect(Array.from(ours[i]!)).toEqual(Array.from(theirs[i]!));
    expect(ours[0]![0]).not.toBe(start[0]![0]);
  });
});
