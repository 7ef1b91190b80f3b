// Backend throughput: matmul, an MLP training epoch and a small-CNN training epoch, as ratios against stock
// tfjs-wasm (no paperlab kernels, batches sliced from one big tensor). Stock and paperlab wasm are measured
// interleaved, sample by sample, so both see the same machine load.
import { Rng } from '@paperlab/core';
import { ArrayDataset } from '@paperlab/core/data';
import { installWasmKernels } from '@paperlab/core/kernels';
import { createHeadlessContext } from '@paperlab/core/runs';
import { Sequential, SupervisedTrainer, softmaxCrossEntropy } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { measure, measureInterleaved } from '../harness.mjs';
import { cnnSpec, MLP } from '../models.mjs';

const CNN = cnnSpec(8, 16);

function synthetic(n, inputShape, seed) {
  const rng = new Rng(seed);
  const size = inputShape.reduce((a, b) => a * b, 1);
  const x = rng.uniforms(n * size);
  const y = Int32Array.from({ length: n }, () => rng.int(10));
  return new ArrayDataset(
    { name: 'synthetic', source: 'bench generator', inputShape, numClasses: 10 },
    { train: { x, y } },
  );
}

/** The plain tfjs way: one big tensor, `slice` per batch, optimizer.minimize. */
async function stockEpoch(model, data, batchSize) {
  const { x, y } = data.arrays('train');
  const n = y.length;
  const xs = tf.tensor(x, [n, ...data.meta.inputShape]);
  const ys = tf.tensor1d(y, 'int32');
  const opt = tf.train.adam(1e-3);
  for (let i = 0; i < n; i += batchSize) {
    const b = Math.min(batchSize, n - i);
    const cost = opt.minimize(
      () => softmaxCrossEntropy(model.forward(tf.slice(xs, i, b), { training: true }), tf.slice(ys, i, b)),
      true,
      model.variables(),
    );
    cost.dataSync();
    cost.dispose();
  }
  opt.dispose();
  tf.dispose([xs, ys]);
}

/** paperlab's way: typed-array batches through SupervisedTrainer (loss read back every step). */
async function paperlabEpoch(model, data, batchSize) {
  const ctx = await createHeadlessContext({ seed: 1 });
  const opt = tf.train.adam(1e-3);
  await new SupervisedTrainer().fit(ctx, model, data, {
    epochs: 1,
    batchSize,
    loss: softmaxCrossEntropy,
    optimizer: opt,
  });
  opt.dispose();
}

async function read(t) {
  await t.data();
  t.dispose();
}

/** @param {{ use(b: string): Promise<void>, variants: string[] }} env */
export async function backendsSuite(env) {
  const rows = [];
  const mlpData = synthetic(10_000, [784], 1);
  const cnnData = synthetic(1024, [28, 28, 1], 2);
  const stockName = 'wasm (stock tfjs)';
  const oursName = 'wasm (paperlab)';
  const wasm = [
    { name: stockName, before: () => installWasmKernels().uninstall() },
    { name: oursName, before: () => installWasmKernels() },
  ];
  const cases = [];
  for (const n of [512, 1024]) {
    cases.push({
      name: `matmul ${n}² (float32)`,
      work: 2 * n ** 3,
      unit: 'FLOP',
      n,
      fn: (a) => read(tf.matMul(a, a)),
    });
    cases.push({
      name: `matmul ${n}² Aᵀ·B`,
      work: 2 * n ** 3,
      unit: 'FLOP',
      n,
      fn: (a) => read(tf.matMul(a, a, true, false)),
    });
  }
  // wasm stock vs paperlab, interleaved.
  await env.use('wasm');
  for (const c of cases) {
    const a = tf.tensor2d(new Rng(3).uniforms(c.n * c.n), [c.n, c.n]);
    const t = await measureInterleaved(
      wasm.map((v) => ({ ...v, fn: () => c.fn(a) })),
      { samples: 7 },
    );
    for (const v of wasm)
      rows.push({
        suite: 'backends',
        case: c.name,
        variant: v.name,
        timing: t[v.name],
        work: c.work,
        unit: c.unit,
        baseline: v.name === stockName,
      });
    a.dispose();
  }
  const training = [
    ['MLP epoch 784-256-10, Adam, batch 128, 10k samples', MLP, mlpData, 128, [784]],
    [
      'small-CNN epoch (conv8-pool-conv16-pool-dense), Adam, batch 64, 1024 samples',
      CNN,
      cnnData,
      64,
      [28, 28, 1],
    ],
  ];
  for (const [name, spec, data, bs, inShape] of training) {
    const model = Sequential.build(spec, inShape, new Rng(4));
    const variants = wasm.map((v) => ({
      ...v,
      fn: v.name === stockName ? () => stockEpoch(model, data, bs) : () => paperlabEpoch(model, data, bs),
    }));
    const t = await measureInterleaved(variants, { samples: 3, warmup: 1 });
    for (const v of wasm) {
      const timing = t[v.name];
      if (timing.error)
        rows.push({
          suite: 'backends',
          case: name,
          variant: v.name,
          error: timing.error,
          baseline: v.name === stockName,
        });
      else
        rows.push({
          suite: 'backends',
          case: name,
          variant: v.name,
          timing,
          work: data.size('train'),
          unit: ' samples',
          baseline: v.name === stockName,
        });
    }
    model.dispose();
  }
  installWasmKernels();
  // Other backends, one after the other.
  for (const variant of env.variants.filter((v) => !v.startsWith('wasm'))) {
    await env.use(variant);
    const quick = { samples: 1, warmup: 0 };
    for (const c of cases) {
      const a = tf.tensor2d(new Rng(3).uniforms(c.n * c.n), [c.n, c.n]);
      rows.push({
        suite: 'backends',
        case: c.name,
        variant,
        timing: await measure(() => c.fn(a), { samples: 2 }),
        work: c.work,
        unit: c.unit,
      });
      a.dispose();
    }
    for (const [name, spec, data, bs, inShape] of training) {
      const model = Sequential.build(spec, inShape, new Rng(4));
      try {
        rows.push({
          suite: 'backends',
          case: name,
          variant,
          timing: await measure(() => paperlabEpoch(model, data, bs), quick),
          work: data.size('train'),
          unit: ' samples',
        });
      } catch (err) {
        rows.push({
          suite: 'backends',
          case: name,
          variant,
          error: String(err.message ?? err)
            .split('\n')[0]
            .slice(0, 90),
        });
      } finally {
        model.dispose();
      }
    }
  }
  await env.use('wasm');
  return rows;
}
