// wasm threads: the same work with 1 thread (tfjs' stock build) and with one thread per core (tfjs' threaded
// build started by paperlab through worker_threads), alternating in one process so both see the same machine
// load. Numbers must be identical across thread counts; the suite fails otherwise.
import { createHash } from 'node:crypto';
import { Rng } from '@paperlab/core';
import { ArrayDataset } from '@paperlab/core/data';
import { configureNodeWasm, nodeBackendLoaders, wasmThreadsForCores } from '@paperlab/core/node';
import { createHeadlessContext, ensureBackend } from '@paperlab/core/runs';
import { Sequential, SupervisedTrainer, softmaxCrossEntropy } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { measure, timingOf } from '../harness.mjs';

const ROUNDS = 3;

function digest(values) {
  return createHash('sha256')
    .update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength))
    .digest('hex');
}

async function useThreads(threads) {
  await configureNodeWasm({ threads });
  return ensureBackend('wasm', { backends: nodeBackendLoaders({ wasmThreads: threads }), platform: 'node' });
}

/** One round on the active backend: timings (ms) and digests of the results. */
async function round(mlpData) {
  const out = { times: {}, digests: {} };
  for (const n of [256, 1024]) {
    const a = tf.tensor2d(new Rng(3).uniforms(n * n), [n, n]);
    const b = tf.tensor2d(new Rng(5).uniforms(n * n), [n, n]);
    const c = tf.matMul(a, b);
    out.digests[`matmul ${n}²`] = digest(await c.data());
    c.dispose();
    const t = await measure(
      async () => {
        const p = tf.matMul(a, b);
        await p.data();
        p.dispose();
      },
      { samples: n === 1024 ? 5 : 21 },
    );
    out.times[`matmul ${n}² (float32)`] = t.samples;
    tf.dispose([a, b]);
  }
  const model = Sequential.build(
    [
      { type: 'dense', units: 256, activation: 'relu' },
      { type: 'dense', units: 10 },
    ],
    [784],
    new Rng(4),
  );
  const epochs = [];
  for (let e = 0; e < 2; e++) {
    const ctx = await createHeadlessContext({ seed: 1 });
    const opt = tf.train.adam(1e-3);
    const t = performance.now();
    await new SupervisedTrainer().fit(ctx, model, mlpData, {
      epochs: 1,
      batchSize: 128,
      loss: softmaxCrossEntropy,
      optimizer: opt,
    });
    epochs.push(performance.now() - t);
    opt.dispose();
  }
  out.times['MLP epoch 784-256-10, Adam, batch 128, 10k samples'] = epochs.slice(1); // first epoch warms up
  out.digests['MLP weights after 2 epochs'] = digest(
    Float32Array.from(model.variables().flatMap((v) => Array.from(v.dataSync()))),
  );
  model.dispose();
  // Many small ops (the shape of paperlab's width sweeps): 200 full-batch Adam steps of a 64-wide MLP.
  const small = Sequential.build(
    [
      { type: 'dense', units: 64, activation: 'relu' },
      { type: 'dense', units: 10 },
    ],
    [784],
    new Rng(6),
  );
  const xs = tf.tensor2d(mlpData.arrays('train').x.subarray(0, 256 * 784), [256, 784]);
  const ys = tf.tensor1d(mlpData.arrays('train').y.subarray(0, 256), 'int32');
  const opt = tf.train.adam(1e-3);
  const t = performance.now();
  for (let s = 0; s < 200; s++) {
    const loss = opt.minimize(
      () => softmaxCrossEntropy(small.forward(xs, { training: true }), ys),
      true,
      small.variables(),
    );
    loss.dataSync();
    loss.dispose();
  }
  out.times['200 Adam steps, MLP 784-64-10, 256 samples (small ops)'] = [performance.now() - t];
  out.digests['small MLP weights'] = digest(
    Float32Array.from(small.variables().flatMap((v) => Array.from(v.dataSync()))),
  );
  opt.dispose();
  tf.dispose([xs, ys]);
  small.dispose();
  return out;
}

/** @param {unknown} _env */
export async function wasmThreadsSuite(_env) {
  const many = wasmThreadsForCores();
  const counts = many > 1 ? [1, many] : [1];
  const rng = new Rng(1);
  const mlpData = new ArrayDataset(
    { name: 'synthetic', source: 'bench generator', inputShape: [784], numClasses: 10 },
    { train: { x: rng.uniforms(10_000 * 784), y: Int32Array.from({ length: 10_000 }, () => rng.int(10)) } },
  );
  const samples = new Map();
  const digests = new Map();
  for (let r = 0; r < ROUNDS; r++) {
    for (const threads of r % 2 ? [...counts].reverse() : counts) {
      const info = await useThreads(threads);
      if (info.threads !== threads)
        throw new Error(
          `asked for ${threads} wasm threads, got ${info.threads} (${info.details?.wasmThreadsFallback})`,
        );
      const res = await round(mlpData);
      for (const [k, v] of Object.entries(res.times))
        samples.set(`${k}|${threads}`, [...(samples.get(`${k}|${threads}`) ?? []), ...v]);
      for (const [k, d] of Object.entries(res.digests)) {
        if (digests.has(k) && digests.get(k) !== d)
          throw new Error(`${k}: results differ between thread counts`);
        digests.set(k, d);
      }
    }
  }
  const rows = [];
  for (const [key, s] of samples) {
    const [name, threads] = key.split('|');
    const size = name.match(/(\d+)²/);
    const work = size
      ? { work: 2 * Number(size[1]) ** 3, unit: 'FLOP' }
      : name.startsWith('MLP epoch')
        ? { work: 10_000, unit: ' samples' }
        : { work: 200, unit: ' steps' };
    rows.push({
      suite: 'wasm-threads',
      case: name,
      variant: `wasm, ${threads} thread${threads === '1' ? '' : 's'}`,
      timing: timingOf(s),
      ...work,
      baseline: threads === '1',
    });
  }
  await useThreads(1);
  return rows;
}
