import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { nodeBackendLoaders } from '../node/backends.js';
import { configureNodeWasm, wasmThreadsForCores } from '../node/wasmThreads.js';
import { Rng } from '../rng/rng.js';
import { ensureBackend } from '../runs/runner.js';

/** A matmul big enough for XNNPACK to split it, plus a few Adam steps of a small MLP; host values out. */
function workload(): Float32Array[] {
  const rng = new Rng(11);
  const out: Float32Array[] = [];
  tf.tidy(() => {
    const a = tf.tensor2d(rng.normals(384 * 256), [384, 256]);
    const b = tf.tensor2d(rng.normals(256 * 320), [256, 320]);
    out.push(tf.matMul(a, b).dataSync() as Float32Array);
    out.push(tf.matMul(a, tf.transpose(b), false, true).dataSync() as Float32Array);
  });
  const x = tf.tensor2d(rng.uniforms(128 * 196), [128, 196]);
  const labels = Int32Array.from({ length: 128 }, () => rng.int(10));
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), 10));
  const w1 = tf.tidy(() => tf.variable(tf.tensor2d(rng.normals(196 * 64, 0, 0.1), [196, 64])));
  const w2 = tf.tidy(() => tf.variable(tf.tensor2d(rng.normals(64 * 10, 0, 0.1), [64, 10])));
  const opt = tf.train.adam(1e-2);
  for (let step = 0; step < 5; step++) {
    const loss = opt.minimize(
      () => tf.losses.softmaxCrossEntropy(y, tf.matMul(tf.relu(tf.matMul(x, w1)), w2)),
      true,
      [w1, w2],
    );
    out.push(Float32Array.from(loss!.dataSync()));
    loss!.dispose();
  }
  out.push(Float32Array.from(w1.dataSync()), Float32Array.from(w2.dataSync()));
  opt.dispose();
  tf.dispose([x, y, w1, w2]);
  // A conv layer's gradients: paperlab's wasm patches (flipped-filter conv, im2col filter gradient, the SIMD
  // max-pool gradient and bias sum), which on the threaded build read and write its shared memory.
  tf.tidy(() => {
    const xi = tf.tensor4d(rng.normals(8 * 12 * 12 * 4), [8, 12, 12, 4]);
    const k = tf.tensor4d(rng.normals(3 * 3 * 4 * 8, 0, 0.3), [3, 3, 4, 8]);
    const bias = tf.tensor1d(rng.normals(8, 0, 0.1));
    const f = (a: tf.Tensor, w: tf.Tensor, c: tf.Tensor) =>
      tf.sum(
        tf.square(
          tf.maxPool(
            tf.relu(tf.add(tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'), c)),
            2,
            2,
            'valid',
          ),
        ),
      );
    for (const g of tf.grads(f)([xi, k, bias])) out.push(g.dataSync() as Float32Array);
  });
  return out;
}

async function runWith(threads?: number) {
  await configureNodeWasm({ threads: threads ?? 1 }); // re-registers `wasm` when the count changes
  const info = await ensureBackend('wasm', {
    backends: nodeBackendLoaders(threads === undefined ? {} : { wasmThreads: threads }),
    platform: 'node',
  });
  const start = tf.memory().numTensors;
  const values = workload();
  expect(tf.memory().numTensors).toBe(start);
  return { info, values };
}

describe('multi-threaded wasm in Node', () => {
  it("defaults to 1 thread (tfjs' stock build); 'cores' means one per core, at most 8", async () => {
    expect(wasmThreadsForCores()).toBe(Math.min(availableParallelism(), 8));
    const saved = process.env.PAPERLAB_WASM_THREADS;
    delete process.env.PAPERLAB_WASM_THREADS;
    try {
      const { info } = await runWith();
      expect(info.threads).toBe(1);
      expect(info.details?.wasmBuild).toBe('stock');
    } finally {
      if (saved !== undefined) process.env.PAPERLAB_WASM_THREADS = saved;
    }
    const bad = nodeBackendLoaders({ wasmThreads: 0 }).find((l) => l.name === 'wasm')!;
    await expect(bad.load()).rejects.toThrow(/positive integer or 'cores'/);
  });

  it('runs the threaded build with 2 threads and matches the single-threaded build exactly', async () => {
    const threaded = await runWith(2);
    expect(threaded.info.name).toBe('wasm');
    expect(threaded.info.details?.wasmThreadsFallback).toBeUndefined();
    expect(threaded.info.details?.wasmBuild).toBe('threaded-simd');
    expect(threaded.info.threads).toBe(2);

    // Switching disposes the threaded backend (terminating its workers) and starts tfjs' stock build.
    const single = await runWith(1);
    expect(single.info.details?.wasmBuild).toBe('stock');
    expect(single.info.threads).toBe(1);

    expect(threaded.values).toHaveLength(single.values.length);
    threaded.values.forEach((v, i) => {
      expect(v.every(Number.isFinite)).toBe(true);
      expect(v, `output ${i}`).toEqual(single.values[i]);
    });

    // Back to threads: a fresh threaded module (the first one's workers were terminated) gives the same numbers.
    const again = await runWith(2);
    expect(again.info.threads).toBe(2);
    expect(again.values).toEqual(single.values);
  });

  it('clamps the thread count and is idempotent for the same count', async () => {
    const a = await configureNodeWasm({ threads: 2 });
    const b = await configureNodeWasm({ threads: 2 });
    expect(b).toBe(a);
    expect((await configureNodeWasm({ threads: 0 })).requested).toBe(1);
    expect((await configureNodeWasm({ threads: 99 })).requested).toBe(8);
  });
});
