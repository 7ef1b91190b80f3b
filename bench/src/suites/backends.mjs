// Backend throughput: matmul, an MLP training epoch and a small-CNN training epoch, for every backend
// variant, as ratios against stock tfjs-wasm (no paperlab kernels, batches sliced from one big tensor).
import {
  ArrayDataset,
  createHeadlessContext,
  installWasmKernels,
  Rng,
  Sequential,
  SupervisedTrainer,
  softmaxCrossEntropy,
} from '@paperlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { measure } from '../harness.mjs';

const MLP = [
  { type: 'dense', units: 256, activation: 'relu' },
  { type: 'dense', units: 10 },
];
const CNN = [
  { type: 'conv2d', filters: 8, kernel: 3, activation: 'relu' },
  { type: 'maxPool', size: 2 },
  { type: 'conv2d', filters: 16, kernel: 3, activation: 'relu' },
  { type: 'maxPool', size: 2 },
  { type: 'flatten' },
  { type: 'dense', units: 10 },
];

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
  const ys = tf.oneHot(tf.tensor1d(y, 'int32'), 10);
  const opt = tf.train.adam(1e-3);
  for (let i = 0; i < n; i += batchSize) {
    const b = Math.min(batchSize, n - i);
    const cost = opt.minimize(
      () => {
        const xb = tf.slice(xs, i, b);
        const yb = tf.slice(ys, i, b);
        return softmaxCrossEntropy(model.forward(xb, { training: true }), yb);
      },
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

/** @param {{ use(b: string): Promise<void>, variants: string[] }} env */
export async function backendsSuite(env) {
  const rows = [];
  const mlpData = synthetic(10_000, [784], 1);
  const cnnData = synthetic(1024, [28, 28, 1], 2);
  for (const variant of env.variants) {
    const stock = variant === 'wasm (stock tfjs)';
    await env.use(variant);
    const patches = installWasmKernels();
    if (stock) patches.uninstall();
    const quick = variant.startsWith('cpu') || variant.startsWith('webgpu');
    try {
      for (const n of [512, 1024]) {
        const a = tf.tensor2d(new Rng(3).uniforms(n * n), [n, n]);
        const read = async (t) => {
          await t.data();
          t.dispose();
        };
        const timing = await measure(() => read(tf.matMul(a, a)), { samples: quick ? 2 : 5 });
        rows.push({
          suite: 'backends',
          case: `matmul ${n}² (float32)`,
          variant,
          timing,
          work: 2 * n ** 3,
          unit: 'FLOP',
          baseline: stock,
        });
        const timingT = await measure(() => read(tf.matMul(a, a, true, false)), { samples: quick ? 2 : 5 });
        rows.push({
          suite: 'backends',
          case: `matmul ${n}² Aᵀ·B`,
          variant,
          timing: timingT,
          work: 2 * n ** 3,
          unit: 'FLOP',
          baseline: stock,
        });
        a.dispose();
      }
      for (const [name, spec, data, bs, inShape] of [
        ['MLP epoch 784-256-10, Adam, batch 128, 10k samples', MLP, mlpData, 128, [784]],
        [
          'small-CNN epoch (conv8-pool-conv16-pool-dense), Adam, batch 64, 1024 samples',
          CNN,
          cnnData,
          64,
          [28, 28, 1],
        ],
      ]) {
        if (variant.startsWith('cpu') && spec === MLP) {
          // cpu takes ~15 s per MLP epoch; one sample is enough to place it.
        }
        const model = Sequential.build(spec, inShape, new Rng(4));
        try {
          const fn = stock ? () => stockEpoch(model, data, bs) : () => paperlabEpoch(model, data, bs);
          const timing = await measure(fn, { warmup: quick ? 0 : 1, samples: quick ? 1 : 3 });
          rows.push({
            suite: 'backends',
            case: name,
            variant,
            timing,
            work: data.size('train'),
            unit: ' samples',
            baseline: stock,
          });
        } catch (err) {
          rows.push({
            suite: 'backends',
            case: name,
            variant,
            error: String(err.message ?? err)
              .split('\n')[0]
              .slice(0, 90),
            baseline: stock,
          });
        } finally {
          model.dispose();
        }
      }
    } finally {
      installWasmKernels();
    }
  }
  return rows;
}
